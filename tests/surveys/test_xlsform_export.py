"""★ Any questionnaire exported to XLSForm reads back as the same questionnaire.

``to_xlsform`` writes a workbook, ``read_xlsform`` reads it, and the two ``Questionnaire``
dataclasses are compared with ``==``: every part, section, question, rule (its source text
and its parsed tree), choice list, choice, label in every language, the languages, the
kind, the version and the metadata. Excluded, and only these, because they record the
file a questionnaire was read from rather than the questionnaire:

* ``source_hash`` — the SHA-256 of the file read: the workbook is another file than the YAML
  definition (or the workbook) it was written from;
* ``metadata["source_format"]`` — the reader's note that it read an XLSForm; a YAML
  definition has none;
* ``metadata["choice_names"]`` when it is empty — the reader's record of the names of the
  choice lists it renumbered; a YAML definition's codes are integers, written as the names,
  so there are none and the reader records ``{}``. When not empty it is compared;
* ``metadata["ignored"]`` — the cells of the file read that the reader did not use (a
  ``choice_filter`` on a non-select): the written workbook has no such cells.

A questionnaire read from a workbook (the corpus forms) is compared with everything but
``source_hash``: its metadata came from the reader on both sides.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from surveys.questionnaire.loader import (
    QuestionnaireError,
    list_definitions,
    load_questionnaire,
    questionnaire_from_dict,
)
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.xlsform import read_xlsform
from surveys.questionnaire.xlsform_export import ExportRefused, to_xlsform
from tests.surveys.test_xlsform_corpus import CORPUS, RATCHET, read_corpus

# what the reader records about the file it read (the cells it ignored are not written back)
SOURCE_METADATA = ("source_format", "ignored")


def read_back(content: bytes) -> Questionnaire:
    """The questionnaire of exported workbook bytes, read as an uploaded file would be."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "exported.xlsx"
        path.write_bytes(content)
        questionnaire, problems = read_xlsform(path)
    assert problems == [], [str(p) for p in problems]
    assert questionnaire is not None
    return questionnaire


def comparable(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire without what records its source (see the module docstring)."""
    metadata = {k: v for k, v in questionnaire.metadata.items() if k not in SOURCE_METADATA}
    if metadata.get("choice_names") == {}:
        del metadata["choice_names"]
    return replace(questionnaire, source_hash="", metadata=metadata)


def _without(metadata: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in metadata.items() if k != key}


def differences(a: Any, b: Any, path: str = "questionnaire") -> list[str]:
    """Where two values differ, for a readable failure (the assertion itself is ``==``)."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} {a!r:.120} != {type(b).__name__} {b!r:.120}"]
    if is_dataclass(a):
        return [
            d
            for f in fields(a)
            if f.compare
            for d in differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
        ]
    if isinstance(a, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(map(str, a))} != {sorted(map(str, b))}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}[{k!r}]")]
    if isinstance(a, tuple | list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r:.200} != {b!r:.200}"]


def assert_round_trip(original: Questionnaire, *, from_workbook: bool = False) -> Questionnaire:
    back = read_back(to_xlsform(original))
    if from_workbook:  # both read from a workbook: only the cells not written back differ
        expected, got = (
            replace(q, source_hash="", metadata=_without(q.metadata, "ignored"))
            for q in (original, back)
        )
    else:
        expected, got = comparable(original), comparable(back)
    assert got == expected, "\n".join(differences(expected, got)[:20])
    return back


# -- every shipped questionnaire ----------------------------------------------------------------
@pytest.mark.parametrize("path", list_definitions(), ids=lambda p: p.name)
def test_every_shipped_questionnaire_reads_back_equal(path):
    original = load_questionnaire(path)
    back = assert_round_trip(original)
    assert back.metadata["source_format"] == "xlsform"  # the one difference: where it came from


def test_the_seoul_survey_workbook_is_written_as_xlsform_writes_it():
    content = to_xlsform(load_questionnaire(_definition("seoul_survey_2026")))
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    survey = [row for row in workbook["survey"].iter_rows(values_only=True)]
    header = survey[0]
    for column in (
        "type",
        "name",
        "label::Korean (ko)",
        "label::English (en)",
        "hint::Korean (ko)",
    ):
        assert column in header
    rows = [dict(zip(header, row, strict=True)) for row in survey[1:]]
    by_name = {row["name"]: row for row in rows if row["name"]}
    assert by_name["members"]["type"] == "begin_repeat"
    assert by_name["members"]["repeat_count"] == "${household_size}"
    assert by_name["person"]["type"] == "begin_group"
    assert by_name["person"]["relevant"] == "${age} >= 15"  # the person part's eligible rule
    assert by_name["housing_satisfaction"]["type"] == "range"
    assert by_name["housing_satisfaction"]["parameters"] == "start=0 end=10 step=1"
    assert [r["type"] for r in rows].count("begin_group") == [r["type"] for r in rows].count(
        "end_group"
    )
    settings_rows = list(workbook["settings"].iter_rows(values_only=True))
    settings_row = dict(zip(settings_rows[0], settings_rows[1], strict=True))
    assert settings_row["form_id"] == "seoul_survey_2026"
    assert settings_row["version"] == "2026.1"
    assert settings_row["default_language"] == "Korean (ko)"
    workbook.close()


def _definition(questionnaire_id: str) -> Path:
    return next(p for p in list_definitions() if p.stem.startswith(questionnaire_id))


# -- what the shipped questionnaires do not show ---------------------------------------------
EVERYTHING = {
    "id": "everything",
    "version": "7",
    "kind": "panel_wave",
    "title": {"ko": "모든 것", "en": "Everything"},
    "choice_lists": {
        "gu": [
            {"code": 11110, "ko": "종로구", "en": "Jongno-gu", "filter": "1"},
            {"code": 11140, "ko": "중구", "filter": "1"},
            {"code": 11680, "ko": "강남구", "en": "Gangnam-gu", "filter": "2"},
        ],
        "region": [{"code": 1, "ko": "도심"}, {"code": 2, "ko": "동남"}],
        "unused_with_filter": [{"code": -1, "ko": "모름", "filter": "x"}],
        "risks": [
            {"code": 1, "ko": "교통사고", "en": "Traffic"},
            {"code": 99, "ko": "없음", "en": "None", "exclusive": True},
        ],
        "sex": {"reference": "sex"},
    },
    "household": {
        "sections": [
            {
                "id": "personal_finance",  # a household section whose id starts with "person"
                "title": {"ko": "가계", "en": "Finances"},
                "relevant": "${region} != ''",
                "questions": [
                    {
                        "name": "region",
                        "type": "single",
                        "choices": "region",
                        "label": {"ko": "권역"},
                    },
                    {
                        "name": "gu",
                        "type": "single",
                        "choices": "gu",
                        "label": {"ko": "자치구", "en": "District"},
                        "choice_filter": "filter = ${region}",
                        "appearance": "minimal",
                    },
                    {
                        "name": "income",
                        "type": "decimal",
                        "label": {"ko": "소득", "en": "Income"},
                        "min": 0.5,
                        "max": 99999.25,
                        "unit": {"ko": "만원", "en": "10,000 won"},
                        "required": "${region} = 1",
                        "constraint": ". != 13",
                        "constraint_message": {"ko": "13 은 안 됩니다", "en": "Not 13"},
                        "help": {"ko": "세전", "en": "Before tax"},
                    },
                    {"name": "when", "type": "date", "label": {"ko": "날짜"}, "required": True},
                    {"name": "clock", "type": "time", "label": {"ko": "시각"}},
                    {"name": "where", "type": "geopoint", "label": {"ko": "위치"}},
                    {"name": "photo", "type": "image", "label": {"ko": "사진"}},
                    {
                        "name": "risks",
                        "type": "multiple",
                        "choices": "risks",
                        "label": {"ko": "위험"},
                    },
                    {"name": "remark", "type": "text", "max_length": 40, "label": {"ko": "비고"}},
                    {"name": "info", "type": "note", "label": {"ko": "<b>안내</b>"}},
                    {
                        "name": "size",
                        "type": "integer",
                        "min": 1,
                        "max": 9,
                        "label": {"ko": "몇 명"},
                    },
                    {"name": "twice", "type": "calculate", "calculate": "${size} * 2"},
                ],
            },
            {
                "id": "members",
                "title": {"ko": "가구원"},
                "roster": True,
                "repeat_count": "${size}",
                "questions": [
                    {"name": "sex", "type": "single", "choices": "sex", "label": {"ko": "성별"}},
                    {
                        "name": "age",
                        "type": "integer",
                        "min": 0,
                        "max": 120,
                        "label": {"ko": "나이"},
                    },
                ],
            },
        ]
    },
    "person": {
        "eligible": "${age} >= 15 and ${sex} = 2",
        "sections": [
            {
                "id": "opinions",
                "title": {"ko": "의견", "en": "Opinions"},
                "questions": [
                    {
                        "name": "happy",
                        "type": "scale",
                        "min": 1,
                        "max": 7,
                        "grid": "feelings",
                        "label": {"ko": "행복"},
                    },
                    {
                        "name": "calm",
                        "type": "scale",
                        "grid": "feelings",
                        "label": {"ko": "평온"},
                        "relevant": "${happy} >= 4 or ${when} != ''",
                    },
                ],
            }
        ],
    },
}


def test_a_questionnaire_with_every_kind_of_thing_reads_back_equal():
    original = questionnaire_from_dict(EVERYTHING)
    back = assert_round_trip(original)
    assert back.kind == "panel_wave" and back.person is not None
    assert back.household.sections[0].id == "personal_finance"  # not taken for the person part
    assert [c.filter_value for c in back.choice_lists["unused_with_filter"].choices] == ["x"]


def test_a_person_group_that_clashes_with_a_section_name_gets_a_free_name():
    data = {**EVERYTHING, "person": {**EVERYTHING["person"]}}
    data["person"]["sections"] = [{**EVERYTHING["person"]["sections"][0], "id": "person"}]
    assert_round_trip(questionnaire_from_dict(data))


def test_a_text_a_workbook_cannot_hold_is_refused_with_its_place():
    data = {**EVERYTHING, "title": {"ko": "제목\x07"}}
    with pytest.raises(ExportRefused) as refused:
        to_xlsform(questionnaire_from_dict(data))
    assert refused.value.reason == "unwritable_text"
    assert "settings row 2" in refused.value.text.en and "form_title" in refused.value.text.en


def test_a_text_a_spreadsheet_could_run_is_a_marked_string_and_reads_back_as_written():
    formula = '=HYPERLINK("http://evil.example","click")'
    data = {**EVERYTHING, "title": {"ko": formula, "en": "-2+3"}}
    original = questionnaire_from_dict(data)
    workbook = load_workbook(io.BytesIO(to_xlsform(original)))
    settings_sheet = workbook["settings"]
    cells = {cell.value: cell for cell in settings_sheet[2]}
    assert cells[formula].data_type == "s" and cells[formula].quotePrefix
    assert cells["-2+3"].quotePrefix and not cells["7"].quotePrefix  # the version
    assert_round_trip(original)


# -- real forms: the corpus ------------------------------------------------------------------
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.csv").is_file(),
    reason=f"the XLSForm corpus is not at {CORPUS} (set SEOUL_XLSFORM_CORPUS)",
)


@pytest.fixture(scope="module")
def accepted_forms() -> list[tuple[str, Questionnaire]]:
    return [
        (outcome.file, outcome.questionnaire)
        for outcome in read_corpus()
        if outcome.expect == "valid" and outcome.questionnaire is not None
    ]


@needs_corpus
def test_every_corpus_form_the_reader_accepts_reads_back_equal(accepted_forms):
    assert len(accepted_forms) >= RATCHET
    failed = {}
    for file, original in accepted_forms:
        try:
            assert_round_trip(original, from_workbook=True)
        except AssertionError as error:
            failed[file] = str(error)[:600]
    assert failed == {}


@needs_corpus
@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl's notes on the forms' styles
@pytest.mark.parametrize(
    ("file", "what"),
    [
        ("forms/ona__good_eats_multilang.xlsx", "languages"),
        ("forms/ona__userone_with_dot_name_fields.xlsx", "xlsform_names"),
        ("forms/pyodk__simple_repeat.xlsx", "generated_counts"),
        ("forms/pyx__xl_date_ambiguous_v1.xlsx", "defaults"),
        ("forms/pyx__cascading_select_test_equivalent.xlsx", "choice_names"),
    ],
)
def test_what_a_real_form_carries_comes_back(file, what):
    original, _ = read_xlsform(CORPUS / file)
    assert original is not None
    back = assert_round_trip(original, from_workbook=True)
    kept = back.languages[1:] if what == "languages" else back.metadata[what]
    assert kept, what  # there, and equal to what the form itself gave


@needs_corpus
def test_rules_of_a_named_list_compare_with_names_in_the_workbook():
    """The model compares codes (``${sex} = 2``); the workbook, as its author wrote it."""
    original, _ = read_xlsform(CORPUS / "forms/pyx__tutorial.xlsx")
    assert original is not None
    assert original.question("literate").relevant.source.startswith("${sex} = 2 and")
    workbook = load_workbook(io.BytesIO(to_xlsform(original)), read_only=True)
    rows = list(workbook["survey"].iter_rows(values_only=True))
    workbook.close()
    relevant = {row[rows[0].index("name")]: row[rows[0].index("relevant")] for row in rows[1:]}
    assert relevant["literate"].startswith("${sex} = 'female' and")
    assert relevant["age_in_years"] == "${older_than_five} = 'yes'"


# -- any text ------------------------------------------------------------------------------------
# Every character a cell can hold: not the control characters a workbook refuses (the export
# says so, above) nor lone surrogates (no UTF-8); typographic and straight quotes often.
CHARACTERS = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(
    "\t\n'\"\u2018\u2019\u201c\u201d$={}<>&;\u00a0\ufeff"
)
TEXT = st.text(CHARACTERS, min_size=1, max_size=40)


def _quoted(text: str) -> str | None:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return None  # the rule language has no escapes: such a text cannot be written in a rule


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    label=TEXT,
    english=TEXT,
    hint=TEXT,
    choice=TEXT,
    other=st.sampled_from(["fr", "sw", "zh", "tet", "ko"]),
    literal=st.text(CHARACTERS, max_size=20),
)
def test_any_text_and_any_quoted_value_survive_the_round_trip(
    title, label, english, hint, choice, other, literal
):
    quoted = _quoted(literal)
    data = {
        "id": "texts",
        "version": "1",
        "title": {"ko": title, "en": english},
        "choice_lists": {"yn": [{"code": 1, "ko": choice, "en": label}, {"code": 2, "ko": hint}]},
        "household": {
            "sections": [
                {
                    "id": "s",
                    "title": {"ko": label},
                    "questions": [
                        {"name": "q", "type": "single", "choices": "yn", "label": {"ko": label}},
                        {
                            "name": "t",
                            "type": "text",
                            "label": {"ko": label, "en": english},
                            "help": {"ko": hint},
                            "constraint": None if quoted is None else f". != {quoted}",
                            "constraint_message": {"ko": choice, "en": title},
                        },
                    ],
                }
            ]
        },
    }
    try:
        original = questionnaire_from_dict(data)
    except QuestionnaireError:
        return  # a text the loader refuses (active content): no questionnaire to export
    assert_round_trip(original)
    # The same texts in a workbook's own languages (a Label, not Korean and English).
    multilingual = replace(
        read_back(to_xlsform(original)),
        languages=("en", other),
    )
    relabelled = _relabel(multilingual, "en", other)
    back = read_back(to_xlsform(relabelled))
    assert replace(back, source_hash="") == replace(relabelled, source_hash="")


def _relabel(questionnaire: Questionnaire, first: str, second: str) -> Questionnaire:
    """Every Korean/English text turned into a Label in ``first`` and ``second``."""
    from data.text import Text
    from surveys.questionnaire.model import Label

    def convert(value: Any) -> Any:
        if isinstance(value, Text) and not isinstance(value, Label):
            texts = {first: value.ko, second: value.en} if value.en else {first: value.ko}
            return Label.of(texts, (first, second))
        if is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: convert(getattr(value, f.name)) for f in fields(value) if f.init}
            return replace(value, **changes)
        if isinstance(value, tuple):
            return tuple(convert(v) for v in value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return convert(questionnaire)
