-- The synthetic (or real) sampling frame. Personal data lives in the *_contacts tables only.
CREATE TABLE frame_info (
    frame_id        INTEGER PRIMARY KEY,
    generated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    generator       VARCHAR NOT NULL,
    seed            BIGINT,
    scale_factor    DOUBLE NOT NULL,   -- real households represented by one frame household
    reference_year  INTEGER NOT NULL,
    households      BIGINT NOT NULL,
    persons         BIGINT NOT NULL
);

CREATE TABLE frame_households (
    household_id    BIGINT PRIMARY KEY,
    district_code   VARCHAR NOT NULL,
    ea_id           VARCHAR NOT NULL,  -- enumeration area (PSU) inside the district
    household_size  INTEGER NOT NULL,
    household_type  INTEGER NOT NULL,
    head_age_band   INTEGER NOT NULL,
    income_bracket  INTEGER NOT NULL,
    housing_type    INTEGER NOT NULL
);

CREATE TABLE frame_persons (
    person_id       BIGINT PRIMARY KEY,
    household_id    BIGINT NOT NULL,
    member_no       INTEGER NOT NULL,  -- 1 = head
    relation        INTEGER NOT NULL,
    sex             INTEGER NOT NULL,
    birth_year      INTEGER NOT NULL
);

CREATE TABLE frame_household_contacts (
    household_id    BIGINT PRIMARY KEY,
    address         VARCHAR NOT NULL,
    postal_code     VARCHAR NOT NULL,
    phone           VARCHAR
);

CREATE TABLE frame_person_contacts (
    person_id       BIGINT PRIMARY KEY,
    name            VARCHAR NOT NULL,
    mobile          VARCHAR
);
