-- The household panel (issue #5): recruitments, the roster (panel + reserve) and its history.

-- One row per recruitment run, with everything needed to redraw it.
CREATE SEQUENCE panel_recruitment_seq START 1;
CREATE TABLE panel_recruitments (
    recruitment_id BIGINT PRIMARY KEY DEFAULT nextval('panel_recruitment_seq'),
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by     VARCHAR NOT NULL,
    parameters     VARCHAR NOT NULL    -- JSON: target, reserve, allocation, floor, seed,
                                       -- excluded surveys, per-district allocation table
);

-- The roster: every recruited household, panel or reserve, with its current state.
CREATE TABLE panel_households (
    household_id    BIGINT PRIMARY KEY,  -- frame_households.household_id
    role            VARCHAR NOT NULL,    -- panel | reserve: how it was recruited (never changes)
    status          VARCHAR NOT NULL,    -- panel.status.STATUSES: reserve, invited, active, ...
    district_code   VARCHAR NOT NULL,    -- current district; a move within Seoul updates it
    household_type  INTEGER NOT NULL,    -- at recruitment (the matching cell)
    head_age_band   INTEGER NOT NULL,    -- at recruitment (the matching cell)
    recruited_at    TIMESTAMP NOT NULL,
    recruitment_id  BIGINT NOT NULL,     -- panel_recruitments.recruitment_id
    pi              DOUBLE NOT NULL,     -- P(selected in the combined panel + reserve draw)
    pi_panel        DOUBLE NOT NULL,     -- P(recruited as a panel household)
    pi_reserve      DOUBLE NOT NULL,     -- P(recruited as a reserve household)
    replaces        BIGINT,              -- the household this replacement stands in for
    match_level     INTEGER,             -- 0 same cell .. 3 any district (panel.replacement)
    match_flag      VARCHAR,             -- the match quality in words
    joined_wave     INTEGER              -- first wave the household takes part in (set by waves)
);

-- Every status change and move: who, when, why and the previous state. Append-only.
CREATE SEQUENCE panel_status_history_seq START 1;
CREATE TABLE panel_status_history (
    history_id        BIGINT PRIMARY KEY DEFAULT nextval('panel_status_history_seq'),
    household_id      BIGINT NOT NULL,
    previous_status   VARCHAR,           -- NULL for the entry made at recruitment
    status            VARCHAR NOT NULL,
    previous_district VARCHAR,
    district_code     VARCHAR NOT NULL,
    changed_at        TIMESTAMP NOT NULL,
    changed_by        VARCHAR NOT NULL,
    reason            VARCHAR NOT NULL
);
