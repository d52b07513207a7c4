-- Responses a statistician excludes from estimation (issue #6): flagged speeders, straight-liners,
-- high item non-response. Reversible: restoring keeps the row with who, when and why.
CREATE SEQUENCE exclusion_seq START 1;
CREATE TABLE response_exclusions (
    exclusion_id   BIGINT PRIMARY KEY DEFAULT nextval('exclusion_seq'),
    survey_id      BIGINT NOT NULL,
    household_id   BIGINT NOT NULL,
    member_no      INTEGER NOT NULL,          -- 0: the household part; n: member n's person part
    flag           VARCHAR,                   -- speeder | straight_lining | item_nonresponse | other
    reason         VARCHAR NOT NULL,
    excluded_at    TIMESTAMP NOT NULL,
    excluded_by    VARCHAR NOT NULL,
    restored_at    TIMESTAMP,                 -- NULL while the exclusion holds
    restored_by    VARCHAR,
    restore_reason VARCHAR
);
