"""Uploaded questionnaire files that are not safe, or not questionnaires, are refused calmly.

Every bad file is built here: a zip bomb (a huge zero-filled part), a macro workbook, a
latin-1 YAML, a CSV renamed .xlsx, empty and random files, a YAML alias bomb.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from surveys.questionnaire.upload_checks import (
    MAX_YAML_NODES,
    UploadRefused,
    check_file,
    check_size,
    formula_problems,
    max_upload_bytes,
)
from surveys.questionnaire.uploads import read_upload

SMALL_YAML = Path(__file__).resolve().parent / "fixtures" / "small_survey.yaml"


def workbook_bytes(
    survey: list[tuple], choices: list[tuple] | None = None, settings: list[tuple] | None = None
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = workbook.create_sheet(title)
            for row in rows:
                extra.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CLEAN_SURVEY = [
    ("type", "name", "label::Korean (ko)", "label::English (en)", "required"),
    ("integer", "household_size", "가구원 수", "Household size", "yes"),
    ("select_one yn", "owns_car", "자동차 보유", "Owns a car", "yes"),
]
CLEAN_CHOICES = [
    ("list_name", "name", "label::Korean (ko)", "label::English (en)"),
    ("yn", "1", "예", "Yes"),
    ("yn", "2", "아니오", "No"),
]
CLEAN_SETTINGS = [("form_id", "version", "form_title"), ("car_form", "1", "자동차 조사")]


def refused(name: str, content: bytes, limit: int | None = None) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        check_file(name, content, limit)
    error = caught.value
    assert error.text.ko and error.text.en  # said in both languages
    return error


def test_a_clean_workbook_and_a_clean_yaml_pass():
    assert (
        check_file("form.xlsx", workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES, CLEAN_SETTINGS))
        == "xlsx"
    )
    assert check_file("small.yaml", SMALL_YAML.read_bytes()) == "yaml"
    questionnaire, problems = read_upload(
        "form.xlsx", workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES, CLEAN_SETTINGS)
    )
    assert problems == [] and questionnaire is not None
    assert questionnaire.question("owns_car").choices == "yn"


@pytest.mark.parametrize("name", ["form.xlsx", "form.xls", "q.yaml"])
def test_an_empty_file_is_refused(name):
    assert refused(name, b"").reason == "empty"


def test_a_blank_yaml_is_refused_as_empty():
    assert refused("q.yaml", b"  \n\n  ").reason == "empty"


def test_size_is_checked_before_reading_with_the_setting(monkeypatch):
    monkeypatch.setenv("SEOUL_QUESTIONNAIRE_MAX_MB", "1")
    assert max_upload_bytes() == 1024 * 1024
    with pytest.raises(UploadRefused) as caught:
        check_size(3 * 1024 * 1024)
    assert caught.value.reason == "too_large" and "3.0 MB" in caught.value.text.en
    assert refused("q.yaml", b"a: 1\n" * 300_000).reason == "too_large"
    monkeypatch.setenv("SEOUL_QUESTIONNAIRE_MAX_MB", "10")
    assert refused("q.yaml", b"a: 1\n" * 500_000).reason == "too_large"  # YAML: 2 MB at most
    monkeypatch.setenv("SEOUL_QUESTIONNAIRE_MAX_MB", "not a number")
    assert max_upload_bytes() == 10 * 1024 * 1024  # the documented default


def test_unknown_types_and_macro_workbooks_are_refused():
    assert refused("form.csv", b"type,name\n").reason == "unknown_type"
    assert refused("form", b"type,name\n").reason == "unknown_type"
    assert refused("form.xlsm", workbook_bytes(CLEAN_SURVEY)).reason == "macros"


def test_a_workbook_carrying_a_vba_project_is_refused_whatever_its_name():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(CLEAN_SURVEY))) as source:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                target.writestr(item, source.read(item.filename))
            target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    error = refused("innocent.xlsx", buffer.getvalue())
    assert error.reason == "macros" and "매크로" in error.text.ko


def test_a_zip_bomb_is_refused_from_the_zip_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(200):  # 200 MB of zeros, about 200 KB compressed
                part.write(zeros)
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    error = refused("bomb.xlsx", content)
    assert error.reason == "zip_bomb" and "MB" in error.text.en


def test_a_high_ratio_part_is_refused_even_under_the_total():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"\0" * (20 * 1024 * 1024))
    assert refused("ratio.xlsx", buffer.getvalue()).reason == "zip_bomb"


def test_a_csv_renamed_xlsx_is_named_as_text():
    error = refused("form.xlsx", "type,name,label\ninteger,age,나이\n".encode())
    assert error.reason == "not_a_workbook" and "CSV" in error.text.en


@pytest.mark.parametrize("name", ["form.xlsx", "form.xls", "q.yaml"])
def test_random_bytes_are_refused(name):
    error = refused(name, os.urandom(4096) + b"\xff\xfe\0")
    assert error.reason in ("not_a_workbook", "not_utf8")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<document/>")
    assert refused("letter.xlsx", buffer.getvalue()).reason == "not_a_workbook"


def test_a_latin1_yaml_is_refused_as_not_utf8():
    content = "id: café\ntitle: {ko: 설문, en: Café survey}\n".replace("설문", "x").encode(
        "latin-1"
    )
    error = refused("q.yaml", content)
    assert error.reason == "not_utf8" and "UTF-8" in error.text.ko


def test_a_cp949_yaml_is_named_as_such():
    error = refused("q.yaml", "title: 서울서베이 설문\n".encode("cp949"))
    assert error.reason == "not_utf8" and "CP949" in error.text.en


def test_a_yaml_alias_bomb_is_refused_before_it_is_built():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    content = "\n".join(lines).encode()
    assert len(content) < 2000 and 9**9 > MAX_YAML_NODES
    error = refused("laughs.yaml", content)
    assert error.reason == "yaml_bomb"


def test_deeply_nested_yaml_is_refused_not_a_recursion_traceback():
    assert refused("deep.yaml", b"[" * 50_000 + b"]" * 50_000).reason == "yaml_bomb"


def test_a_formula_without_a_saved_value_is_a_problem_with_its_sheet_and_row():
    survey = [*CLEAN_SURVEY, ("text", '=CONCAT("a","b")', "이름", "Name")]
    content = workbook_bytes(
        survey, CLEAN_CHOICES, CLEAN_SETTINGS
    )  # openpyxl saves formulas without values
    found = formula_problems("form.xlsx", content)
    assert [p.location for p in found] == ["survey row 4"]
    assert "B4" in found[0].text.ko and "never evaluated" in found[0].text.en
    questionnaire, problems = read_upload("form.xlsx", content)
    assert questionnaire is None and problems[0].location == "survey row 4"


def test_a_spreadsheet_that_is_not_an_xlsform_lists_problems_not_a_traceback():
    content = workbook_bytes([("district", "households"), ("종로구", 70000)])
    questionnaire, problems = read_upload("budget.xlsx", content)
    assert questionnaire is None and problems
    assert all(p.text.ko and p.text.en for p in problems)


def test_a_damaged_workbook_is_refused_or_read_never_a_traceback():
    import random

    base = workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES, CLEAN_SETTINGS)
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    draw = random.Random(13)
    for _ in range(40):
        victim = draw.choice(sorted(parts))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name, data in parts.items():
                if name == victim:
                    damage = draw.randrange(3)
                    if damage == 0:
                        continue  # a part missing
                    data = data[: draw.randrange(len(data) + 1)] if damage == 1 else b"<x<<"
                target.writestr(name, data)
        try:
            read_upload("damaged.xlsx", buffer.getvalue())
        except UploadRefused as refusal:
            assert refusal.reason in ("unreadable", "not_a_workbook", "not_an_xlsform"), (
                refusal.reason
            )


def test_a_lone_sheet_with_a_type_column_is_read_as_the_survey_as_pyxform_reads_it():
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["type", "name", "label"])
    workbook.active.append(["integer", "age", "How old are you?"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    questionnaire, problems = read_upload("one_sheet.xlsx", buffer.getvalue())
    assert problems == [] and questionnaire is not None
    assert questionnaire.question("age").type == "integer"


def test_a_workbook_without_a_survey_sheet_is_refused_naming_its_sheets():
    workbook = Workbook()
    workbook.active.title = "예산"
    workbook.active.append(["district", "households"])
    workbook.create_sheet("Sheet2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = refused("budget.xlsx", buffer.getvalue())
    assert error.reason == "not_an_xlsform"
    assert "'예산', 'Sheet2'" in error.text.en and "survey" in error.text.ko
