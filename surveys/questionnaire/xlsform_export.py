"""Write any questionnaire as an XLSForm workbook that reads back to the same questionnaire.

Why: a questionnaire kept here (a shipped YAML definition or an uploaded version) should be
able to go to ODK Collect, Enketo or KoBoToolbox, and come back, without a developer and
without losing a word. ``to_xlsform`` writes the sheets ``survey``, ``choices`` and
``settings`` as pyxform reads them; ``surveys.questionnaire.xlsform.read_xlsform`` reads
the workbook back to a questionnaire equal to the one written (``tests/surveys/
test_xlsform_export.py`` holds every shipped definition and the accepted corpus forms to
that, field by field).

What maps to what (the reader's conventions, ``surveys.questionnaire.xlsform_survey``):

* a household section → ``begin_group <id>`` … ``end_group`` (label: its title, relevant:
  its rule); the roster → ``begin_repeat`` with ``repeat_count``. A roster whose count the
  reader asked for itself (``metadata["generated_counts"]``: a repeat without
  ``repeat_count``) is written as it came, without the generated question and count;
* the person part → a top-level ``begin_group person`` whose ``relevant`` is ``eligible``,
  its sections groups inside it;
* a question → one row: ``select_one``/``select_multiple <list>``, ``range`` (a scale, with
  ``parameters`` ``start= end= step=1``) or the type's own name; ``label``, ``hint`` (help),
  ``required`` (``yes`` or its rule), ``relevant``, ``constraint``, ``constraint_message``,
  ``calculation``, ``choice_filter``, ``appearance`` and ``default``
  (``metadata["defaults"]``);
* every text in every language of the questionnaire → ``label::Korean (ko)``-style columns,
  the default language declared in ``settings.default_language``;
* rules → as written (the rule language is XLSForm's ``${name}`` syntax). For a list whose
  choices had names in their workbook (``metadata["choice_names"]``) the names are written
  and rules compare with names again (``${q} = 'yes'``, not ``${q} = 1``); the reader turns
  them into the same codes. Names the model changed (``metadata["xlsform_names"]``:
  ``a.b`` → ``a_b``) are written as the workbook had them;
* a choice filter's values → a ``filter`` column of the choices sheet (the rule tests
  ``filter``); a list filtered on several named columns (``Choice.columns``) → a column of
  each name; ``exclusive`` choices → an ``exclusive`` column; a code repeated under other
  filter values → ``settings.allow_choice_duplicates``;
* an ``osm`` question (a ``file`` question named in ``metadata["osm"]``) → ``osm <tags>``,
  and the ``osm`` sheet from ``metadata["osm_tags"]``;
* a list of the workbook's ``external_choices`` sheet (``metadata["external_choices"]``) →
  that sheet again, under its name there, and its questions ``select_one_external <list>``;
* what XLSForm has no column for, in columns pyxform ignores and the reader reads: ``min``,
  ``max``, ``max_length``, ``unit::<language>``, ``grid``; ``settings.kind`` for a panel wave;
  ``settings.person_group`` when a household section's id also starts with ``person``.

Every text is a string cell, never a formula; one a spreadsheet could take for a formula
when edited (``data.spreadsheet_safety.needs_apostrophe``) is marked as text with Excel's
``quotePrefix`` rather than given an apostrophe, so that it reads back exactly as written.

Not written: the file's ``source_hash`` (a new file has its own) and the metadata the reader
records about a file (``source_format``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from data.spreadsheet_safety import needs_apostrophe
from data.text import InvalidRequest, Text
from surveys.questionnaire.expressions import Binary, Call, Current, Literal, Node, Ref, to_source
from surveys.questionnaire.model import Label, Part, Question, Questionnaire, Rule, Section
from surveys.questionnaire.xlsform_rules import filter_pairs, literal_text, transform
from surveys.questionnaire.xlsform_sheets import LANGUAGE_NAMES, language_of

DEFAULT_MAX_LENGTH = 500  # the loader's, for a text question without max_length
PLAIN_TYPES = {"scale": "range", "single": "select_one", "multiple": "select_multiple"}
# Columns in the order XLSForm's own templates have them (a language's columns by base).
COLUMN_ORDER = (
    *("type", "list_name", "name", "label", "hint", "required", "relevant", "constraint"),
    *("constraint_message", "calculation", "choice_filter", "repeat_count", "appearance"),
    *("parameters", "default", "read_only", "min", "max", "max_length", "unit", "grid"),
    *("filter", "image", "audio", "video", "big-image"),
    *("exclusive", "form_id", "form_title", "version", "default_language", "kind"),
    *("person_group", "allow_choice_duplicates"),
)
_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_INTEGER = re.compile(r"^-?[0-9]+$")
CELL_LIMIT = 32767  # characters in one Excel cell
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses in a cell


class ExportRefused(InvalidRequest):
    """A questionnaire text that a workbook cannot hold (``reason`` ``"unwritable_text"``)."""


def to_xlsform(questionnaire: Questionnaire) -> bytes:
    """The questionnaire as an XLSForm workbook (.xlsx bytes): sheets survey, choices, settings.

    ``read_xlsform`` of these bytes gives back an equal questionnaire (but for its
    ``source_hash`` and ``metadata["source_format"]``). Raises :class:`ExportRefused` for a
    text holding control characters, which no workbook (and no XForm) can carry.
    """
    from openpyxl import Workbook  # imported when a workbook is written, as when one is read

    writer = _Writer(questionnaire)
    workbook = Workbook()
    sheets = [
        ("survey", writer.survey_rows()),
        ("choices", writer.choice_rows(external=False)),
        ("settings", [writer.settings_row()]),
    ]
    if writer.external:
        sheets.insert(2, ("external_choices", writer.choice_rows(external=True)))
    if writer.osm:
        sheets.append(("osm", writer.osm_rows()))
    for index, (title, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        _fill(sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- cells ------------------------------------------------------------------------------------
def language_name(language: str) -> str:
    """How a column names ``language``: ``Korean (ko)`` for a known one, else the tag itself;
    either reads back as ``language`` (``xlsform_sheets.language_of``)."""
    names = [name for name, code in LANGUAGE_NAMES.items() if code == language and name.isascii()]
    candidates = [f"{names[0].title()} ({language})"] if names else []
    for written in (*candidates, language):
        if language_of(written, "\0") == language:
            return written
    raise ValueError(f"language tag {language!r} cannot be written as a column")


def language_column(base: str, language: str) -> str:
    """``label::Korean (ko)``: the column of ``base`` texts in ``language``."""
    return f"{base}::{language_name(language)}"


def _fill(sheet: Any, rows: list[dict[str, Any]]) -> None:
    filled = dict.fromkeys(h for row in rows for h, value in row.items() if value not in (None, ""))
    headers = sorted(filled, key=_column_rank)  # a list's named filter columns last
    sheet.append(headers)
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            value = row.get(header)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                _check(value, f"{sheet.title} row {number}, {header}")
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                # and text still when edited: Excel's mark (what typing '=1 stores), not an
                # apostrophe in the text, which would not read back as written
                cell.quotePrefix = needs_apostrophe(value)


def _column_rank(header: str) -> int:
    base = header.partition("::")[0]
    return COLUMN_ORDER.index(base) if base in COLUMN_ORDER else len(COLUMN_ORDER)


def _check(text: str, where: str) -> None:
    """Refuse a text a cell cannot hold as it is (openpyxl would fail, or cut it short)."""
    if _CONTROL.search(text) or "\r" in text:  # a cell's XML reads \r as \n
        why = Text(
            "엑셀 셀에 쓸 수 없는 제어 문자가 있습니다",
            "it holds control characters that a workbook cell cannot hold",
        )
    elif len(text) > CELL_LIMIT:
        why = Text(
            f"엑셀 셀 하나에 담을 수 있는 {CELL_LIMIT}자보다 깁니다",
            f"it is longer than the {CELL_LIMIT} characters a workbook cell holds",
        )
    else:
        return
    raise ExportRefused(
        "unwritable_text",
        Text(
            f"XLSForm 으로 쓸 수 없습니다 ({where}): {why.ko}. 고친 뒤 다시 내려받으세요.",
            f"cannot be written as an XLSForm ({where}): {why.en}; fix it and download again.",
        ),
    )


# -- the writer -------------------------------------------------------------------------------
class _Writer:
    """One questionnaire's rows, with what it knows of the workbook it came from."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        metadata = questionnaire.metadata
        self.names: Mapping[str, str] = metadata.get("xlsform_names") or {}
        self.choice_names: Mapping[str, Mapping[int, str]] = metadata.get("choice_names") or {}
        self.defaults: Mapping[str, str] = metadata.get("defaults") or {}
        self.generated: Mapping[str, str] = metadata.get("generated_counts") or {}
        self.external: Mapping[str, str] = metadata.get("external_choices") or {}
        self.osm: Mapping[str, str] = metadata.get("osm") or {}
        self.media: Mapping[str, tuple[str, str]] = metadata.get("media_labels") or {}
        self.list_of = {
            question.name: question.choices
            for _, _, question in questionnaire.all_questions()
            if question.choices is not None
        }

    # -- texts and rules ----------------------------------------------------------------
    def texts(self, base: str, text: Text | None) -> dict[str, str]:
        """``{column: text}`` for each of the questionnaire's languages the text is given in."""
        if text is None:
            return {}
        given = dict(text.texts) if isinstance(text, Label) else {"ko": text.ko, "en": text.en}
        return {
            language_column(base, lang): given[lang] for lang in self.q.languages if given.get(lang)
        }

    def name(self, model_name: str) -> str:
        """The name as the workbook had it (``a.b`` for the model's ``a_b``)."""
        return self.names.get(model_name, model_name)

    def rule(self, rule: Rule | None, current: str | None = None) -> str | None:
        """The rule as an XLSForm cell: codes of named lists back to their names, references
        to the workbook's names (the reader undoes both, giving the same rule source)."""
        if rule is None:
            return None
        named = transform(rule.node, lambda node: self._named(node, current))
        source = rule.source if named == rule.node else to_source(named)
        return _REFERENCE.sub(self._reference, source)

    def _reference(self, match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return "${" + self.names[name] + "}" if name in self.names else match.group(0)

    def _choice_name(self, question: str | None, literal: Node) -> str | None:
        names = self.choice_names.get(self.list_of.get(question or "") or "")
        if not names or not isinstance(literal, Literal) or isinstance(literal.value, bool):
            return None
        text = literal_text(literal).strip()
        name = names.get(int(text)) if _INTEGER.match(text) else None
        return None if name == text else name  # a name that is its own code: written as is

    def _named(self, node: Node, current: str | None) -> Node:
        def question_of(part: Node) -> str | None:
            return (
                part.name
                if isinstance(part, Ref)
                else current
                if isinstance(part, Current)
                else None
            )

        if isinstance(node, Call) and node.name == "selected" and len(node.args) == 2:
            name = self._choice_name(question_of(node.args[0]), node.args[1])
            return node if name is None else Call(node.name, (node.args[0], Literal(name)))
        if isinstance(node, Binary) and node.op in ("=", "!="):
            left = self._choice_name(question_of(node.right), node.left)
            right = self._choice_name(question_of(node.left), node.right)
            return Binary(
                node.op,
                node.left if left is None else Literal(left),
                node.right if right is None else Literal(right),
            )
        return node

    # -- survey -------------------------------------------------------------------------
    def survey_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        counted = self._generated_counts(self.q.household)
        skipped = {f"{roster}_how_many" for roster in counted}
        for section in self.q.household.sections:
            if section.id not in skipped:
                rows.extend(self.section_rows(section, counted))
        person = self.q.person
        if person is not None:
            rows.append(
                {
                    "type": "begin_group",
                    "name": self.person_group(),
                    "relevant": self.rule(person.eligible),
                }
            )
            for section in person.sections:
                rows.extend(self.section_rows(section, counted))
            rows.append({"type": "end_group"})
        return rows

    def _generated_counts(self, household: Part) -> set[str]:
        """The rosters whose count the reader asked for (a repeat without ``repeat_count``):
        written without it, and without the ``<repeat>_how_many`` section the reader made
        before it, so that the reader makes them again."""
        counted = set()
        sections = household.sections
        for before, roster in zip(sections, sections[1:], strict=False):
            count = self.generated.get(roster.id)
            if (
                roster.roster
                and count is not None
                and before.id == f"{roster.id}_how_many"
                and [q.name for q in before.questions] == [count]
                and roster.repeat_count is not None
                and roster.repeat_count.source == f"${{{count}}}"
            ):
                counted.add(roster.id)
        return counted

    def person_group(self) -> str:
        """The person part's group: ``person``, or a free name starting with it."""
        taken = {s.id for p in self.q.parts for s in p.sections}
        taken |= {q.name for _, _, q in self.q.all_questions()}
        name, number = "person", 1
        while name in taken:
            number += 1
            name = f"person_{number}"
        return name

    def section_rows(self, section: Section, counted: set[str]) -> Iterator[dict[str, Any]]:
        kind = "repeat" if section.roster else "group"
        begin: dict[str, Any] = {
            "type": f"begin_{kind}",
            "name": self.name(section.id),
            **self.texts("label", section.title),
            "relevant": self.rule(section.relevant),
        }
        if section.roster and section.id not in counted:
            begin["repeat_count"] = self.rule(section.repeat_count)
        yield begin
        for question in section.questions:
            yield self.question_row(question)
        yield {"type": f"end_{kind}"}

    def question_row(self, question: Question) -> dict[str, Any]:
        kind = PLAIN_TYPES.get(question.type, question.type)
        choices = question.choices
        if choices is not None and choices in self.external:
            kind, choices = f"{kind}_external", self.external[choices]
        if question.name in self.osm:  # an OpenStreetMap feature, captured as a file
            kind = f"osm {self.osm[question.name]}".strip()
        row: dict[str, Any] = {
            "type": f"{kind} {choices}" if choices else kind,
            "name": self.name(question.name),
            **self.texts("label", question.label),
            **self.texts("hint", question.help),
            "required": "yes"
            if question.required
            else self.rule(question.required_if, question.name),
            "relevant": self.rule(question.relevant, question.name),
            "constraint": self.rule(question.constraint, question.name),
            **self.texts("constraint_message", question.constraint_message),
            "calculation": self.rule(question.calculate, question.name),
            "choice_filter": self.rule(question.choice_filter, question.name),
            "appearance": question.appearance,
            "read_only": "yes" if question.read_only else None,
            "default": self.defaults.get(question.name),
        }
        if question.type == "scale":
            row["parameters"] = f"start={_number(question.min)} end={_number(question.max)} step=1"
        else:
            row["min"], row["max"] = question.min, question.max
        if question.max_length is not None and question.max_length != DEFAULT_MAX_LENGTH:
            row["max_length"] = question.max_length
        row.update(self.texts("unit", question.unit))
        if question.name in self.media:  # labelled by a file only: that file, and no label
            kind, file = self.media[question.name]
            row = {k: v for k, v in row.items() if not k.startswith("label::")}
            row[kind] = file
        row["grid"] = question.grid
        return row

    # -- choices ------------------------------------------------------------------------
    def choice_rows(self, *, external: bool) -> list[dict[str, Any]]:
        """The rows of the choices sheet, or of the external_choices sheet."""
        rows: list[dict[str, Any]] = []
        filters = self._filter_names()
        for list_name, choice_list in self.q.choice_lists.items():
            if (list_name in self.external) != external:
                continue
            names = self.choice_names.get(list_name, {})
            to_name = filters.get(list_name, {})
            for choice in choice_list.choices:
                value = choice.filter_value
                named = to_name.get("filter", {})
                row = {
                    "list_name": self.external.get(list_name, list_name),
                    "name": names.get(choice.code, choice.code),
                    **self.texts("label", choice.label),
                    "filter": None if value is None else named.get(value, value),
                    "exclusive": "yes" if choice.exclusive else None,
                }
                for column, cell in choice.columns:
                    named = to_name.get(column, {})
                    row[column] = None if cell is None else named.get(cell, cell)
                rows.append(row)
        return rows

    def _filter_names(self) -> dict[str, dict[str, dict[str, str]]]:
        """For a filtered list whose filter values are codes of a named list (the reader turned
        names into codes): column → filter value → that choice's name, as the workbook had
        it (column ``filter``, or the list's named columns)."""
        found: dict[str, dict[str, dict[str, str]]] = {}
        for _, _, question in self.q.all_questions():
            if question.choice_filter is None or question.choices is None:
                continue
            for column, source in sorted(filter_pairs(question.choice_filter.node)):
                names = self.choice_names.get(self.list_of.get(source) or "")
                columns = found.setdefault(question.choices, {})
                if names and column not in columns:
                    columns[column] = {str(code): name for code, name in names.items()}
        return found

    def duplicates(self) -> bool:
        """Whether a list of the choices sheet repeats a code (under other filter values)."""
        return any(
            len(set(c.codes())) < len(c.choices)
            for name, c in self.q.choice_lists.items()
            if name not in self.external
        )

    def osm_rows(self) -> list[dict[str, Any]]:
        """The osm sheet: the tags of the osm questions' lists, as the workbook had them."""
        tags = self.q.metadata.get("osm_tags") or []
        return [{"list_name": a, "name": b, "label": c or None} for a, b, c in tags]

    # -- settings -----------------------------------------------------------------------
    def settings_row(self) -> dict[str, Any]:
        q = self.q
        row: dict[str, Any] = {
            "form_id": q.metadata.get("form_id") or q.id,
            "version": q.version,
            **self.texts("form_title", q.title),
            "default_language": language_name(q.languages[0]),
        }
        if q.kind != "cross_section":
            row["kind"] = q.kind
        if self.duplicates():
            row["allow_choice_duplicates"] = "yes"
        if any(s.id.lower().startswith("person") for s in q.household.sections):
            row["person_group"] = self.person_group()  # not read as the person part
        return row


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
