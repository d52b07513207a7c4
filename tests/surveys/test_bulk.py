"""Bulk storage of answered parts: the good ones land, the broken ones wait in the quarantine."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest

from surveys.fieldwork.bulk import store_responses_bulk
from surveys.fieldwork.submit import canonical_json, content_hash
from tests.surveys.conftest import household_answers, person_answers

START = datetime(2026, 9, 3, 20, 0)


def _household(household_id: int, answers: dict, n: int) -> dict:
    return {
        "household_id": household_id,
        "submission_id": f"hh-{household_id}",
        "answers": answers,
        "mode": "web",
        "language": "ko",
        "started_at": START + timedelta(minutes=n),
        "submitted_at": START + timedelta(minutes=n + 9),
        "device_class": "phone",
    }


def _person(household_id: int, member_no: int, answers: dict, n: int) -> dict:
    return {
        **_household(household_id, answers, n),
        "member_no": member_no,
        "submission_id": f"p-{household_id}-{member_no}",
        "submitted_at": START + timedelta(minutes=n + 20),
    }


def _spouse_answers() -> dict:
    """The spouse in ``household_answers`` is a student: no questions about her job."""
    answers = person_answers()
    del answers["work_hours"], answers["job_satisfaction"]
    return answers


def _batch(ids: list[int]) -> tuple[list[dict], list[dict]]:
    """Six households of three (head, child of 14, spouse); three of them broken."""
    households, persons = [], []
    for n, household_id in enumerate(ids):
        answers = household_answers(size=3)
        if n == 1:  # three members listed, household size says four
            answers["household_size"] = 4
        if n == 2:  # the spouse is not married: a roster constraint
            answers["members"][2]["marital_status"] = 1
        if n == 3:  # a tenure code that is not on the list
            answers["tenure"] = 9
        households.append(_household(household_id, answers, n))
        persons.append(_person(household_id, 1, person_answers(), n))
        persons.append(_person(household_id, 3, _spouse_answers(), n))
    commuting = _spouse_answers() | {"commute_minutes": 30}  # answered though commutes = 2
    persons[-1] = _person(ids[5], 3, commuting, 5)
    persons.append(_person(ids[4], 2, person_answers(), 4))  # the 14-year-old child
    return households, persons


@pytest.fixture
def batch(field_survey):
    ids = [int(h) for h in field_survey.codes["household_id"][:6]]
    households, persons = _batch(ids)
    report = store_responses_bulk(
        field_survey.store,
        field_survey.questionnaire,
        field_survey.survey_id,
        households,
        persons,
        source="test",
    )
    return field_survey, ids, report


def test_good_households_are_stored_and_broken_ones_quarantined_whole(batch):
    survey, ids, report = batch
    stored = survey.store.query(
        "SELECT household_id, member_no FROM responses WHERE survey_id = ? ORDER BY 1, 2",
        [survey.survey_id],
    )
    good = {ids[0], ids[4], ids[5]}
    assert set(stored["household_id"]) == good
    assert (report.households_stored, report.households_quarantined) == (3, 3)
    # persons of good households, except the commuter who should have skipped, and the child
    assert report.persons_stored == 5 and report.persons_quarantined == 6 + 1 + 1
    assert stored[stored["household_id"] == ids[5]]["member_no"].tolist() == [0, 1]


def test_quarantined_parts_say_why(batch):
    survey, ids, _ = batch
    rows = survey.store.query(
        "SELECT raw_record, reasons FROM quarantine WHERE source = ?",
        ["bulk:test-2026:test"],  # the survey's code, as the admin page says
    )
    why = {}
    for raw, reasons in rows.itertuples(index=False):
        record = json.loads(raw)
        messages = " ".join(r["message_en"] + " " + str(r["column"]) for r in json.loads(reasons))
        why[(record["household_id"], record["member_no"])] = messages
    assert "household size" in why[(ids[1], 0)]
    assert "members[3].marital_status" in why[(ids[2], 0)]
    assert "allowed" in why[(ids[3], 0)] or "options" in why[(ids[3], 0)]
    assert "household part" in why[(ids[1], 1)]  # refused with its household
    assert "skipped" in why[(ids[5], 3)]  # commute minutes without commuting
    assert "does not answer" in why[(ids[4], 2)]  # the child under 15


def test_stored_parts_match_the_single_submission_path(batch):
    survey, ids, _ = batch
    answers, digest, version, status = survey.store.rows(
        "SELECT r.answers, r.content_hash, r.questionnaire_version, s.status FROM responses r"
        " JOIN answer_sessions s USING (submission_id) WHERE r.household_id = ? AND r.member_no = 0",
        [ids[0]],
    )[0]
    assert answers == canonical_json(household_answers(size=3))
    assert digest == content_hash(household_answers(size=3))
    assert version == survey.questionnaire.version and status == "submitted"
    events = survey.store.rows(
        "SELECT event FROM paradata WHERE submission_id = ? ORDER BY seq", [f"hh-{ids[0]}"]
    )
    assert events == [("submit",)]


def test_sending_the_same_batch_again_stores_nothing_new(batch):
    survey, ids, _ = batch
    households, persons = _batch(ids)
    again = store_responses_bulk(
        survey.store, survey.questionnaire, survey.survey_id, households[:1], persons[:2],
        source="test",
    )  # fmt: skip
    assert again.already_stored == 3 and again.households_stored == 0
    changed = [{**households[0], "submission_id": "hh-other"}]
    refused = store_responses_bulk(
        survey.store, survey.questionnaire, survey.survey_id, changed, source="test"
    )
    assert refused.households_quarantined == 1 and refused.reason_counts == {"rule": 1}


def test_persons_can_follow_their_stored_household_in_a_later_batch(field_survey):
    household_id = int(field_survey.codes["household_id"].iloc[10])
    store_responses_bulk(
        field_survey.store, field_survey.questionnaire, field_survey.survey_id,
        [_household(household_id, household_answers(size=3), 0)], source="test",
    )  # fmt: skip
    later = store_responses_bulk(
        field_survey.store, field_survey.questionnaire, field_survey.survey_id, [],
        [_person(household_id, 3, _spouse_answers(), 0)], source="test",
    )  # fmt: skip
    assert later.persons_stored == 1 and later.persons_quarantined == 0


def test_drafts_stay_open_with_their_paradata(field_survey):
    household_id = int(field_survey.codes["household_id"].iloc[20])
    draft = {
        "household_id": household_id, "member_no": 0, "submission_id": "draft-1",
        "answers": {"housing_type": 2}, "position": "household_composition",
        "started_at": START, "updated_at": START + timedelta(minutes=3),
    }  # fmt: skip
    events = pd.DataFrame(
        {
            "submission_id": "draft-1",
            "seq": [1, 2, 3, 4],
            "event": ["start", "enter", "leave", "enter"],
            "section_id": [None, "housing", "housing", "household_composition"],
            "occurred_at": [START + timedelta(seconds=s) for s in (0, 2, 90, 92)],
        }
    )
    report = store_responses_bulk(
        field_survey.store, field_survey.questionnaire, field_survey.survey_id, [],
        drafts=[draft], paradata=events, source="test",
    )  # fmt: skip
    assert report.drafts_stored == 1 and report.paradata_stored == 4
    status, position = field_survey.store.rows(
        "SELECT status, position FROM answer_sessions WHERE submission_id = 'draft-1'"
    )[0]
    assert (status, position) == ("open", "household_composition")
