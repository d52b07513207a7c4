"""A survey on an uploaded XLSForm that asks neither the household's size nor a person part
(a department's own form) is weighted all the same: its households are raked to the district
margin only, the weights say which margin was left out and why, no person weights are made,
and the published table is estimated with them; the cross-section report, laid out for a
person part, says so instead of asking for person weights."""

from __future__ import annotations

import pytest

from analysis.indicators import NothingToEstimate
from analysis.reports.bundle import build_report
from analysis.tables import indicator_table
from analysis.weights.survey_weights import household_margins, latest_weights, make_weights
from data.text import InvalidRequest
from surveys.fieldwork.invitations import find_invitation, issue_codes
from surveys.fieldwork.sampling import TwoStageDesign
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import submit
from surveys.opening import draw_sample, open_survey_on_version, questionnaire_of, set_status
from surveys.questionnaire.uploads import receive_upload
from tests.surveys.test_survey_on_uploaded_version import CHOICES, SURVEY
from tests.surveys.test_xlsform import write_workbook


@pytest.fixture
def answered(demo_store, tmp_path) -> int:
    settings = [("form_id", "form_title"), ("district_housing", "District housing survey")]
    path = write_workbook(tmp_path / "housing.xlsx", SURVEY, CHOICES, settings)
    saved = receive_upload(demo_store, path.name, path.read_bytes(), actor="manager").saved
    assert saved is not None
    survey = open_survey_on_version(
        demo_store, saved.questionnaire_id, saved.version_no, code="housing-2027",
        title_ko="자치구 주거 조사", reference_year=2027, actor="manager",
    )  # fmt: skip
    design = TwoStageDesign(n_households=300, per_area=6, floor=6, seed=3)
    sample = draw_sample(demo_store, survey.survey_id, design, actor="manager")
    set_status(demo_store, survey.survey_id, "in_field", actor="manager")
    codes = issue_codes(demo_store, survey.survey_id, sample["household_id"], actor="manager")
    questionnaire = questionnaire_of(demo_store, survey.survey_id)
    for i, code in enumerate(codes["code"][:200]):
        invitation = find_invitation(demo_store, code)
        session = open_session(demo_store, survey.survey_id, invitation.household_id, 0)
        members = [{"member_name": "a", "member_age": 30 + i % 40}, {"member_age": 2 + i % 7}]
        answers = {"tenure": 1 + i % 2, "member_count": 2, "member": members, "children": i % 2}
        submit(demo_store, questionnaire, session.submission_id, answers)
    return survey.survey_id


def test_households_are_raked_to_districts_only_and_say_so(demo_store, answered):
    made = make_weights(demo_store, answered, actor="statistician")
    assert set(made) == {"household"}  # the form has no person part
    _, weights, parameters = latest_weights(demo_store, answered, "household")
    assert set(parameters["margins"]) == {"district_code"}
    assert "household_size" in parameters["margins_left_out"]["size_class"]
    total = household_margins(demo_store, by_size=False)["district_code"].sum()
    assert weights["weight"].sum() == pytest.approx(total, rel=1e-9)
    try:
        table = indicator_table(demo_store, answered)
    except NothingToEstimate:
        return  # the catalogue asks none of this form's questions: said, not a crash
    assert set(table["population"]) == {"households"}


def test_the_report_says_it_needs_a_person_part(demo_store, answered):
    make_weights(demo_store, answered, actor="statistician")
    with pytest.raises(InvalidRequest) as refused:
        build_report(demo_store, answered, weights_ids=None, progress=lambda share, text: None)
    assert refused.value.reason == "report_needs_person_part"
