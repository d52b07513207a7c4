"""The panel roster in the store: recruitment, status changes, moves, replacement, status JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from data.store import Store
from panel.counts import panel_counts
from panel.roster_store import (
    PanelExistsError,
    change_status,
    cross_section_surveys,
    load_roster,
    move_household,
    recruit_panel,
    run_replacement,
)
from panel.status import StatusError
from surveys.opening import sampled_households

PARAMS = {"target": 200, "reserve": 400, "allocation": "proportional_floor", "floor": 4, "seed": 7}


def _recruit(store: Store) -> int:
    return recruit_panel(store, actor="tester", **PARAMS)


def _history(store: Store) -> pd.DataFrame:
    return store.query("SELECT * FROM panel_status_history ORDER BY history_id")


def _audit(store: Store, action: str) -> int:
    return int(
        store.scalar(
            "SELECT count(*) FROM audit_log WHERE action = ? AND actor <> 'demo-seed'", [action]
        )
    )


def _activate(store: Store) -> pd.Series:
    roster = load_roster(store)
    ids = roster.loc[roster["role"] == "panel", "household_id"]
    change_status(
        store, pd.DataFrame({"household_id": ids, "status": "active", "why": "wave 1"}), actor="fw"
    )
    return ids


def test_recruitment_is_stored_with_probabilities_and_disjoint_from_the_seoul_survey(
    no_panel_store,
):
    rid = _recruit(no_panel_store)
    roster = load_roster(no_panel_store)
    assert (roster["role"] == "panel").sum() == 200
    assert (roster["role"] == "reserve").sum() == 400
    assert set(roster.loc[roster["role"] == "panel", "status"]) == {"invited"}
    assert set(roster.loc[roster["role"] == "reserve", "status"]) == {"reserve"}
    assert (roster["recruitment_id"] == rid).all()
    assert roster[["pi", "pi_panel", "pi_reserve"]].notna().all().all()
    assert ((roster["pi"] > 0) & (roster["pi"] <= 1)).all()
    assert (roster["pi_panel"] + roster["pi_reserve"] - roster["pi"]).abs().max() < 1e-12
    surveys = cross_section_surveys(no_panel_store)
    assert surveys, "the demo has Seoul Survey cross-sections"
    sampled = sampled_households(no_panel_store, surveys)
    assert sampled and not set(roster["household_id"]) & sampled
    stored = json.loads(no_panel_store.scalar("SELECT parameters FROM panel_recruitments"))
    assert stored["target"] == 200 and stored["seed"] == 7
    assert stored["excluded_surveys"] == surveys
    assert len(stored["allocation_table"]) == 25
    assert len(_history(no_panel_store)) == 600
    assert _audit(no_panel_store, "panel_recruit") == 1


def test_a_second_recruitment_is_refused(no_panel_store):
    _recruit(no_panel_store)
    with pytest.raises(PanelExistsError, match="이미.*already recruited"):
        _recruit(no_panel_store)
    assert no_panel_store.scalar("SELECT count(*) FROM panel_recruitments") == 1
    assert no_panel_store.scalar("SELECT count(*) FROM panel_households") == 600


def test_status_changes_are_stored_with_history(no_panel_store):
    _recruit(no_panel_store)
    ids = _activate(no_panel_store)
    roster = load_roster(no_panel_store)
    assert set(roster.loc[roster["household_id"].isin(ids), "status"]) == {"active"}
    history = _history(no_panel_store).query("reason == 'wave 1'")
    assert len(history) == 200
    assert set(history["previous_status"]) == {"invited"}
    assert set(history["changed_by"]) == {"fw"}
    assert history["changed_at"].notna().all()
    assert _audit(no_panel_store, "panel_status_change") == 1


def test_a_refused_change_stores_nothing(no_panel_store):
    _recruit(no_panel_store)
    roster = load_roster(no_panel_store)
    panel = roster.loc[roster["role"] == "panel", "household_id"].iloc[:3].tolist()
    before = len(_history(no_panel_store))
    changes = pd.DataFrame(
        {"household_id": panel, "status": ["active", "active", "reserve"], "why": "x"}
    )  # invited → reserve is not allowed
    with pytest.raises(StatusError, match="refused"):
        change_status(no_panel_store, changes, actor="fw")
    assert len(_history(no_panel_store)) == before
    assert set(load_roster(no_panel_store).set_index("household_id").loc[panel, "status"]) == {
        "invited"
    }
    assert _audit(no_panel_store, "panel_status_change") == 0


def test_a_mover_keeps_status_and_updates_district_with_history(no_panel_store):
    _recruit(no_panel_store)
    ids = _activate(no_panel_store)
    household = int(ids.iloc[0])
    old = no_panel_store.scalar(
        "SELECT district_code FROM panel_households WHERE household_id = ?", [household]
    )
    new = no_panel_store.scalar("SELECT min(code) FROM districts WHERE code <> ?", [old])
    move_household(no_panel_store, household, new, actor="fw", why="이사")
    row = load_roster(no_panel_store).set_index("household_id").loc[household]
    assert row["status"] == "active" and row["district_code"] == new
    last = _history(no_panel_store).iloc[-1]
    assert (last["previous_district"], last["district_code"]) == (old, new)
    assert last["previous_status"] == last["status"] == "active"
    assert (last["changed_by"], last["reason"]) == ("fw", "이사")
    with pytest.raises(StatusError, match="not a Seoul"):
        move_household(no_panel_store, household, "99999", actor="fw", why="x")
    assert _audit(no_panel_store, "panel_move") == 1


def test_replacement_returns_the_panel_to_target_once(no_panel_store):
    _recruit(no_panel_store)
    ids = _activate(no_panel_store)
    dropped = ids.iloc[:25].tolist()
    change_status(
        no_panel_store,
        pd.DataFrame({"household_id": dropped, "status": "dropped", "why": "attrition"}),
        actor="fw",
    )
    outcome = run_replacement(no_panel_store, dropped, seed=1, actor="fw")
    assert outcome.shortfall == 0
    roster = load_roster(no_panel_store)
    members = roster["status"].isin(["invited", "active", "nonresponding"])
    assert members.sum() == 200
    new = roster.loc[roster["replaces"].notna()]
    assert sorted(new["replaces"].astype(int)) == sorted(dropped)
    assert set(new["status"]) == {"invited"} and set(new["role"]) == {"reserve"}
    assert new["match_level"].notna().all() and new["match_flag"].notna().all()
    counts = panel_counts(no_panel_store)
    assert counts["replacements"] == 25 and counts["reserve_left"] == 375
    assert counts["active_households"] == 175 and counts["target"] == 200

    history_before = len(_history(no_panel_store))
    again = run_replacement(no_panel_store, dropped, seed=1, actor="fw")
    assert again.replacements.empty
    assert len(_history(no_panel_store)) == history_before
    assert load_roster(no_panel_store).equals(roster)
    assert _audit(no_panel_store, "panel_replacement") == 1


def test_counts_without_panel_tables_or_panel(store, tmp_path):
    from data.store import open_store

    assert panel_counts(store)["active_households"] == 0
    assert panel_counts(store)["target"] is None
    empty = open_store(tmp_path / "empty.duckdb")  # no migrations: no panel tables yet
    try:
        assert panel_counts(empty) == {
            "active_households": 0,
            "in_panel_households": 0,
            "target": None,
            "by_status": {},
            "reserve_left": 0,
            "replacements": 0,
            "waves": [],
        }
    finally:
        empty.close()


def test_status_json_has_the_demo_panel_and_its_waves(demo_path):
    from data.store import open_store

    opened = open_store(demo_path)
    try:
        roster = load_roster(opened)
    finally:
        opened.close()
    result = subprocess.run(
        [sys.executable, "-m", "data", "status"],
        capture_output=True,
        text=True,
        env={**os.environ, "SEOUL_DB": str(demo_path)},
        check=True,
    )
    panel = json.loads(result.stdout)["panel"]
    assert panel["active_households"] == int((roster["status"] == "active").sum()) > 0
    assert panel["in_panel_households"] == panel["target"] == 400  # back to target
    assert panel["by_status"]["reserve"] == panel["reserve_left"]
    assert [w["code"] for w in panel["waves"]] == [f"panel-2026-w{n}" for n in (1, 2, 3, 4)]
    assert all(w["answered"] > 0 for w in panel["waves"])
    assert [w["attrition_applied"] for w in panel["waves"]] == [True, True, True, False]
