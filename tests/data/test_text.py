"""The bilingual text and the refusal that carries it."""

from __future__ import annotations

import pytest

from data.text import InvalidRequest, Refusal, Text


def test_pick_gives_the_language_asked_and_english_for_other_languages():
    # a respondent answering a French questionnaire reads English messages better than Korean
    text = Text("표본틀이 없습니다", "there is no frame")
    assert (text.pick("ko"), text.pick("en"), text.pick("fr")) == (
        "표본틀이 없습니다",
        "there is no frame",
        "there is no frame",
    )
    assert Text("한국어만", "").pick("en") == "한국어만"
    assert Text("한국어만", "").pick("fr") == "한국어만"
    assert Text("", "English only").pick("ko") == "English only"


def test_str_is_both_languages_for_logs():
    assert str(Text("가", "a")) == "가 / a"
    assert str(Text("가", "")) == "가" and str(Text("x", "x")) == "x"


def test_format_fills_both_languages():
    text = Text("조사 {n} 가 없습니다", "there is no survey {n}").format(n=7)
    assert text == Text("조사 7 가 없습니다", "there is no survey 7")


def test_a_refusal_carries_a_reason_and_a_text():
    refusal = Refusal("no_frame", Text("표본틀이 없습니다", "there is no frame"))
    assert refusal.reason == "no_frame"
    assert refusal.message("en") == refusal.text.pick("en") == "there is no frame"
    assert str(refusal) == "표본틀이 없습니다 / there is no frame"


def test_an_invalid_request_is_still_a_value_error():
    with pytest.raises(ValueError, match="비어.*empty") as caught:
        raise InvalidRequest("empty", Text("비어 있습니다", "it is empty"))
    assert isinstance(caught.value, Refusal) and caught.value.reason == "empty"
