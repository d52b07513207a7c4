"""What a questionnaire is: parts, sections, questions, choice lists, rules.

This module only says *what* a questionnaire is. Loading (``surveys.questionnaire.loader``
for YAML, ``surveys.questionnaire.xlsform`` for XLSForm workbooks), rendering (``ui``),
validation (``surveys.questionnaire.response_schema``) and export are separate consumers.

A questionnaire has a **household part**, answered once per household, and
optionally a **person part**, answered by every household member for whom the
part's ``eligible`` rule holds (for the Seoul Survey: aged 15 or older). The
household part may hold one **roster** section: its questions repeat once per
household member (``repeat_count`` gives how many), and its answers are stored
as a list of dicts under the roster's name.

Rules (``relevant``, ``constraint``, ``calculate``, ``choice_filter``,
``required`` when it is an expression, ``eligible``, ``repeat_count``) are
expressions of the small language in ``surveys.questionnaire.expressions``, parsed when the
questionnaire is loaded, never evaluated with ``eval``.

Answers are stored as codes: a single choice as its integer code, a multiple
choice as a sorted list of integer codes, numbers as int or float, text as
str, a date as an ISO string ``YYYY-MM-DD``.

The YAML shape is documented in ``surveys/definitions/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from data.text import Text
from surveys.questionnaire.expressions import Node

QUESTION_TYPES = (
    "single",  # one code from a choice list
    "multiple",  # several codes from a choice list
    "integer",  # whole number (min/max)
    "decimal",  # number (min/max)
    "scale",  # 0–10 (or min..max) rating, stored as an integer
    "text",  # free text (max_length)
    "date",  # ISO date
    "calculate",  # computed from other answers, not shown
    "note",  # text shown to the respondent, no answer (with a calculate rule: a shown value)
    "acknowledge",  # one box to tick: the answer is "OK" (XLSForm acknowledge, legacy trigger)
    # XLSForm field types, each answer stored as text (see CAPTURED_TYPES):
    "time",  # HH:MM or HH:MM:SS
    "datetime",  # ISO date and time, YYYY-MM-DDTHH:MM[:SS]
    "geopoint",  # "latitude longitude [altitude [accuracy]]"
    "geotrace",  # points "lat lon …;lat lon …" along a line
    "geoshape",  # points of a closed shape, as geotrace
    "barcode",  # the scanned code's text
    "image",  # a captured file's name (photo, signature, drawing)
    "audio",
    "video",
    "file",
)
CHOICE_TYPES = ("single", "multiple")
# Types whose answer is captured by a device (a position, a file, a scan): stored as text,
# checked for their shape, shown by the respondent page as a text field until it captures
# them; never published in microdata (``analysis/disclosure/rules.yaml``).
CAPTURED_TYPES = ("geopoint", "geotrace", "geoshape", "barcode", "image", "audio", "video", "file")
# Every type whose answer is stored as a string.
TEXT_TYPES = ("text", "date", "time", "datetime", "acknowledge", *CAPTURED_TYPES)
ACKNOWLEDGED = "OK"  # the only answer of an acknowledge question
NUMBER_TYPES = ("integer", "decimal", "scale")


@dataclass(frozen=True)
class Label(Text):
    """A label in any of the form's languages (XLSForm forms carry English, French, Swahili…).

    A YAML questionnaire's labels are plain ``Text`` (Korean, and English beside it); so is an
    XLSForm label in Korean, or Korean and English. Any other label is a ``Label``: ``texts``
    holds every language's text, the form's default language first, and ``pick(lang)`` gives
    ``lang``'s text or else the default language's. ``ko`` and ``en`` stay readable by every
    consumer: each is that language's text or, when the form has none, the default language's
    (``label.ko == label.pick("ko")``), so a report's Korean column shows the form's own words.
    ``has(lang)`` tells whether the form really carries ``lang``.
    """

    texts: tuple[tuple[str, str], ...] = ()  # (language, text), the default language first

    @classmethod
    def of(cls, texts: Mapping[str, str], languages: Sequence[str] = ()) -> Text:
        """A ``Text`` when ``texts`` is Korean (and English), else a ``Label``.

        ``languages`` orders the texts (the form's default language first); languages not in
        it follow in their own order. ``texts`` must hold at least one non-empty text.
        """
        present = {lang: text for lang, text in texts.items() if text}
        if present.get("ko") and set(present) <= {"ko", "en"}:
            return Text(present["ko"], present.get("en", ""))
        order = [lang for lang in languages if lang in present]
        order += [lang for lang in present if lang not in order]
        ordered = tuple((lang, present[lang]) for lang in order)
        default = ordered[0][1] if ordered else ""
        return cls(present.get("ko", default), present.get("en", default), ordered)

    def pick(self, lang: str = "ko") -> str:
        """The text in ``lang``, else in the form's default language."""
        for code, text in self.texts:
            if code == lang:
                return text
        return self.texts[0][1] if self.texts else super().pick(lang)

    def has(self, lang: str) -> bool:
        """Whether the form gives this label in ``lang`` (not a fallback)."""
        return any(code == lang for code, _ in self.texts)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.texts)


@dataclass(frozen=True)
class Choice:
    """One choice. A ``choice_filter`` tests it through its fields: ``filter`` (its
    ``filter_value``) and, for an XLSForm list filtered on several columns of its sheet
    (``state = ${state} and county = ${county}``), each such column by name (``columns``;
    None where the cell is empty or the sheet has no such column, as XPath reads it).

    Two choices of one list may share a code when their fields differ: an XLSForm cascade
    repeats a name under different parents ("king" county in two states), and ODK stores the
    name, so both are the same answer.
    """

    code: int
    label: Text
    filter_value: str | None = None  # the value a choice_filter may test (XLSForm extra column)
    exclusive: bool = False  # in a multiple choice, e.g. "none of these"
    columns: tuple[tuple[str, str | None], ...] = ()  # (column, value): named filter columns

    def fields(self) -> dict[str, str | None]:
        """What a choice filter's bare names read: ``filter`` and the named columns."""
        return {"filter": self.filter_value, **dict(self.columns)}


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    def codes(self) -> list[int]:
        return [c.code for c in self.choices]

    def label(self, code: int, lang: str = "ko") -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label.pick(lang)
        return str(code)


@dataclass(frozen=True)
class Rule:
    """An expression with its source text (kept for messages and round trips).

    ``repeats``: for a household rule that reads across the roster (``count(${member})``,
    ``sum(${age})``), the names it reads that way → the roster's name, as ``evaluate`` and
    ``evaluate_frame`` take them. The loader fills it in once the whole questionnaire (and so
    its roster) is known; empty for every other rule.
    """

    source: str
    node: Node
    repeats: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: Text
    help: Text | None = None
    choices: str | None = None  # name of a ChoiceList
    required: bool = False
    required_if: Rule | None = None  # required when this holds (XLSForm `required` expression)
    relevant: Rule | None = None
    constraint: Rule | None = None
    constraint_message: Text | None = None
    calculate: Rule | None = None
    choice_filter: Rule | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    unit: Text | None = None
    appearance: str | None = None  # rendering hint, e.g. "horizontal", "grid:<name>"
    grid: str | None = None  # questions sharing a grid name are shown as one matrix
    # XLSForm read_only: shown, never edited; its value is its ``calculate`` (an answered
    # type with a calculate rule is a computed value the respondent sees), else empty
    read_only: bool = False

    @property
    def answered(self) -> bool:
        """Whether the respondent gives a value (notes and calculations do not)."""
        return self.type not in ("note", "calculate")


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]
    relevant: Rule | None = None
    roster: bool = False  # questions repeat per household member
    repeat_count: Rule | None = None  # roster only: how many members


@dataclass(frozen=True)
class Part:
    name: str  # "household" or "person"
    sections: tuple[Section, ...]
    eligible: Rule | None = None  # person part: which roster members answer it

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def roster_section(self) -> Section | None:
        return next((s for s in self.sections if s.roster), None)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    parts: tuple[Part, ...]
    choice_lists: dict[str, ChoiceList] = field(default_factory=dict)
    kind: str = "cross_section"  # or "panel_wave"
    languages: tuple[str, ...] = ("ko", "en")  # the first is the default; XLSForm: any tags
    source_hash: str = ""  # SHA-256 of the definition file, stored with every response
    metadata: dict[str, Any] = field(default_factory=dict)

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)

    @property
    def household(self) -> Part:
        part = self.part("household")
        if part is None:
            raise KeyError("a questionnaire needs a household part")
        return part

    @property
    def person(self) -> Part | None:
        return self.part("person")

    def question(self, name: str) -> Question:
        for part in self.parts:
            for question in part.questions():
                if question.name == name:
                    return question
        raise KeyError(name)

    def all_questions(self) -> Iterator[tuple[Part, Section, Question]]:
        for part in self.parts:
            for section in part.sections:
                for question in section.questions:
                    yield part, section, question
