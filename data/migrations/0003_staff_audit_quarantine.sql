-- Staff accounts, the audit log, the quarantine of invalid input, and the seeding log.
CREATE SEQUENCE staff_user_seq START 1;
CREATE TABLE staff_users (
    user_id              BIGINT PRIMARY KEY DEFAULT nextval('staff_user_seq'),
    username             VARCHAR NOT NULL UNIQUE,
    display_name         VARCHAR NOT NULL,
    role                 VARCHAR NOT NULL,
    password_hash        VARCHAR NOT NULL,   -- argon2id
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    created_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login_at        TIMESTAMP
);

CREATE SEQUENCE audit_event_seq START 1;
CREATE TABLE audit_log (
    event_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_event_seq'),
    occurred_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor      VARCHAR NOT NULL,        -- user name, or 'system' / 'cli'
    action     VARCHAR NOT NULL,        -- e.g. login, login_failed, reference_upload
    target     VARCHAR,
    detail     VARCHAR                  -- JSON
);

CREATE SEQUENCE quarantine_seq START 1;
CREATE TABLE quarantine (
    quarantine_id BIGINT PRIMARY KEY DEFAULT nextval('quarantine_seq'),
    received_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    source        VARCHAR NOT NULL,     -- e.g. reference_upload:population_margins, seed:frame
    batch_id      VARCHAR NOT NULL,
    row_number    BIGINT,               -- 1-based row in the submitted file, when there is one
    raw_record    VARCHAR NOT NULL,     -- JSON of the record exactly as received
    reasons       VARCHAR NOT NULL,     -- JSON list of {code, column, value, message_ko, message_en}
    status        VARCHAR NOT NULL DEFAULT 'open',   -- open | resolved
    resolved_by   VARCHAR,
    resolved_at   TIMESTAMP,
    resolution    VARCHAR
);

-- Uploaded files kept whole, accepted or not, so an upload is never lost.
CREATE SEQUENCE upload_seq START 1;
CREATE TABLE uploads (
    upload_id     BIGINT PRIMARY KEY DEFAULT nextval('upload_seq'),
    batch_id      VARCHAR NOT NULL UNIQUE,
    kind          VARCHAR NOT NULL,     -- reference:<table>
    filename      VARCHAR,
    content       VARCHAR NOT NULL,
    uploaded_by   VARCHAR NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    status        VARCHAR NOT NULL,     -- accepted | rejected
    valid_rows    BIGINT NOT NULL,
    invalid_rows  BIGINT NOT NULL
);

CREATE SEQUENCE seed_step_seq START 1;
CREATE TABLE seed_log (
    step_id     BIGINT PRIMARY KEY DEFAULT nextval('seed_step_seq'),
    step        VARCHAR NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    scale       DOUBLE,
    detail      VARCHAR                 -- JSON: row counts, seed
);

-- What kind of database this is (demo or real), set once when it is created.
CREATE TABLE database_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
