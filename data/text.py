"""One bilingual text, Korean and English side by side; whoever shows it picks the language.

Why: messages used to travel three ways — ``(ko, en)`` tuples in the pages,
``message_ko``/``message_en`` fields on reasons and errors, and exceptions whose
text joined both languages with " / " (a page then showed both). Now a message is a
:class:`Text`, and a refused operation raises a :class:`Refusal` carrying a stable
``reason`` code (for programs and tests) and a ``Text`` (for people), as pandera's
``SchemaError`` carries a ``SchemaErrorReason``. A page shows ``text.pick(lang)``
(``ui.i18n.say``); ``str()`` gives both languages, for logs and the terminal.

This module is at the bottom of ``data/`` and imports nothing of the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES = ("ko", "en")  # Korean first: the platform's language, English beside it


@dataclass(frozen=True)
class Text:
    """A message or a label in Korean and English (a questionnaire's labels are ``Text``)."""

    ko: str
    en: str

    def pick(self, lang: str = "ko") -> str:
        """The message in ``lang``: Korean for Korean, English for English and for every
        other language (a respondent answering in French reads English better than Korean);
        the other one where the chosen one is missing."""
        if lang == "ko":
            return self.ko or self.en
        return self.en or self.ko

    def format(self, **values: Any) -> Text:
        """Both languages with ``{name}`` fields filled in (``str.format``)."""
        return Text(self.ko.format(**values), self.en.format(**values))

    def __str__(self) -> str:
        """Both languages, "ko / en", for logs and the terminal — never for a page."""
        return self.ko if not self.en or self.en == self.ko else f"{self.ko} / {self.en}"


class Refusal(Exception):
    """An operation refused for a reason a person can act on.

    ``reason`` is a stable code (``"no_frame"``, ``"wave_closed"``) that programs and
    tests compare; ``text`` says it in Korean and English. Subclasses name the area
    (``WaveError``, ``AccountError``…) and may also derive from the built-in error they
    replace (``ValueError``, ``LookupError``) so that existing ``except`` clauses hold.
    """

    def __init__(self, reason: str, text: Text) -> None:
        super().__init__(str(text))
        self.reason = reason
        self.text = text

    def message(self, lang: str = "ko") -> str:
        """The text in ``lang`` (``text.pick``)."""
        return self.text.pick(lang)

    def __str__(self) -> str:
        return str(self.text)


class InvalidRequest(Refusal, ValueError):
    """A request refused for its values (an empty set, a missing note, a wave that is none)."""
