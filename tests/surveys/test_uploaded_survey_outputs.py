"""A survey on an uploaded XLSForm that asks neither the household's size nor a person part
(a department's own form) is weighted all the same: its households are raked to the district
margin only, the weights say which margin was left out and why, no person weights are made,
and the published table is estimated with them. The report is made on the household weights
alone, with every question's weighted results (in the PDF too when the indicator catalogue asks
none of the form's questions)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from analysis.indicators import NothingToEstimate
from analysis.reports.bundle import build_report
from analysis.tables import indicator_table
from analysis.weights.survey_weights import household_margins, latest_weights, make_weights
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


def test_its_report_gives_every_question_weighted_without_a_person_part(demo_store, answered):
    made = make_weights(demo_store, answered, actor="statistician")
    report = build_report(demo_store, answered, weights_ids=None, progress=lambda s, t: None)
    assert report.summary["weights_ids"] == {"household": made["household"]}
    assert report.summary["questions"] >= 2  # tenure and the children count at least
    assert report.pdf.startswith(b"%PDF") and report.excel[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(report.csv_zip)) as bundle:
        assert "questions.csv" in bundle.namelist()


def commuting_survey(demo_store, tmp_path) -> int:
    """A survey on a form none of whose questions the indicator catalogue knows (commuting),
    100 households answered and weighted."""
    renamed = {"tenure": "commute_mode", "children": "bicycles"}
    survey = [tuple(renamed.get(c, c) if isinstance(c, str) else c for c in row) for row in SURVEY]
    settings = [("form_id", "form_title"), ("commuting", "Commuting survey")]
    path = write_workbook(tmp_path / "commuting.xlsx", survey, CHOICES, settings)
    saved = receive_upload(demo_store, path.name, path.read_bytes(), actor="manager").saved
    assert saved is not None
    opened = open_survey_on_version(
        demo_store, saved.questionnaire_id, saved.version_no, code="commute-2027",
        title_ko="통근 조사", reference_year=2027, actor="manager",
    )  # fmt: skip
    design = TwoStageDesign(n_households=150, per_area=6, floor=3, seed=5)
    sample = draw_sample(demo_store, opened.survey_id, design, actor="manager")
    set_status(demo_store, opened.survey_id, "in_field", actor="manager")
    codes = issue_codes(demo_store, opened.survey_id, sample["household_id"], actor="manager")
    questionnaire = questionnaire_of(demo_store, opened.survey_id)
    for i, code in enumerate(codes["code"][:100]):
        invitation = find_invitation(demo_store, code)
        session = open_session(demo_store, opened.survey_id, invitation.household_id, 0)
        answers = {"commute_mode": 1 + i % 2, "member_count": 1, "member": [{"member_age": 40}]}
        submit(demo_store, questionnaire, session.submission_id, answers)
    make_weights(demo_store, opened.survey_id, actor="statistician")
    return opened.survey_id


def test_a_form_the_catalogue_does_not_know_still_gets_its_report(demo_store, tmp_path):
    survey_id = commuting_survey(demo_store, tmp_path)
    with pytest.raises(NothingToEstimate):
        indicator_table(demo_store, survey_id)
    report = build_report(demo_store, survey_id, progress=lambda s, t: None)
    assert report.summary["questions"] >= 1 and report.summary["sheets"] == []
    text = _pdf_text(report.pdf, tmp_path)
    assert "Own" in text and "Rent" in text  # the question's weighted results are in the PDF
    assert "개인 설문" not in text  # a form without a person part is not said to have one


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")
