"""The respondent's English: plain and grammatical."""

from __future__ import annotations

from ui.respond_text import TEXT


def test_members_answer_for_themselves():
    english = TEXT["members_title"][1]
    assert "answer for themselves" in english and "themself" not in english
