"""The panel health page's numbers: size, waves, attrition, replacements, composition, R.

The demo may or may not already hold a panel: the fixtures recruit one only
when the roster is empty, close the open wave (or open and close a new one),
and every expectation is computed from the stored data rather than hard-coded.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass

import pandas as pd
import pytest

from analysis.weights.survey_weights import household_margins
from data.store import Store, open_store
from panel.attrition import apply_attrition, leavers_without_replacement, replace_leavers
from panel.health import (
    COMPOSITION_COLUMNS,
    LEVEL_COLUMNS,
    LOG_COLUMNS,
    R_COLUMNS,
    WAVE_COLUMNS,
    attrition_by,
    composition,
    panel_size,
    replacement_log,
    replacements_by,
    representativeness,
    wave_summary,
)
from panel.health_stats import LEAVING, dissimilarity_index
from panel.outcomes import record_outcomes, wave_rates
from panel.replacement import Replacement
from panel.roster_store import load_roster
from panel.status import LEFT, MEMBERS
from panel.waves import Wave, list_waves
from tests.panel.wave_helpers import answer, break_off, invite, open_wave, recruit


def _target(store: Store) -> int:
    parameters = store.scalar(
        "SELECT parameters FROM panel_recruitments ORDER BY recruitment_id DESC LIMIT 1"
    )
    return int(json.loads(parameters)["target"])


@pytest.fixture
def recruited(no_panel_store) -> Store:
    """The demo with a panel recruited here (no wave yet)."""
    recruit(no_panel_store)
    return no_panel_store


@dataclass
class ClosedWave:
    store: Store
    wave: Wave
    replacement: Replacement


def _field_wave(store: Store, tmp_path) -> Wave:
    """A new wave in the field: most answer, two refuse, one moves out, one breaks off."""
    wave = open_wave(store, max((w.wave_no for w in list_waves(store)), default=0) + 1)
    codes = invite(store, wave, tmp_path)
    ids = codes["household_id"].astype(int).tolist()
    answer(store, codes, ids[: len(ids) * 2 // 3])
    rest = ids[len(ids) * 2 // 3 :]
    record_outcomes(
        store, wave.survey_id,
        pd.DataFrame({"household_id": rest[:3], "outcome": ["refused", "refused", "moved_out"]}),
        actor="operator",
    )  # fmt: skip
    break_off(store, wave.survey_id, rest[3])
    return wave


@pytest.fixture(scope="module")
def closed_wave(no_panel_template, tmp_path_factory) -> ClosedWave:
    """A recruited panel whose first wave is answered, closed and replaced (read-only tests)."""
    folder = tmp_path_factory.mktemp("health")
    shutil.copy(no_panel_template, folder / "demo.duckdb")
    store = open_store(folder / "demo.duckdb")
    recruit(store)
    wave = _field_wave(store, folder)
    apply_attrition(store, wave.survey_id, actor="operator")
    made = replace_leavers(store, wave.survey_id, seed=11, actor="operator")
    yield ClosedWave(store, wave, made)
    store.close()


# ---------------------------------------------------------------- size


def test_panel_size_after_recruitment_counts_the_roster_against_the_target(recruited):
    size = panel_size(recruited)
    roster = load_roster(recruited)
    assert size["target"] == _target(recruited)
    assert size["in_panel"] == int(roster["status"].isin(MEMBERS).sum())
    assert size["active"] == int((roster["status"] == "active").sum())
    assert size["reserve_left"] == int((roster["status"] == "reserve").sum())
    assert sum(size["by_status"].values()) == len(roster)
    assert size["shortfall"] == max(0, size["target"] - size["in_panel"])
    if not list_waves(recruited):  # freshly recruited: every panel household invited
        assert size["in_panel"] == size["target"] and size["shortfall"] == 0


def test_replacement_brings_the_panel_back_to_its_target(closed_wave):
    store = closed_wave.store
    size = panel_size(store)
    assert len(closed_wave.replacement.replacements) > 0
    if not leavers_without_replacement(store):
        assert size["in_panel"] == size["target"] and size["shortfall"] == 0
    left = int(load_roster(store)["status"].isin(LEFT).sum())
    replaced = int(load_roster(store)["replaces"].notna().sum())
    assert size["in_panel"] == size["target"] - left + replaced


# ---------------------------------------------------------------- waves


def test_wave_summary_numbers_are_the_rates_and_the_history(closed_wave):
    store, wave = closed_wave.store, closed_wave.wave
    summary = wave_summary(store)
    assert list(summary.columns) == WAVE_COLUMNS
    assert summary["wave_no"].tolist() == [w.wave_no for w in list_waves(store)]
    row = summary.set_index("survey_id").loc[wave.survey_id]
    rates = wave_rates(store, wave.survey_id).iloc[0]
    assert row["invited"] == rates["invited"] and row["complete"] == rates["I"]
    for rate in ("RR1", "COOP1", "REF1", "CON1"):
        assert row[rate] == pytest.approx(rates[rate])
    left = store.scalar(
        "SELECT count(DISTINCT household_id) FROM panel_status_history"
        " WHERE survey_id = ? AND list_contains(?, status)",
        [wave.survey_id, sorted(LEFT)],
    )
    assert row["left"] == left and left >= 3  # two refusals and a move out at least
    assert row["replaced"] == len(closed_wave.replacement.replacements)
    roster = load_roster(store)
    assert row["joined"] == int((roster["joined_wave"] == wave.wave_no).sum())
    assert row["status"] == "closed"


def test_attrition_by_wave_and_district_adds_up_to_the_leavers(closed_wave):
    store, wave = closed_wave.store, closed_wave.wave
    by_wave = attrition_by(store, ["wave_no"])
    assert list(by_wave.columns) == ["wave_no", *LEAVING, "total"]
    assert (
        by_wave.set_index("wave_no").loc[wave.wave_no, "total"]
        == (wave_summary(store).set_index("survey_id").loc[wave.survey_id, "left"])
    )
    roster = load_roster(store)
    by_district = attrition_by(store, ["district_code", "household_type"])
    assert by_district["total"].sum() == int(roster["status"].isin(LEFT).sum())
    overall = attrition_by(store, [])
    for status in LEAVING:
        assert overall[status].iat[0] == int((roster["status"] == status).sum())


def test_replacements_by_level_add_up_to_the_replacements(closed_wave):
    store = closed_wave.store
    made = closed_wave.replacement.replacements
    table = replacements_by(store, ["wave_no"]).set_index("wave_no").loc[closed_wave.wave.wave_no]
    assert table["total"] == len(made)
    for level, column in enumerate(LEVEL_COLUMNS):
        assert table[column] == int((made["match_level"] == level).sum())
    overall = replacements_by(store, [])
    assert overall["total"].iat[0] == int(load_roster(store)["replaces"].notna().sum())


def test_replacement_log_lists_exactly_the_replacements_and_whom_they_replace(closed_wave):
    store = closed_wave.store
    log = replacement_log(store)
    roster = load_roster(store)
    replacements = roster.loc[roster["replaces"].notna()]
    assert list(log.columns) == LOG_COLUMNS
    assert set(zip(log["household_id"], log["replaces"], strict=True)) == set(
        zip(replacements["household_id"], replacements["replaces"], strict=True)
    )
    made = closed_wave.replacement.replacements
    mine = log.loc[log["wave_code"] == closed_wave.wave.code].set_index("household_id")
    assert mine["replaces"].to_dict() == dict(
        zip(made["household_id"], made["replaces"], strict=True)
    )
    cells = roster.set_index("household_id")
    assert (
        mine["replaces_district_code"] == cells.loc[mine["replaces"], "district_code"].to_numpy()
    ).all()
    assert log["changed_at"].is_monotonic_decreasing
    assert len(replacement_log(store, limit=1)) == min(1, len(log))


# ---------------------------------------------------------------- composition, R


def test_composition_by_district_is_the_dissimilarity_of_the_counts_and_small(recruited):
    result = composition(recruited, "district_code")
    roster = load_roster(recruited)
    counts = roster.loc[roster["status"].isin(MEMBERS)].groupby("district_code").size()
    population = household_margins(recruited)["district_code"]
    population.index = population.index.astype(str)
    assert result.dissimilarity == pytest.approx(dissimilarity_index(counts, population))
    assert result.dissimilarity < 0.1
    assert list(result.table.columns) == COMPOSITION_COLUMNS
    assert result.table["panel_n"].sum() == int(counts.sum())
    assert 0.0 <= result.p_value <= 1.0 and result.df == len(population) - 1


def test_composition_by_size_class_covers_every_panel_household(recruited):
    result = composition(recruited, "size_class")
    assert set(result.table["category"]) == {1, 2, 3, 4, 5}
    assert result.table["panel_n"].sum() == panel_size(recruited)["in_panel"]
    assert 0.0 <= result.dissimilarity <= 1.0


def test_household_type_has_no_population_margin(recruited):
    with pytest.raises(ValueError, match="household_type"):
        composition(recruited, "household_type")
    with pytest.raises(ValueError, match="cannot group by"):
        attrition_by(recruited, ["head_age_band"])


def test_representativeness_gives_an_r_indicator_per_wave(closed_wave):
    store, wave = closed_wave.store, closed_wave.wave
    table = representativeness(store)
    assert list(table.columns) == R_COLUMNS
    assert table["wave_no"].tolist() == [w.wave_no for w in list_waves(store)]
    assert table["r"].between(-0.1, 1.0).all()
    row = table.set_index("wave_no").loc[wave.wave_no]
    rates = wave_rates(store, wave.survey_id).iloc[0]
    assert row["n"] == rates["invited"] - rates["NE"]
    assert row["r"] == pytest.approx(1 - 2 * row["propensity_sd"])
    assert 0.0 < row["mean_propensity"] < 1.0


# ---------------------------------------------------------------- empty databases


def _assert_all_empty(store: Store) -> None:
    size = panel_size(store)
    assert size["target"] is None and size["in_panel"] == 0 and size["shortfall"] == 0
    assert set(size["by_status"].values()) == {0}
    assert wave_summary(store).empty and list(wave_summary(store).columns) == WAVE_COLUMNS
    by = attrition_by(store, ["wave_no", "district_code"])
    assert by.empty and list(by.columns) == ["wave_no", "district_code", *LEAVING, "total"]
    assert attrition_by(store, [])["total"].tolist() == [0]
    assert replacements_by(store, ["district_code"]).empty
    assert replacements_by(store, [])["total"].tolist() == [0]
    for dimension in ("district_code", "size_class"):
        result = composition(store, dimension)
        assert result.table.empty and list(result.table.columns) == COMPOSITION_COLUMNS
        assert math.isnan(result.dissimilarity)
    assert representativeness(store).empty
    assert list(representativeness(store).columns) == R_COLUMNS
    assert replacement_log(store).empty and list(replacement_log(store).columns) == LOG_COLUMNS


def test_a_database_without_a_panel_gives_empty_frames(store):
    _assert_all_empty(store)


def test_a_database_without_the_panel_tables_gives_empty_frames(tmp_path):
    bare = open_store(tmp_path / "bare.duckdb")
    try:
        _assert_all_empty(bare)
    finally:
        bare.close()
