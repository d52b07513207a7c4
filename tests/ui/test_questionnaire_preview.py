"""Test mode on the Questionnaires page: a stored version is walked as respondents will see it
(the respondent page's own screens, checks and error summary, in each of its languages)
before any survey exists, and nothing answered there is stored anywhere."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from data.accounts import SURVEY_MANAGER

SMALL = Path(__file__).resolve().parents[1] / "surveys" / "fixtures" / "small_survey.yaml"
AUDIT = {"audit_log", "staff_sessions", "staff_users", "client_backoff"}


def _page_as(role: str) -> None:
    from tests.ui.conftest import act_as
    from ui import questionnaires_page

    act_as(role)
    questionnaires_page.render()


def _counts() -> dict[str, int]:
    from ui.context import get_store

    store = get_store()
    return {
        name: int(store.scalar(f"SELECT count(*) FROM {name}"))  # names from the catalogue
        for name in store.table_names()
        if name not in AUDIT
    }


def _press(at: AppTest, *labels: str) -> AppTest:
    next(b for b in at.button if b.label in labels).click()
    at.run()
    assert not at.exception
    return at


def test_a_version_is_walked_in_test_mode_and_nothing_is_stored(app):
    from surveys.questionnaire.uploads import receive_upload
    from ui.context import get_store

    receive_upload(get_store(), "small_survey.yaml", SMALL.read_bytes(), actor="manager")
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    at.selectbox(key="qn_choose").select("small_survey").run()
    before = _counts()
    at.button(key="qn_preview_go").click().run()
    assert not at.exception
    assert any("주거" in h.value for h in at.subheader)  # the first screen's title
    assert any("저장되지 않습니다" in i.value for i in at.info)

    _press(at, "다음")  # nothing answered: refused, as on the respondent page
    shown = [str(e.proto) for e in at.get("html")]
    summary = [h for h in shown if "확인이 필요한 답변" in h]
    assert summary and "가구원 수" in summary[0], shown

    at.number_input[0].set_value(1)
    tenure = next(r for r in at.radio if "자가" in r.options)
    tenure.set_value(1)
    _press(at, "다음")
    assert any("가구원" in h.value for h in at.subheader)  # the roster screen

    at.selectbox(key="preview_lang").select("en").run()  # the respondent's language
    assert not at.exception
    assert any("Household members" in h.value for h in at.subheader)
    assert _counts() == before  # no session, draft, response or quarantine row
