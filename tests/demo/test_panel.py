"""The demo's panel: recruited, three completed waves, realistic attrition, replacements, weights."""

from __future__ import annotations

import json

import pytest

from panel.outcomes import wave_outcomes
from panel.roster_store import load_roster
from panel.status import LEFT, MEMBERS
from panel.waves import list_waves


@pytest.fixture(scope="module")
def demo(demo_template):
    from data.store import open_store

    opened = open_store(demo_template, read_only=True)
    yield opened
    opened.close()


def test_three_completed_waves_in_the_issue_order_and_a_fourth_in_the_field(demo):
    waves = list_waves(demo)
    assert [w.wave_no for w in waves] == [1, 2, 3, 4]
    assert all(w.status == "closed" and w.attrition_applied for w in waves[:3])
    assert waves[3].status == "in_field" and not waves[3].attrition_applied
    questionnaires = [
        demo.scalar(
            "SELECT q.questionnaire_id FROM surveys s JOIN questionnaire_versions q"
            " ON q.source_hash = s.questionnaire_hash WHERE s.survey_id = ?",
            [w.survey_id],
        )
        for w in waves
    ]
    assert questionnaires == [
        "panel_seoul_parallel",
        "panel_policy_demand",
        "panel_seoul_parallel",
    ] + ["panel_seoul_parallel"]


def test_the_panel_is_back_at_its_target_after_the_last_replacement(demo):
    roster = load_roster(demo)
    target = json.loads(demo.scalar("SELECT parameters FROM panel_recruitments"))["target"]
    assert roster["status"].isin(MEMBERS).sum() == target
    left = roster["status"].isin(LEFT)
    assert left.sum() > 0 and roster["replaces"].notna().sum() == left.sum()


def test_young_people_living_alone_leave_more_often(demo):
    roster = load_roster(demo)
    panel = roster[roster["role"] == "panel"]
    young_alone = (panel["household_type"] == 1) & (panel["head_age_band"] == 1)
    older = panel["head_age_band"] >= 5
    left = panel["status"].isin(LEFT)
    assert left[young_alone].mean() > 1.5 * left[older].mean()


def test_every_wave_has_outcomes_of_every_kind_and_no_quarantine(demo):
    for wave in list_waves(demo)[:3]:
        outcomes = set(wave_outcomes(demo, wave.survey_id)["outcome"])
        assert {"complete", "partial", "no_contact", "refused", "not_eligible"} <= outcomes
    assert demo.scalar("SELECT count(*) FROM quarantine WHERE source LIKE '%panel%'") == 0


def test_replacements_join_the_wave_after_their_replacement(demo):
    roster = load_roster(demo)
    replaced = roster[roster["replaces"].notna()]
    assert set(replaced["joined_wave"].dropna().astype(int)) == {2, 3, 4}


def test_each_wave_has_weights_and_the_three_have_longitudinal_weights(demo):
    for wave in list_waves(demo)[:3]:
        versions = demo.rows(
            "SELECT unit FROM weights_versions WHERE survey_id = ?", [wave.survey_id]
        )
        assert ("household",) in versions
    last = list_waves(demo)[2].survey_id
    parameters = json.loads(
        demo.scalar(
            "SELECT parameters FROM weights_versions WHERE survey_id = ? AND unit = 'longitudinal'",
            [last],
        )
    )
    assert len(parameters["waves"]) == 3


def test_reminders_were_sent_to_fewer_households_than_the_invitations(demo):
    first = list_waves(demo)[0].survey_id
    sent = demo.query(
        "SELECT round, count(*) AS n FROM panel_messages WHERE survey_id = ? GROUP BY round"
        " ORDER BY round",
        [first],
    )["n"].tolist()
    assert len(sent) == 3 and sent[0] > sent[1] > sent[2] > 0


def test_the_wave_in_the_field_has_speeders_straight_liners_and_break_offs(demo):
    from surveys.fieldwork.monitoring import breakoffs_by_screen
    from surveys.fieldwork.quality import flag_counts, quality_flags

    wave = list_waves(demo)[3]
    counts = flag_counts(quality_flags(demo, wave.survey_id))
    assert counts["speeder"] > 0 and counts["straight_lining"] > 0
    assert breakoffs_by_screen(demo, wave.survey_id)["open_parts"].sum() > 0
    sent = demo.query(
        "SELECT DISTINCT round FROM panel_messages WHERE survey_id = ?", [wave.survey_id]
    )["round"]
    assert 0 in set(sent)  # invitations out; reminders only as far as their dates have come
