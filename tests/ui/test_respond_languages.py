"""A respondent answers in any language the questionnaire carries: an XLSForm in French and
English offers Français beside 한국어 and English, shows its questions in French (marked as
French for screen readers) and the page's own words in English."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.surveys.test_xlsform import write_workbook

SURVEY = [
    ("type", "name", "label::Français (fr)", "label::English (en)"),
    ("select_one tenure", "tenure", "Êtes-vous propriétaire ?", "Do you own your home?"),
    ("integer", "rooms", "Combien de pièces ?", "How many rooms?"),
]
CHOICES = [
    ("list_name", "name", "label::Français (fr)", "label::English (en)"),
    ("tenure", "own", "Propriétaire", "Owner"),
    ("tenure", "rent", "Locataire", "Tenant"),
]
SETTINGS = [("form_id", "form_title", "default_language"), ("logement", "Logement", "fr")]


def _respond() -> None:
    from ui import respond

    respond.render()


def _french_survey_code(tmp_path) -> str:
    from surveys.fieldwork.invitations import issue_codes
    from surveys.fieldwork.sampling import TwoStageDesign
    from surveys.opening import draw_sample, open_survey_on_version, set_status
    from surveys.questionnaire.uploads import receive_upload
    from ui.context import get_store

    store = get_store()
    path = write_workbook(tmp_path / "logement.xlsx", SURVEY, CHOICES, SETTINGS)
    saved = receive_upload(store, path.name, path.read_bytes(), actor="manager").saved
    assert saved is not None
    survey = open_survey_on_version(
        store, saved.questionnaire_id, saved.version_no, code="logement-2027",
        title_ko="외국인 주거 조사", actor="manager",
    )  # fmt: skip
    sample = draw_sample(
        store, survey.survey_id, TwoStageDesign(n_households=20, per_area=5, floor=0, seed=2),
        actor="manager",
    )  # fmt: skip
    set_status(store, survey.survey_id, "in_field", actor="manager")
    codes = issue_codes(store, survey.survey_id, sample["household_id"][:1], actor="manager")
    return str(codes["code"].iloc[0])


def test_a_french_questionnaire_is_answered_in_french(app, tmp_path):
    code = _french_survey_code(tmp_path)
    at = AppTest.from_function(_respond, default_timeout=60).run()
    assert at.radio(key="lang").options == ["한국어", "English"]  # no survey open yet
    at.text_input[0].input(code)
    next(b for b in at.button if b.label == "시작하기").click().run()
    assert not at.exception
    switch = at.radio(key="lang")
    assert switch.options == ["한국어", "English", "Français"]
    switch.set_value("fr").run()
    assert not at.exception
    labels = [m.value for m in at.markdown if "question-label" in m.value]
    assert any('lang="fr"' in v and "Êtes-vous propriétaire ?" in v for v in labels), labels
    assert {"Back", "Submit"} <= {b.label for b in at.button}  # the page's own words: English
    assert "Propriétaire" in at.radio[1].options
