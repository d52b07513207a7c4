-- Panel waves (issue #5, part 3-4): a wave is a survey of kind panel_wave; this adds what
-- only waves have: the wave number, reminder schedule and attrition rules, the outcomes the
-- operator records, and the log of invitation and reminder lists handed to the messaging system.

CREATE TABLE panel_waves (
    survey_id            BIGINT PRIMARY KEY,   -- surveys.survey_id (kind panel_wave)
    wave_no              INTEGER NOT NULL UNIQUE,
    reminders            VARCHAR NOT NULL,     -- JSON list of ISO dates, in order
    attrition_rules      VARCHAR NOT NULL,     -- JSON: panel.attrition.AttritionRules
    created_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by           VARCHAR NOT NULL,
    attrition_applied_at TIMESTAMP,            -- set by the one audited attrition step
    attrition_applied_by VARCHAR
);

-- Outcomes recorded by the operator (a refusal by phone, a move reported by the household).
-- Complete, partial and no contact follow from the responses and drafts; these add the rest.
CREATE TABLE panel_wave_outcomes (
    survey_id    BIGINT NOT NULL,
    household_id BIGINT NOT NULL,
    outcome      VARCHAR NOT NULL,             -- refused | moved_out | dissolved | deceased | ineligible | other
    note         VARCHAR,
    recorded_at  TIMESTAMP NOT NULL,
    recorded_by  VARCHAR NOT NULL,
    PRIMARY KEY (survey_id, household_id)
);

-- Every invitation or reminder list exported to the messaging system: who was in it.
CREATE TABLE panel_messages (
    survey_id    BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,             -- invitation | reminder
    round        INTEGER NOT NULL,             -- 0 for the invitation, 1.. for reminders
    household_id BIGINT NOT NULL,
    exported_at  TIMESTAMP NOT NULL,
    exported_by  VARCHAR NOT NULL,
    PRIMARY KEY (survey_id, round, household_id)
);

-- Which wave a status change belongs to (NULL for changes made outside a wave).
ALTER TABLE panel_status_history ADD COLUMN survey_id BIGINT;
