"""Staff sign-in sessions that live in the database, not in one browser tab or one process.

Why: a reload, a bookmark or a new tab must not sign a member of staff out, and a
sign-out or an expiry must end the sign-in everywhere at once. So a sign-in is a row
of ``staff_sessions``; the browser holds only a random 256-bit token in an HttpOnly,
SameSite=Strict cookie, and the database keeps the token's SHA-256 (a stolen copy of
the table signs nobody in). Every page resolves the session again (:func:`resolve`):
the account is re-read each time — inactive accounts, changed roles and a new
password take effect on the next click — and two limits end it:

- **idle**: no action for ``SessionPolicy.idle_minutes`` (``SEOUL_SESSION_IDLE_MINUTES``);
- **absolute**: ``SessionPolicy.max_hours`` after the sign-in (``SEOUL_SESSION_HOURS``).

The cookie reaches the browser by a one-time **handoff**: the sign-in page (a Streamlit
script, which cannot set an HttpOnly cookie) creates the session with a handoff nonce of
256 bits, valid for two minutes; the page's script posts the nonce to the server's
``/auth/session`` route, which redeems it once (:func:`redeem_handoff`) for the token and
sets the cookie. The tab that signed in is already signed in by the session's id, kept in
the server-side Streamlit session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from data.accounts import User
from data.audit import record_event
from data.config import SessionPolicy
from data.store import Store, Transaction

HANDOFF_SECONDS = 120
TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session
SIGN_OUT, IDLE, EXPIRED, ACCOUNT_CHANGED = "sign_out", "idle", "expired", "account_changed"


@dataclass(frozen=True)
class StartedSession:
    """A new session: its id (kept by the tab) and the handoff nonce (sent once to the browser)."""

    session_id: int
    handoff: str


@dataclass(frozen=True)
class StaffSession:
    """A live session and its account as the database has it now."""

    session_id: int
    user: User
    expires_at: datetime


@dataclass(frozen=True)
class Resolution:
    """What :func:`resolve` found: a live session, or why there is none (``ended_why``)."""

    session: StaffSession | None
    ended_why: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


def start_session(
    store: Store, user: User, policy: SessionPolicy, *, now: datetime | None = None
) -> StartedSession:
    """Open a session for a user who has just proved their password."""
    now = now or datetime.now()
    handoff = secrets.token_urlsafe(32)
    row = store.write(
        lambda cur: cur.execute(
            "INSERT INTO staff_sessions (user_id, handoff_hash, handoff_expires_at, created_at,"
            " last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING session_id",
            [
                user.user_id,
                _digest(handoff),
                now + timedelta(seconds=HANDOFF_SECONDS),
                now,
                now,
                now + timedelta(hours=policy.max_hours),
            ],
        ).fetchone()
    )
    return StartedSession(int(row[0]), handoff)


def redeem_handoff(store: Store, handoff: str, *, now: datetime | None = None) -> tuple[str, int]:
    """Exchange a handoff nonce, once, for the cookie's token; returns (token, seconds to live).

    Raises ``LookupError`` for an unknown, used or stale nonce or an ended session.
    """
    now = now or datetime.now()
    token = secrets.token_urlsafe(32)

    def work(cur: Transaction) -> datetime:
        found = cur.execute(
            "UPDATE staff_sessions SET token_hash = ?, handoff_hash = NULL,"
            " handoff_expires_at = NULL WHERE handoff_hash = ? AND handoff_expires_at > ?"
            " AND ended_at IS NULL AND expires_at > ? RETURNING expires_at",
            [_digest(token), _digest(handoff or ""), now, now],
        ).fetchone()
        if found is None:
            raise LookupError("unknown or used handoff")
        return found[0]

    expires_at = store.write(work)
    return token, max(1, int((expires_at - now).total_seconds()))


_SELECT = (
    "SELECT s.session_id, s.last_seen_at, s.expires_at, s.ended_at, s.ended_why, u.user_id,"
    " u.username, u.display_name, u.role, u.must_change_password, u.active"
    " FROM staff_sessions s JOIN staff_users u ON u.user_id = s.user_id WHERE "
)


def resolve(
    store: Store,
    policy: SessionPolicy,
    *,
    session_id: int | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> Resolution:
    """The live session of this tab (its id) or browser (its cookie's token), checked now.

    The session id wins over the token: it is the tab's own, newest sign-in. A session
    past its idle or absolute limit, or whose account was deactivated, is ended here and
    reported with the reason; an unknown token or id resolves to nothing.
    """
    now = now or datetime.now()
    if session_id is not None:
        rows = store.rows(_SELECT + "s.session_id = ?", [int(session_id)])
    elif token:
        rows = store.rows(_SELECT + "s.token_hash = ?", [_digest(token)])
    else:
        return Resolution(None)
    if not rows:
        return Resolution(None)
    sid, last_seen, expires_at, ended_at, ended_why, uid, name, display, role, must, active = rows[
        0
    ]
    if ended_at is not None:
        return Resolution(None, ended_why)
    why = None
    if not active:
        why = ACCOUNT_CHANGED
    elif now >= expires_at:
        why = EXPIRED
    elif now - last_seen >= timedelta(minutes=policy.idle_minutes):
        why = IDLE
    if why is not None:
        end_session(store, int(sid), why, actor=name, now=now)
        return Resolution(None, why)
    if now - last_seen >= timedelta(seconds=TOUCH_SECONDS):
        store.write(
            lambda cur: cur.execute(
                "UPDATE staff_sessions SET last_seen_at = ? WHERE session_id = ?", [now, sid]
            )
        )
    user = User(int(uid), name, display, role, bool(must))
    return Resolution(StaffSession(int(sid), user, expires_at))


def end_session(
    store: Store, session_id: int, why: str, *, actor: str, now: datetime | None = None
) -> None:
    """End one session (sign-out, idle, expiry); audited. Ending an ended session does nothing."""
    now = now or datetime.now()

    def work(cur: Transaction) -> None:
        ended = cur.execute(
            "UPDATE staff_sessions SET ended_at = ?, ended_why = ?, handoff_hash = NULL"
            " WHERE session_id = ? AND ended_at IS NULL RETURNING session_id",
            [now, why, int(session_id)],
        ).fetchone()
        if ended is not None:
            action = "sign_out" if why == SIGN_OUT else "session_ended"
            record_event(cur, actor, action, actor, {"session_id": int(session_id), "why": why})

    store.write(work)
