"""A survey in the field moves to a corrected questionnaire version only explicitly, audited,
and when every answer already given stays valid; otherwise it is refused, naming the answers
that would break, and nothing changes."""

from __future__ import annotations

import json

import pytest

from data.audit import recent_events
from surveys.fieldwork.invitations import find_invitation
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import submit
from surveys.opening import VersionRef, questionnaire_of, survey_info
from surveys.questionnaire.uploads import receive_upload
from surveys.version_change import VersionChangeRefused, change_survey_version
from tests.surveys.conftest import SEOUL_2026, household_answers, person_answers

YEARS = '          constraint: ". >= 0 and . <= 100"\n'


def _answered(field_survey) -> None:
    """One household part and its head's own part are stored."""
    store, survey_id = field_survey.store, field_survey.survey_id
    invitation = find_invitation(store, field_survey.codes["code"].iloc[0])
    household = open_session(store, survey_id, invitation.household_id, 0)
    submit(store, field_survey.questionnaire, household.submission_id, household_answers())
    head = open_session(store, survey_id, invitation.household_id, 1)
    submit(store, field_survey.questionnaire, head.submission_id, person_answers())


def _version(field_survey, text: str, name: str) -> VersionRef:
    saved = receive_upload(field_survey.store, name, text.encode(), actor="manager").saved
    assert saved is not None
    return VersionRef(saved.questionnaire_id, saved.version_no)


def _text() -> str:
    text = SEOUL_2026.read_text(encoding="utf-8")
    assert YEARS in text
    return text


def test_a_correction_that_keeps_every_answer_valid_is_made_and_audited(field_survey):
    _answered(field_survey)
    store, survey_id = field_survey.store, field_survey.survey_id
    before = survey_info(store, survey_id).questionnaire_hash
    wider = (
        _text().replace("max: 100\n", "max: 120\n", 1).replace(YEARS, YEARS.replace("100", "120"))
    )
    to = _version(field_survey, wider, "seoul_v2.yaml")
    after = change_survey_version(store, survey_id, to, actor="manager", note="범위 확대")
    assert after.questionnaire_hash != before
    assert questionnaire_of(store, survey_id).question("years_at_address").max == 120
    kept = store.rows("SELECT DISTINCT questionnaire_hash FROM responses WHERE survey_id = ?",
                      [survey_id])  # fmt: skip
    assert kept == [(before,)]  # each response keeps the version it answered
    event = recent_events(store, action="survey_questionnaire_changed")
    detail = json.loads(event["detail"].iat[0])
    assert event["actor"].iat[0] == "manager" and detail["note"] == "범위 확대"
    assert detail["parts_checked"] == 2 and detail["from_sha256"] == before


def test_a_version_that_would_break_answers_is_refused_naming_them(field_survey):
    _answered(field_survey)
    store, survey_id = field_survey.store, field_survey.survey_id
    before = survey_info(store, survey_id).questionnaire_hash
    narrower = _text().replace(YEARS, YEARS.replace("100", "3"))
    without_meals = narrower.replace("- name: family_meals", "- name: family_dinners")
    to = _version(field_survey, without_meals, "seoul_v2.yaml")
    with pytest.raises(VersionChangeRefused) as refused:
        change_survey_version(store, survey_id, to, actor="manager", note="범위 축소")
    assert refused.value.reason == "answers_would_break"
    broken = {b.question: b.parts for b in refused.value.broken}
    assert broken["years_at_address"] == 1 and broken["family_meals"] == 1
    assert "years_at_address (1)" in refused.value.text.en
    assert survey_info(store, survey_id).questionnaire_hash == before  # nothing changed
    assert recent_events(store, action="survey_questionnaire_changed").empty


def test_another_questionnaire_or_no_note_is_refused(field_survey):
    store, survey_id = field_survey.store, field_survey.survey_id
    other = _text().replace("id: seoul_survey_2026", "id: seoul_survey_other", 1)
    to = _version(field_survey, other, "other.yaml")
    with pytest.raises(VersionChangeRefused) as refused:
        change_survey_version(store, survey_id, to, actor="manager", note="x")
    assert refused.value.reason == "other_questionnaire"
    same = _version(field_survey, _text(), "same.yaml")
    with pytest.raises(VersionChangeRefused) as refused:
        change_survey_version(store, survey_id, same, actor="manager", note=" ")
    assert refused.value.reason == "note_required"
