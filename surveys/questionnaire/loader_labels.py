"""Labels in a form's own languages, for XLSForm workbooks (YAML keeps Korean and English).

Why a module of its own: a YAML definition gives every label as ``{ko: ..., en: ...}`` with
Korean required (``surveys.questionnaire.loader_build``). Real XLSForms are written in one
language or several (``label``, ``label::English``, ``label::français (fr)``), most of them
without Korean. Their import declares the form's languages (the default first); a label then
needs a text in at least one of them and becomes ``surveys.questionnaire.model.Label.of``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from data.text import Text
from surveys.questionnaire.loader_problems import Path, refuse_active_content
from surveys.questionnaire.model import Label

Add = Callable[[Path, str | None, str, str], None]


def open_label(
    add: Add,
    data: dict[str, Any],
    path: Path,
    concerns: str | None,
    what: str,
    languages: tuple[str, ...],
) -> Text | None:
    """The label in ``data`` (language → text, only ``languages``), or None with a problem."""
    texts: dict[str, str] = {}
    for lang in languages:
        text = data.get(lang)
        if text is None:
            continue
        if not isinstance(text, str):
            add(
                (*path, lang),
                concerns,
                f"{what}.{lang} 은(는) 글자여야 합니다 (지금은 {text!r}).",
                f"{what}.{lang} must be text (found {text!r}).",
            )
            continue
        refuse_active_content(add, (*path, lang), concerns, f"{what}.{lang}", text)
        if text.strip():
            texts[lang] = text.strip()
    if not texts:
        listed = ", ".join(languages)
        add(
            path,
            concerns,
            f"{what} 에 문구가 없습니다 (설문의 언어: {listed}). label 열에 써 주세요.",
            f"{what} has no text in any of the form's languages ({listed}); fill its label column.",
        )
        return None
    return Label.of(texts, languages)
