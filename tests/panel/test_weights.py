"""Panel weights: wave weights with replacements, longitudinal weights for a set of waves."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from data.reference import stored_table
from data.store import Store, insert_frame, open_store
from panel.roster_store import load_roster, recruit_panel
from panel.weights import (
    adjust_with_collapse,
    longitudinal_versions,
    longitudinal_weights,
    store_longitudinal_weights,
    store_wave_weights,
    wave_weights,
)
from surveys.opening import open_survey, survey_by_code

QUESTIONNAIRE = (
    Path(__file__).resolve().parents[2] / "surveys/definitions/panel_seoul_parallel_2026.yaml"
)
PARAMS = {"target": 200, "reserve": 400, "allocation": "proportional_floor", "floor": 4, "seed": 7}


@dataclass
class Panel:
    store: Store
    wave1: int
    wave2: int
    sample1: pd.DataFrame
    sample2: pd.DataFrame
    responded1: set[int]
    responded2: set[int]


def _open_wave(store: Store, code: str) -> int:
    info = open_survey(
        store, QUESTIONNAIRE, kind="panel_wave", code=code, title_ko=code, actor="tester"
    )
    return info.survey_id


def _sample_rows(survey_id: int, households: pd.DataFrame) -> pd.DataFrame:
    """survey_sample rows: the household is the PSU, pi its own panel or reserve probability."""
    pi = households["pi_panel"].where(households["role"] == "panel", households["pi_reserve"])
    return pd.DataFrame(
        {
            "survey_id": survey_id,
            "household_id": households["household_id"].to_numpy(),
            "stratum": households["district_code"].to_numpy(),
            "area": households["household_id"].astype(str).to_numpy(),
            "area_households": 1,
            "pi_area": pi.to_numpy(),
            "pi_within": 1.0,
            "pi": pi.to_numpy(),
            "design_weight": (1 / pi).to_numpy(),
        }
    )


def _response_rows(survey_id: int, household_ids: list[int]) -> pd.DataFrame:
    at = pd.Timestamp("2026-05-01 10:00")
    return pd.DataFrame(
        {
            "survey_id": survey_id,
            "household_id": household_ids,
            "member_no": 0,
            "part": "household",
            "submission_id": [f"w{survey_id}-{h}" for h in household_ids],
            "content_hash": "x",
            "answers": "{}",
            "questionnaire_version": "2026.1",
            "questionnaire_hash": "x",
            "mode": "web",
            "language": "ko",
            "submitted_at": at,
        }
    )


def _field(store: Store, survey_id: int, sample: pd.DataFrame, responded: set[int]) -> None:
    def work(cur) -> None:
        insert_frame(cur, "survey_sample", _sample_rows(survey_id, sample))
        insert_frame(cur, "responses", _response_rows(survey_id, sorted(responded)))

    store.write(work)


def _replacements(roster: pd.DataFrame, dropped: pd.DataFrame) -> pd.DataFrame:
    """One reserve household of the same district for each drop-out (first by id)."""
    reserve = roster[roster["role"] == "reserve"]
    picks = []
    for district, count in dropped["district_code"].value_counts().items():
        picks.append(reserve[reserve["district_code"] == district].head(count))
    return pd.concat(picks)


@pytest.fixture(scope="module")
def panel(no_panel_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """Two waves: wave 2 invites wave 1's respondents plus a replacement per drop-out."""
    path = tmp_path_factory.mktemp("panel_weights") / "demo.duckdb"
    shutil.copy(no_panel_template, path)
    store = open_store(path)
    recruit_panel(store, actor="tester", **PARAMS)
    roster = load_roster(store)
    sample1 = roster[roster["role"] == "panel"].reset_index(drop=True)
    responded1 = {int(h) for i, h in enumerate(sample1["household_id"]) if i % 5}
    wave1 = _open_wave(store, "panel-w1")
    _field(store, wave1, sample1, responded1)
    dropped = sample1[~sample1["household_id"].isin(responded1)]
    kept = sample1[sample1["household_id"].isin(responded1)]
    sample2 = pd.concat([kept, _replacements(roster, dropped)]).reset_index(drop=True)
    responded2 = {int(h) for i, h in enumerate(sample2["household_id"]) if i % 7}
    wave2 = _open_wave(store, "panel-w2")
    _field(store, wave2, sample2, responded2)
    yield Panel(store, wave1, wave2, sample1, sample2, responded1, responded2)
    store.close()


def _margins(store: Store) -> pd.DataFrame:
    return stored_table(store, "household_margins")


def _by_district(panel: Panel, survey_id: int, weights: pd.DataFrame) -> pd.Series:
    strata = panel.store.query(
        "SELECT household_id, stratum FROM survey_sample WHERE survey_id = ?", [survey_id]
    )
    merged = weights.merge(strata, on="household_id")
    return merged.groupby("stratum")["weight"].sum()


def test_wave_weights_reach_the_registered_households_in_total_and_by_district(panel):
    result = wave_weights(panel.store, panel.wave1)
    margins = _margins(panel.store)
    assert result.weights["weight"].sum() == pytest.approx(margins["households"].sum(), rel=1e-8)
    expected = margins.groupby("district_code")["households"].sum()
    got = _by_district(panel, panel.wave1, result.weights).reindex(expected.index)
    pd.testing.assert_series_equal(got, expected.astype(float), check_names=False, rtol=1e-6)
    assert result.parameters["margin_categories_without_respondents"] == {}
    assert result.parameters["nonresponse"]["merged_into_seoul"] == []


def test_wave_weights_go_to_respondents_only_and_replacements_get_theirs(panel):
    result = wave_weights(panel.store, panel.wave2)
    weighted = set(result.weights["household_id"])
    assert weighted == panel.responded2  # non-respondents get no row
    replacements = set(panel.sample2.loc[panel.sample2["role"] == "reserve", "household_id"])
    answered = replacements & panel.responded2
    assert answered and answered <= weighted
    assert (result.weights["weight"] > 0).all()
    assert result.parameters["respondents_by_role"] == {
        "originals": len(panel.responded2 - replacements),
        "replacements": len(answered),
    }


def test_a_replacement_starts_from_its_own_reserve_probability(panel):
    result = wave_weights(panel.store, panel.wave2).weights.set_index("household_id")
    scale = float(panel.store.scalar("SELECT scale_factor FROM frame_info"))
    reserve = panel.sample2[panel.sample2["role"] == "reserve"].set_index("household_id")
    some = sorted(set(reserve.index) & panel.responded2)[0]
    assert result.loc[some, "base_weight"] == pytest.approx(scale / reserve.loc[some, "pi_reserve"])


def test_only_households_present_in_every_wave_get_a_longitudinal_weight(panel):
    result = longitudinal_weights(panel.store, [panel.wave1, panel.wave2])
    weighted = set(result.weights["household_id"])
    assert weighted == panel.responded1 & panel.responded2
    missed_wave2 = panel.responded1 - panel.responded2
    assert missed_wave2 and not missed_wave2 & weighted
    later = set(panel.sample2.loc[panel.sample2["role"] == "reserve", "household_id"])
    assert not later & weighted  # joined in wave 2: not in the set's population
    assert result.parameters["eligible"] == len(panel.sample1)


def test_longitudinal_weights_reach_the_margins(panel):
    result = longitudinal_weights(panel.store, [panel.wave1, panel.wave2])
    margins = _margins(panel.store)
    expected = margins.groupby("district_code")["households"].sum()
    got = _by_district(panel, panel.wave1, result.weights).reindex(expected.index)
    pd.testing.assert_series_equal(got, expected.astype(float), check_names=False, rtol=1e-6)
    attrition = result.parameters["nonresponse"]
    assert attrition["classes"] == "district_code x household_type"
    assert {row["class"] for row in attrition["table"]}  # the classes used are recorded


def test_the_set_is_stored_under_its_last_wave_and_versions_are_numbered(panel):
    first = store_longitudinal_weights(panel.store, [panel.wave2, panel.wave1], actor="tester")
    second = store_longitudinal_weights(panel.store, [panel.wave1, panel.wave2], actor="tester")
    versions = longitudinal_versions(panel.store, panel.wave2)
    assert versions["weights_id"].tolist() == [first, second]
    assert versions["version"].tolist() == [1, 2]
    assert versions["wave_ids"].iloc[0] == [panel.wave1, panel.wave2]
    assert versions["wave_codes"].iloc[1] == ["panel-w1", "panel-w2"]
    assert longitudinal_versions(panel.store, panel.wave1).empty
    stored = json.loads(
        panel.store.scalar("SELECT parameters FROM weights_versions WHERE weights_id = ?", [first])
    )
    assert stored["unit"] == "longitudinal"
    rows = panel.store.scalar("SELECT count(*) FROM weights WHERE weights_id = ?", [second])
    assert rows == len(panel.responded1 & panel.responded2)


def test_wave_weights_are_stored_as_household_versions(panel):
    weights_id = store_wave_weights(panel.store, panel.wave1, actor="tester")
    unit = panel.store.scalar(
        "SELECT unit FROM weights_versions WHERE weights_id = ?", [weights_id]
    )
    assert unit == "household"


def test_refusals(panel):
    with pytest.raises(ValueError, match="비어.*empty"):
        store_longitudinal_weights(panel.store, [], actor="tester")
    cross_section = survey_by_code(panel.store, "seoul-2026").survey_id
    with pytest.raises(ValueError, match="not a panel wave"):
        store_wave_weights(panel.store, cross_section, actor="tester")
    with pytest.raises(ValueError, match="not a panel wave"):
        store_longitudinal_weights(panel.store, [panel.wave1, cross_section], actor="tester")


def test_a_set_with_nobody_in_every_wave_is_refused(panel):
    empty_wave = _open_wave(panel.store, "panel-w-empty")
    _field(panel.store, empty_wave, panel.sample2, set())
    with pytest.raises(ValueError, match="no household responded to every wave"):
        store_longitudinal_weights(panel.store, [panel.wave1, empty_wave], actor="tester")


def test_a_class_nobody_answered_in_is_carried_seoul_wide():
    base = pd.Series([10.0, 10.0, 20.0, 30.0, 30.0])
    responded = pd.Series([True, False, True, False, False])
    classes = pd.Series(["a", "a", "b", "c", "c"])
    adjusted, record = adjust_with_collapse(base, responded, classes)
    assert adjusted.sum() == pytest.approx(base.sum())
    assert record["merged_into_seoul"] == ["c"]
    assert adjusted.loc[0] / adjusted.loc[2] == pytest.approx(2 * 10 / 20)
