"""The demo's Seoul-wide estimates fall in the plausible ranges written beside the generators.

``demo/plausibility.yaml`` gives, for every catalogue indicator, the range a
statistician would believe for Seoul. The session's test demo (scale 1000: about 400
households and 700 persons a year, 400 households a wave) is estimated the way users see it
(:func:`analysis.tables.indicator_table`, :func:`analysis.designs.wave_indicator_table`), and
each Seoul-wide estimate must lie within the range widened by three of its own standard
errors: the test demo's sample is small, and a generator whose full-size demo sits inside
the range then fails this check by chance well under 1 % of the time per estimate.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.designs import wave_indicator_table
from analysis.indicators import load_catalogue
from analysis.tables import indicator_table
from surveys.opening import survey_by_code

PLAUSIBILITY = Path(__file__).resolve().parents[2] / "demo" / "plausibility.yaml"
RANGES = yaml.safe_load(PLAUSIBILITY.read_text(encoding="utf-8"))["ranges"]
CROSS_SECTIONS = ("seoul-2025", "seoul-2026")
PARALLEL_WAVES = ("panel-2026-w1", "panel-2026-w3")
TOLERANCE_SE = 3


@pytest.fixture(scope="module")
def seoul_estimates(demo_template: Path) -> pd.DataFrame:
    """Seoul-wide rows of every demo survey's indicator table, with the survey's code."""
    from data.store import open_store

    store = open_store(demo_template, read_only=True)
    try:
        tables = []
        for code in CROSS_SECTIONS + PARALLEL_WAVES:
            survey_id = survey_by_code(store, code).survey_id
            if code in CROSS_SECTIONS:
                table = indicator_table(store, survey_id)
            else:
                table = wave_indicator_table(store, survey_id)
            tables.append(table[table["domain"] == "seoul"].assign(survey=code))
    finally:
        store.close()
    return pd.concat(tables, ignore_index=True)


def test_every_catalogue_indicator_has_one_documented_range():
    ids = [row["indicator"] for row in RANGES]
    assert sorted(ids) == sorted(indicator.id for indicator in load_catalogue())
    for row in RANGES:
        assert row["low"] < row["high"], row["indicator"]
        assert str(row["unit"]).strip() and str(row["source"]).strip(), row["indicator"]


@pytest.mark.parametrize("row", RANGES, ids=[row["indicator"] for row in RANGES])
def test_the_demo_lands_in_the_plausible_range(row, seoul_estimates):
    found = seoul_estimates[seoul_estimates["indicator"] == row["indicator"]]
    assert set(CROSS_SECTIONS) <= set(found["survey"])  # both years ask every indicator
    for estimate in found.itertuples():
        where = f"{row['indicator']} in {estimate.survey}"
        assert not math.isnan(estimate.estimate), f"{where}: suppressed (CV > 0.5)"
        margin = TOLERANCE_SE * estimate.se
        assert row["low"] - margin <= estimate.estimate <= row["high"] + margin, (
            f"{where}: {estimate.estimate:.2f} (SE {estimate.se:.2f}) outside "
            f"{row['low']}-{row['high']} {row['unit']}"
        )


def test_the_parallel_waves_are_checked_too(seoul_estimates):
    asked = {"happiness_index", "life_satisfaction", "trust_neighbours", "commute_minutes"}
    for code in PARALLEL_WAVES:
        assert set(seoul_estimates.loc[seoul_estimates["survey"] == code, "indicator"]) == asked
