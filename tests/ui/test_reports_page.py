"""The managers' reports page: one click builds the report; other roles are refused."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.accounts import INTERVIEWER, PANEL_OPERATOR, SURVEY_MANAGER


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import reports_page

    act_as(role)
    reports_page.render()


def _downloads() -> list[tuple[str, dict]]:
    import json

    from ui.context import get_store

    rows = get_store().rows("SELECT actor, detail FROM audit_log WHERE action = 'download'")
    return [(actor, json.loads(detail)) for actor, detail in rows]


def test_manager_builds_the_report_and_gets_three_downloads(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=300).run()
    assert not at.exception
    survey = at.selectbox(key="rp_survey")
    assert "seoul-2026" in survey.format_func(survey.value)  # newest cross-section first
    at.button(key="rp_build").click().run()
    assert not at.exception
    downloads = at.get("download_button")
    assert len(downloads) == 3
    labels = [d.proto.label for d in downloads]
    assert labels == ["엑셀 (.xlsx) 내려받기", "PDF 내려받기", "CSV 묶음 (.zip) 내려받기"]
    assert "seoul-2026 보고서를 만들었습니다" in "".join(s.value for s in at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert "서울 행복지수" in metrics and int(metrics["집계한 문항 수"]) > 0
    at.download_button(key="rp_download_pdf").click().run()  # audited, the report still there
    assert not at.exception and len(at.get("download_button")) == 3
    [(actor, detail)] = _downloads()
    assert actor == "manager" and detail["kind"] == "report" and detail["format"] == "pdf"
    assert detail["survey"] == "seoul-2026" and detail["file"].endswith(".pdf")


def test_manager_builds_a_panel_wave_report_with_its_questions(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=300).run()
    survey = at.selectbox(key="rp_survey")
    survey.select_index(next(i for i, o in enumerate(survey.options) if "panel-2026-w2" in o))
    survey.run()
    assert not at.exception
    at.button(key="rp_build").click().run()
    assert not at.exception
    assert "panel-2026-w2 보고서를 만들었습니다" in "".join(s.value for s in at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["서울 행복지수"] == "–"  # the policy-demand survey does not ask it
    assert int(metrics["집계한 문항 수"]) > 0
    assert len(at.get("download_button")) == 3


def test_a_wave_still_in_the_field_without_weights_says_to_make_them_first(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=300).run()
    survey = at.selectbox(key="rp_survey")
    survey.select_index(next(i for i, o in enumerate(survey.options) if "panel-2026-w4" in o))
    survey.run()
    assert "가중치를 먼저 만드세요" in "".join(w.value for w in at.warning)
    assert len(at.button) == 0


def test_interviewer_is_refused(app):
    at = AppTest.from_function(_page_as, args=(INTERVIEWER,), default_timeout=60).run()
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert len(at.button) == 0 and len(at.selectbox) == 0


def test_panel_operator_is_refused(app):
    at = AppTest.from_function(_page_as, args=(PANEL_OPERATOR,), default_timeout=60).run()
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert len(at.button) == 0 and len(at.selectbox) == 0
