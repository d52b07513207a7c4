"""The respondent page when the same part is answered on two devices at once."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from demo.cross_sections import CODES_FILE


def _respond() -> None:
    from ui import respond

    respond.render()


def test_a_part_submitted_on_another_device_is_said_to_be_stored(app, demo_template):
    from surveys.fieldwork.sessions import open_session
    from surveys.fieldwork.submit import submit
    from surveys.opening import questionnaire_of
    from tests.surveys.conftest import household_answers
    from ui.context import get_store

    codes = pd.read_csv(demo_template.parent / CODES_FILE)
    saved = codes[(codes["answers_saved"] == "yes") & (codes["resumes_at"] != "housing")]
    started = saved.iloc[0]  # resumes past the first screen
    at = AppTest.from_function(_respond, default_timeout=60)
    at.query_params["t"] = started["link_token"]
    at.run()
    assert not at.exception
    back = next(b for b in at.button if b.label == "이전")
    assert not back.disabled  # this device is past the first screen

    store = get_store()  # the other device submits the whole part meanwhile
    survey_id = int(store.scalar("SELECT survey_id FROM surveys WHERE code = 'seoul-2026'"))
    session = open_session(store, survey_id, int(started["household_id"]), 0)
    submit(store, questionnaire_of(store, survey_id), session.submission_id, household_answers())

    back.click().run()  # this device moves on: its draft cannot be saved any more
    assert not at.exception
    assert any("이미 제출되어 저장되어 있습니다" in i.value for i in at.info)
    assert any("가구원" in h.value for h in at.subheader)  # the household's member list
