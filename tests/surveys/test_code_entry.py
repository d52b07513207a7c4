"""Wrong access codes leave a trace and cost time: audited (never in clear), throttled per address."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from data.throttle import access_code_policy, block_for, wait_seconds
from surveys.fieldwork.access_codes import ALPHABET, SYMBOLS
from surveys.fieldwork.code_entry import (
    ACCESS_CODE,
    CodeThrottled,
    open_invitation,
    typed_code_name,
)
from surveys.fieldwork.invitations import CodeRefused, revoke_codes

NOON = datetime(2026, 6, 1, 12, 0)
ATTACKER, NEIGHBOUR = "203.0.113.7", "198.51.100.4"


def _wrong(i: int) -> str:
    """A well-formed code nobody was given (a different one each time)."""
    digits = "".join(ALPHABET[(i >> (5 * k)) % 32] for k in range(4))
    return ("Z" * (SYMBOLS - 4)) + digits


def _refusals(store) -> list[dict]:
    rows = store.rows(
        "SELECT actor, target, detail FROM audit_log WHERE action = 'access_code_refused'"
        " ORDER BY event_id"
    )
    return [{"actor": a, "target": t, **json.loads(d)} for a, t, d in rows]


def test_fifty_wrong_codes_are_each_audited_then_throttled(field_survey):
    store = field_survey.store
    free = access_code_policy().free_failures
    refusals = []
    for i in range(50):
        with pytest.raises(CodeRefused) as refused:
            open_invitation(store, _wrong(i), address=ATTACKER, now=NOON + timedelta(seconds=i))
        refusals.append(refused.value)
    assert [r.reason for r in refusals[:free]] == ["unknown"] * free
    assert isinstance(refusals[free], CodeThrottled) and refusals[free].reason == "unknown"
    later = refusals[free + 1 :]
    assert later and all(isinstance(r, CodeThrottled) and r.reason == "throttled" for r in later)
    assert all(r.wait > 0 and "뒤에 다시" in r.message("ko") for r in later)
    assert "try again in" in later[0].message("en")

    events = _refusals(store)
    assert len(events) == 50  # every attempt leaves a trace
    assert {e["address"] for e in events} == {ATTACKER}
    assert [e["why"] for e in events[: free + 1]] == ["unknown"] * (free + 1)
    assert {e["why"] for e in events[free + 1 :]} == {"throttled"}
    # never the code itself: a marked hash prefix, the same for the same code however typed
    text = json.dumps(events)
    assert not any(_wrong(i) in text for i in range(50))
    assert (
        events[0]["target"]
        == typed_code_name(_wrong(0))
        == typed_code_name("-".join(_wrong(0)[i : i + 4] for i in range(0, SYMBOLS, 4)).lower())
    )
    assert events[0]["target"].startswith("code:") and len(events[0]["target"]) == 5 + 16


def test_a_blocked_address_is_refused_even_the_right_code_until_the_wait_is_over(field_survey):
    store, codes = field_survey.store, field_survey.codes
    free = access_code_policy().free_failures
    for i in range(free + 1):
        with pytest.raises(CodeRefused):
            open_invitation(store, _wrong(i), address=ATTACKER, now=NOON)
    right = codes.iloc[0]
    with pytest.raises(CodeThrottled):  # refused unchecked while blocked
        open_invitation(store, right["code_grouped"], address=ATTACKER, now=NOON)
    # another address is not affected, nor is staff sign-in from the attacker's address
    other = open_invitation(store, codes.iloc[1]["code"], address=NEIGHBOUR, now=NOON)
    assert other.household_id == codes.iloc[1]["household_id"]
    assert wait_seconds(store, "sign_in", ATTACKER, NOON) == 0
    # after the wait, the right code opens its household
    waited = NOON + block_for(free + 1, access_code_policy()) + timedelta(seconds=1)
    assert wait_seconds(store, ACCESS_CODE, ATTACKER, waited, access_code_policy()) == 0
    opened = open_invitation(store, right["code_grouped"], address=ATTACKER, now=waited)
    assert opened.household_id == right["household_id"]


def test_a_real_but_revoked_code_is_audited_without_counting_against_the_address(field_survey):
    store, codes = field_survey.store, field_survey.codes
    household = int(codes.iloc[2]["household_id"])
    revoke_codes(store, field_survey.survey_id, [household], actor="tester")
    for _ in range(access_code_policy().free_failures + 5):
        with pytest.raises(CodeRefused) as refused:
            open_invitation(store, codes.iloc[2]["code"], address=ATTACKER, now=NOON)
        assert refused.value.reason == "revoked" and not isinstance(refused.value, CodeThrottled)
    assert {e["why"] for e in _refusals(store)} == {"revoked"}


def test_without_a_known_address_wrong_codes_are_audited_but_not_throttled(field_survey):
    store = field_survey.store
    for i in range(30):
        with pytest.raises(CodeRefused) as refused:
            open_invitation(store, _wrong(i), address=None, actor="kim", mode="interviewer")
        assert not isinstance(refused.value, CodeThrottled)
    events = _refusals(store)
    assert len(events) == 30 and {e["actor"] for e in events} == {"kim"}
    assert {e["mode"] for e in events} == {"interviewer"} and "address" not in events[0]


def test_the_policy_comes_from_the_settings(monkeypatch):
    monkeypatch.setenv("SEOUL_CODE_FREE_FAILURES", "3")
    monkeypatch.setenv("SEOUL_CODE_BLOCK_SECONDS", "5")
    monkeypatch.setenv("SEOUL_CODE_MAX_BLOCK_MINUTES", "1")
    policy = access_code_policy()
    assert block_for(3, policy) == timedelta(0)
    assert block_for(4, policy) == timedelta(seconds=5)
    assert block_for(40, policy) == timedelta(minutes=1)
    monkeypatch.setenv("SEOUL_CODE_BLOCK_SECONDS", "soon")
    with pytest.raises(ValueError, match="SEOUL_CODE_BLOCK_SECONDS"):
        access_code_policy()
