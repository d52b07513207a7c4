"""A survey's sample drawn from an uploaded contact list: rows checked like every import (the
refused ones quarantined with their reasons), contacts kept apart, probabilities recorded, the
letters file made from the list, and weights that count the list's own households."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.weights.survey_weights import latest_weights, make_weights
from data.quarantine import list_quarantine
from data.survey_tables import sample_design
from surveys.fieldwork.contact_lists import (
    ContactListDesign,
    ContactListRefused,
    check_contact_list,
    draw_from_contact_list,
    normal_mobile,
    read_contact_csv,
)
from surveys.fieldwork.invitations import find_invitation, issue_codes, letters
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import submit
from surveys.opening import open_survey_on_version, questionnaire_of, set_status
from surveys.questionnaire.uploads import receive_upload
from tests.surveys.test_survey_on_uploaded_version import CHOICES, SURVEY
from tests.surveys.test_xlsform import write_workbook

HEADER = "name,district,address,postal_code,mobile,email\n"


def _list_csv(rows: int = 60) -> str:
    districts = ["종로구", "11140", "Yongsan-gu", "마포구"]
    lines = [
        f"참가자{i},{districts[i % 4]},서울특별시 어딘가 {i}길,0{3000 + i},010{i:08d},"
        for i in range(rows)
    ]
    return HEADER + "\n".join(lines) + "\n"


@pytest.fixture
def survey_id(demo_store, tmp_path) -> int:
    settings_rows = [("form_id", "form_title"), ("programme_users", "Programme users")]
    path = write_workbook(tmp_path / "users.xlsx", SURVEY, CHOICES, settings_rows)
    saved = receive_upload(demo_store, path.name, path.read_bytes(), actor="manager").saved
    assert saved is not None
    survey = open_survey_on_version(
        demo_store, saved.questionnaire_id, saved.version_no, code="users-2027",
        title_ko="프로그램 이용자 조사", reference_year=2027, actor="manager",
    )  # fmt: skip
    return survey.survey_id


def test_bad_rows_are_quarantined_with_reasons_and_the_rest_sampled(demo_store, survey_id):
    bad = (
        ",종로구,서울특별시 종로구 1,03000,,\n"  # no name
        "김하나,해운대구,부산광역시 해운대구 1,48000,,\n"  # not a Seoul district
        "이둘,중구,,,,\n"  # no way to reach
        "박셋,중구,,,02-123-4567,\n"  # a landline where a mobile is asked
        "참가자0,종로구,서울특별시 어딘가 0길,03000,010-0000-0000,\n"  # listed twice
    )
    content = (_list_csv(40) + bad).encode("utf-8")
    outcome = draw_from_contact_list(
        demo_store, survey_id, "users.csv", content, ContactListDesign(), actor="manager"
    )
    assert (outcome.rows_read, outcome.accepted, outcome.quarantined) == (45, 40, 5)
    assert outcome.sampled == 40
    assert outcome.refused_rows["row"].tolist() == [42, 43, 44, 45, 46]
    said = " ".join(outcome.refused_rows["reasons_ko"])
    assert "연락할 방법이 없습니다" in said and "이미 위 행에 있습니다" in said
    kept = list_quarantine(demo_store, source="contact_list:users-2027")
    assert len(kept) == 5 and sorted(kept["row_number"].tolist()) == [42, 43, 44, 45, 46]
    design = sample_design(demo_store, survey_id)
    assert design["source"] == "contact_list" and design["households"] == 40


def test_korean_excel_files_in_cp949_with_korean_headers_are_read():
    text = "이름,자치구,휴대전화\n홍길동,강남구,010 1234 5678\n"
    frame = read_contact_csv(text.encode("cp949"))
    assert frame.loc[0, "name"] == "홍길동" and frame.loc[0, "district"] == "강남구"
    assert frame.loc[0, "address"] is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "contact_list_not_text"),
        ("name,district,memo\n가,종로구,x\n".encode(), "contact_list_columns"),
        ("address\n서울\n".encode(), "contact_list_columns"),
        (HEADER.encode(), "contact_list_empty"),
        (b"name,district\n" + b"a,b\n" * 1_200_000 * 9, "contact_list_too_large"),
    ],
)
def test_a_file_that_is_no_contact_list_is_refused_whole(content, reason):
    with pytest.raises(ContactListRefused) as refused:
        read_contact_csv(content)
    assert refused.value.reason == reason


def test_nothing_is_stored_when_no_row_can_be_used(demo_store, survey_id):
    content = (HEADER + "이둘,중구,,,,\n").encode()
    with pytest.raises(ContactListRefused) as refused:
        draw_from_contact_list(
            demo_store, survey_id, "x.csv", content, ContactListDesign(), actor="manager"
        )
    assert refused.value.reason == "contact_list_no_valid_row"
    assert "3행" not in refused.value.text.ko and "2행" in refused.value.text.ko
    assert demo_store.scalar("SELECT count(*) FROM contact_lists") == 0
    assert sample_design(demo_store, survey_id) == {}


def test_a_sub_sample_records_its_probabilities_and_letters_reach_the_list(demo_store, survey_id):
    outcome = draw_from_contact_list(
        demo_store, survey_id, "users.csv", _list_csv(60).encode(),
        ContactListDesign(n=20, seed=3), actor="manager",
    )  # fmt: skip
    assert outcome.sampled == 20
    sample = demo_store.query("SELECT * FROM survey_sample WHERE survey_id = ?", [survey_id])
    for _, group in sample.groupby("stratum"):
        assert (1 / group["pi"]).sum() == pytest.approx(15)  # 60 listed over 4 districts
    codes = issue_codes(demo_store, survey_id, sample["household_id"].tolist(), actor="manager")
    out = letters(demo_store, survey_id, codes, base_url="https://x", actor="manager")
    assert out["head_name"].str.startswith("참가자").all()
    assert out["mobile"].str.fullmatch(r"010-\d{4}-\d{4}").all()
    assert set(out["district"]) <= {"종로구", "중구", "용산구", "마포구"}


def test_its_weights_count_the_lists_households(demo_store, survey_id):
    draw_from_contact_list(
        demo_store, survey_id, "users.csv", _list_csv(80).encode(),
        ContactListDesign(n=40, seed=1), actor="manager",
    )  # fmt: skip
    set_status(demo_store, survey_id, "in_field", actor="manager")
    sample = demo_store.query(
        "SELECT household_id FROM survey_sample WHERE survey_id = ?", [survey_id]
    )
    codes = issue_codes(demo_store, survey_id, sample["household_id"].tolist(), actor="manager")
    questionnaire = questionnaire_of(demo_store, survey_id)
    for i, code in enumerate(codes["code"][:30]):
        invitation = find_invitation(demo_store, code)
        session = open_session(demo_store, survey_id, invitation.household_id, 0)
        answers = {"tenure": 1 + i % 2, "member_count": 1, "member": [{"member_age": 50}]}
        submit(demo_store, questionnaire, session.submission_id, answers)
    make_weights(demo_store, survey_id, actor="statistician")
    _, weights, parameters = latest_weights(demo_store, survey_id, "household")
    assert weights["weight"].sum() == pytest.approx(80)  # the list's households, not Seoul's
    assert parameters["scale_factor"] == 1.0
    assert "contact list" in parameters["margins_left_out"]["size_class"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_mobile_normalising_keeps_anything_it_does_not_recognise(text):
    normal = normal_mobile(text)
    assert normal == text or (normal is not None and len(normal.replace("-", "")) in (10, 11))


@given(st.from_regex(r"01[016789][ -]?\d{4}[ -]?\d{4}", fullmatch=True))
def test_any_grouping_of_a_mobile_number_becomes_the_standard_form(text):
    assert pd.Series([normal_mobile(text)]).str.fullmatch(r"01[016789]-\d{4}-\d{4}").all()


def test_one_household_on_two_rows_is_kept_once_by_mobile_email_or_name_and_address(
    module_demo_store,
):
    rows = [
        "김하나,종로구,,,010-1234-5678,",
        "김하나,종로구,,,01012345678,",  # the same mobile, written otherwise
        "이둘,중구,,,,Two@Example.kr",
        "박둘,중구,,,,two@example.kr",  # the same e-mail in another case
        "최셋,용산구,서울 용산구  한강대로 1,,,",
        "최셋,용산구,서울 용산구 한강대로 1,,,",  # the same name and address, other spacing
        "최셋,용산구,서울 용산구 한강대로 2,,,",  # another address: another household
    ]
    frame = read_contact_csv((HEADER + "\n".join(rows) + "\n").encode("utf-8"))
    result = check_contact_list(module_demo_store, frame)
    assert sorted(result.invalid.index) == [1, 3, 5]
    assert all("이미 위 행에 있습니다" in str(result.reasons[i][0].text.ko) for i in (1, 3, 5))
