"""``python -m panel``: what an operator scripting the panel sees."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd


def _run(demo_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SEOUL_DB": str(demo_path)},
    )


def test_waves_lists_the_demo_waves_with_their_response_rate(demo_path):
    result = _run(demo_path, "panel", "waves")
    assert result.returncode == 0
    assert all(f"panel-2026-w{n}" in result.stdout for n in (1, 2, 3, 4))
    assert "RR1" in result.stdout


def test_rates_by_district_are_written_as_csv(demo_path, tmp_path):
    out = tmp_path / "rates.csv"
    result = _run(demo_path, "panel", "rates", "--wave", "panel-2026-w2", "--by", "district_code",
                  "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) == 25 and {"RR1", "COOP1", "REF1", "CON1"} <= set(table.columns)


def test_attrition_of_a_closed_wave_is_refused_with_the_reason(demo_path):
    result = _run(demo_path, "panel", "attrition", "--wave", "panel-2026-w1", "--apply")
    assert result.returncode == 2 and "already applied" in result.stderr


def test_cross_section_weights_command_points_panel_waves_to_the_panel_command(demo_path):
    result = _run(demo_path, "analysis", "weights", "--survey", "panel-2026-w1")
    assert result.returncode == 2 and "python -m panel weights" in result.stderr


def test_report_writes_a_wave_report_with_its_three_files(demo_path, tmp_path):
    out = tmp_path / "reports"
    result = _run(demo_path, "panel", "report", "--wave", "panel-2026-w2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "panel-2026-w2_report.pdf",
        "panel-2026-w2_report.xlsx",
        "panel-2026-w2_report_csv.zip",
    ]
    assert (out / "panel-2026-w2_report.pdf").read_bytes().startswith(b"%PDF")


def test_report_of_a_wave_still_without_weights_says_to_make_them(demo_path, tmp_path):
    result = _run(demo_path, "panel", "report", "--wave", "panel-2026-w4", "--out", str(tmp_path))
    assert result.returncode == 2 and "weights" in result.stderr


def test_cross_section_report_command_points_panel_waves_to_the_panel_command(demo_path, tmp_path):
    result = _run(
        demo_path, "analysis", "report", "--survey", "panel-2026-w1", "--out", str(tmp_path)
    )
    assert result.returncode == 2 and "python -m panel report" in result.stderr


def test_rates_written_as_csv_show_a_label_that_could_be_a_formula_as_text(
    demo_path, tmp_path, monkeypatch
):
    from cli.panel_commands import main

    def rates(store, survey_id, by=None):
        return pd.DataFrame({"group": ["=1+1", "종로구"], "RR1": [-0.5, 0.4]})

    monkeypatch.setenv("SEOUL_DB", str(demo_path))
    monkeypatch.setattr("cli.panel_commands.wave_rates", rates)
    out = tmp_path / "rates.csv"
    assert main(["rates", "--wave", "panel-2026-w2", "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["group"].tolist() == ["'=1+1", "종로구"]
    assert table["RR1"].tolist() == [-0.5, 0.4]
