"""Closing waves: the attrition plan, its one audited step, replacements joining the next wave."""

from __future__ import annotations

import pandas as pd
import pytest

from panel.attrition import apply_attrition, plan_attrition, replace_leavers
from panel.attrition_rules import AttritionRules
from panel.outcomes import record_outcomes, wave_outcomes, wave_rates
from panel.roster_store import load_roster
from panel.waves import WaveError, wave_households
from tests.panel.wave_helpers import answer, break_off, invite, open_wave, recruit


@pytest.fixture
def wave_one(no_panel_store, tmp_path):
    """Wave 1 in the field: 80 answered, 2 refused, 1 moved out, 1 broke off, 36 silent."""
    recruit(no_panel_store)
    wave = open_wave(no_panel_store, 1)
    codes = invite(no_panel_store, wave, tmp_path)
    ids = codes["household_id"].astype(int).tolist()
    answer(no_panel_store, codes, ids[:80])
    record_outcomes(
        no_panel_store, wave.survey_id,
        pd.DataFrame({"household_id": ids[80:83], "outcome": ["refused", "refused", "moved_out"]}),
        actor="operator",
    )  # fmt: skip
    break_off(no_panel_store, wave.survey_id, ids[83])
    return no_panel_store, wave, ids


def test_outcomes_follow_responses_drafts_and_records(wave_one):
    store, wave, ids = wave_one
    outcomes = wave_outcomes(store, wave.survey_id).set_index("household_id")["outcome"]
    assert outcomes.value_counts().to_dict() == {
        "complete": 80, "no_contact": 36, "refused": 2, "not_eligible": 1, "partial": 1,
    }  # fmt: skip
    rates = wave_rates(store, wave.survey_id).iloc[0]
    assert rates["RR1"] == pytest.approx(80 / 119)
    assert rates["REF1"] == pytest.approx(2 / 119)
    assert rates["COOP1"] == pytest.approx(80 / 83)
    assert rates["CON1"] == pytest.approx(83 / 119)


def test_rates_by_district_add_up_to_the_wave(wave_one):
    store, wave, _ = wave_one
    by_district = wave_rates(store, wave.survey_id, "district_code")
    assert by_district["I"].sum() == 80 and by_district["invited"].sum() == 120


def test_the_plan_lists_who_leaves_and_why_before_anything_changes(wave_one):
    store, wave, ids = wave_one
    plan = plan_attrition(store, wave.survey_id)
    new = plan.households.set_index("household_id")["new_status"]
    assert (new.loc[ids[:80]] == "active").all()
    assert new.loc[ids[80]] == "refused" and new.loc[ids[82]] == "moved_out"
    assert (new.loc[ids[83:]] == "nonresponding").all()  # one miss < rule of two
    assert set(plan.leaving["household_id"]) == set(ids[80:83])
    assert plan.leaving["why"].str.contains(" / ").all()
    assert set(load_roster(store).query("role == 'panel'")["status"]) == {"invited"}


def test_applying_commits_the_plan_once_with_history_and_audit(wave_one):
    store, wave, ids = wave_one
    plan = apply_attrition(
        store, wave.survey_id, actor="lee", previewed=plan_attrition(store, wave.survey_id)
    )
    roster = load_roster(store).set_index("household_id")
    assert (roster.loc[ids[:80], "status"] == "active").all()
    assert roster.loc[ids[81], "status"] == "refused"
    history = store.query(
        "SELECT * FROM panel_status_history WHERE survey_id = ?", [wave.survey_id]
    )
    assert len(history) == len(plan.changes) and set(history["changed_by"]) == {"lee"}
    assert (
        store.scalar("SELECT status FROM surveys WHERE survey_id = ?", [wave.survey_id]) == "closed"
    )
    assert (
        store.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'panel_attrition_applied' AND actor = 'lee'"
        )
        == 1
    )
    with pytest.raises(WaveError, match="already applied"):
        apply_attrition(store, wave.survey_id, actor="lee")


def test_a_late_response_after_the_preview_refuses_the_stale_plan(wave_one, tmp_path):
    store, wave, ids = wave_one
    preview = plan_attrition(store, wave.survey_id)
    store.execute(
        "DELETE FROM panel_wave_outcomes WHERE survey_id = ? AND household_id = ?",
        [wave.survey_id, ids[80]],
    )
    with pytest.raises(WaveError, match="preview again"):
        apply_attrition(store, wave.survey_id, actor="lee", previewed=preview)
    assert (
        store.scalar("SELECT count(*) FROM panel_status_history WHERE survey_id IS NOT NULL") == 0
    )


def test_two_missed_waves_drop_a_household_and_replacements_join_the_next_wave(wave_one, tmp_path):
    store, wave, ids = wave_one
    apply_attrition(store, wave.survey_id, actor="lee")
    replaced = replace_leavers(store, wave.survey_id, seed=1, actor="lee")
    assert len(replaced.replacements) == 3 and replaced.shortfall == 0
    assert replace_leavers(store, wave.survey_id, seed=1, actor="lee").replacements.empty

    second = open_wave(store, 2)
    sample = wave_households(store, second.survey_id).set_index("household_id")
    joining = replaced.replacements["household_id"].tolist()
    assert set(joining) <= set(sample.index) and sample.loc[joining, "replacement"].all()
    roster = load_roster(store).set_index("household_id")
    assert (sample.loc[joining, "pi"] == roster.loc[joining, "pi_reserve"]).all()
    assert (roster.loc[joining, "joined_wave"] == 2).all()
    assert not set(ids[80:83]) & set(sample.index)  # who left is never invited again

    codes = invite(store, second, tmp_path / "w2")
    answer(store, codes, ids[:40])
    new = plan_attrition(store, second.survey_id).households.set_index("household_id")["new_status"]
    assert (new.loc[ids[84:]] == "dropped").all()  # silent in both waves
    assert new.loc[ids[50]] == "nonresponding"  # answered wave 1, not wave 2
    assert (new.loc[joining] == "nonresponding").all()  # replacement's first wave unanswered


def test_rules_can_keep_refusals_and_movers(no_panel_store, tmp_path):
    recruit(no_panel_store)
    rules = AttritionRules(missed_waves=0, drop_refusals=False, drop_moved_out=False)
    wave = open_wave(no_panel_store, 1, rules)
    codes = invite(no_panel_store, wave, tmp_path)
    ids = codes["household_id"].astype(int).tolist()
    record_outcomes(
        no_panel_store, wave.survey_id,
        pd.DataFrame({"household_id": ids[:2], "outcome": ["refused", "moved_out"]}), actor="op",
    )  # fmt: skip
    plan = plan_attrition(no_panel_store, wave.survey_id)
    assert plan.leaving.empty
    assert set(plan.households["new_status"]) == {"nonresponding"}


def test_replacement_waits_for_the_attrition(wave_one):
    store, wave, _ = wave_one
    with pytest.raises(WaveError, match="attrition first"):
        replace_leavers(store, wave.survey_id, seed=1, actor="lee")


def test_outcomes_for_strangers_are_refused(wave_one):
    store, wave, _ = wave_one
    with pytest.raises(WaveError, match="not invited"):
        record_outcomes(
            store,
            wave.survey_id,
            pd.DataFrame({"household_id": [1], "outcome": ["refused"]}),
            actor="op",
        )
