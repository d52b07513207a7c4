-- Staff sign-in sessions, kept in the database so that a reload, a bookmark or a new tab stays
-- signed in, and a sign-out or an expiry ends the session everywhere (data/staff_sessions.py).
-- The browser holds a random token in an HttpOnly cookie; only its SHA-256 is stored here.
CREATE SEQUENCE staff_session_seq START 1;
CREATE TABLE staff_sessions (
    session_id         BIGINT PRIMARY KEY DEFAULT nextval('staff_session_seq'),
    user_id            BIGINT NOT NULL,
    token_hash         VARCHAR,            -- SHA-256 of the cookie's token (set when the browser takes it)
    handoff_hash       VARCHAR,            -- SHA-256 of the one-time nonce that hands the cookie over
    handoff_expires_at TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    last_seen_at       TIMESTAMP NOT NULL,
    expires_at         TIMESTAMP NOT NULL, -- the absolute end, whatever the activity
    ended_at           TIMESTAMP,
    ended_why          VARCHAR             -- sign_out | idle | expired | account_changed
);
