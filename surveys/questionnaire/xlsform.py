"""Import XLSForm workbooks (ODK, KoBoToolbox) into ``surveys.questionnaire.model``.

Why: many Seoul teams already design questionnaires in KoBoToolbox or ODK.
They can bring the workbook as it is; it becomes the same ``Questionnaire``
a YAML definition gives, checked by the same rules, with every problem
located by sheet and row (``survey row 17``, ``choices row 5``, ``settings``).

The workbook is turned into the dict shape of ``surveys/definitions/README.md``
(sheets ``settings``, ``survey`` via ``surveys.questionnaire.xlsform_survey``, ``choices``)
and handed to ``surveys.questionnaire.loader_shape.build_questionnaire``. Two things are XLSForm
specific:

* choice codes must be integers: a list whose names are not all integers is
  numbered 1..n in sheet order, rules comparing with its names are rewritten
  to the codes (``surveys.questionnaire.xlsform_rules``), and the original names are kept in
  ``Questionnaire.metadata["choice_names"][list][code]``;
* a choice filter names an extra column of the choices sheet; that column's
  value becomes ``Choice.filter_value`` and the rule tests ``filter``. A list whose
  filters read several columns (``state=${state} and county=${county}``) keeps each by
  name (``Choice.columns``), and a name repeated under other filter values keeps one code
  (the external_choices sheet, or ``allow_choice_duplicates``, as pyxform);
* ``select_one_external LIST`` reads LIST from the ``external_choices`` sheet
  (``metadata["external_choices"]``); a rule comparing a select with a name its list has
  not is kept (never true, as in ODK) and left to the static checks.

What the model keeps that XLSForm has no column for is read from the columns
``surveys.questionnaire.xlsform_export`` writes (pyxform ignores them): on the survey
sheet ``min``, ``max``, ``max_length``, ``unit::<language>`` and ``grid``; on the
settings sheet ``kind`` (``panel_wave``) and ``person_group`` (which top-level group
is the person part, when a household group's name also starts with ``person``); on
the choices sheet a ``filter`` column, read even when no choice filter tests it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from surveys.questionnaire.expressions import (
    Binary,
    Call,
    ExpressionError,
    Field,
    parse,
    to_source,
)
from surveys.questionnaire.expressions import fields as rule_fields
from surveys.questionnaire.loader_build import Dialect
from surveys.questionnaire.loader_problems import Path as KeyPath
from surveys.questionnaire.loader_problems import Problem, Problems, QuestionnaireError
from surveys.questionnaire.loader_shape import build_questionnaire, sort_problems
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.xlsform_loops import expand_loops
from surveys.questionnaire.xlsform_rules import (
    CodeRewriter,
    filter_pairs,
    rename_fields,
    transform,
    unsupported_features,
)
from surveys.questionnaire.xlsform_sheets import (
    Sheet,
    WorkbookError,
    has_hangul,
    language_of,
    read_workbook,
)
from surveys.questionnaire.xlsform_survey import RuleSlot, SurveyReader
from surveys.questionnaire.xlsform_types import OTHER_CHOICE, TRUE_WORDS, safe_name

INTEGER = re.compile(r"^-?[0-9]+$")
FILTER_FIELD = "filter"


@dataclass
class _Import:
    """The state of one workbook import."""

    path: Path
    problems: Problems
    lines: dict[KeyPath, str] = field(default_factory=dict)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    codes: dict[str, dict[str, int]] = field(default_factory=dict)  # list -> {name: code}
    # list -> the bare names its choice filters read, in order; a list read by one name, a
    # column of its sheet, has it as the model's ``filter``; any other is ``named``: each
    # name is kept, and read from the column of that name (``Choice.columns``)
    filter_columns: dict[str, list[str]] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)
    missing: dict[str, set[str]] = field(default_factory=dict)  # list -> names no column has
    external: dict[str, str] = field(default_factory=dict)  # model list -> external_choices list
    allow_duplicates: bool = False  # settings ``allow_choice_duplicates`` (the choices sheet)

    def problem(self, location: str, concerns: str | None, ko: str, en: str) -> None:
        self.problems.add_at(location, concerns, ko, en)


def load_xlsform(path: str | Path) -> Questionnaire:
    """The questionnaire of an XLSForm workbook; raises QuestionnaireError with every problem."""
    questionnaire, problems = read_xlsform(path)
    if questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def read_xlsform(path: str | Path) -> tuple[Questionnaire | None, list[Problem]]:
    """(questionnaire, []) or (None, every problem)."""
    path = Path(path)
    state = _Import(path, Problems(str(path), default_location="settings"))
    state.problems.lines = state.lines
    try:
        sheets = read_workbook(path)
    except WorkbookError as error:
        state.problem("workbook", None, error.text.ko, error.text.en)
        return None, state.problems.found
    settings = _settings(state, sheets)
    state.allow_duplicates = settings["allow_choice_duplicates"]
    survey = sheets.get("survey")
    if survey is None and len(sheets) == 1:
        (survey,) = sheets.values()  # a workbook of one sheet is its survey, as in pyxform
        survey = survey if survey.has("type") else None
    if survey is None or not survey.rows:
        state.problem(
            "survey",
            None,
            "survey 시트가 없거나 비어 있습니다.",
            "the workbook has no survey sheet, or it is empty.",
        )
        return None, state.problems.found
    rows, loop_problems = expand_loops(survey, sheets.get("choices"), settings["lang"])
    for number, concerns, ko, en in loop_problems:
        state.problem(f"survey row {number}", concerns, ko, en)
    survey = Sheet(survey.name, survey.columns, rows)  # begin loop … end loop: groups per choice
    reader = SurveyReader(
        survey, state.problems, state.lines, settings["id"], settings["title"], settings["lang"]
    )
    reader.person_group = settings["person_group"] or None
    reader.read()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    settings["version"] = settings["version"] or derived_version(digest)
    data = _definition(state, settings, reader)
    choices = sheets.get("choices")
    external = sheets.get("external_choices")
    _external_lists(state, reader, choices, external)
    _filter_columns(state, reader, choices, external)
    data["choice_lists"] = _choice_lists(state, choices, settings["lang"])
    if external is not None:
        data["choice_lists"] = _choice_lists(state, external, settings["lang"], state.external)
    _add_other_choices(state, reader, settings["languages"])
    _rewrite_rules(state, reader)
    dialect = Dialect(languages=settings["languages"], xlsform_names=True)
    questionnaire = build_questionnaire(data, state.problems, dialect)
    if questionnaire is None:
        return None, sort_problems(state.problems.found)
    names = {
        name: {code: choice for choice, code in codes.items()}
        for name, codes in state.codes.items()
    }
    metadata = {**questionnaire.metadata, "source_format": "xlsform", "choice_names": names}
    if settings["declared_id"] and settings["declared_id"] != questionnaire.id:
        metadata["form_id"] = settings["declared_id"]  # as the workbook's settings give it
    if reader.defaults:
        metadata["defaults"] = dict(reader.defaults)  # pre-filled: surveys.questionnaire.defaults
    if reader.renamed:
        metadata["xlsform_names"] = dict(reader.renamed)  # model name -> name in the workbook
    if reader.ignored:  # said as warnings by the static checks (kind "ignored")
        metadata["ignored"] = list(reader.ignored)
    if reader.media_labels:  # labelled by a file only: the label is the file's name
        metadata["media_labels"] = dict(reader.media_labels)
    if reader.osm:  # osm questions (captured files) and the osm sheet's tags
        metadata["osm"] = dict(reader.osm)
        metadata["osm_tags"] = _osm_tags(sheets.get("osm"))
    if state.external:
        metadata["external_choices"] = dict(state.external)  # model list -> its name there
    if reader.generated_counts:  # repeats without repeat_count: the question asked before each
        metadata["generated_counts"] = dict(reader.generated_counts)
    return replace(questionnaire, source_hash=digest, metadata=metadata), []


def _osm_tags(sheet: Sheet | None) -> list[tuple[str, str, str]]:
    """The osm sheet's rows (list name, tag, label): the tags OpenMapKit asks for."""
    if sheet is None:
        return []
    rows = (
        (r.get("list_name", sheet.columns), r.get("name", sheet.columns), r) for r in sheet.rows
    )
    return [
        (list_name, name, row.get("label", sheet.columns))
        for list_name, name, row in rows
        if list_name and name
    ]


def declared_form_id(path: Path) -> str | None:
    """The questionnaire id a workbook declares (its form_id, else the file name)."""
    try:
        sheets = read_workbook(path)
    except WorkbookError:
        return None
    state = _Import(path, Problems(str(path)))
    return _settings(state, sheets)["id"]


# -- settings ---------------------------------------------------------------------------------
def derived_version(digest: str) -> str:
    """The version of a workbook whose settings give none: stable, from the file's SHA-256.

    XLSForm makes ``settings.version`` optional (a third of real forms have no settings
    sheet); the same file always gets the same version, a changed file another one.
    """
    return f"sha256-{digest[:12]}"


def _settings(state: _Import, sheets: dict[str, Sheet]) -> dict[str, Any]:
    sheet = sheets.get("settings")
    row = sheet.rows[0] if sheet is not None and sheet.rows else None
    columns = sheet.columns if sheet is not None else []
    declared = row.get("default_language", columns) if row is not None else ""
    declared = language_of(declared, "") if declared else ""
    languages = _languages(sheets, declared or _guess_language(sheets), bool(declared))
    lang = languages[0]  # the default: untagged columns are in it
    declared_id = row.get("form_id", columns) if row else ""
    form_id = safe_name(declared_id or state.path.stem)  # "Spec test" → spec_test
    version = row.get("version", columns) if row else ""
    kind = row.get("kind", columns) if row else ""  # the platform's own column (see below)
    person_group = row.get("person_group", columns) if row else ""
    title = (
        (row.texts("form_title", columns, lang) or row.texts("title", columns, lang)) if row else {}
    )
    title = title or {lang: form_id}
    for key in ("id", "version", "title", "kind"):
        state.lines[(key,)] = "settings"
    return {
        "id": form_id,
        "version": version or None,
        "kind": kind or None,
        "person_group": person_group,
        "title": title,
        "lang": lang,
        "languages": languages,
        "declared_id": declared_id,
        "allow_choice_duplicates": (
            row.get("allow_choice_duplicates", columns).lower() in TRUE_WORDS if row else False
        ),
    }


_LABELLED = ("label", "hint", "constraint_message", "unit")


def _guess_language(sheets: dict[str, Sheet]) -> str:
    """The language of untagged label columns when settings do not say (``default_language``):
    Korean when they hold Korean letters, else English."""
    for name in ("survey", "choices", "settings"):
        sheet = sheets.get(name)
        if sheet is None:
            continue
        plain = [
            c.header for c in sheet.columns if not c.tagged and c.base in (*_LABELLED, "form_title")
        ]
        if any(has_hangul(row.cells.get(header, "")) for row in sheet.rows for header in plain):
            return "ko"
    return "en"


def _languages(sheets: dict[str, Sheet], default: str, declared: bool) -> tuple[str, ...]:
    """The form's languages from its label columns that hold text, the default first (when
    the form has no untagged text and does not declare it, the first tagged language)."""
    found: list[str] = []
    for name in ("survey", "choices", "settings"):
        sheet = sheets.get(name)
        if sheet is None:
            continue
        for column in sheet.columns:
            if column.base not in (*_LABELLED, "form_title", "title"):
                continue
            if not any(row.cells.get(column.header) for row in sheet.rows):
                continue
            language = language_of(column.language if column.tagged else None, default)
            if language not in found:
                found.append(language)
    if default in found or declared or not found:
        return (default, *(lang for lang in found if lang != default))
    return tuple(found)


def _definition(state: _Import, settings: dict[str, Any], reader: SurveyReader) -> dict:
    state.lines[()] = "settings"
    state.lines[("household",)] = "survey"
    data: dict[str, Any] = {
        "id": settings["id"],
        "version": settings["version"],
        "title": settings["title"],
        "household": {"sections": reader.sections["household"]},
    }
    if settings["kind"]:
        data["kind"] = settings["kind"]  # checked by the loader: cross_section or panel_wave
    if reader.person_row is not None:
        person: dict[str, Any] = {"sections": reader.sections["person"]}
        state.lines[("person",)] = f"survey row {reader.person_row}"
        if reader.eligible:
            person["eligible"] = reader.eligible
            reader.slots.append(RuleSlot(person, "eligible", reader.person_row, None))
        data["person"] = person
    return data


# -- choices ----------------------------------------------------------------------------------
def _list_names(sheet: Sheet | None) -> list[str]:
    """The list names of a choices sheet, in order."""
    if sheet is None:
        return []
    names = (row.get("list_name", sheet.columns) for row in sheet.rows)
    return list(dict.fromkeys(name for name in names if name))


def _external_lists(
    state: _Import, reader: SurveyReader, choices: Sheet | None, external: Sheet | None
) -> None:
    """The lists of the external_choices sheet, and the questions that use them.

    In XLSForm they are apart from the choices sheet's lists (pyxform writes them to
    itemsets.csv), so a name may be on both sheets with other choices; such an external
    list is kept under ``<name>_external`` (``metadata["external_choices"]`` maps it back).
    """
    taken = set(_list_names(choices))
    for list_name in _list_names(external):
        model, number = list_name, 1
        while model in taken:
            model = f"{list_name}_external" if number == 1 else f"{list_name}_external_{number}"
            number += 1
        taken.add(model)
        state.external[model] = list_name
    by_name = {name: model for model, name in state.external.items()}
    for question, list_name, row in reader.external:
        name = question.get("name")
        if external is None:
            state.problem(
                f"survey row {row}",
                name,
                f"'{list_name}' 목록을 external_choices 시트에서 찾는데 통합문서에 그 시트가 "
                "없습니다. external_choices 시트를 더하거나 select_one 으로 쓰세요.",
                f"the list '{list_name}' is looked up on the external_choices sheet, but the "
                "workbook has no such sheet; add it, or write select_one.",
            )
        elif list_name not in by_name:
            state.problem(
                f"survey row {row}",
                name,
                f"external_choices 시트에 목록 '{list_name}' 이(가) 없습니다.",
                f"the external_choices sheet has no list '{list_name}'.",
            )
        question["choices"] = by_name.get(list_name, f"{list_name}_external")
        if name:
            reader.question_lists[name] = question["choices"]


def _filter_columns(
    state: _Import, reader: SurveyReader, choices: Sheet | None, external: Sheet | None
) -> None:
    """Which names each filtered list's rules read, and whether it reads them by name.

    A bare name in a choice filter is a column of the list's sheet (XPath: a child of the
    choice). A name no column has is an empty node-set in ODK, and a comparison with it is
    false (``pastel=yes`` reads a column ``yes``): ``_rewrite_rules`` writes it ``false()``,
    and the static checks say the filter leaves no choice.
    """
    for slot in reader.slots:
        if slot.key != "choice_filter":
            continue
        try:
            names = sorted(rule_fields(parse(slot.holder[slot.key])))
        except ExpressionError:
            continue  # reported later, with the row
        list_name = reader.question_lists.get(slot.question or "")
        if list_name is not None:
            columns = state.filter_columns.setdefault(list_name, [])
            columns.extend(name for name in names if name not in columns)
    for list_name, columns in state.filter_columns.items():
        sheet = external if list_name in state.external else choices
        missing = {name for name in columns if sheet is None or not sheet.has(name.lower())}
        columns[:] = [name for name in columns if name not in missing]
        state.missing[list_name] = missing
        if len(columns) > 1:
            state.named.add(list_name)


def _choice_lists(
    state: _Import, sheet: Sheet | None, lang: str, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """The lists of a choices sheet (``names``: the external_choices sheet's lists, model
    name → name on the sheet) added to ``state.lists``."""
    if sheet is None:
        return dict(state.lists)
    where = sheet.name.strip().lower()
    for header, number in sheet.duplicates():
        state.problem(
            f"{where} row {number}",
            None,
            f"'{header}' 열이 같은 뜻의 다른 열과 겹칩니다. 하나만 남기세요.",
            f"column '{header}' repeats another column of the same meaning; keep one.",
        )
    rows_by_list: dict[str, list] = {}
    for row in sheet.rows:
        list_name, name = row.get("list_name", sheet.columns), row.get("name", sheet.columns)
        if not list_name and not name:
            continue  # a note beside the lists (pyxform reads only rows of a list)
        if not list_name or not name:
            state.problem(
                f"{where} row {row.number}",
                list_name or None,
                f"{where} 의 행에는 list_name 과 name 이 모두 있어야 합니다.",
                f"a {where} row needs both list_name and name.",
            )
            continue
        rows_by_list.setdefault(list_name, []).append(row)
    model = {name: model for model, name in (names or {}).items()}
    for list_name, rows in rows_by_list.items():
        list_model = model.get(list_name, list_name)
        state.lists[list_model] = _one_list(state, sheet, list_model, rows, lang)
    return dict(state.lists)


def _add_other_choices(state: _Import, reader: SurveyReader, languages: tuple[str, ...]) -> None:
    """pyxform's ``other`` choice at the end of each list a question asks ``or_other`` of."""
    for list_name in sorted(reader.or_other):
        choices = state.lists.get(list_name)
        if choices is None:
            continue  # no such list: reported by the loader with the question
        codes = state.codes.setdefault(list_name, {str(c["code"]): c["code"] for c in choices})
        if "other" in codes:
            continue
        code = max((c["code"] for c in choices), default=0) + 1
        codes["other"] = code
        label = {lang: OTHER_CHOICE.get(lang, OTHER_CHOICE["en"]) for lang in languages}
        state.lines[("choice_lists", list_name, len(choices))] = "choices"
        choices.append({"code": code, **label})


def _one_list(state: _Import, sheet: Sheet, list_name: str, rows: list, lang: str) -> list:
    where = sheet.name.strip().lower()
    names = [row.get("name", sheet.columns) for row in rows]
    numbered = not all(INTEGER.match(name) for name in names)
    codes: dict[str, int] = {}
    parents: dict[str, list[Any]] = {}  # choice name -> the filter values it was seen with
    columns = state.filter_columns.get(list_name, [])
    named = list_name in state.named
    filter_column = columns[0] if columns and not named else None
    if filter_column is None and sheet.has(FILTER_FIELD):
        filter_column = FILTER_FIELD  # the model's own column: kept even when no rule tests it
    choices: list[dict[str, Any]] = []
    state.lines[("choice_lists", list_name)] = f"{where} row {rows[0].number}"
    for row, name in zip(rows, names, strict=True):
        choice: dict[str, Any] = {}
        if filter_column and row.get(filter_column.lower(), sheet.columns):
            choice["filter"] = row.get(filter_column.lower(), sheet.columns)
        if named:
            choice["columns"] = {
                column: row.get(column.lower(), sheet.columns) or None for column in columns
            }
        parent = (choice.get("filter"), choice.get("columns"))
        if numbered and name in codes and not _may_repeat(state, where, parent, parents[name]):
            state.problem(
                f"{where} row {row.number}",
                list_name,
                f"선택지 이름 '{name}' 이(가) 목록 '{list_name}' 에 두 번 있습니다. 거르기 "
                "(choice_filter) 값이 다른 같은 이름이면 settings 에 allow_choice_duplicates: "
                "yes 를 쓰세요.",
                f"choice name '{name}' appears twice in list '{list_name}'. For the same name "
                "under other choice_filter values, set allow_choice_duplicates: yes in settings.",
            )
            continue
        # a name again under another parent (a cascade's "king" county in two states) is the
        # same answer in ODK, which stores the name: it keeps its code
        code = codes.get(name, len(set(codes.values())) + 1) if numbered else int(name)
        codes[name] = code
        parents.setdefault(name, []).append(parent)
        labels = row.texts("label", sheet.columns, lang) or {lang: name}  # no label: its name
        choice = {"code": code, **labels, **choice}
        if row.get("exclusive", sheet.columns).lower() in TRUE_WORDS:
            choice["exclusive"] = True
        state.lines[("choice_lists", list_name, len(choices))] = f"{where} row {row.number}"
        choices.append(choice)
    if numbered:
        state.codes[list_name] = codes
    return choices


def _may_repeat(state: _Import, where: str, parent: Any, seen: list[Any]) -> bool:
    """Whether a choice name may come again in its list: on the external_choices sheet, or
    with ``allow_choice_duplicates`` (as pyxform), and only under other filter values (the
    model keeps one code per name, told apart by the filter)."""
    allowed = where == "external_choices" or state.allow_duplicates
    return allowed and parent != (None, None) and parent not in seen


# -- rules ------------------------------------------------------------------------------------
def _rewrite_rules(state: _Import, reader: SurveyReader) -> None:
    """Check XPath features, then rewrite choice names to codes and filter columns."""
    by_question = {
        question: state.codes[list_name]
        for question, list_name in reader.question_lists.items()
        if list_name in state.codes
    }
    rewriter = CodeRewriter(by_question)
    converted: set[tuple[str, str, str]] = set()
    for slot in reader.slots:
        source = slot.holder[slot.key]
        location = f"survey row {slot.row}"
        features = unsupported_features(source)
        for ko, en in features:
            state.problem(location, slot.question, f"{slot.key}: {ko}", f"{slot.key}: {en}")
        if features:
            del slot.holder[slot.key]  # reported above; not again as a syntax error
            continue
        try:
            node = parse(source)
        except ExpressionError:
            continue  # the loader reports it with this row
        new = rewriter.rewrite(node, slot.question)
        # a name no choice has never matches, in ODK as here (a literal is no code): the
        # static checks say what it leaves unreachable; a number could be taken for a code
        unknown = [(q, name) for q, name in rewriter.unknown if INTEGER.match(name)]
        for question, name in unknown:
            list_name = reader.question_lists[question]
            known = ", ".join(state.codes[list_name])
            state.problem(
                location,
                slot.question,
                f"{slot.key}: '{name}' 은(는) ${{{question}}} 의 선택지 목록 '{list_name}' 에 "
                f"없는 이름입니다 (있는 이름: {known}).",
                f"{slot.key}: '{name}' is not a choice name of ${{{question}}}'s list "
                f"'{list_name}' (names: {known}).",
            )
        if unknown:
            del slot.holder[slot.key]  # reported above; not again as an unknown code
            continue
        if slot.key == "choice_filter":
            missing = state.missing.get(reader.question_lists.get(slot.question or "") or "")
            new = _empty_columns_false(new, missing or set())
            _convert_filter_values(state, reader, slot, new, converted)
            if reader.question_lists.get(slot.question or "") not in state.named:
                new = rename_fields(new, FILTER_FIELD)
        if new != node:
            slot.holder[slot.key] = to_source(new)


def _empty_columns_false(node: Any, missing: set[str]) -> Any:
    """Comparisons with a column the sheet lacks made ``false()``, as XPath has them (an
    empty node-set equals nothing and differs from nothing)."""

    def change(part: Any) -> Any:
        if isinstance(part, Binary) and part.op in ("=", "!=", "<", "<=", ">", ">="):
            sides = (part.left, part.right)
            if any(isinstance(side, Field) and side.name in missing for side in sides):
                return Call("false", ())
        return part

    return transform(node, change) if missing else node


def _convert_filter_values(
    state: _Import,
    reader: SurveyReader,
    slot: RuleSlot,
    node: Any,
    converted: set[tuple[str, str, str]],
) -> None:
    """Filter values naming choices of a renumbered list become those choices' codes."""
    filtered = reader.question_lists.get(slot.question or "")
    if filtered is None:
        return
    named = filtered in state.named
    for column, question in sorted(filter_pairs(node)):
        source_list = reader.question_lists.get(question)
        if source_list not in state.codes or (filtered, column, source_list) in converted:
            continue
        converted.add((filtered, column, source_list))
        codes = state.codes[source_list]
        for index, choice in enumerate(state.lists.get(filtered, [])):
            holder = choice.get("columns", {}) if named else choice
            key = column if named else "filter"
            value = holder.get(key)
            if value is None:
                continue
            if value in codes:
                holder[key] = str(codes[value])
            elif INTEGER.match(value):  # a name no choice has never matches, but a number would
                state.problem(
                    state.lines.get(("choice_lists", filtered, index), "choices"),
                    filtered,
                    f"거르기 값 '{value}' 은(는) 목록 '{source_list}' 의 선택지 이름이 아닙니다.",
                    f"filter value '{value}' is not a choice name of list '{source_list}'.",
                )
