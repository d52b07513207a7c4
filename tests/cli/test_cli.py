"""``seoul``: the one command line, installed as a console script beside the interpreter.

The same commands, options, output and exit codes as ``python -m data|surveys|analysis|panel``
(which keep working: their own tests are in tests/data, tests/surveys, tests/panel).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

SEOUL = Path(sys.executable).parent / "seoul"
ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "surveys" / "fixtures" / "small_survey.yaml"
HOLD = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
    "print('held', flush=True); time.sleep(60)"
)


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    assert SEOUL.exists(), (
        f"{SEOUL} is missing: `make test` installs the project (pip install -e .)"
    )


def _run(command: list[str], db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEOUL_DB": str(db)} if db else dict(os.environ)
    return subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=300
    )


def seoul(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    return _run([str(SEOUL), *args], db)


def module(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", *args], db)


def test_help_lists_the_four_groups_and_the_exit_codes():
    result = seoul("--help")
    assert result.returncode == 0, result.stderr
    assert all(group in result.stdout for group in ("data", "surveys", "analysis", "panel"))
    assert "3 the database is held" in " ".join(result.stdout.split())


def test_each_group_has_its_commands_in_its_help():
    result = seoul("panel", "--help")
    assert result.returncode == 0
    assert "usage: seoul panel" in result.stdout
    for command in ("waves", "rates", "attrition", "weights", "longitudinal", "report"):
        assert command in result.stdout


def test_no_group_or_an_unknown_one_is_a_usage_error():
    assert seoul().returncode == 2
    assert seoul("frobnicate").returncode == 2
    assert seoul("data").returncode == 2


def test_data_status_prints_the_demo_as_json(demo_path):
    result = seoul("data", "status", db=demo_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["database"] == str(demo_path) and out["kind"] == "demo"
    assert out["tables"]["districts"] == 25


def test_data_status_of_a_missing_database_exits_1_without_creating_it(tmp_path):
    missing = tmp_path / "nothing.duckdb"
    result = seoul("data", "status", db=missing)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"database": str(missing), "exists": False}
    assert not missing.exists()


def test_panel_waves_prints_what_python_m_panel_prints(demo_path):
    by_module = module("panel", "waves", db=demo_path)
    by_seoul = seoul("panel", "waves", db=demo_path)
    assert by_module.returncode == by_seoul.returncode == 0, by_seoul.stderr
    assert by_seoul.stdout == by_module.stdout
    assert "panel-2026-w1" in by_seoul.stdout


def test_surveys_check_is_the_same_command(tmp_path):
    result = seoul("surveys", "check", str(SMALL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{SMALL}: 0 problems"
    missing = seoul("surveys", "check", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr


@pytest.mark.parametrize("runner", [seoul, module], ids=["seoul", "python -m"])
def test_attrition_replace_without_apply_is_refused_and_changes_nothing(runner, demo_path):
    before = json.loads(seoul("data", "status", db=demo_path).stdout)
    result = runner("panel", "attrition", "--wave", "panel-2026-w3", "--replace", "7", db=demo_path)
    assert result.returncode == 2
    assert "--replace needs --apply" in result.stderr
    assert "--replace 는 --apply 와 함께만" in result.stderr
    assert result.stdout == ""
    after = json.loads(seoul("data", "status", db=demo_path).stdout)
    assert after["panel"] == before["panel"]


def test_analysis_refusals_keep_their_message_and_exit_code(demo_path):
    result = seoul("analysis", "weights", "--survey", "panel-2026-w1", db=demo_path)
    assert result.returncode == 2 and "python -m panel weights" in result.stderr
    unknown = seoul("analysis", "estimate", "--survey", "no-such", "--out", "x.csv", db=demo_path)
    assert unknown.returncode == 2 and "no-such" in unknown.stderr


def test_an_output_that_is_not_a_table_is_a_usage_error(tmp_path):
    result = seoul(
        "analysis", "estimate", "--survey", "seoul-2026", "--out", str(tmp_path / "t.txt")
    )
    assert result.returncode == 2 and ".csv, .xlsx or .parquet" in result.stderr


@pytest.fixture
def held_demo(demo_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(demo_path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield demo_path, holder
    holder.kill()
    holder.wait()


@pytest.mark.parametrize(
    "args",
    [("data", "status"), ("panel", "waves"), ("analysis", "weights", "--survey", "seoul-2026")],
    ids=["data", "panel", "analysis"],
)
def test_a_held_database_exits_3_naming_the_holder(held_demo, args):
    path, holder = held_demo
    result = seoul(*args, db=path)
    assert result.returncode == 3
    assert f"PID {holder.pid}" in result.stderr and "stop the app" in result.stderr


# -- the audit log from the command line ------------------------------------------------------
def _audit(path: Path, action: str) -> list[tuple[str, str, dict]]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT actor, target, detail FROM audit_log WHERE action = ? ORDER BY event_id",
            [action],
        ).fetchall()
    finally:
        con.close()
    return [(actor, target, json.loads(detail)) for actor, target, detail in rows]


def test_verify_audit_says_the_chain_is_whole_and_how_many_events_it_checked(demo_path):
    result = module("data", "verify-audit", db=demo_path)
    assert result.returncode == 0, result.stderr
    assert "audit chain OK" in result.stdout and "해시 사슬 정상" in result.stdout
    assert re.search(r"OK: [\d,]+ events checked", result.stdout)


def test_verify_audit_finds_a_tampered_event_and_exits_1(demo_path):
    import duckdb

    con = duckdb.connect(str(demo_path))
    event = con.execute("SELECT event_id FROM audit_log ORDER BY event_id LIMIT 1 OFFSET 3")
    event_id = event.fetchone()[0]
    con.execute("UPDATE audit_log SET actor = 'nobody' WHERE event_id = ?", [event_id])
    con.close()
    result = module("data", "verify-audit", db=demo_path)
    assert result.returncode == 1
    assert f"BROKEN at event {event_id}" in result.stdout and "content was changed" in result.stdout
    assert "row_hash stored" in result.stdout and "row_hash expected" in result.stdout


def test_files_written_by_commands_are_in_the_audit_log(demo_path, tmp_path):
    rates = tmp_path / "rates.csv"
    result = module(
        "panel", "rates", "--wave", "panel-2026-w1", "--by", "district_code", "--out", str(rates),
        db=demo_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = tmp_path / "estimates.csv"
    result = module(
        "analysis", "estimate", "--survey", "seoul-2025", "--out", str(table), db=demo_path
    )
    assert result.returncode == 0, result.stderr
    written = _audit(demo_path, "download")
    assert [(actor, d["kind"], d["via"], d["file"]) for actor, _, d in written] == [
        ("cli", "response_rates", "cli", str(rates)),
        ("cli", "estimates", "cli", str(table)),
    ]
    (_, rates_target, rates_detail), (_, table_target, table_detail) = written
    assert rates_detail["survey"] == "panel-2026-w1" and rates_detail["rows"] == len(
        pd.read_csv(rates)
    )
    assert rates_detail["format"] == "csv" and rates_target.startswith("survey:")
    assert table_detail["survey"] == "seoul-2025" and table_detail["rows"] == len(
        pd.read_csv(table)
    )
