"""``python -m surveys check``: every problem, a summary per file, and the exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from surveys.questionnaire.loader import DEFINITIONS_DIR, list_definitions

ROOT = Path(__file__).resolve().parents[2]
SMALL = Path(__file__).parent / "fixtures" / "small_survey.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surveys", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def broken_yaml(tmp_path: Path) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace(
        'type: integer\n          label: {ko: "가구원 수"',
        'type: integr\n          label: {ko: "가구원 수"',
    )
    text = text.replace('relevant: "${tenure} = 3"', 'relevant: "${tenur} = 3"')
    text = text.replace(
        "required: true\n          appearance", "requried: true\n          appearance"
    )
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_clean_file_exits_0_with_a_summary():
    result = run("check", str(SMALL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines() == [f"{SMALL}: 0 problems"]


def test_problems_are_printed_one_per_line_and_exit_1(tmp_path):
    path = broken_yaml(tmp_path)
    result = run("check", str(path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == f"{path}: 3 problems"
    problems = lines[:-1]
    assert len(problems) == 3
    assert all(line.startswith(f"{path}:line ") for line in problems)
    assert any("[household_size]" in line and "integr" in line for line in problems)
    assert any("[monthly_rent]" in line and "${tenur}" in line for line in problems)
    assert any("[tenure]" in line and "requried" in line for line in problems)


def test_several_files_each_get_a_summary(tmp_path):
    broken = broken_yaml(tmp_path)
    result = run("check", str(SMALL), str(broken))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert f"{SMALL}: 0 problems" in lines and lines[-1] == f"{broken}: 3 problems"


def test_xlsform_workbooks_are_checked_too(tmp_path):
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in (("type", "name", "label"), ("integer", "size", "가구원 수"), ("rank", "r", "순위")):
        survey.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(("form_id", "version"))
    settings.append(("tiny", "1"))
    path = tmp_path / "tiny.xlsx"
    workbook.save(path)
    result = run("check", str(path))
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        f"{path}:survey row 3: [r] 질문 유형 'rank' 은(는) 지원하지 않습니다. / "
        "question type 'rank' is not supported.",
        f"{path}: 1 problem",
    ]


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = run("check", str(SMALL), str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr and result.stdout == ""


def test_no_command_or_no_file_is_a_usage_error():
    assert run().returncode == 2
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def test_the_shipped_definitions_are_clean():
    paths = [str(p.relative_to(ROOT)) for p in list_definitions(DEFINITIONS_DIR)]
    if not paths:
        return
    result = run("check", *paths)
    assert result.returncode == 0, result.stdout
