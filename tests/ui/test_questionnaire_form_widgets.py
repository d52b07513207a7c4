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
    at = AppTest.from_function(_screen).run()
    assert not at.exception
    assert [c.label for c in at.checkbox] == ["확인했습니다"]
    assert at.session_state["answers"]["ok"] is None
    at.checkbox[0].check().run()
    assert at.session_state["answers"]["ok"] == "OK"


def test_a_read_only_value_is_shown_disabled_and_kept():
    at = AppTest.from_function(_screen).run()
    field = at.text_input(key="w:twice")
    assert field.disabled and field.value == "8"
    assert at.session_state["answers"]["twice"] == 8
