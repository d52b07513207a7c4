"""Back-off for failed attempts from one client address: guessing costs the attacker time.

Why: the account lock-out (five wrong passwords lock an account for 15 minutes) would let
anyone lock any account, over and over, with five requests. So failures are also counted per
client address: the first ``free_failures`` in a ``window`` cost nothing; each further one
blocks the address for ``base_block`` doubled with every failure, up to ``max_block``
(OWASP's "exponential back-off per source"). An address must therefore spend ever longer
waits to keep failing, and locking an account again after its lock expires takes far longer
than the lock lasts. A blocked address's attempts are refused without checking anything.

The same mechanism guards the respondents' access codes (:func:`access_code_policy`): each
kind of attempt is counted under its own key (``sign_in:<address>``,
``access_code:<address>``), so a respondent's typing errors never block a member of staff's
sign-in from the same address, nor the other way round. Each kind has its policy:
:data:`SIGN_IN_POLICY` is fixed; the access codes' is set by ``SEOUL_CODE_*`` settings
(many respondents may share one address behind a mobile carrier's NAT).

The counts live in the database (``sign_in_throttle``), so every app process sees them; the
window restarts after ``window`` without failures. A success does not clear an address's
count (an attacker holding one account or one code could otherwise reset it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from data.config import setting
from data.store import Store, Transaction


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures from one address are free in a window, and how long blocks last."""

    window: timedelta
    free_failures: int
    base_block: timedelta
    max_block: timedelta


WINDOW = timedelta(minutes=15)
FREE_FAILURES = 10
BASE_BLOCK = timedelta(seconds=30)
MAX_BLOCK = timedelta(hours=1)
SIGN_IN_POLICY = ThrottlePolicy(WINDOW, FREE_FAILURES, BASE_BLOCK, MAX_BLOCK)


def access_code_policy() -> ThrottlePolicy:
    """The respondents' access-code back-off, from ``SEOUL_CODE_FREE_FAILURES``,
    ``SEOUL_CODE_BLOCK_SECONDS`` and ``SEOUL_CODE_MAX_BLOCK_MINUTES`` (the window is 15 min)."""
    values = {}
    for name in (
        "SEOUL_CODE_FREE_FAILURES",
        "SEOUL_CODE_BLOCK_SECONDS",
        "SEOUL_CODE_MAX_BLOCK_MINUTES",
    ):
        text = setting(name).strip()
        try:
            values[name] = float(text)
        except ValueError as exc:
            raise ValueError(f"{name} must be a number, got {text!r}") from exc
        if values[name] < 0 or (name != "SEOUL_CODE_FREE_FAILURES" and values[name] <= 0):
            raise ValueError(f"{name} must be positive, got {text!r}")
    return ThrottlePolicy(
        WINDOW,
        int(values["SEOUL_CODE_FREE_FAILURES"]),
        timedelta(seconds=values["SEOUL_CODE_BLOCK_SECONDS"]),
        timedelta(minutes=values["SEOUL_CODE_MAX_BLOCK_MINUTES"]),
    )


@dataclass(frozen=True)
class Throttle:
    """Where an address stands: failures in the window and until when it is blocked."""

    failures: int
    blocked_until: datetime | None

    def blocked(self, now: datetime) -> bool:
        return self.blocked_until is not None and self.blocked_until > now


def block_for(failures: int, policy: ThrottlePolicy = SIGN_IN_POLICY) -> timedelta:
    """How long an address is blocked after its ``failures``-th failure in a window."""
    if failures <= policy.free_failures:
        return timedelta(0)
    doubled = policy.base_block * (2 ** min(failures - policy.free_failures - 1, 16))
    return min(doubled, policy.max_block)


def _key(kind: str, address: str) -> str:
    return f"{kind}:{address[:100]}"


def throttle_of(
    store: Store,
    kind: str,
    address: str | None,
    now: datetime,
    policy: ThrottlePolicy = SIGN_IN_POLICY,
) -> Throttle:
    """The address's current standing (no address: never throttled)."""
    if not address:
        return Throttle(0, None)
    row = store.rows(
        "SELECT failures, window_start, blocked_until FROM sign_in_throttle WHERE key = ?",
        [_key(kind, address)],
    )
    if not row or row[0][1] + policy.window <= now and not _still_blocked(row[0][2], now):
        return Throttle(0, None)
    return Throttle(int(row[0][0]), row[0][2])


def wait_seconds(
    store: Store,
    kind: str,
    address: str | None,
    now: datetime,
    policy: ThrottlePolicy = SIGN_IN_POLICY,
) -> int:
    """Seconds the address must wait before its next attempt of ``kind`` is checked (0: none)."""
    standing = throttle_of(store, kind, address, now, policy)
    if not standing.blocked(now):
        return 0
    return seconds_until(standing.blocked_until, now)


def seconds_until(blocked_until: datetime | None, now: datetime) -> int:
    """Whole seconds (at least 1) until ``blocked_until``; 0 when it is not in the future."""
    if blocked_until is None or blocked_until <= now:
        return 0
    return max(1, int((blocked_until - now).total_seconds() + 0.999))


def _still_blocked(blocked_until: datetime | None, now: datetime) -> bool:
    return blocked_until is not None and blocked_until > now


def record_failure(
    tx: Transaction,
    kind: str,
    address: str | None,
    now: datetime,
    policy: ThrottlePolicy = SIGN_IN_POLICY,
) -> Throttle:
    """Inside the caller's transaction: count one failure from the address; its standing."""
    if not address:
        return Throttle(0, None)
    key = _key(kind, address)
    row = tx.execute(
        "SELECT failures, window_start, blocked_until FROM sign_in_throttle WHERE key = ?", [key]
    ).fetchone()
    if row is None or (row[1] + policy.window <= now and not _still_blocked(row[2], now)):
        failures, start = 1, now
    else:
        failures, start = int(row[0]) + 1, row[1]
    wait = block_for(failures, policy)
    blocked_until = now + wait if wait else None
    tx.execute(
        "INSERT INTO sign_in_throttle (key, failures, window_start, blocked_until)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
        " window_start = excluded.window_start, blocked_until = excluded.blocked_until",
        [key, failures, start, blocked_until],
    )
    return Throttle(failures, blocked_until)
