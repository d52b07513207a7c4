"""Excluding a response from estimation: recorded, reversible, and exactly its effect."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.estimation.calibration import rake
from analysis.estimation.design import SurveyDesign
from analysis.exclusions import ExclusionError, active_exclusions, exclude, restore
from analysis.survey_frames import respondent_frames
from analysis.tables import indicator_table
from analysis.weights.survey_weights import DESIGN, latest_weights, person_margins
from data.reference import stored_table
from surveys.opening import survey_by_code


@pytest.fixture
def seoul(demo_store):
    return demo_store, survey_by_code(demo_store, "seoul-2026").survey_id


def _life_satisfaction(table):
    row = table[(table["indicator"] == "life_satisfaction") & (table["domain"] == "seoul")]
    return float(row["estimate"].iloc[0])


def _someone(store, survey_id):
    persons = respondent_frames(store, survey_id, stored_table(store, "age_groups"))["persons15"]
    person = persons.dropna(subset=["life_satisfaction"]).iloc[0]
    return int(person["household_id"]), int(person["member_no"])


def test_an_excluded_person_changes_the_estimate_exactly_as_computed_independently(seoul):
    store, survey_id = seoul
    household_id, member_no = _someone(store, survey_id)
    exclude(store, survey_id, household_id, member_no, reason="speeder", flag="speeder",
            actor="stat")  # fmt: skip
    estimate = _life_satisfaction(indicator_table(store, survey_id))

    # independently: drop the person, rake the stored adjusted weights to the margins again
    _, weights, _ = latest_weights(store, survey_id, "person")
    persons = respondent_frames(store, survey_id, stored_table(store, "age_groups"))["persons15"]
    kept = persons.merge(weights, on=["household_id", "member_no"])
    assert not ((kept["household_id"] == household_id) & (kept["member_no"] == member_no)).any()
    raked = rake(SurveyDesign(kept, weights="adjusted_weight", **DESIGN), person_margins(store))
    w = np.asarray(raked.weights)
    y = kept["life_satisfaction"].astype(float).to_numpy()
    answered = ~np.isnan(y)
    expected = float((w[answered] * y[answered]).sum() / w[answered].sum())
    assert estimate == pytest.approx(expected, rel=1e-9)


def test_the_table_says_how_many_were_excluded_and_restoring_undoes_it(seoul):
    store, survey_id = seoul
    before = _life_satisfaction(indicator_table(store, survey_id))
    household_id, member_no = _someone(store, survey_id)
    exclusion = exclude(store, survey_id, household_id, member_no, reason="x", actor="stat")
    table = indicator_table(store, survey_id)
    assert set(table.loc[table["population"] == "persons15", "excluded"]) == {1}
    assert set(table.loc[table["population"] == "households", "excluded"]) == {0}
    assert _life_satisfaction(table) != before
    restore(store, exclusion, reason="checked: a fast but careful respondent", actor="stat")
    assert active_exclusions(store, survey_id).empty
    assert _life_satisfaction(indicator_table(store, survey_id)) == pytest.approx(before, rel=1e-12)
    history = store.query("SELECT * FROM response_exclusions")
    assert history["restored_by"].tolist() == ["stat"] and history["reason"].tolist() == ["x"]


def test_an_exclusion_needs_a_reason_a_response_and_happens_once(seoul):
    store, survey_id = seoul
    household_id, member_no = _someone(store, survey_id)
    with pytest.raises(ExclusionError, match="reason"):
        exclude(store, survey_id, household_id, member_no, reason=" ", actor="stat")
    with pytest.raises(ExclusionError, match="no submitted response"):
        exclude(store, survey_id, household_id, 99, reason="x", actor="stat")
    exclude(store, survey_id, household_id, member_no, reason="x", actor="stat")
    with pytest.raises(ExclusionError, match="already excluded"):
        exclude(store, survey_id, household_id, member_no, reason="x", actor="stat")
    actions = store.query("SELECT action FROM audit_log WHERE actor = 'stat'")["action"].tolist()
    assert actions == ["response_excluded"]


def test_the_kept_frames_follow_new_responses_and_exclusions(seoul):
    store, survey_id = seoul
    bands = stored_table(store, "age_groups")
    first = respondent_frames(store, survey_id, bands)["persons15"]
    first["life_satisfaction"] = -1  # a caller's copy: changing it changes nothing kept
    again = respondent_frames(store, survey_id, bands)["persons15"]
    assert len(again) > 0 and (again["life_satisfaction"] != -1).all()
    household_id, member_no = _someone(store, survey_id)
    exclude(store, survey_id, household_id, member_no, reason="x", actor="stat")
    assert len(respondent_frames(store, survey_id, bands)["persons15"]) == len(again) - 1
