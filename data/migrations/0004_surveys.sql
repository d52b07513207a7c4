-- The online Seoul Survey: questionnaire versions, surveys, samples, invitations,
-- answer sessions (drafts), submitted responses and paradata.
CREATE TABLE questionnaire_versions (
    source_hash      VARCHAR PRIMARY KEY,   -- SHA-256 of the definition file
    questionnaire_id VARCHAR NOT NULL,
    version          VARCHAR NOT NULL,
    title_ko         VARCHAR NOT NULL,
    title_en         VARCHAR,
    file_name        VARCHAR NOT NULL,
    definition       VARCHAR NOT NULL,      -- the file itself (YAML text, or base64 of a workbook)
    loaded_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE survey_seq START 1;
CREATE TABLE surveys (
    survey_id          BIGINT PRIMARY KEY DEFAULT nextval('survey_seq'),
    code               VARCHAR NOT NULL UNIQUE,   -- e.g. seoul-2026
    title_ko           VARCHAR NOT NULL,
    title_en           VARCHAR,
    kind               VARCHAR NOT NULL,          -- cross_section | panel_wave
    reference_year     INTEGER,
    questionnaire_hash VARCHAR NOT NULL,          -- questionnaire_versions.source_hash
    status             VARCHAR NOT NULL DEFAULT 'draft',  -- draft | in_field | closed
    field_start        DATE,
    field_end          DATE,
    sample_design      VARCHAR,                   -- JSON: design parameters and seed
    created_by         VARCHAR NOT NULL,
    created_at         TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Sampled households with every inclusion probability (for the weights).
CREATE TABLE survey_sample (
    survey_id       BIGINT NOT NULL,
    household_id    BIGINT NOT NULL,
    stratum         VARCHAR NOT NULL,
    area            VARCHAR NOT NULL,
    area_households INTEGER NOT NULL,
    pi_area         DOUBLE NOT NULL,
    pi_within       DOUBLE NOT NULL,
    pi              DOUBLE NOT NULL,
    design_weight   DOUBLE NOT NULL,
    PRIMARY KEY (survey_id, household_id)
);

-- Access codes: stored only as SHA-256; the plaintext exists only in the export made at issue.
CREATE SEQUENCE invitation_seq START 1;
CREATE TABLE invitations (
    invitation_id BIGINT PRIMARY KEY DEFAULT nextval('invitation_seq'),
    survey_id     BIGINT NOT NULL,
    household_id  BIGINT NOT NULL,
    member_no     INTEGER NOT NULL DEFAULT 0,     -- 0: the household's code; n: member n's own code
    code_hash     VARCHAR NOT NULL UNIQUE,
    status        VARCHAR NOT NULL DEFAULT 'active',  -- active | revoked
    issued_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    issued_by     VARCHAR NOT NULL,
    expires_at    TIMESTAMP,
    revoked_at    TIMESTAMP,
    revoked_by    VARCHAR
);

-- A part being answered: the draft kept after every screen, so any device resumes it.
-- submission_id is created when the part is started and travels with the submission.
CREATE TABLE answer_sessions (
    submission_id VARCHAR PRIMARY KEY,
    survey_id     BIGINT NOT NULL,
    household_id  BIGINT NOT NULL,
    member_no     INTEGER NOT NULL,               -- 0: household part; n: member n's person part
    part          VARCHAR NOT NULL,               -- household | person
    answers       VARCHAR NOT NULL DEFAULT '{}',  -- JSON draft
    position      VARCHAR,                        -- section id the respondent is on
    language      VARCHAR NOT NULL DEFAULT 'ko',
    mode          VARCHAR NOT NULL DEFAULT 'web', -- web | interviewer
    interviewer   VARCHAR,
    device_class  VARCHAR,
    started_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL DEFAULT 'open' -- open | submitted
);

-- Submitted parts: at most one per household part and per member.
CREATE SEQUENCE response_seq START 1;
CREATE TABLE responses (
    response_id           BIGINT PRIMARY KEY DEFAULT nextval('response_seq'),
    survey_id             BIGINT NOT NULL,
    household_id          BIGINT NOT NULL,
    member_no             INTEGER NOT NULL,
    part                  VARCHAR NOT NULL,
    submission_id         VARCHAR NOT NULL UNIQUE,
    content_hash          VARCHAR NOT NULL,       -- SHA-256 of the canonical answers JSON
    answers               VARCHAR NOT NULL,       -- JSON, codes as stored
    questionnaire_version VARCHAR NOT NULL,
    questionnaire_hash    VARCHAR NOT NULL,
    mode                  VARCHAR NOT NULL,
    language              VARCHAR NOT NULL,
    interviewer           VARCHAR,
    started_at            TIMESTAMP,
    submitted_at          TIMESTAMP NOT NULL,
    UNIQUE (survey_id, household_id, member_no)
);

-- Per-screen timestamps for fieldwork checks (speeders, break-offs).
CREATE TABLE paradata (
    submission_id VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    event         VARCHAR NOT NULL,               -- start | enter | leave | resume | submit
    section_id    VARCHAR,
    occurred_at   TIMESTAMP NOT NULL,
    device_class  VARCHAR,
    language      VARCHAR,
    PRIMARY KEY (submission_id, seq)
);
