"""Build ``surveys.questionnaire.model`` objects from the dict shape of ``surveys/definitions/README.md``.

Both the YAML loader and the XLSForm importer produce that dict shape; this
module is the one place that turns it into a ``Questionnaire``. It checks the
*shape* of every value (required and unknown keys, names, types, labels,
numbers, choice lists, that every rule parses) and records every rule with the
scope it is evaluated in, so ``surveys.questionnaire.loader_checks`` can then check what
refers to what. Nothing stops at the first problem: a bad value is reported
and replaced by a harmless default so the rest is still checked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from data.text import Text
from surveys.questionnaire.expressions import ExpressionError, parse
from surveys.questionnaire.loader_choices import ChoiceListsBuilder
from surveys.questionnaire.loader_labels import open_label
from surveys.questionnaire.loader_problems import Path, Problems, refuse_active_content
from surveys.questionnaire.loader_question import build_question
from surveys.questionnaire.model import (
    ChoiceList,
    Part,
    Question,
    Questionnaire,
    Rule,
    Section,
)

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# XLSForm names: letters of either case, digits and _ (the import turns - and . into _).
XLSFORM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KINDS = ("cross_section", "panel_wave")
LANGUAGES = ("ko", "en")
TOP_KEYS = ("id", "version", "kind", "title", "languages", "choice_lists", "household", "person")
PART_KEYS = {"household": ("sections",), "person": ("eligible", "sections")}
SECTION_KEYS = ("id", "title", "relevant", "roster", "repeat_count", "questions")


@dataclass(frozen=True)
class Dialect:
    """What a file format allows beyond the YAML rules (the default is YAML's).

    ``languages`` None: labels are ``{ko, en}`` with Korean required and ``languages`` is
    ``[ko]`` or ``[ko, en]``. A tuple (an XLSForm import): the form's languages, the default
    first; a label needs a text in one of them. ``xlsform_names``: names follow XLSForm's
    rules (upper case allowed, may start with _) instead of lower-case YAML names.
    """

    languages: tuple[str, ...] | None = None
    xlsform_names: bool = False


YAML = Dialect()


@dataclass(frozen=True)
class PlacedRule:
    """A parsed rule with where it is written and which answers it may refer to."""

    rule: Rule
    path: Path
    key: str  # relevant, constraint, calculate, choice_filter, required, repeat_count, eligible
    scope: str  # household | roster | person | eligible
    concerns: str | None  # question name, section id or part name (for messages)
    question: str | None  # the question the rule belongs to (self-reference check)


@dataclass(frozen=True)
class PlacedQuestion:
    question: Question
    path: Path
    part: str
    section: str
    roster: bool


@dataclass
class Built:
    """What the builder made: the questionnaire (when the shape allowed it) and an index."""

    questionnaire: Questionnaire | None
    questions: list[PlacedQuestion] = field(default_factory=list)
    rules: list[PlacedRule] = field(default_factory=list)
    choice_lists: dict[str, ChoiceList] = field(default_factory=dict)
    sections: list[tuple[Section, Path, str]] = field(default_factory=list)
    xlsform: bool = False  # read from a workbook: choice names in rules (see check_codes)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


class Builder:
    """Turns one definition dict into a ``Questionnaire``, reporting to ``problems``."""

    def __init__(self, problems: Problems, dialect: Dialect = YAML) -> None:
        self.problems = problems
        self.dialect = dialect
        self.built = Built(None, xlsform=dialect.xlsform_names)
        self.names: dict[str, list[tuple[str, Path]]] = {}  # name -> (scope, path) of each use
        self.section_ids: dict[str, Path] = {}
        self.choices = ChoiceListsBuilder(problems, dialect.languages)

    # -- generic value checks ----------------------------------------------------------
    def add(self, path: Path, concerns: str | None, ko: str, en: str) -> None:
        self.problems.add(path, concerns, ko, en)

    def mapping(self, value: Any, path: Path, concerns: str | None, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.add(
            path,
            concerns,
            f"{what} 은(는) 키: 값 형태(mapping)여야 합니다 (지금은 {_kind_of(value)}).",
            f"{what} must be a mapping of key: value (found {_kind_of(value)}).",
        )
        return None

    def keys(
        self,
        data: dict,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        path: Path,
        concerns: str | None,
        what: str,
    ) -> None:
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint_ko = f" '{close[0]}' 을(를) 뜻했나요?" if close else ""
            hint_en = f" Did you mean '{close[0]}'?" if close else ""
            self.add(
                (*path, key),
                concerns,
                f"{what} 에 알 수 없는 키 '{key}' 가 있습니다.{hint_ko} "
                f"쓸 수 있는 키: {', '.join(allowed)}",
                f"unknown key '{key}' in {what}.{hint_en} Allowed keys: {', '.join(allowed)}",
            )
        for key in required:
            if key not in data or data[key] is None:
                self.add(
                    path,
                    concerns,
                    f"{what} 에 필수 키 '{key}' 가 없습니다.",
                    f"{what} is missing the required key '{key}'.",
                )

    def name(self, value: Any, path: Path, concerns: str | None, what: str) -> str | None:
        if self.dialect.xlsform_names:
            if isinstance(value, str) and XLSFORM_NAME.match(value):
                return value
            self.add(
                path,
                concerns,
                f"{what} '{value}' 은(는) 영문자나 _ 로 시작하고 영문자·숫자·_·-·. 만 써야 "
                "합니다 (XLSForm 이름 규칙).",
                f"{what} '{value}' must start with a letter or _ and use only letters, digits, "
                "_, - and . (XLSForm's name rules).",
            )
            return None
        if isinstance(value, str) and NAME.match(value):
            return value
        self.add(
            path,
            concerns,
            f"{what} '{value}' 은(는) 영어 소문자로 시작하고 소문자·숫자·밑줄(_)만 써야 합니다.",
            f"{what} '{value}' must start with a lowercase letter and use only a-z, 0-9 and _.",
        )
        return None

    def text(
        self, value: Any, path: Path, concerns: str | None, what: str, *, required: bool = True
    ) -> Text | None:
        if value is None:
            if required:
                self.add(path, concerns, f"'{what}' 이(가) 없습니다.", f"'{what}' is missing.")
            return None
        data = self.mapping(value, path, concerns, what)
        if data is None:
            return None
        if self.dialect.languages is not None:
            languages = self.dialect.languages
            self.keys(data, languages, (), path, concerns, what)
            return open_label(self.add, data, path, concerns, what, languages)
        self.keys(data, LANGUAGES, (), path, concerns, what)
        parts: dict[str, str] = {}
        for lang in LANGUAGES:
            text = data.get(lang)
            if text is None:
                continue
            if not isinstance(text, str):
                self.add(
                    (*path, lang),
                    concerns,
                    f"{what}.{lang} 은(는) 글자여야 합니다 (지금은 {_kind_of(text)} {text!r}; "
                    "따옴표로 감싸세요).",
                    f"{what}.{lang} must be text (found {_kind_of(text)} {text!r}; quote it).",
                )
                continue
            refuse_active_content(self.add, (*path, lang), concerns, f"{what}.{lang}", text)
            parts[lang] = text.strip()
        if not parts.get("ko"):
            self.add(
                path,
                concerns,
                f"{what} 에 한국어(ko) 문구가 없습니다.",
                f"{what} has no Korean (ko) text.",
            )
        return Text(parts.get("ko", ""), parts.get("en", ""))

    def rule(
        self,
        value: Any,
        path: Path,
        *,
        key: str,
        scope: str,
        concerns: str | None,
        question: str | None = None,
    ) -> Rule | None:
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.add(
                path,
                concerns,
                f"{key} 은(는) 식(글자)이어야 합니다 (지금은 {_kind_of(value)} {value!r}).",
                f"{key} must be an expression in text (found {_kind_of(value)} {value!r}).",
            )
            return None
        source = value.strip()
        try:
            node = parse(source)
        except ExpressionError as error:
            self.add(path, concerns, *_syntax_messages(key, source, error))
            return None
        rule = Rule(source, node)
        self.built.rules.append(PlacedRule(rule, path, key, scope, concerns, question))
        return rule

    def number(self, value: Any, path: Path, concerns: str | None, key: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(
                path,
                concerns,
                f"{key} 은(는) 숫자여야 합니다 (지금은 {value!r}).",
                f"{key} must be a number (found {value!r}).",
            )
            return None
        return value

    def boolean(self, value: Any, path: Path, concerns: str | None, key: str) -> bool:
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self.add(
            path,
            concerns,
            f"{key} 은(는) true 또는 false 여야 합니다 (지금은 {value!r}).",
            f"{key} must be true or false (found {value!r}).",
        )
        return False

    def unique_name(self, name: str, path: Path, concerns: str | None, scope: str = "") -> None:
        """A question name is unique in its scope. YAML: in the whole questionnaire. XLSForm
        (pyxform: unique among a group's or repeat's children): a roster question may share
        its name with a household question outside the roster, each stored in its own place
        (the household's answers, each member's row); a reference to such a name is refused
        as ambiguous (``surveys.questionnaire.loader_checks``)."""
        uses = self.names.setdefault(name, [])
        clash = next((p for s, p in uses if not self.may_share(s, scope)), None)
        uses.append((scope, path))
        if clash is None:
            return
        self.add(
            path,
            concerns,
            f"질문 이름 '{name}' 이(가) 두 번 쓰였습니다 ({self.problems.locate(clash)}"
            "에도 있음). 이름은 설문 전체에서 하나뿐이어야 합니다.",
            f"question name '{name}' is used twice (also at "
            f"{self.problems.locate(clash)}); names are unique in the questionnaire.",
        )

    def may_share(self, scope: str, other: str) -> bool:
        """Whether two questions of these scopes may have one name (see ``unique_name``)."""
        return self.dialect.xlsform_names and {scope, other} == {"household", "roster"}

    # -- the questionnaire -------------------------------------------------------------
    def build(self, data: Any) -> Built:
        root: Path = ()
        top = self.mapping(data, root, None, "questionnaire")
        if top is None:
            return self.built
        self.keys(
            top, TOP_KEYS, ("id", "version", "title", "household"), root, None, "questionnaire"
        )
        qid = self.name(top.get("id"), ("id",), None, "id") if "id" in top else None
        version = self.version(top.get("version"))
        kind = top.get("kind", "cross_section")
        if kind not in KINDS:
            self.add(
                ("kind",),
                None,
                f"kind '{kind}' 은(는) {' 또는 '.join(KINDS)} 이어야 합니다.",
                f"kind '{kind}' must be {' or '.join(KINDS)}.",
            )
        title = self.text(top.get("title"), ("title",), None, "title", required="title" in top)
        languages = self.languages(top.get("languages"))
        lists = self.choices.build(top.get("choice_lists"), ("choice_lists",))
        self.built.choice_lists = lists
        household = self.part(top.get("household"), "household") if "household" in top else None
        person = self.part(top["person"], "person") if top.get("person") is not None else None
        self.choices.check_usage(self.built.questions)
        if household is None or self.problems.found:
            return self.built
        self.built.questionnaire = Questionnaire(
            id=qid or "",
            version=version or "",
            title=title or Text("", ""),
            parts=(household,) if person is None else (household, person),
            choice_lists=lists,
            kind=kind,
            languages=languages,
        )
        return self.built

    def version(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.add(
            ("version",),
            None,
            f'version 은(는) 글자여야 합니다 (지금은 {value!r}). 따옴표로 감싸세요: "2026.1"',
            f'version must be text (found {value!r}); quote it: "2026.1".',
        )
        return None

    def languages(self, value: Any) -> tuple[str, ...]:
        if self.dialect.languages is not None:
            return self.dialect.languages
        if value is None:
            return LANGUAGES
        if (
            isinstance(value, list)
            and value
            and value[0] == "ko"
            and all(v in LANGUAGES for v in value)
            and len(set(value)) == len(value)
        ):
            return tuple(value)
        self.add(
            ("languages",),
            None,
            f"languages {value!r} 은(는) ko 로 시작하는 [ko] 또는 [ko, en] 이어야 합니다.",
            f"languages {value!r} must be [ko] or [ko, en] (Korean first).",
        )
        return LANGUAGES

    # -- parts and sections ------------------------------------------------------------
    def part(self, value: Any, part_name: str) -> Part | None:
        path: Path = (part_name,)
        data = self.mapping(value, path, part_name, part_name)
        if data is None:
            return None
        self.keys(data, PART_KEYS[part_name], ("sections",), path, part_name, part_name)
        eligible = None
        if part_name == "person":
            eligible = self.rule(
                data.get("eligible"),
                (*path, "eligible"),
                key="eligible",
                scope="eligible",
                concerns="person",
            )
        raw_sections = data.get("sections")
        if raw_sections is None:
            return None
        if not isinstance(raw_sections, list) or not raw_sections:
            self.add(
                (*path, "sections"),
                part_name,
                f"{part_name}.sections 은(는) 비어 있지 않은 목록이어야 합니다.",
                f"{part_name}.sections must be a non-empty list.",
            )
            return None
        sections = []
        for index, raw in enumerate(raw_sections):
            section = self.section(raw, (*path, "sections", index), part_name)
            if section is not None:
                sections.append(section)
        return Part(part_name, tuple(sections), eligible)

    def section(self, value: Any, path: Path, part_name: str) -> Section | None:
        raw_id = value.get("id") if isinstance(value, dict) else None
        index = path[-1]  # the section's position in its part's list
        number = index + 1 if isinstance(index, int) else index
        concerns = raw_id if isinstance(raw_id, str) else f"{part_name} section {number}"
        data = self.mapping(value, path, concerns, "section")
        if data is None:
            return None
        self.keys(data, SECTION_KEYS, ("id", "title", "questions"), path, concerns, "section")
        sid = self.name(raw_id, (*path, "id"), concerns, "section id") if "id" in data else None
        if sid is not None:
            if sid in self.section_ids:
                self.add(
                    (*path, "id"),
                    sid,
                    f"섹션 id '{sid}' 이(가) 두 번 쓰였습니다.",
                    f"section id '{sid}' is used twice.",
                )
            self.section_ids[sid] = path
        title = self.text(data.get("title"), (*path, "title"), concerns, "title", required=False)
        scope = "household" if part_name == "household" else "person"
        relevant = self.rule(
            data.get("relevant"),
            (*path, "relevant"),
            key="relevant",
            scope=scope,
            concerns=concerns,
        )
        roster = self.boolean(data.get("roster"), (*path, "roster"), concerns, "roster")
        repeat_count = self.rule(
            data.get("repeat_count"),
            (*path, "repeat_count"),
            key="repeat_count",
            scope="household",
            concerns=concerns,
        )
        if roster and "repeat_count" not in data:
            self.add(
                path,
                concerns,
                "가구원 명단(roster) 섹션에는 repeat_count (가구원 수)가 필요합니다.",
                "a roster section needs repeat_count (how many members).",
            )
        if "repeat_count" in data and not roster:
            self.add(
                (*path, "repeat_count"),
                concerns,
                "repeat_count 는 roster: true 인 섹션에만 쓸 수 있습니다.",
                "repeat_count is only for a section with roster: true.",
            )
        scope = "roster" if roster and part_name == "household" else scope
        questions = self.questions(data.get("questions"), (*path, "questions"), concerns, scope)
        placed = [
            PlacedQuestion(q, qpath, part_name, sid or "", roster)
            for q, qpath in questions
            if q is not None
        ]
        self.built.questions.extend(placed)
        section = Section(
            id=sid or "",
            title=title or Text("", ""),
            questions=tuple(p.question for p in placed),
            relevant=relevant,
            roster=roster,
            repeat_count=repeat_count if roster else None,
        )
        self.built.sections.append((section, path, part_name))
        return section

    def questions(
        self, value: Any, path: Path, concerns: str | None, scope: str
    ) -> list[tuple[Question | None, Path]]:
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.add(
                path,
                concerns,
                "questions 는 비어 있지 않은 목록이어야 합니다.",
                "questions must be a non-empty list.",
            )
            return []
        out = []
        for index, raw in enumerate(value):
            qpath = (*path, index)
            out.append((build_question(self, raw, qpath, scope), qpath))
        return out


def _syntax_messages(key: str, source: str, error: ExpressionError) -> tuple[str, str]:
    position = getattr(error, "position", None)
    message = getattr(error, "message", None) or str(error)
    if isinstance(position, int):
        near = source[position : position + 20]
        position += 1  # shown counting from 1
        where_ko = f" ({position}번째 글자 '{near}' 부근)" if near else " (식의 끝)"
        where_en = f" at character {position} (near '{near}')" if near else " at the end"
    else:
        where_ko = where_en = ""
    text = getattr(error, "text", None)  # the parser's own Korean and English, when it has them
    message_ko = text.ko if text is not None else message
    message_en = text.en if text is not None else message
    return (
        f"{key} 식을 해석할 수 없습니다{where_ko}: {message_ko} — 식: {source}",
        f"{key} does not parse{where_en}: {message_en} — rule: {source}",
    )
