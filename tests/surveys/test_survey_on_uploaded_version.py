"""From an uploaded questionnaire to a survey without a developer: a survey manager uploads an
XLSForm on the questionnaires page, opens a survey on that stored version, draws its sample,
issues codes, and a household answers; the survey stays pinned to the version it was opened on
when a corrected version is uploaded later."""

from __future__ import annotations

import json

import pytest

from data.text import InvalidRequest
from surveys.fieldwork.invitations import find_invitation, issue_codes
from surveys.fieldwork.sampling import TwoStageDesign
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import submit
from surveys.opening import (
    draw_sample,
    open_survey_on_version,
    questionnaire_of,
    set_status,
    uploaded_questionnaires,
)
from surveys.questionnaire.uploads import receive_upload
from tests.surveys.test_xlsform import write_workbook

SURVEY = [
    ("type", "name", "label", "relevant", "constraint"),
    ("select_one tenure", "tenure", "Do you own or rent your home?", None, None),
    ("begin_repeat", "member", "Household member", None, None),
    ("text", "member_name", "First name", None, None),
    ("integer", "member_age", "Age", None, ". >= 0 and . <= 120"),
    ("end_repeat", None, None, None, None),
    ("integer", "children", "How many are under 5?", "count(${member}) > 1",
     ". <= count(${member})"),
]  # fmt: skip
CHOICES = [("list_name", "name", "label"), ("tenure", "own", "Own"), ("tenure", "rent", "Rent")]


def _upload(store, tmp_path, label: str = "Do you own or rent your home?"):
    survey = [SURVEY[0], (SURVEY[1][0], SURVEY[1][1], label, None, None), *SURVEY[2:]]
    settings = [("form_id", "form_title"), ("district_housing", "District housing survey")]
    path = write_workbook(tmp_path / f"housing-{len(label)}.xlsx", survey, CHOICES, settings)
    outcome = receive_upload(store, path.name, path.read_bytes(), actor="manager")
    assert outcome.saved is not None, outcome.problems
    return outcome.saved


def test_a_survey_opened_on_an_uploaded_xlsform_is_answered_and_stays_pinned(demo_store, tmp_path):
    saved = _upload(demo_store, tmp_path)
    listed = uploaded_questionnaires(demo_store)
    assert (saved.questionnaire_id, saved.version_no) in set(
        zip(listed["questionnaire_id"], listed["version_no"], strict=True)
    )
    survey = open_survey_on_version(
        demo_store,
        saved.questionnaire_id,
        saved.version_no,
        code="housing-2027",
        title_ko="자치구 주거 조사",
        reference_year=2027,
        actor="manager",
    )
    assert survey.questionnaire_hash == saved.source_hash and survey.status == "draft"
    sample = draw_sample(
        demo_store,
        survey.survey_id,
        TwoStageDesign(n_households=50, per_area=5, floor=0, seed=3),
        actor="manager",
    )
    set_status(demo_store, survey.survey_id, "in_field", actor="manager")
    codes = issue_codes(demo_store, survey.survey_id, sample["household_id"], actor="manager")
    invitation = find_invitation(demo_store, codes["code"].iloc[0])
    session = open_session(demo_store, survey.survey_id, invitation.household_id, 0)
    questionnaire = questionnaire_of(demo_store, survey.survey_id)
    answers = {
        "tenure": 2,
        "member_count": 2,
        "member": [
            {"member_name": "Ana", "member_age": 34},
            {"member_name": "Ben", "member_age": 3},
        ],
        "children": 1,
    }
    result = submit(demo_store, questionnaire, session.submission_id, answers)
    stored = demo_store.rows(
        "SELECT answers, questionnaire_hash FROM responses WHERE response_id = ?",
        [result.response_id],
    )[0]
    assert json.loads(stored[0])["children"] == 1 and stored[1] == saved.source_hash

    corrected = _upload(demo_store, tmp_path, label="Is your home owned or rented?")
    assert corrected.version_no == saved.version_no + 1
    assert questionnaire_of(demo_store, survey.survey_id).source_hash == saved.source_hash
    assert (
        questionnaire_of(demo_store, survey.survey_id).question("tenure").label.pick("en")
        == "Do you own or rent your home?"
    )


def test_a_version_that_does_not_exist_is_refused_by_name(demo_store):
    with pytest.raises(InvalidRequest) as refused:
        open_survey_on_version(
            demo_store, "no_such_form", 3, code="x-2027", title_ko="없음", actor="manager"
        )
    assert refused.value.reason == "no_such_version"
    assert "no_such_form" in str(refused.value.text.en) and "3" in refused.value.text.ko
