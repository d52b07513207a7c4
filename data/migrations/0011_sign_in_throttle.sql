-- Failed sign-ins per client address, for the back-off that makes guessing (and locking other
-- people's accounts) cost the attacker time (data/throttle.py).
CREATE TABLE sign_in_throttle (
    key           VARCHAR PRIMARY KEY,  -- 'address:<client address>'
    failures      INTEGER NOT NULL,     -- failures in the current window
    window_start  TIMESTAMP NOT NULL,   -- the window's first failure
    blocked_until TIMESTAMP             -- no attempt is checked before this
);
