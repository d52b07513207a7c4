"""The respondent page's widgets for XLSForm's acknowledge (one box to tick, answered "OK")
and read_only (its value shown in a disabled field the respondent cannot change)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _screen() -> None:
    import streamlit as st

    from surveys.questionnaire.flow import calculated
    from surveys.questionnaire.loader import questionnaire_from_dict
    from ui.questionnaire_form import question_widget

    questionnaire = questionnaire_from_dict(
        {
            "id": "widgets",
            "version": "1",
            "title": {"ko": "위젯"},
            "household": {
                "sections": [
                    {
                        "id": "s",
                        "title": {"ko": "화면"},
                        "questions": [
                            {"name": "n", "type": "integer", "label": {"ko": "수"}},
                            {"name": "ok", "type": "acknowledge", "label": {"ko": "확인했습니다"}},
                            {
                                "name": "twice",
                                "type": "integer",
                                "label": {"ko": "두 배"},
                                "calculate": "${n} * 2",
                                "read_only": True,
                            },
                        ],
                    }
                ]
            },
        }
    )
    answers = {"n": 4}
    values = calculated(questionnaire.household, answers, roster=False)
    for name in ("ok", "twice"):
        question = questionnaire.question(name)
        answers[name] = question_widget(
            questionnaire, question, f"w:{name}", answers.get(name), values, "ko"
        )
    st.session_state["answers"] = answers


def test_acknowledge_is_a_single_checkbox_answered_ok():
    at = AppTest.from_function(_screen, default_timeout=30).run()
    assert not at.exception
    assert [c.label for c in at.checkbox] == ["확인했습니다"]
    assert at.session_state["answers"]["ok"] is None
    at.checkbox[0].check().run()
    assert at.session_state["answers"]["ok"] == "OK"


def test_a_read_only_value_is_shown_disabled_and_kept():
    at = AppTest.from_function(_screen, default_timeout=30).run()
    field = at.text_input(key="w:twice")
    assert field.disabled and field.value == "8"
    assert at.session_state["answers"]["twice"] == 8


def _xlsform_screen(folder: str) -> None:
    from pathlib import Path

    import streamlit as st

    from surveys.questionnaire.xlsform import read_xlsform
    from tests.surveys.test_defaults import CHOICES, SURVEY
    from tests.surveys.test_xlsform import write_workbook
    from ui.questionnaire_form import render_questions

    path = write_workbook(Path(folder) / "home.xlsx", SURVEY, CHOICES)
    questionnaire, _ = read_xlsform(path)
    section = questionnaire.household.sections[0]
    stored = st.session_state.get("stored", {})
    shown = render_questions(questionnaire, section, "s", stored, lambda current: current, "en", {})
    st.session_state["shown"] = shown


def test_a_first_visit_starts_from_the_forms_defaults_and_keeps_what_was_answered(tmp_path):
    at = AppTest.from_function(_xlsform_screen, args=(str(tmp_path),), default_timeout=60).run()
    assert not at.exception
    assert at.number_input(key="s:rooms").value == 3
    assert at.text_input(key="s:city").disabled and at.text_input(key="s:city").value == "Seoul"
    assert at.text_input(key="s:wake").value == "09:30:00"
    assert at.number_input(key="s:floors").value is None  # "many" is no number
    shown = at.session_state["shown"]
    assert shown["rooms"] == 3 and shown["city"] == "Seoul" and shown["before"] is None

    again = AppTest.from_function(_xlsform_screen, args=(str(tmp_path),), default_timeout=60)
    again.session_state["stored"] = {"rooms": 5, "city": None}
    again.run()
    assert again.number_input(key="s:rooms").value == 5  # an answer given stays
    assert again.session_state["shown"]["city"] is None
