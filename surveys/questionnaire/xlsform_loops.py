"""XLSForm's ``begin loop over LIST`` … ``end loop``, expanded as pyxform expands it.

Why a module of its own: a loop is not a repeat (its number of turns is the list's choices,
fixed by the form) and the model needs nothing new for it. pyxform writes a loop as a group
holding one group per choice of LIST, each holding the loop's questions, with ``%(name)s``
and ``%(label)s`` in every cell replaced by that choice's name and label. Here the survey
sheet's rows are rewritten the same way before ``surveys.questionnaire.xlsform_survey``
reads them: ``begin group <loop>``, then per choice ``begin group <loop>_<choice>`` with
the questions named ``<loop>_<choice>_<question>`` (names are unique in the model, where
XPath tells them apart by their groups), references between the loop's questions made to
name the same turn's question, then ``end group``. The expanded groups are what the export
writes, and read back as the same questionnaire.
"""

from __future__ import annotations

import functools
import re

from surveys.questionnaire.xlsform_sheets import Column, Row, Sheet, language_of
from surveys.questionnaire.xlsform_types import model_name

_BEGIN = re.compile(r"^\s*begin[\s_]+loop\s+over\s+(\S+)\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*end[\s_]+loop\s*$", re.IGNORECASE)
_REFERENCE = re.compile(r"\$\{\s*([^}]*?)\s*\}")

Problem = tuple[int, str | None, str, str]  # (survey row, question, Korean, English)


def expand_loops(
    survey: Sheet, choices: Sheet | None, language: str
) -> tuple[list[Row], list[Problem]]:
    """The survey's rows with every loop expanded, and the problems of loops that cannot be."""
    header = {base: _header(survey.columns, base) for base in ("type", "name", "label")}
    out: list[Row] = []
    problems: list[Problem] = []
    open_loop: tuple[Row, str, list[Row]] | None = None
    for row in survey.rows:
        kind = row.get("type", survey.columns)
        begin = _BEGIN.match(kind)
        if open_loop is None:
            if begin:
                open_loop = (row, begin.group(1), [])
            elif _END.match(kind):
                problems.append(_unmatched(row))
            else:
                out.append(row)
            continue
        if _END.match(kind):
            start, list_name, body = open_loop
            open_loop = None
            out.extend(_turns(survey, choices, language, header, start, list_name, body, row))
            if choices is None or not _choices_of(choices, list_name):
                problems.append(_no_list(start, list_name, survey))
        elif begin:
            problems.append(_nested(row, survey))
        else:
            open_loop[2].append(row)
    if open_loop is not None:
        start = open_loop[0]
        name = start.get("name", survey.columns) or None
        problems.append(
            (
                start.number,
                name,
                "begin loop 에 맞는 end loop 가 없습니다.",
                "begin loop has no matching end loop.",
            )
        )
    return out, problems


def _header(columns: list[Column], base: str) -> str:
    plain = [c.header for c in columns if c.base == base and not c.tagged]
    tagged = [c.header for c in columns if c.base == base]
    return (plain or tagged or [base])[0]


def _choices_of(choices: Sheet, list_name: str) -> list[Row]:
    return [
        row
        for row in choices.rows
        if row.get("list_name", choices.columns) == list_name and row.get("name", choices.columns)
    ]


def _turns(
    survey: Sheet,
    choices: Sheet | None,
    language: str,
    header: dict[str, str],
    start: Row,
    list_name: str,
    body: list[Row],
    end: Row,
) -> list[Row]:
    loop = start.get("name", survey.columns) or f"loop_row_{start.number}"
    rows = [Row(start.number, {**start.cells, header["type"]: "begin group"})]
    inside = {model_name(name) for row in body if (name := row.get("name", survey.columns))}
    for choice in _choices_of(choices, list_name) if choices is not None else []:
        name = choice.get("name", choices.columns) if choices is not None else ""
        labels = choice.texts("label", choices.columns, language) if choices else {}
        prefix = f"{loop}_{name}"
        group_label = labels.get(language) or next(iter(labels.values()), name)
        rows.append(
            Row(
                start.number,
                {
                    header["type"]: "begin group",
                    header["name"]: prefix,
                    header["label"]: group_label,
                },
            )
        )
        for row in body:
            cells = {}
            for column in survey.columns:
                value = row.cells.get(column.header)
                if not value:
                    continue
                if column.base == "type":
                    cells[column.header] = value
                    continue
                tag = language_of(column.language if column.tagged else None, language)
                label = labels.get(tag) or group_label
                value = value.replace("%(name)s", name).replace("%(label)s", label)
                value = _REFERENCE.sub(functools.partial(_turn_reference, prefix, inside), value)
                if column.base == "name":
                    value = f"{prefix}_{value}"
                cells[column.header] = value
            rows.append(Row(row.number, cells))
        rows.append(Row(end.number, {header["type"]: "end group"}))
    rows.append(Row(end.number, {header["type"]: "end group"}))
    return rows


def _turn_reference(prefix: str, inside: set[str], match: re.Match[str]) -> str:
    """``${q}`` naming a question of the loop → that question in this turn."""
    name = match.group(1)
    return "${" + f"{prefix}_{name}" + "}" if model_name(name) in inside else match.group(0)


def _unmatched(row: Row) -> Problem:
    return (
        row.number,
        None,
        "end loop 앞에 맞는 begin loop 가 없습니다.",
        "end loop without a matching begin loop.",
    )


def _nested(row: Row, survey: Sheet) -> Problem:
    return (
        row.number,
        row.get("name", survey.columns) or None,
        "loop 안의 loop 는 지원하지 않습니다.",
        "a loop inside a loop is not supported.",
    )


def _no_list(start: Row, list_name: str, survey: Sheet) -> Problem:
    return (
        start.number,
        start.get("name", survey.columns) or None,
        f"loop 가 도는 선택지 목록 '{list_name}' 이(가) choices 시트에 없습니다.",
        f"the loop goes over the choice list '{list_name}', which the choices sheet has not.",
    )
