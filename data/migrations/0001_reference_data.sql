-- Reference data: districts, code lists, population margins, and where each came from.
CREATE TABLE districts (
    code        VARCHAR PRIMARY KEY,   -- 5-digit administrative code, e.g. 11110
    name_ko     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL
);

-- Every code list (sex, age_groups, household_types, ...) in one table.
CREATE TABLE code_lists (
    list_name   VARCHAR NOT NULL,
    code        INTEGER NOT NULL,
    label_ko    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    min_value   INTEGER,               -- lower bound where the code is a band (age, income, size)
    max_value   INTEGER,               -- upper bound; NULL = open-ended
    PRIMARY KEY (list_name, code)
);

-- Residents aged 15+ by district x sex x age group.
CREATE TABLE population_margins (
    district_code VARCHAR NOT NULL,
    sex           INTEGER NOT NULL,
    age_group     INTEGER NOT NULL,
    population    BIGINT NOT NULL,
    PRIMARY KEY (district_code, sex, age_group)
);

-- Registered households by district x household size (5 = five or more).
CREATE TABLE household_margins (
    district_code  VARCHAR NOT NULL,
    household_size INTEGER NOT NULL,
    households     BIGINT NOT NULL,
    PRIMARY KEY (district_code, household_size)
);

-- Which version of each reference table is loaded, with its source and date.
CREATE SEQUENCE reference_version_seq START 1;
CREATE TABLE reference_versions (
    version_id     BIGINT PRIMARY KEY DEFAULT nextval('reference_version_seq'),
    table_name     VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    reference_date VARCHAR,
    approximated   VARCHAR,
    row_count      BIGINT NOT NULL,
    sha256         VARCHAR NOT NULL,
    loaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    loaded_by      VARCHAR NOT NULL
);
