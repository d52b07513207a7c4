"""The static findings of an upload, shown on the Questionnaires page: a warning each, in the
page's language, the file's own words escaped (``${q}`` shows as written, never as math)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _findings_page(language: str) -> None:
    import streamlit as st

    from data.text import Text
    from surveys.questionnaire.static_checks import Finding
    from ui.questionnaire_findings import show_findings

    st.session_state["lang"] = language
    ko = "질문 'rent' 은(는) 표시될 수 없습니다: ${tenure} > 4"
    en = "the question 'rent' can never be shown: ${tenure} > 4"
    show_findings(
        [
            Finding("never_shown", "rent", "relevant", "${tenure} > 4", Text(ko, en)),
            Finding("reads_later", "early", "relevant", "${x}", Text("뒤", "later"), False),
        ]
    )
    show_findings([])  # nothing at all


def _run(language: str) -> AppTest:
    at = AppTest.from_function(_findings_page, args=(language,), default_timeout=30).run()
    assert not at.exception
    return at


def test_each_finding_is_a_warning_in_korean():
    at = _run("ko")
    assert [c.value for c in at.caption] == [
        "경고 2건: 파일은 저장했지만, 응답자가 만나기 전에 고치는 것이 좋습니다."
    ]
    first, second = (w.value for w in at.warning)
    assert first.startswith("표시되지 않음 · rent (relevant): 질문 'rent' 은\\(는\\)")
    assert "\\$\\{tenure\\} \\> 4" in first  # escaped: shown as written
    assert second.startswith("뒤의 질문을 읽는 규칙 · early (relevant) · 아마도: 뒤")


def test_each_finding_is_a_warning_in_english():
    at = _run("en")
    first, second = (w.value for w in at.warning)
    assert first.startswith("Never shown · rent (relevant): the question 'rent' can never")
    assert second.startswith("Rule reads a later question · early (relevant) · likely: later")


def test_the_page_stores_a_file_with_findings_and_shows_them(app):
    from tests.surveys.test_static_checks import RENT_NEVER, TENURE, section, yaml_text
    from tests.ui.test_questionnaires_page import _page, _upload

    content = yaml_text(section("housing", TENURE, RENT_NEVER)).encode("utf-8")
    at = _upload(_page(), "warned.yaml", content)
    assert any("버전 1" in s.value for s in at.success), [s.value for s in at.success]
    (warning,) = at.warning
    assert warning.value.startswith("표시되지 않음 · rent (relevant): ")
