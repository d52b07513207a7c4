"""Submission: validated, stored once, idempotent on its id, quarantined when invalid."""

from __future__ import annotations

import json
import threading

import pytest

from data.validation import ReasonCode, make_reason
from surveys.fieldwork.invitations import find_invitation
from surveys.fieldwork.person_context import eligible_members
from surveys.fieldwork.sessions import AlreadySubmitted, open_session, save_draft
from surveys.fieldwork.submit import (
    SubmissionInvalid,
    SubmissionRefused,
    quarantine_refused_screen,
    submit,
)
from tests.surveys.conftest import household_answers, person_answers


def _start(field_survey, row: int = 0, member_no: int = 0):
    invitation = find_invitation(field_survey.store, field_survey.codes["code"].iloc[row])
    return open_session(
        field_survey.store, field_survey.survey_id, invitation.household_id, member_no
    )


def _responses(field_survey) -> int:
    return field_survey.store.scalar(
        "SELECT count(*) FROM responses WHERE survey_id = ?", [field_survey.survey_id]
    )


def test_a_valid_household_part_is_stored_once(field_survey):
    session = _start(field_survey)
    result = submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    assert result.stored_now
    stored = field_survey.store.rows(
        "SELECT answers, questionnaire_hash FROM responses WHERE survey_id = ?",
        [field_survey.survey_id],
    )
    assert json.loads(stored[0][0])["members"][0]["birth_year"] == 1970
    assert stored[0][1] == field_survey.questionnaire.source_hash


def test_resending_the_same_submission_stores_nothing_new(field_survey):
    session = _start(field_survey)
    first = submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    again = submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    assert again.response_id == first.response_id and not again.stored_now
    assert _responses(field_survey) == 1


def test_same_id_with_different_content_is_refused(field_survey):
    session = _start(field_survey)
    submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    changed = dict(household_answers(), income=9)
    with pytest.raises(SubmissionRefused) as refused:
        submit(field_survey.store, field_survey.questionnaire, session.submission_id, changed)
    assert refused.value.reason == "conflict"
    assert _responses(field_survey) == 1


def test_a_submitted_part_cannot_be_opened_again(field_survey):
    session = _start(field_survey)
    submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    with pytest.raises(AlreadySubmitted):
        _start(field_survey)


def test_double_click_from_many_threads_stores_exactly_one(field_survey):
    session = _start(field_survey)
    results, errors = [], []

    def click():
        try:
            results.append(
                submit(
                    field_survey.store,
                    field_survey.questionnaire,
                    session.submission_id,
                    household_answers(),
                )
            )
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.response_id for r in results}) == 1
    assert sum(r.stored_now for r in results) == 1
    assert _responses(field_survey) == 1


def test_out_of_range_answer_is_refused_with_korean_message_and_quarantined(field_survey):
    session = _start(field_survey)
    answers = household_answers()
    answers["years_at_address"] = 150
    with pytest.raises(SubmissionInvalid) as refused:
        submit(field_survey.store, field_survey.questionnaire, session.submission_id, answers)
    messages = [r.message_ko for r in refused.value.check.household["years_at_address"]]
    wording = field_survey.questionnaire.question("years_at_address").constraint_message.ko
    assert messages == [wording]
    assert _responses(field_survey) == 0
    held = field_survey.store.rows(
        "SELECT source, raw_record, reasons FROM quarantine WHERE source LIKE 'submission:%'"
    )
    assert held[0][0] == "submission:test-2026"  # the survey's code, as the admin page says
    assert '"years_at_address":150' in json.loads(held[0][1])["answers"]
    assert "years_at_address" in held[0][2]


def test_answers_a_screen_refused_are_quarantined_under_the_survey_code(field_survey):
    session = _start(field_survey)
    refused = [make_reason(ReasonCode.OUT_OF_RANGE, "years_at_address", 150)]
    kept = quarantine_refused_screen(
        field_survey.store,
        field_survey.survey_id,
        session.submission_id,
        "housing",
        {"years_at_address": 150},
        refused,
    )
    assert kept
    held = field_survey.store.rows("SELECT source FROM quarantine WHERE source LIKE 'screen:%'")
    assert held == [("screen:test-2026",)]


def test_roster_must_match_the_household_size(field_survey):
    session = _start(field_survey)
    answers = dict(household_answers(), household_size=3)
    with pytest.raises(SubmissionInvalid) as refused:
        submit(field_survey.store, field_survey.questionnaire, session.submission_id, answers)
    assert "household_size" in refused.value.check.household


def test_only_members_aged_15_and_over_answer_the_person_part(field_survey):
    answers = household_answers(size=3)
    assert eligible_members(field_survey.questionnaire, answers) == [1, 3]


def test_member_answers_after_the_household_part(field_survey):
    session = _start(field_survey)
    submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    member = _start(field_survey, member_no=1)
    stored = submit(
        field_survey.store, field_survey.questionnaire, member.submission_id, person_answers()
    )
    assert stored.stored_now
    commuter = dict(person_answers(), commute_minutes=30)  # asked only of commuters
    other = _start(field_survey, row=1)
    submit(field_survey.store, field_survey.questionnaire, other.submission_id, household_answers())
    member_other = _start(field_survey, row=1, member_no=1)
    with pytest.raises(SubmissionInvalid) as refused:
        submit(field_survey.store, field_survey.questionnaire, member_other.submission_id, commuter)
    assert "commute_minutes" in refused.value.check.household


def test_drafts_resume_from_another_device(field_survey):
    session = _start(field_survey)
    save_draft(
        field_survey.store,
        session.submission_id,
        {"housing_type": 2},
        left="housing",
        entered="household_composition",
    )
    resumed = _start(field_survey)
    assert resumed.submission_id == session.submission_id
    assert resumed.answers == {"housing_type": 2} and resumed.position == "household_composition"
    events = [
        r[0]
        for r in field_survey.store.rows(
            "SELECT event FROM paradata WHERE submission_id = ? ORDER BY seq",
            [session.submission_id],
        )
    ]
    assert events == ["start", "leave", "enter", "resume"]


def test_analysis_frames_show_answers_beside_the_design(field_survey):
    from surveys.frames import household_frame, person_frame

    session = _start(field_survey)
    submit(
        field_survey.store,
        field_survey.questionnaire,
        session.submission_id,
        household_answers(size=3),
    )
    member = _start(field_survey, member_no=1)
    submit(field_survey.store, field_survey.questionnaire, member.submission_id, person_answers())
    households = household_frame(field_survey.store, field_survey.survey_id)
    assert len(households) == 100
    answered = households[households["members_listed"].notna()].iloc[0]
    assert answered["household_size"] == 3 and answered["income"] == 5
    assert answered["members_eligible"] == 2 and answered["response_status"] == "partial"
    assert (households["response_status"] == "nonrespondent").sum() == 99
    assert households["design_weight"].gt(0).all() and households["ea_id"].notna().all()
    persons = person_frame(field_survey.store, field_survey.survey_id)
    assert persons["member_no"].tolist() == [1, 3]
    assert persons["person_status"].tolist() == ["complete", "missing"]
    head = persons.iloc[0]
    assert head["age"] == 56 and head["sex"] == 1 and head["happy_health"] == 7
    assert head["urban_risks"] == [1, 2] and head["pi"] > 0


def test_interviewer_mode_is_recorded_with_the_response(field_survey):
    invitation = find_invitation(field_survey.store, field_survey.codes["code"].iloc[0])
    session = open_session(
        field_survey.store,
        field_survey.survey_id,
        invitation.household_id,
        0,
        mode="interviewer",
        interviewer="interviewer",
    )
    submit(
        field_survey.store, field_survey.questionnaire, session.submission_id, household_answers()
    )
    stored = field_survey.store.rows(
        "SELECT mode, interviewer FROM responses WHERE submission_id = ?", [session.submission_id]
    )
    assert stored == [("interviewer", "interviewer")]
    audit = field_survey.store.rows(
        "SELECT actor FROM audit_log WHERE action = 'interview_submitted'"
    )
    assert audit == [("interviewer",)]


def test_paradata_times_every_screen(field_survey):
    session = _start(field_survey)
    for left, entered in [(None, "housing"), ("housing", "household_composition")]:
        save_draft(
            field_survey.store,
            session.submission_id,
            {"housing_type": 2},
            left=left,
            entered=entered,
            language="en",
            device_class="phone",
        )
    submit_events = field_survey.store.rows(
        "SELECT event, section_id, device_class, language FROM paradata WHERE submission_id = ?"
        " ORDER BY seq",
        [session.submission_id],
    )
    assert submit_events[1:] == [
        ("enter", "housing", "phone", "en"),
        ("leave", "housing", "phone", "en"),
        ("enter", "household_composition", "phone", "en"),
    ]
