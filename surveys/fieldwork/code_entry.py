"""A typed or linked access code at the door: audited when refused, and throttled per address.

Why: a wrong code used to leave no trace and cost nothing (50 guesses in 0.05 s). Guessing a
130-bit code is hopeless, but probing should still be seen and slowed: every refused code is
written to the audit log — never as typed, only as a marked prefix of its SHA-256
(``code:<16 hex>``, as :func:`data.accounts.unknown_name` does for user names) with the
client's address — and wrong codes count against the address in the same back-off as staff
sign-in (:mod:`data.throttle`), under a kind of their own (``access_code``) and the
``SEOUL_CODE_*`` policy. A blocked address is refused without its code being looked up, even
a right one, and is told how long to wait.

Only codes that open nothing count against the address (``malformed``, ``unknown``): a
revoked or expired code, or one of a closed survey, is a real code in its holder's hands;
those refusals are audited, not throttled. The respondent page and the interviewer's
household entry both come through :func:`open_invitation`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from data.audit import record_event
from data.store import Store, Transaction
from data.text import Text
from data.throttle import access_code_policy, record_failure, seconds_until, wait_seconds
from data.transactions import in_transaction
from surveys.fieldwork.access_codes import normalize
from surveys.fieldwork.invitations import CodeRefused, Invitation, find_invitation

ACCESS_CODE = "access_code"  # the throttle's kind of attempt
COUNTED = ("malformed", "unknown")  # refusals that count against the address
MAX_TYPED = 64  # the code field's own limit; a longer link token is cut before hashing


class CodeThrottled(CodeRefused):
    """Too many wrong codes from this address: refused unchecked, with the wait in seconds."""

    def __init__(self, wait: int, text: Text, reason: str = "throttled"):
        super().__init__(reason, text)
        self.wait = wait


def typed_code_name(typed: str) -> str:
    """How the audit log names a code someone typed: ``code:`` and 16 hex digits of the
    SHA-256 of the code as it would be looked up (or of what was typed, when it cannot be
    a code) — enough to see the same wrong code come back, never the code itself."""
    text = (typed or "")[:MAX_TYPED]
    digest = hashlib.sha256((normalize(text) or text.strip()).encode("utf-8", "replace"))
    return f"code:{digest.hexdigest()[:16]}"


def wait_words(seconds: int) -> tuple[str, str]:
    """A wait as people say it: (Korean, English)."""
    if seconds < 60:
        return f"{seconds}초", f"{seconds} seconds"
    minutes = -(-seconds // 60)
    return f"약 {minutes}분", f"about {minutes} minute{'s' if minutes > 1 else ''}"


def _throttled(wait: int, refused: CodeRefused | None = None) -> CodeThrottled:
    ko, en = wait_words(wait)
    text = Text(
        f"접속 코드를 여러 번 잘못 입력하셨습니다. {ko} 뒤에 다시 입력해 주세요.",
        f"Too many wrong access codes from this device. Please try again in {en}.",
    )
    if refused is None:
        return CodeThrottled(wait, text)
    return CodeThrottled(
        wait,
        Text(f"{refused.text.ko} {text.ko}", f"{refused.text.en} {text.en}"),
        reason=refused.reason,
    )


def open_invitation(
    store: Store,
    typed: str,
    *,
    address: str | None,
    actor: str = "respondent",
    mode: str = "web",
    now: datetime | None = None,
) -> Invitation:
    """The invitation a typed or linked code opens; every refusal audited, wrong codes
    throttled per client ``address`` (None: not known, never throttled).

    Raises :class:`CodeRefused` saying why — :class:`CodeThrottled`, with the wait, when the
    address is blocked (then the code is not looked up at all) or this wrong code blocked it.
    """
    now = now or datetime.now()
    policy = access_code_policy()
    name = typed_code_name(typed)
    seen = {"mode": mode} if address is None else {"mode": mode, "address": address}
    wait = wait_seconds(store, ACCESS_CODE, address, now, policy)
    if wait:
        detail = {"why": "throttled", "wait_seconds": wait, **seen}
        in_transaction(
            store, lambda tx: record_event(tx, actor, "access_code_refused", name, detail)
        )
        raise _throttled(wait)
    try:
        return find_invitation(store, (typed or "")[:MAX_TYPED], now=now)
    except CodeRefused as refused:
        reason = refused.reason
        blocked = in_transaction(
            store, lambda tx: _record_refusal(tx, reason, actor, name, seen, address, now)
        )
        if blocked:
            raise _throttled(blocked, refused) from refused
        raise


def _record_refusal(
    tx: Transaction,
    reason: str,
    actor: str,
    name: str,
    seen: dict[str, str],
    address: str | None,
    now: datetime,
) -> int:
    """Inside one transaction: the refusal's audit event and, for a code that opens nothing,
    its failure against the address; the seconds the address is now blocked (0: none)."""
    detail: dict[str, object] = {"why": reason, **seen}
    blocked = 0
    if reason in COUNTED:
        standing = record_failure(tx, ACCESS_CODE, address, now, access_code_policy())
        detail["failures"] = standing.failures
        blocked = seconds_until(standing.blocked_until, now)
        if blocked:
            detail["address_blocked_seconds"] = blocked
    record_event(tx, actor, "access_code_refused", name, detail)
    return blocked
