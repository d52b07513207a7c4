"""Access codes: unguessable, hashed at rest, forgiving to type, revoked when re-issued."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.fieldwork.access_codes import (
    ALPHABET,
    SYMBOLS,
    code_hash,
    grouped,
    new_code,
    normalize,
)
from surveys.fieldwork.invitations import (
    CodeRefused,
    find_invitation,
    issue_codes,
    letters,
    letters_csv,
    revoke_codes,
)
from surveys.opening import set_status


def test_codes_carry_at_least_128_random_bits_and_do_not_repeat():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert SYMBOLS * 5 >= 128 and all(len(c) == SYMBOLS for c in codes)
    assert set("".join(codes)) <= set(ALPHABET)


@given(st.text(alphabet=ALPHABET, min_size=SYMBOLS, max_size=SYMBOLS))
def test_typed_codes_are_forgiving_about_case_dashes_and_lookalikes(code):
    typed = grouped(code).lower().replace("0", "o").replace("1", "l")
    assert normalize(" " + typed + " ") == code


def test_only_the_hash_is_stored(field_survey):
    plain = set(field_survey.codes["code"])
    stored = {r[0] for r in field_survey.store.rows("SELECT code_hash FROM invitations")}
    assert not plain & stored
    assert {code_hash(c) for c in plain} <= stored


def test_a_code_opens_its_household(field_survey):
    row = field_survey.codes.iloc[3]
    invitation = find_invitation(field_survey.store, row["code_grouped"])
    assert invitation.household_id == row["household_id"] and invitation.member_no == 0


@pytest.mark.parametrize("typed, reason", [("not a code", "malformed"), ("A" * SYMBOLS, "unknown")])
def test_wrong_codes_are_refused_in_korean(field_survey, typed, reason):
    with pytest.raises(CodeRefused) as refused:
        find_invitation(field_survey.store, typed)
    assert refused.value.reason == reason and "코드" in refused.value.message("ko")


def test_reissuing_revokes_the_old_code(field_survey):
    household = int(field_survey.codes["household_id"].iloc[0])
    old = field_survey.codes["code"].iloc[0]
    new = issue_codes(field_survey.store, field_survey.survey_id, [household], actor="tester")
    with pytest.raises(CodeRefused) as refused:
        find_invitation(field_survey.store, old)
    assert refused.value.reason == "revoked"
    assert find_invitation(field_survey.store, new["code"].iloc[0]).household_id == household


def test_revoked_codes_and_closed_surveys_open_nothing(field_survey):
    household = int(field_survey.codes["household_id"].iloc[1])
    revoke_codes(field_survey.store, field_survey.survey_id, [household], actor="tester")
    with pytest.raises(CodeRefused):
        find_invitation(field_survey.store, field_survey.codes["code"].iloc[1])
    set_status(field_survey.store, field_survey.survey_id, "closed", actor="tester")
    with pytest.raises(CodeRefused) as refused:
        find_invitation(field_survey.store, field_survey.codes["code"].iloc[2])
    assert refused.value.reason == "closed"


def test_letters_join_each_code_to_the_household_address(field_survey):
    out = letters(
        field_survey.store,
        field_survey.survey_id,
        field_survey.codes.head(5),
        base_url="https://survey.example/",
        actor="tester",
    )
    assert len(out) == 5 and out["address"].str.startswith("서울특별시").all()
    assert out["head_name"].notna().all()
    assert (
        out["link"].iloc[0]
        == "https://survey.example/respond?t=" + field_survey.codes["code"].iloc[0]
    )
    events = field_survey.store.rows(
        "SELECT detail FROM audit_log WHERE action = 'letters_exported'"
    )
    assert '"codes": 5' in events[0][0] and field_survey.codes["code"].iloc[0] not in events[0][0]


def test_the_letters_file_shows_a_hostile_name_as_text(field_survey):
    store, survey_id = field_survey.store, field_survey.survey_id
    household = int(field_survey.codes["household_id"].iloc[0])
    store.execute(
        "UPDATE frame_person_contacts SET name = ? WHERE person_id ="
        " (SELECT person_id FROM frame_persons WHERE household_id = ? AND member_no = 1)",
        ['=HYPERLINK("http://evil","click")', household],
    )
    data = letters_csv(
        store, survey_id, field_survey.codes.head(3), base_url="https://s.example", actor="t"
    )
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    names = table.set_index("household_id")["head_name"]
    assert names[str(household)] == '\'=HYPERLINK("http://evil","click")'
    assert table["address"].str.startswith("서울특별시").all()  # ordinary text as it was
