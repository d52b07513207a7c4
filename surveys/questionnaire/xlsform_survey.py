"""The ``survey`` sheet of an XLSForm → the household/person parts of the definition dict.

How groups map to the model (see ``surveys.questionnaire.xlsform`` for the whole import):

* questions outside any group → a household section named after the form
  (each run of them, between groups, is its own section, so order is kept);
* a top-level group → a household section (its ``relevant`` → the section's);
* a ``begin_repeat`` (top level or inside a group) → the roster section, with
  its ``repeat_count``; enclosing groups' ``relevant`` is combined into it;
* a top-level group or repeat whose name starts with ``person`` (or, when the
  settings sheet has ``person_group``, the one it names) → the person
  part: its ``relevant`` becomes ``eligible``, each group directly inside it a
  section, questions directly inside it a section named after it;
* deeper groups are flattened into their section: their ``relevant`` is
  combined (``and``) into each of their questions' ``relevant``.

Rules are kept as text here and recorded as ``RuleSlot`` values so that
``surveys.questionnaire.xlsform`` can rewrite choice names to codes once the ``choices``
sheet has been read.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from surveys.questionnaire.flow import MAX_ROSTER
from surveys.questionnaire.loader_problems import Path, Problems
from surveys.questionnaire.model import CAPTURED_TYPES
from surveys.questionnaire.xlsform_scopes import ScopedNames
from surveys.questionnaire.xlsform_sheets import Column, Row, Sheet
from surveys.questionnaire.xlsform_types import (
    FALSE_WORDS,
    META_TYPES,
    OTHER_LABEL,
    QUIET_COLUMNS,
    REFUSED_COLUMNS,
    SIMPLE_TYPES,
    TRUE_WORDS,
    TYPE_PHRASES,
    USED_COLUMNS,
    combine,
    model_name,
    number_or_text,
    parse_type,
    rule_text,
    safe_name,
)

MEDIA_KINDS = ("image", "audio", "video", "big-image")
# select_one_external LIST: the list is on the external_choices sheet (pyxform writes it to
# itemsets.csv, which ODK Collect reads as any other list).
GROUP_KINDS = ("begin_group", "begin_repeat", "end_group", "end_repeat")
CHOICE_KINDS = ("select_one", "select_multiple", "select_one_external", "select_multiple_external")


@dataclass
class RuleSlot:
    """A rule in the definition dict, to be checked and rewritten once choices are known."""

    holder: dict[str, Any]
    key: str
    row: int
    question: str | None  # the question it belongs to (for `.` in a constraint)


@dataclass
class Frame:
    """An open group or repeat."""

    kind: str  # "group" | "repeat"
    name: str
    row: int
    role: str  # "section" | "roster" | "person" | "flat"
    part: str  # "household" | "person"
    title: dict[str, str]
    relevant: str | None
    repeat_count: str | None = None
    section: dict[str, Any] | None = None  # the section being filled (section/roster roles)
    pieces: int = 0  # sections made so far (ids get _2, _3… after the first)


@dataclass
class SurveyReader:
    """Walks the survey sheet once, building parts and recording rules and problems."""

    sheet: Sheet
    problems: Problems
    lines: dict[Path, str]
    form_id: str
    form_title: dict[str, str]
    language: str  # the language of untagged label/hint columns
    sections: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"household": [], "person": []}
    )
    stack: list[Frame] = field(default_factory=list)
    slots: list[RuleSlot] = field(default_factory=list)
    question_lists: dict[str, str] = field(default_factory=dict)  # question -> choice list
    question_rows: dict[str, int] = field(default_factory=dict)
    eligible: str | None = None
    person_row: int | None = None
    or_other: set[str] = field(default_factory=set)  # lists that get pyxform's "other" choice
    defaults: dict[str, str] = field(default_factory=dict)  # question -> XLSForm default
    renamed: dict[str, str] = field(default_factory=dict)  # model name -> XLSForm name
    generated_counts: dict[str, str] = field(default_factory=dict)  # repeat -> its count question
    person_group: str | None = None  # settings ``person_group``: the person part's group, by name
    # select_one_external / select_multiple_external: (question, list name, row); their list
    # is on the external_choices sheet (``surveys.questionnaire.xlsform`` resolves it)
    external: list[tuple[dict[str, Any], str, int]] = field(default_factory=list)
    osm: dict[str, str] = field(default_factory=dict)  # osm question -> its tag list ("": none)
    media_labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, file)
    # cells read and not used, as pyxform ignores them (a choice_filter on a non-select)
    ignored: list[dict[str, Any]] = field(default_factory=list)
    scoped: ScopedNames = field(default_factory=ScopedNames)  # one name in two groups

    def __post_init__(self) -> None:
        name = safe_name(self.form_id)
        self.loose = Frame("group", name, 2, "section", "household", self.form_title, None)

    @property
    def columns(self) -> list[Column]:
        return self.sheet.columns

    def problem(self, row: int, concerns: str | None, ko: str, en: str) -> None:
        self.problems.add_at(f"survey row {row}", concerns, ko, en)

    def read(self) -> None:
        self.check_columns()
        for row in self.sheet.rows:
            self.row(row)
        self.check_ambiguous()
        for frame in reversed(self.stack):
            self.problem(
                frame.row,
                frame.name,
                f"'{frame.name}' 의 begin_{frame.kind} 에 맞는 end_{frame.kind} 가 없습니다.",
                f"begin_{frame.kind} '{frame.name}' has no matching end_{frame.kind}.",
            )

    def check_ambiguous(self) -> None:
        """Refuse a ``${name}`` that several questions of different groups had (pyxform
        cannot tell which one it means either)."""
        for slot in self.slots:
            text = slot.holder.get(slot.key)
            for name in self.scoped.ambiguous(text) if isinstance(text, str) else []:
                self.problem(
                    slot.row,
                    slot.question,
                    f"{slot.key}: ${{{name}}} 은(는) 여러 그룹의 질문 이름입니다 (survey row "
                    f"{self.scoped.shared[name]} 등). 어느 것을 뜻하는지 알 수 없으니 하나의 "
                    "이름을 바꾸세요.",
                    f"{slot.key}: ${{{name}}} names questions in several groups (survey row "
                    f"{self.scoped.shared[name]} and others); which one it means is ambiguous: "
                    "rename one of them.",
                )

    def scoped_name(self, row: Row, name: str | None) -> str | None:
        """The model's name of a question (see ``surveys.questionnaire.xlsform_scopes``)."""
        if name is None:
            return None
        roles = {frame.role for frame in self.stack}
        storage = "roster" if "roster" in roles else "person" if "person" in roles else "household"
        groups = tuple(frame.name for frame in self.stack)
        return self.scoped.name(name, storage, groups, row.number)

    def check_columns(self) -> None:
        """Refuse columns the model cannot keep and near-misses of known ones (``relevent``);
        other columns (notes, KoBo and SMS bookkeeping, display hints) are ignored."""
        known = sorted(USED_COLUMNS | QUIET_COLUMNS)
        for column in self.columns:
            if column.base in USED_COLUMNS | QUIET_COLUMNS or column.header.startswith("$"):
                continue
            rows = [r for r in self.sheet.rows if r.cells.get(column.header)]
            if column.base in REFUSED_COLUMNS:
                ko, en = REFUSED_COLUMNS[column.base]
                for row in rows:
                    self.problem(
                        row.number, row.get("name", self.columns) or None, f"{ko}.", f"{en}."
                    )
                continue
            close = difflib.get_close_matches(column.base, known, n=1, cutoff=0.85)
            if close and rows:
                self.problem(
                    rows[0].number,
                    None,
                    f"'{column.header}' 열은 알 수 없습니다. '{close[0]}' 을(를) 뜻했나요?",
                    f"column '{column.header}' is unknown; did you mean '{close[0]}'?",
                )
        for header, number in self.sheet.duplicates():
            self.problem(
                number,
                None,
                f"'{header}' 열이 같은 뜻의 다른 열과 겹칩니다 (relevant 와 bind:relevant 처럼). "
                "하나만 남기세요.",
                f"column '{header}' repeats another column of the same meaning (like relevant "
                "and bind:relevant); keep one.",
            )

    # -- rows ---------------------------------------------------------------------------
    def rule(self, row: Row, column: str) -> str | None:
        """The rule in ``column`` of ``row`` (see ``rule_text``), None when empty."""
        text = row.get(column, self.columns)
        return rule_text(text) if text else None

    def name_of(self, row: Row) -> str | None:
        name = row.get("name", self.columns)
        if not name:
            return None
        model = model_name(name)
        if model != name:
            self.renamed.setdefault(model, name)
        return model

    def row(self, row: Row) -> None:
        raw_type = row.get("type", self.columns)
        if raw_type and parse_type(raw_type)[0] in META_TYPES:
            return  # start, end, deviceid…: recorded by the device, nothing the model keeps
        name = self.name_of(row)
        if not raw_type:
            if name or row.texts("label", self.columns, self.language):
                self.problem(row.number, name, "type 이 비어 있습니다.", "type is empty.")
            return  # a row without type, name or label is a comment row (as in pyxform)
        phrase = TYPE_PHRASES.get(" ".join(raw_type.lower().split()))
        kind, list_name, extra = parse_type(raw_type)
        if phrase is not None or kind not in GROUP_KINDS:
            name = self.scoped_name(row, name)
        if phrase is not None:
            self.question(row, phrase, name)
            return
        if kind in ("begin_group", "begin_repeat"):
            self.begin(row, kind.removeprefix("begin_"), name)
        elif kind in ("end_group", "end_repeat"):
            self.end(row, kind.removeprefix("end_"))
        elif kind in CHOICE_KINDS:
            self.choice_question(row, kind, name, list_name, extra)
        elif kind in SIMPLE_TYPES and not extra:
            if name is None and SIMPLE_TYPES[kind] == "note":
                name = f"note_row_{row.number}"  # a note holds no answer: pyxform takes it unnamed
            self.question(row, SIMPLE_TYPES[kind], name)
        elif kind == "osm" and len(extra) <= 1:
            # an OpenStreetMap feature, captured as a file (ODK Collect hands it to OpenMapKit);
            # the tag list is kept in the metadata so that the workbook is written back as is
            self.question(row, "file", name)  # its answer: the file's name, as any capture
            if name:
                self.osm[name] = extra[0] if extra else ""
        elif kind.endswith("_from_file"):
            self.problem(
                row.number,
                name,
                f"'{raw_type}': 외부 파일의 선택지는 지원하지 않습니다. choices 시트에 옮겨 쓰세요.",
                f"'{raw_type}': choices from an external file are not supported; copy them "
                "into the choices sheet.",
            )
        else:
            self.problem(
                row.number,
                name,
                f"질문 유형 '{raw_type}' 은(는) 지원하지 않습니다.",
                f"question type '{raw_type}' is not supported.",
            )

    def begin(self, row: Row, kind: str, name: str | None) -> None:
        if name is None:
            self.problem(
                row.number,
                None,
                f"begin_{kind} 에 name 이 없습니다. 그룹과 반복에도 이름을 적어 주세요.",
                f"begin_{kind} has no name; groups and repeats need one too.",
            )
        name = name or f"{kind}_row_{row.number}"
        title = row.texts("label", self.columns, self.language) or {self.language: name}
        relevant = self.rule(row, "relevant")
        repeat_count = self.rule(row, "repeat_count")
        role, part = self.role_of(kind, name, row)
        frame = Frame(kind, name, row.number, role, part, title, relevant, repeat_count)
        if repeat_count and kind != "repeat":
            self.problem(
                row.number,
                name,
                "repeat_count 는 begin_repeat 에만 씁니다.",
                "repeat_count only applies to begin_repeat.",
            )
        if role == "person":
            self.begin_person(frame)
        if role != "flat":
            self.loose.section = None
            for outer in self.stack:
                outer.section = None
        self.stack.append(frame)

    def role_of(self, kind: str, name: str, row: Row) -> tuple[str, str]:
        part = "person" if any(f.role == "person" for f in self.stack) else "household"
        if not self.stack and self.is_person_group(name):
            return "person", "person"
        if kind == "repeat":
            if any(f.role == "roster" for f in self.stack):
                self.problem(
                    row.number,
                    name,
                    "반복(repeat) 안의 반복은 지원하지 않습니다.",
                    "a repeat inside a repeat is not supported.",
                )
                return "flat", part
            return "roster", part
        if not self.stack or self.stack[-1].role == "person":
            return "section", part
        return "flat", part

    def is_person_group(self, name: str) -> bool:
        """Whether a top-level group or repeat is the person part: the one the settings name
        (``person_group``), else any whose name starts with ``person``."""
        if self.person_group:
            return model_name(self.person_group) == name
        return name.lower().startswith("person")

    def begin_person(self, frame: Frame) -> None:
        if self.person_row is not None and frame.relevant != self.eligible:
            self.problem(
                frame.row,
                frame.name,
                "person 그룹이 여럿인데 relevant (대상 조건)가 서로 다릅니다.",
                "there are several person groups with different relevant (eligible) rules.",
            )
        if self.person_row is None:
            self.person_row = frame.row
            self.eligible = frame.relevant
        if frame.repeat_count:
            frame.repeat_count = None  # the person part is asked of each eligible roster member

    def end(self, row: Row, kind: str) -> None:
        if not self.stack:
            self.problem(
                row.number,
                None,
                f"end_{kind} 앞에 맞는 begin_{kind} 가 없습니다.",
                f"end_{kind} without a matching begin_{kind}.",
            )
            return
        frame = self.stack.pop()
        if frame.kind != kind:
            self.problem(
                row.number,
                frame.name,
                f"begin_{frame.kind} '{frame.name}' (survey row {frame.row}) 를 end_{kind} 로 "
                "닫았습니다.",
                f"begin_{frame.kind} '{frame.name}' (survey row {frame.row}) is closed by "
                f"end_{kind}.",
            )
        if frame.role == "roster":
            for outer in self.stack:
                outer.section = None

    # -- questions ------------------------------------------------------------------------
    def choice_question(
        self, row: Row, kind: str, name: str | None, list_name: str | None, extra: list[str]
    ) -> None:
        other = extra == ["or_other"] and not kind.endswith("_external")
        raw_type = row.get("type", self.columns)
        if list_name is None:
            self.problem(
                row.number,
                name,
                f"'{raw_type}': 선택지 목록 이름이 없습니다 (select_one <목록 이름>).",
                f"'{raw_type}': the choice list name is missing (select_one <list name>).",
            )
            return
        if extra and not other:
            self.problem(
                row.number,
                name,
                f"질문 유형 '{raw_type}' 은(는) 지원하지 않습니다. select_one <목록>, "
                "select_multiple <목록> (뒤에 or_other 가능) 으로 쓰세요.",
                f"question type '{raw_type}' is not supported; write select_one <list> or "
                "select_multiple <list> (optionally followed by or_other).",
            )
            return
        question = self.question(
            row, "single" if kind.startswith("select_one") else "multiple", name
        )
        question["choices"] = list_name
        if name:
            self.question_lists[name] = list_name
        if kind.endswith("_external"):
            self.external.append((question, list_name, row.number))
        if other and name:
            self.other_question(row, name, list_name)

    def other_question(self, row: Row, name: str, list_name: str) -> None:
        """``or_other`` as pyxform does it: an ``other`` choice in the list, and a text
        question ``<name>_other`` asked when it is chosen."""
        self.or_other.add(list_name)
        languages = {self.language, *row.texts("label", self.columns, self.language)}
        label = {lang: OTHER_LABEL.get(lang, OTHER_LABEL["en"]) for lang in languages}
        question: dict[str, Any] = {"name": f"{name}_other", "type": "text", "label": label}
        question["relevant"] = f"selected(${{{name}}}, 'other')"
        self.slots.append(RuleSlot(question, "relevant", row.number, question["name"]))
        self.place(row, question)
        self.question_rows.setdefault(question["name"], row.number)

    def question(self, row: Row, qtype: str, name: str | None) -> dict[str, Any]:
        question: dict[str, Any] = (
            {"type": qtype} if name is None else {"name": name, "type": qtype}
        )
        for source, key in (("label", "label"), ("hint", "help")):
            texts = row.texts(source, self.columns, self.language)
            if texts:
                question[key] = texts
        if "label" not in question and "help" in question:
            question["label"] = question.pop("help")  # XLSForm asks for a label or a hint
        for source in ("constraint_message", "unit"):
            texts = row.texts(source, self.columns, self.language)
            if texts:
                question[source] = texts
        for key in ("appearance", "grid"):
            value = row.get(key, self.columns)
            if value:
                question[key] = value
        for key in ("min", "max", "max_length"):
            value = row.get(key, self.columns)
            if value:
                question[key] = number_or_text(value)  # not a number: the loader says so
        default = row.get("default", self.columns)
        if default and name:
            self.defaults[name] = default
        self.read_only(row, question, name)
        self.media_label(row, question, name)
        self.rules(row, question, name)
        if qtype == "scale":
            self.range_parameters(row, question, name)
        elif row.get("parameters", self.columns) and qtype not in CAPTURED_TYPES:
            self.problem(
                row.number,
                name,
                "parameters 는 range 질문에만 가져옵니다.",
                "parameters are only imported for range questions.",
            )
        if row.get("repeat_count", self.columns):
            self.problem(
                row.number,
                name,
                "repeat_count 는 begin_repeat 에만 씁니다.",
                "repeat_count only applies to begin_repeat.",
            )
        self.place(row, question)
        if name:
            self.question_rows.setdefault(name, row.number)
        return question

    def read_only(self, row: Row, question: dict[str, Any], name: str | None) -> None:
        """``read_only`` yes/true: the question is shown and never edited (a note or a
        calculation never is, so it changes nothing there)."""
        value = row.get("read_only", self.columns).lower()
        if value in FALSE_WORDS or question["type"] in ("note", "calculate"):
            return
        if value in TRUE_WORDS:
            question["read_only"] = True
            return
        self.problem(
            row.number,
            name,
            f"read_only 는 yes 또는 no 로 씁니다 (지금은 '{value}'); 조건에 따라 읽기 전용이 "
            "되는 식은 지원하지 않습니다.",
            f"write read_only as yes or no (found '{value}'); a rule making a question "
            "read-only only sometimes is not supported.",
        )

    def media_label(self, row: Row, question: dict[str, Any], name: str | None) -> None:
        """A question labelled only by a picture, a sound or a film (``image``,
        ``media::image``…): its label is the file's name (attachments are not uploaded yet,
        so the page shows the name), and the file is kept in ``metadata["media_labels"]``."""
        if "label" in question or not name:
            return
        for column in self.columns:
            kind = column.language if column.base == "media" and column.tagged else column.base
            value = row.cells.get(column.header, "")
            if kind in MEDIA_KINDS and value and (column.base == "media" or not column.tagged):
                question["label"] = {self.language: value}
                self.media_labels[name] = (kind.lower(), value)
                return

    def rules(self, row: Row, question: dict[str, Any], name: str | None) -> None:
        flat = [f.relevant for f in self.stack[self.section_depth() + 1 :]]
        relevant = combine(*flat, self.rule(row, "relevant"))
        pairs = (
            ("relevant", relevant),
            ("constraint", self.rule(row, "constraint")),
            ("calculate", self.rule(row, "calculation")),
            ("choice_filter", self.rule(row, "choice_filter")),
        )
        for key, value in pairs:
            if key == "choice_filter" and question["type"] not in ("single", "multiple"):
                if value:  # pyxform reads a choice filter on selects only; ODK never sees it
                    self.ignored.append(
                        {"row": row.number, "question": name or "", "column": key, "text": value}
                    )
                continue
            if value:
                question[key] = value
                self.slots.append(RuleSlot(question, key, row.number, name))
        required = row.get("required", self.columns)
        if required.lower() in TRUE_WORDS:
            question["required"] = True
        elif required.lower() not in FALSE_WORDS:
            question["required"] = rule_text(required)
            self.slots.append(RuleSlot(question, "required", row.number, name))

    def range_parameters(self, row: Row, question: dict[str, Any], name: str | None) -> None:
        text = row.get("parameters", self.columns)
        values: dict[str, str] = {}
        for item in text.replace(";", " ").replace(",", " ").split():
            key, _, value = item.partition("=")
            values[key.strip().lower()] = value.strip()
        try:
            numbers = {k: float(v) for k, v in values.items()}
        except ValueError:
            numbers = {}
        if set(values) - {"start", "end", "step"} or len(numbers) != len(values):
            self.problem(
                row.number,
                name,
                f"range 의 parameters '{text}' 는 'start=0 end=10 step=1' 형태여야 합니다.",
                f"range parameters '{text}' must look like 'start=0 end=10 step=1'.",
            )
            return
        if numbers.get("step", 1) != 1:
            self.problem(
                row.number,
                name,
                "range 는 step=1 만 지원합니다 (정수 척도로 저장합니다).",
                "range only supports step=1 (stored as a whole-number scale).",
            )
        for source, key in (("start", "min"), ("end", "max")):
            if source in numbers:
                number = numbers[source]
                question[key] = int(number) if number.is_integer() else number

    # -- sections -------------------------------------------------------------------------
    def section_depth(self) -> int:
        """Index in ``stack`` of the innermost frame that makes sections (-1: the loose one)."""
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].role != "flat":
                return index
        return -1

    def place(self, row: Row, question: dict[str, Any]) -> None:
        depth = self.section_depth()
        frame = self.loose if depth < 0 else self.stack[depth]
        if frame.section is None:
            frame.section = self.new_section(frame, row)
        part = "person" if frame.role == "person" else frame.part
        sections = self.sections[part]
        index = next(i for i, s in enumerate(sections) if s is frame.section)
        self.lines[(part, "sections", index, "questions", len(frame.section["questions"]))] = (
            f"survey row {row.number}"
        )
        frame.section["questions"].append(question)

    def ask_how_many(self, frame: Frame) -> str:
        """A repeat without ``repeat_count`` asks first how many times it repeats.

        In ODK Collect a person adds repeats one by one until they say there are no more;
        here the roster is drawn from its count, so the form gets one more question just
        before the repeat — ``<repeat>_count``, a whole number from 0 to ``MAX_ROSTER``, in
        a screen of its own — and the repeat counts from it. ``count(${<repeat>})`` equals
        it, as in ODK; the question is named in ``metadata["generated_counts"]``.
        """
        name = f"{frame.name}_count"
        label = {
            lang: (
                f"'{title}' 은(는) 모두 몇입니까? (명·개 수)"
                if lang == "ko"
                else f"How many '{title}' are there?"
            )
            for lang, title in frame.title.items()
        }
        question = {
            "name": name,
            "type": "integer",
            "required": True,
            "min": 0,
            "max": MAX_ROSTER,
            "label": label,
        }
        if frame.relevant:
            question["relevant"] = frame.relevant
            self.slots.append(RuleSlot(question, "relevant", frame.row, name))
        section = {"id": f"{frame.name}_how_many", "title": frame.title, "questions": [question]}
        sections = self.sections[frame.part]
        sections.append(section)
        where = f"survey row {frame.row}"
        self.lines[(frame.part, "sections", len(sections) - 1)] = where
        self.lines[(frame.part, "sections", len(sections) - 1, "questions", 0)] = where
        self.generated_counts[frame.name] = name
        return f"${{{name}}}"

    def new_section(self, frame: Frame, row: Row) -> dict[str, Any]:
        frame.pieces += 1
        section_id = frame.name if frame.pieces == 1 else f"{frame.name}_{frame.pieces}"
        section: dict[str, Any] = {"id": section_id, "title": frame.title, "questions": []}
        first_row = frame.row if frame is not self.loose else row.number
        if frame.role == "roster":
            section["roster"] = True
            if not frame.repeat_count and frame.part == "household":
                frame.repeat_count = self.ask_how_many(frame)
            if frame.repeat_count:
                section["repeat_count"] = frame.repeat_count
                self.slots.append(RuleSlot(section, "repeat_count", frame.row, None))
            outer = [f.relevant for f in self.stack if f is not frame and f.role != "person"]
            relevant = combine(*outer, frame.relevant)
        else:
            relevant = frame.relevant if frame.role != "person" else None
        if relevant:
            section["relevant"] = relevant
            self.slots.append(RuleSlot(section, "relevant", first_row, None))
        part = "person" if frame.role == "person" else frame.part
        self.sections[part].append(section)
        self.lines[(part, "sections", len(self.sections[part]) - 1)] = f"survey row {first_row}"
        return section
