"""Back-off for failed attempts from one client address: guessing costs the attacker time.

Why: the account lock-out (five wrong passwords lock an account for 15 minutes) would let
anyone lock any account, over and over, with five requests. So failures are also counted per
client address: the first ``FREE_FAILURES`` in a ``WINDOW`` cost nothing; each further one
blocks the address for ``BASE_BLOCK`` doubled with every failure, up to ``MAX_BLOCK``
(OWASP's "exponential back-off per source"). An address must therefore spend ever longer
waits to keep failing, and locking an account again after its lock expires takes far longer
than the lock lasts. A blocked address's attempts are refused without checking anything.

The counts live in the database (``sign_in_throttle``), so every app process sees them; the
window restarts after ``WINDOW`` without failures. A success does not clear an address's
count (an attacker holding one account could otherwise reset it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from data.store import Store, Transaction

WINDOW = timedelta(minutes=15)
FREE_FAILURES = 10
BASE_BLOCK = timedelta(seconds=30)
MAX_BLOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Throttle:
    """Where an address stands: failures in the window and until when it is blocked."""

    failures: int
    blocked_until: datetime | None

    def blocked(self, now: datetime) -> bool:
        return self.blocked_until is not None and self.blocked_until > now


def block_for(failures: int) -> timedelta:
    """How long an address is blocked after its ``failures``-th failure in a window."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    doubled = BASE_BLOCK * (2 ** min(failures - FREE_FAILURES - 1, 16))
    return min(doubled, MAX_BLOCK)


def _key(kind: str, address: str) -> str:
    return f"{kind}:{address[:100]}"


def throttle_of(store: Store, kind: str, address: str | None, now: datetime) -> Throttle:
    """The address's current standing (no address: never throttled)."""
    if not address:
        return Throttle(0, None)
    row = store.rows(
        "SELECT failures, window_start, blocked_until FROM sign_in_throttle WHERE key = ?",
        [_key(kind, address)],
    )
    if not row or row[0][1] + WINDOW <= now and not _still_blocked(row[0][2], now):
        return Throttle(0, None)
    return Throttle(int(row[0][0]), row[0][2])


def _still_blocked(blocked_until: datetime | None, now: datetime) -> bool:
    return blocked_until is not None and blocked_until > now


def record_failure(tx: Transaction, kind: str, address: str | None, now: datetime) -> Throttle:
    """Inside the caller's transaction: count one failure from the address; its standing."""
    if not address:
        return Throttle(0, None)
    key = _key(kind, address)
    row = tx.execute(
        "SELECT failures, window_start, blocked_until FROM sign_in_throttle WHERE key = ?", [key]
    ).fetchone()
    if row is None or (row[1] + WINDOW <= now and not _still_blocked(row[2], now)):
        failures, start = 1, now
    else:
        failures, start = int(row[0]) + 1, row[1]
    wait = block_for(failures)
    blocked_until = now + wait if wait else None
    tx.execute(
        "INSERT INTO sign_in_throttle (key, failures, window_start, blocked_until)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
        " window_start = excluded.window_start, blocked_until = excluded.blocked_until",
        [key, failures, start, blocked_until],
    )
    return Throttle(failures, blocked_until)
