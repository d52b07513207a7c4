-- A survey's sample may be drawn from a contact list a survey manager uploads (issue 13): the
-- list's accepted rows become *listed households*, apart from the frame. Their contacts live
-- in listed_contacts only (never beside answers); the rows refused go to the quarantine with
-- their reasons. Listed household ids start at 900,000,000,001, far above any frame id, so a
-- survey_sample row names its household without saying which table holds it.
CREATE TABLE contact_lists (
    list_id          BIGINT PRIMARY KEY,
    survey_id        BIGINT NOT NULL,
    file_name        VARCHAR NOT NULL,
    file_sha256      VARCHAR NOT NULL,
    rows_read        INTEGER NOT NULL,
    rows_accepted    INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    uploaded_by      VARCHAR NOT NULL,
    uploaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE listed_households (
    household_id     BIGINT PRIMARY KEY,
    list_id          BIGINT NOT NULL,
    row_number       INTEGER NOT NULL,     -- the row in the uploaded file (header = 1)
    district_code    VARCHAR NOT NULL
);

CREATE TABLE listed_contacts (
    household_id     BIGINT PRIMARY KEY,   -- listed_households.household_id
    name             VARCHAR NOT NULL,
    address          VARCHAR,
    postal_code      VARCHAR,
    mobile           VARCHAR,
    email            VARCHAR
);
