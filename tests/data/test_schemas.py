"""Every stored table's schema accepts good records and refuses bad ones with the right reason."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.accounts import hash_password
from data.reference import codes_from_store
from data.schemas import (
    audit_event_schema,
    frame_household_contacts_schema,
    frame_households_schema,
    frame_person_contacts_schema,
    frame_persons_schema,
    quarantine_schema,
    staff_user_schema,
)
from data.validation import ReasonCode, validate_frame


@pytest.fixture
def codes(store):
    return codes_from_store(store)


GOOD_HOUSEHOLD = {
    "household_id": "1",
    "district_code": "11110",
    "ea_id": "11110-0001",
    "household_size": "2",
    "household_type": "2",
    "head_age_band": "3",
    "income_bracket": "5",
    "housing_type": "2",
}
GOOD_PERSON = {
    "person_id": "1",
    "household_id": "1",
    "member_no": "1",
    "relation": "1",
    "sex": "2",
    "birth_year": "1980",
}

HOUSEHOLD_BREAKS = {
    "district_code": ("99999", ReasonCode.INVALID_CODE),
    "ea_id": ("EA-1", ReasonCode.BAD_FORMAT),
    "household_size": ("0", ReasonCode.OUT_OF_RANGE),
    "household_type": ("9", ReasonCode.INVALID_CODE),
    "income_bracket": ("", ReasonCode.MISSING),
    "housing_type": ("apartment", ReasonCode.WRONG_TYPE),
}


@pytest.mark.parametrize("column", sorted(HOUSEHOLD_BREAKS))
def test_frame_household_with_one_bad_cell_is_refused_for_that_cell(codes, column):
    value, code = HOUSEHOLD_BREAKS[column]
    good = pd.DataFrame([GOOD_HOUSEHOLD, {**GOOD_HOUSEHOLD, "household_id": "2", column: value}])
    result = validate_frame(good, frame_households_schema(codes))
    assert result.valid["household_id"].tolist() == [1]
    assert code in {r.code for r in result.reasons[1] if r.column == column}


def test_enumeration_area_outside_the_household_district_breaks_a_rule(codes):
    raw = pd.DataFrame([{**GOOD_HOUSEHOLD, "ea_id": "11140-0001"}])
    result = validate_frame(raw, frame_households_schema(codes))
    assert [r.code for r in result.reasons[0]] == [ReasonCode.RULE]
    assert "조사구" in result.reasons[0][0].message_ko


def test_frame_person_born_in_the_future_is_refused(codes):
    raw = pd.DataFrame([{**GOOD_PERSON, "birth_year": "2031"}])
    result = validate_frame(raw, frame_persons_schema(codes, 2026))
    assert result.reasons[0][0].code is ReasonCode.OUT_OF_RANGE


def test_contacts_need_a_seoul_address_and_well_formed_phones():
    households = pd.DataFrame(
        [
            {
                "household_id": "1",
                "address": "서울특별시 종로구 세종대로 1",
                "postal_code": "03154",
                "phone": "02-123-4567",
            },
            {
                "household_id": "2",
                "address": "부산광역시 중구 1",
                "postal_code": "48999",
                "phone": "051-1",
            },
        ]
    )
    result = validate_frame(households, frame_household_contacts_schema())
    assert len(result.valid) == 1 and len(result.reasons[1]) == 3
    persons = pd.DataFrame(
        [
            {"person_id": "1", "name": "김민준", "mobile": "010-1234-5678"},
            {"person_id": "2", "name": "Kim", "mobile": ""},
        ]
    )
    result = validate_frame(persons, frame_person_contacts_schema())
    assert len(result.valid) == 1
    assert [r.code for r in result.reasons[1]] == [ReasonCode.BAD_FORMAT]


def test_staff_user_needs_a_known_role_and_an_argon2_hash():
    raw = pd.DataFrame(
        [
            {
                "username": "kim.stat",
                "display_name": "김",
                "role": "statistician",
                "password_hash": hash_password("long-enough-1"),
            },
            {"username": "x", "display_name": "이", "role": "boss", "password_hash": "plain"},
        ]
    )
    result = validate_frame(raw, staff_user_schema())
    assert len(result.valid) == 1
    assert {r.code for r in result.reasons[1]} == {ReasonCode.BAD_FORMAT, ReasonCode.INVALID_CODE}


def test_audit_and_quarantine_records_are_checked():
    audit = pd.DataFrame([{"actor": "admin", "action": "Login!", "target": None, "detail": "{}"}])
    assert validate_frame(audit, audit_event_schema()).reasons[0][0].code is ReasonCode.BAD_FORMAT
    held = pd.DataFrame(
        [{"source": "x", "batch_id": "b", "raw_record": "{}", "reasons": "[]", "status": "lost"}]
    )
    assert validate_frame(held, quarantine_schema()).reasons[0][0].code is ReasonCode.INVALID_CODE


anything = st.one_of(
    st.none(), st.text(max_size=10), st.integers(-(10**9), 10**9).map(str), st.floats().map(str)
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(GOOD_PERSON)), anything, min_size=1))
def test_random_damage_to_a_person_is_refused_with_reasons_never_a_crash(damage):
    from data.schemas import ReferenceCodes

    codes = ReferenceCodes(
        frozenset({"11110"}), {"relations": frozenset(range(1, 10)), "sex": frozenset({1, 2})}
    )
    raw = pd.DataFrame([{**GOOD_PERSON, **damage}])
    result = validate_frame(raw, frame_persons_schema(codes, 2026))
    if result.valid.empty:
        assert result.reasons.get(0) or result.batch_reasons
    else:
        row = result.valid.iloc[0]
        assert row["sex"] in (1, 2) and 1916 <= row["birth_year"] <= 2026
