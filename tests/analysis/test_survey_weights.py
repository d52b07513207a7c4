"""Seoul Survey weights: stored versions that hit the margins and trace their parameters."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis.tables import indicator_table
from analysis.weights.survey_weights import latest_weights, make_weights
from data.reference import stored_table
from surveys.opening import survey_by_code


@pytest.fixture
def survey_id(demo_store):
    return survey_by_code(demo_store, "seoul-2026").survey_id


def test_the_demo_has_weights_for_both_cross_sections(demo_store):
    versions = demo_store.rows(
        "SELECT count(*) FROM weights_versions JOIN surveys USING (survey_id)"
        " WHERE kind = 'cross_section' GROUP BY survey_id ORDER BY survey_id"
    )
    assert [v[0] for v in versions] == [2, 2]  # household and person, per survey


def test_person_weights_reach_the_population_margins(demo_store, survey_id):
    _, weights, parameters = latest_weights(demo_store, survey_id, "person")
    margins = stored_table(demo_store, "population_margins")
    assert weights["weight"].sum() == pytest.approx(margins["population"].sum(), rel=1e-8)
    assert (weights["weight"] > 0).all()
    assert parameters["margin_sources"]["population_margins"]["reference_date"]
    assert parameters["calibration"]["method"].startswith("rake")


def test_household_weights_reach_the_registered_households(demo_store, survey_id):
    _, weights, parameters = latest_weights(demo_store, survey_id, "household")
    households = stored_table(demo_store, "household_margins")["households"].sum()
    assert weights["weight"].sum() == pytest.approx(households, rel=1e-8)
    assert parameters["nonresponse"]["classes"] == "district_code"


def test_a_new_version_is_numbered_and_kept_beside_the_old(demo_store, survey_id):
    made = make_weights(demo_store, survey_id, actor="tester")
    versions = demo_store.rows(
        "SELECT unit, version FROM weights_versions WHERE survey_id = ? ORDER BY unit, version",
        [survey_id],
    )
    assert versions == [("household", 1), ("household", 2), ("person", 1), ("person", 2)]
    assert latest_weights(demo_store, survey_id, "person")[0] == made["person"]


def test_the_table_uses_calibrated_weights_with_their_version(demo_store, survey_id):
    table = indicator_table(demo_store, survey_id)
    person_version = latest_weights(demo_store, survey_id, "person")[0]
    assert set(table.loc[table["population"] == "persons15", "weights_id"]) == {person_version}
    by_sex = table.query("indicator == 'happiness_index' and domain == 'sex'")
    assert len(by_sex) == 2 and by_sex["se"].gt(0).all()


def test_cli_writes_the_table(demo_path, tmp_path):
    out = tmp_path / "table.csv"
    env = {**os.environ, "SEOUL_DB": str(demo_path)}
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "estimate", "--survey", "seoul-2026", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out)
    assert {"estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "flag"} <= set(table.columns)
    assert "happiness_index" in set(table["indicator"])


def test_cli_says_when_there_is_no_such_survey(demo_path, tmp_path):
    env = {**os.environ, "SEOUL_DB": str(demo_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "estimate",
            "--survey",
            "nope",
            "--out",
            str(tmp_path / "t.csv"),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2 and "nope" in result.stderr
