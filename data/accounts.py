"""Staff accounts and roles: argon2id password hashes, lock-out, audited logins.

Respondents never have accounts (they enter with access codes); staff do.
Five roles, each a set of pages in the app. Passwords are hashed with argon2id
(``argon2-cffi``, RFC 9106 parameters). Five failed sign-ins in a row lock an
account for 15 minutes: each attempt is counted in the same transaction that checks
the lock, before its password is checked, so no burst of simultaneous attempts checks
more than five. Failures also put the client address in back-off (:mod:`data.throttle`),
so that locking other people out costs the attacker. Every refusal takes the time of one
password check. Every sign-in and failed sign-in goes to the audit log, an unknown user
name only as a marked hash.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from data.audit import record_event
from data.store import Store, Transaction
from data.text import Refusal, Text
from data.throttle import record_failure, throttle_of, wait_seconds

ADMIN = "admin"
SURVEY_MANAGER = "survey_manager"
PANEL_OPERATOR = "panel_operator"
STATISTICIAN = "statistician"
INTERVIEWER = "interviewer"

ROLES: dict[str, Text] = {
    ADMIN: Text("관리자", "Administrator"),
    SURVEY_MANAGER: Text("조사 관리자", "Survey manager"),
    PANEL_OPERATOR: Text("패널 운영자", "Panel operator"),
    STATISTICIAN: Text("통계 분석가", "Statistician"),
    INTERVIEWER: Text("현장 조사원", "Field interviewer"),
}

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = r"^[a-z][a-z0-9_.-]{2,31}$"
MAX_NAME_LENGTH = 64  # longer input is cut before anything looks at it
MAX_PASSWORD_LENGTH = 256
SIGN_IN = "sign_in"  # the throttle's kind of attempt

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    """A signed-in staff member."""

    user_id: int
    username: str
    display_name: str
    role: str
    must_change_password: bool


class AccountError(Refusal, ValueError):
    """A refused account operation: ``reason`` (``"wrong_password"``…) and its ``text``."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short or all one kind of character."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password_too_short",
            Text(
                f"비밀번호는 {MIN_PASSWORD_LENGTH}자 이상이어야 합니다.",
                f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        )
    if password.isdigit() or password.isalpha():
        raise AccountError(
            "password_too_simple",
            Text(
                "비밀번호에 글자와 숫자(또는 기호)를 함께 쓰세요.",
                "Use letters together with digits or symbols in the password.",
            ),
        )


def generate_password() -> str:
    """A one-time password (about 96 bits), readable when printed, that meets the rules.

    A random token is all letters now and then (about one in thirty); such a token is
    drawn again, so the first administrator of a new database is always created.
    """
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password_rules(password)
        except AccountError:
            continue
        return password


def create_user(
    store: Store,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str | None = None,
    must_change_password: bool = False,
    actor: str = "system",
    enforce_rules: bool = True,
) -> int:
    """Create a staff account; return its id."""
    username = username.strip().lower()
    if not re.match(USERNAME_PATTERN, username):
        raise AccountError(
            "bad_username",
            Text(
                "사용자 이름은 영문 소문자로 시작하고 3~32자의 영문 소문자·숫자·_.- 만 쓸 수 있습니다.",
                "User names start with a lowercase letter and have 3–32 of a-z, 0-9, _ . -",
            ),
        )
    if role not in ROLES:
        raise AccountError(
            "unknown_role", Text(f"알 수 없는 역할입니다: {role}", f"Unknown role: {role}")
        )
    if enforce_rules:
        check_password_rules(password)
    hashed = hash_password(password)

    def work(cur: Transaction) -> int:
        exists = cur.execute("SELECT 1 FROM staff_users WHERE username = ?", [username]).fetchone()
        if exists:
            raise AccountError(
                "user_exists",
                Text(
                    f"사용자 이름 '{username}' 은(는) 이미 있습니다.",
                    f"User '{username}' already exists.",
                ),
            )
        user_id = cur.execute(
            "INSERT INTO staff_users (username, display_name, role, password_hash,"
            " must_change_password) VALUES (?, ?, ?, ?, ?) RETURNING user_id",
            [username, display_name or username, role, hashed, must_change_password],
        ).fetchone()[0]
        record_event(cur, actor, "user_created", username, {"role": role})
        return int(user_id)

    return store.write(work)


@dataclass(frozen=True)
class _Claim:
    """An account's row as a sign-in attempt found it, and whether its password is checked."""

    user_id: int
    username: str
    display_name: str
    role: str
    password_hash: str
    must_change_password: bool
    checked: bool  # False: inactive or locked — refused without looking at the password
    why: str
    attempt: int = 0
    locked_until: datetime | None = None


def _claim(cur: Transaction, username: str, now: datetime) -> _Claim | None:
    """Inside one transaction: count this attempt against the account before checking it.

    The attempt is counted as failed up front (the count rises atomically with the lock
    check), so at most ``MAX_FAILED_ATTEMPTS`` passwords are ever checked before the lock;
    a success resets the count. An expired lock starts the count again.
    """
    row = cur.execute(
        "SELECT user_id, username, display_name, role, password_hash, must_change_password,"
        " active, failed_attempts, locked_until FROM staff_users WHERE username = ?",
        [username],
    ).fetchone()
    if row is None:
        return None
    user_id, name, display, role, hashed, must_change, active, failed, locked_until = row
    account = (int(user_id), name, display, role, hashed, bool(must_change))
    if not active:
        return _Claim(*account, checked=False, why="inactive")
    if locked_until is not None and locked_until > now:
        return _Claim(*account, checked=False, why="locked", locked_until=locked_until)
    attempt = 1 if locked_until is not None else int(failed) + 1
    lock = now + timedelta(minutes=LOCK_MINUTES) if attempt >= MAX_FAILED_ATTEMPTS else None
    cur.execute(
        "UPDATE staff_users SET failed_attempts = ?, locked_until = ? WHERE user_id = ?",
        [attempt, lock, user_id],
    )
    return _Claim(*account, checked=True, why="wrong password", attempt=attempt, locked_until=lock)


def unknown_name(username: str) -> str:
    """How the audit log names an unknown user name: marked and hashed, never as typed (it
    may be a password typed into the wrong field, or a megabyte of junk)."""
    digest = hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:16]
    return f"unknown:{digest}"


def authenticate(
    store: Store,
    username: str,
    password: str,
    *,
    address: str | None = None,
    now: datetime | None = None,
) -> User | None:
    """Check a sign-in; record it (or the failure) in the audit log.

    Returns the user, or None for a wrong name or password, an inactive or locked account,
    or a client address in back-off (:mod:`data.throttle`) — the message shown is the same.
    Every refusal costs the same time (one argon2 check, against a stand-in hash when there
    is no password to check), so names cannot be probed by timing. Failures count against
    the account (lock-out after ``MAX_FAILED_ATTEMPTS``, atomically, under any concurrency)
    and against the client ``address``.
    """
    now = now or datetime.now()
    username = (username or "")[:MAX_NAME_LENGTH].strip().lower()
    password = (password or "")[:MAX_PASSWORD_LENGTH]
    if throttle_of(store, SIGN_IN, address, now).blocked(now):
        return None  # refused unchecked: the sign-in page says how long to wait
    claim = store.write(lambda cur: _claim(cur, username, now))
    correct = _verify(claim.password_hash if claim and claim.checked else _stand_in(), password)
    if claim is not None and claim.checked and correct:
        rehash = _hasher.check_needs_rehash(claim.password_hash)

        def succeed(cur: Transaction) -> None:
            cur.execute(
                "UPDATE staff_users SET failed_attempts = 0, locked_until = NULL,"
                " last_login_at = ? WHERE user_id = ?",
                [now, claim.user_id],
            )
            if rehash:
                cur.execute(
                    "UPDATE staff_users SET password_hash = ? WHERE user_id = ?",
                    [hash_password(password), claim.user_id],
                )
            record_event(cur, claim.username, "login", claim.username, {"role": claim.role})

        store.write(succeed)
        return User(claim.user_id, claim.username, claim.display_name, claim.role,
                    claim.must_change_password)  # fmt: skip

    def fail(cur: Transaction) -> None:
        if claim is None:
            name = unknown_name(username)
            detail: dict[str, Any] = {"why": "unknown user", "name_length": len(username)}
        else:
            name = claim.username
            detail = {"why": claim.why}
            if claim.checked:
                detail["failed_attempts"] = claim.attempt
            if claim.locked_until is not None:
                detail["locked_until"] = claim.locked_until.isoformat(timespec="seconds")
        standing = record_failure(cur, SIGN_IN, address, now)
        if standing.blocked_until is not None:
            detail["address_blocked_until"] = standing.blocked_until.isoformat(timespec="seconds")
        record_event(cur, name, "login_failed", name, detail)

    store.write(fail)
    return None


def sign_in_wait(store: Store, address: str | None, now: datetime | None = None) -> int:
    """Seconds a client address must wait before its next sign-in is checked (0: none)."""
    return wait_seconds(store, SIGN_IN, address, now or datetime.now())


@functools.cache
def _stand_in() -> str:
    """An argon2 hash of nothing anyone types: checked when there is no password to check."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def change_password(
    store: Store,
    username: str,
    old_password: str,
    new_password: str,
    *,
    keep_session: int | None = None,
) -> None:
    """Change one's own password (the old one must be right).

    Every other sign-in of the account ends (``keep_session``: the one making the change).
    """
    row = store.rows("SELECT password_hash FROM staff_users WHERE username = ?", [username])
    if not row or not _verify(row[0][0], old_password):
        raise AccountError(
            "wrong_password",
            Text("현재 비밀번호가 맞지 않습니다.", "The current password is wrong."),
        )
    if old_password == new_password:
        raise AccountError(
            "same_password",
            Text(
                "새 비밀번호가 현재 비밀번호와 같습니다.",
                "The new password is the same as the old one.",
            ),
        )
    check_password_rules(new_password)
    _set_password(
        store, username, new_password, must_change=False, actor=username, keep=keep_session
    )


def reset_password(store: Store, username: str, actor: str) -> str:
    """An admin sets a new one-time password; the user must change it at next login."""
    password = generate_password()
    _set_password(store, username, password, must_change=True, actor=actor)
    return password


def _set_password(
    store: Store,
    username: str,
    password: str,
    *,
    must_change: bool,
    actor: str,
    keep: int | None = None,
) -> None:
    hashed = hash_password(password)

    def work(cur: Transaction) -> None:
        found = cur.execute(
            "UPDATE staff_users SET password_hash = ?, must_change_password = ?,"
            " failed_attempts = 0, locked_until = NULL WHERE username = ? RETURNING user_id",
            [hashed, must_change, username],
        ).fetchone()
        if not found:
            raise AccountError(
                "no_such_user",
                Text(f"사용자 '{username}' 이(가) 없습니다.", f"No user '{username}'."),
            )
        end_user_sessions(cur, username, "password_changed", keep=keep)
        record_event(
            cur, actor, "password_changed" if actor == username else "password_reset", username
        )

    store.write(work)


def set_active(store: Store, username: str, active: bool, actor: str) -> None:
    """Deactivate or reactivate an account (accounts are never deleted: the audit log names them)."""
    if username == actor and not active:
        raise AccountError(
            "own_account",
            Text("자기 계정은 비활성화할 수 없습니다.", "You cannot deactivate your own account."),
        )

    def work(cur: Transaction) -> None:
        cur.execute("UPDATE staff_users SET active = ? WHERE username = ?", [active, username])
        if not active:
            end_user_sessions(cur, username, "account_changed")
        record_event(cur, actor, "user_activated" if active else "user_deactivated", username)

    store.write(work)


def end_user_sessions(cur: Transaction, username: str, why: str, *, keep: int | None = None) -> int:
    """Inside the caller's transaction: end every live sign-in of an account but ``keep``.

    Called when an account is deactivated or its password is changed or reset, so an
    older sign-in elsewhere cannot go on (``data.staff_sessions``). Returns how many ended.
    """
    ended = cur.execute(
        "UPDATE staff_sessions SET ended_at = ?, ended_why = ?, handoff_hash = NULL"
        " WHERE ended_at IS NULL AND session_id <> ? AND user_id ="
        " (SELECT user_id FROM staff_users WHERE username = ?) RETURNING session_id",
        [datetime.now(), why, -1 if keep is None else int(keep), username],
    ).fetchall()
    return len(ended)


def list_users(store: Store):
    return store.query(
        "SELECT username, display_name, role, active, must_change_password, failed_attempts,"
        " locked_until, created_at, last_login_at FROM staff_users ORDER BY username"
    )
