"""Fieldwork monitoring and quality flags: what a survey manager reads while a survey is out."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from surveys.fieldwork.monitoring import (
    breakoffs_by_screen,
    completion_times,
    daily_progress,
    response_by_district,
)
from surveys.fieldwork.quality import _item_nonresponse, _straight_lined, quality_flags
from surveys.fieldwork.sessions import open_session, save_draft
from surveys.fieldwork.submit import submit
from surveys.questionnaire.loader import load_questionnaire
from tests.surveys.conftest import household_answers

W4 = "panel-2026-w4"  # the demo's wave in the field


@pytest.fixture(scope="module")
def demo(demo_template):
    from data.store import open_store
    from surveys.opening import survey_by_code

    opened = open_store(demo_template, read_only=True)
    yield opened, survey_by_code(opened, W4).survey_id
    opened.close()


def test_daily_progress_adds_up_to_the_parts_in_and_the_open_ones(demo):
    store, survey_id = demo
    days = daily_progress(store, survey_id)
    submitted = store.scalar(
        "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no = 0", [survey_id]
    )
    still_open = store.scalar(
        "SELECT count(*) FROM answer_sessions WHERE survey_id = ? AND status = 'open'", [survey_id]
    )
    assert days["submitted"].sum() == submitted == days["submitted_total"].iloc[-1]
    assert days["partial"].sum() == still_open > 0
    assert days["day"].is_monotonic_increasing


def test_response_by_district_covers_the_sample(demo):
    store, survey_id = demo
    table = response_by_district(store, survey_id)
    sampled = store.scalar("SELECT count(*) FROM survey_sample WHERE survey_id = ?", [survey_id])
    assert len(table) == 25 and table["sampled"].sum() == sampled
    assert np.allclose(table["response_rate"], table["responded"] / table["sampled"])


def test_break_offs_are_counted_on_the_screen_they_stopped_on(demo):
    store, survey_id = demo
    screens = breakoffs_by_screen(store, survey_id)
    positions = store.query(
        "SELECT position, count(*) AS n FROM answer_sessions WHERE survey_id = ?"
        " AND status = 'open' GROUP BY position",
        [survey_id],
    ).set_index("position")["n"]
    shown = screens.set_index("section_id")["open_parts"]
    for position, n in positions.items():
        assert shown[position] == n
    assert set(screens["title_ko"]) <= {"응답자와 가구", "행복과 삶의 만족", "통근·통학"}


def test_speeders_are_under_a_third_of_the_median_time(demo):
    store, survey_id = demo
    flags = quality_flags(store, survey_id)
    median = flags["seconds"].median()
    assert flags["speeder"].sum() > 0
    assert (flags.loc[flags["speeder"], "seconds"] < median / 3).all()
    assert (flags.loc[~flags["speeder"], "seconds"] >= median / 3).all()


def test_the_demo_straight_liners_are_found_on_the_happiness_grid(demo):
    store, survey_id = demo
    flags = quality_flags(store, survey_id)
    liners = flags[flags["straight_lining"]]
    assert len(liners) > 0 and set(liners["straight_lined_grids"]) == {"happiness"}


def test_active_time_sums_the_screens_and_leaves_out_the_night(field_survey):
    store, survey_id, q = field_survey.store, field_survey.survey_id, field_survey.questionnaire
    household = int(field_survey.codes["household_id"].iloc[0])
    t0 = datetime(2026, 10, 1, 20, 0, 0)
    session = open_session(store, survey_id, household, 0, now=t0)
    sections = [s.id for s in q.household.sections]
    clock, previous = t0, None
    for index, section in enumerate(sections):
        save_draft(store, session.submission_id, {}, left=previous, entered=section, now=clock)
        clock += timedelta(seconds=30 + index)  # time on this screen
        if index == 1:  # closes the browser on screen 2 and comes back the next morning
            save_draft(store, session.submission_id, {}, left=section, entered=None, now=clock)
            clock += timedelta(hours=12)
            save_draft(store, session.submission_id, {}, left=None, entered=section, now=clock)
            clock += timedelta(seconds=5)
        previous = section
    save_draft(store, session.submission_id, {}, left=previous, entered=None, now=clock)
    submit(store, q, session.submission_id, household_answers(), now=clock)
    times = completion_times(store, survey_id).set_index("household_id")
    expected = sum(30 + i for i in range(len(sections))) + 5
    assert times.loc[household, "seconds"] == pytest.approx(expected)


def test_straight_lining_needs_one_value_on_every_item_of_a_long_grid():
    q = load_questionnaire("surveys/definitions/panel_seoul_parallel_2026.yaml")
    items = ["happy_health", "happy_finance", "happy_relations", "happy_family", "happy_social"]
    frame = pd.DataFrame([dict.fromkeys(items, 7), dict(zip(items, [7, 7, 7, 7, 6], strict=True))])
    assert _straight_lined(frame, q.household).tolist() == ["happiness", ""]


def test_item_nonresponse_counts_only_questions_that_were_asked():
    q = load_questionnaire("surveys/definitions/panel_policy_demand_2026.yaml")
    frame = pd.DataFrame(
        [
            {"services_used": [99], "service_satisfaction": None, "priority_reason": None},
            {"services_used": [1], "service_satisfaction": None, "priority_reason": "x"},
        ]
    )
    asked, missing, _ = _item_nonresponse(frame, q.household)
    assert missing.tolist()[0] == missing.tolist()[1]  # satisfaction not asked of 99 …
    assert asked.tolist()[1] == asked.tolist()[0] + 1  # … but asked of a service user


def test_high_item_nonresponse_reads_the_optional_questions(demo_template):
    from data.store import open_store
    from surveys.opening import survey_by_code

    store = open_store(demo_template, read_only=True)
    try:
        flags = quality_flags(store, survey_by_code(store, "seoul-2026").survey_id)
    finally:
        store.close()
    high = flags["high_item_nonresponse"]
    assert high.sum() > 0
    assert (flags.loc[high, "optional_asked"] >= 2).all()
    assert (flags.loc[high, "unanswered"] > flags.loc[high, "optional_asked"] / 2).all()
    assert not (flags.loc[~high & (flags["optional_asked"] >= 2), "item_nonresponse"] > 0.5).any()
