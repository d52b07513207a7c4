"""`python -m data status`: JSON with the path, schema version and counts under clear keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _status(path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "data", "status"],
        capture_output=True,
        text=True,
        env={**os.environ, "SEOUL_DB": str(path)},
        check=True,
    )
    return json.loads(result.stdout)


def test_status_reports_the_frame_and_every_table(demo_path, demo_store_counts):
    out = _status(demo_path)
    assert out["database"] == str(demo_path)
    assert out["schema_version"] >= 3 and out["kind"] == "demo"
    assert out["frame"]["frame_households"] == demo_store_counts["households"]
    assert out["frame"]["frame_persons"] == demo_store_counts["persons"]
    assert out["frame"]["scale_factor"] == 1000
    assert out["tables"]["districts"] == 25
    assert out["last_seeding"]["steps"] >= 2


def test_status_of_a_missing_database_says_so_without_creating_it(tmp_path):
    missing = tmp_path / "nothing.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "data", "status"],
        capture_output=True,
        text=True,
        env={**os.environ, "SEOUL_DB": str(missing)},
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["exists"] is False
    assert not missing.exists()
