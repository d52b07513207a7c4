-- Survey weights, stored per survey as numbered versions with the parameters that made them.
CREATE SEQUENCE weights_version_seq START 1;
CREATE TABLE weights_versions (
    weights_id  BIGINT PRIMARY KEY DEFAULT nextval('weights_version_seq'),
    survey_id   BIGINT NOT NULL,
    unit        VARCHAR NOT NULL,          -- household | person
    version     INTEGER NOT NULL,          -- 1, 2, ... per survey and unit
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by  VARCHAR NOT NULL,
    parameters  VARCHAR NOT NULL,          -- JSON: margins and source, nonresponse classes, trimming, convergence
    UNIQUE (survey_id, unit, version)
);

CREATE TABLE weights (
    weights_id       BIGINT NOT NULL,
    household_id     BIGINT NOT NULL,
    member_no        INTEGER NOT NULL,     -- 0 for household weights
    base_weight      DOUBLE NOT NULL,      -- scale factor / inclusion probability
    adjusted_weight  DOUBLE NOT NULL,      -- after the nonresponse adjustment (calibration input)
    weight           DOUBLE NOT NULL,      -- final: calibrated (and trimmed)
    PRIMARY KEY (weights_id, household_id, member_no)
);
