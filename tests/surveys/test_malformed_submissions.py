"""Malformed submissions, generated: every one is refused with its reasons and quarantined,
nothing crashes and nothing unknown is stored (the attacker's probe of the submit path).

The quick run tries 200 payloads through ``submit`` and 60 batches through the bulk path;
the ``soak`` run tries 10,000 and 1,500.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.fieldwork.bulk import store_responses_bulk
from surveys.fieldwork.invitations import find_invitation
from surveys.fieldwork.payload import payload_problems
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import SubmissionRefused, submit
from tests.surveys.conftest import household_answers, person_answers

JUNK = st.one_of(
    st.binary(max_size=8),
    st.sets(st.integers(), max_size=3),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1),
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda f: f != f or abs(f) == float("inf")
    ),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(lambda depth: _nested(depth), st.integers(50, 5000)),
    st.builds(object),
)


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def _names(questionnaire) -> set[str]:
    """Every question and roster name the questionnaire knows, in any part."""
    return {
        name
        for part in questionnaire.parts
        for section in part.sections
        for name in (section.id, *(q.name for q in section.questions))
    }


def _malformed(valid: dict, known: set[str]) -> st.SearchStrategy:
    """A valid household part with one thing broken, or something that is not answers.

    An unknown key is a name no part of the questionnaire knows: Hypothesis also tries the
    string constants of the code under test, and a real question left unanswered (say
    'tenure_other') is an answer of the right shape, not a malformed one.
    """
    keys = sorted(valid)
    one_bad_value = st.builds(lambda key, junk: {**valid, key: junk}, st.sampled_from(keys), JUNK)
    unknown = st.text(min_size=1, max_size=30).filter(lambda k: k not in valid and k not in known)
    unknown_key = st.builds(
        lambda key, value: {**valid, key: value},
        st.one_of(unknown, st.integers(), st.tuples(st.integers())),
        st.one_of(st.integers(), st.text(max_size=1000)),
    )  # fmt: skip
    bad_roster = st.builds(
        lambda members: {**valid, "members": members},
        st.one_of(st.integers(), st.text(), st.lists(st.integers(), min_size=1, max_size=3),
                  st.lists(st.just({"relation": 1, "shoe_size": 270}), min_size=1, max_size=2)),
    )  # fmt: skip
    not_answers = st.one_of(st.lists(st.integers()), st.text(), st.integers(), st.none())
    return st.one_of(one_bad_value, unknown_key, bad_roster, not_answers)


def _start(field_survey):
    invitation = find_invitation(field_survey.store, field_survey.codes["code"].iloc[0])
    return open_session(field_survey.store, field_survey.survey_id, invitation.household_id, 0)


def _probe(field_survey, examples: int) -> None:
    session = _start(field_survey)
    valid = household_answers()
    store, questionnaire = field_survey.store, field_survey.questionnaire
    before = store.scalar("SELECT count(*) FROM quarantine")
    tried = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_malformed(valid, _names(questionnaire)))
    def refused(payload) -> None:
        assert payload_problems(questionnaire, 0, payload)  # it is malformed, by construction
        with pytest.raises(SubmissionRefused) as caught:
            submit(store, questionnaire, session.submission_id, payload)
        assert caught.value.reason == "malformed"
        tried.append(1)

    refused()
    assert store.scalar("SELECT count(*) FROM responses WHERE survey_id = ?",
                        [field_survey.survey_id]) == 0  # fmt: skip
    kept = store.rows("SELECT reasons FROM quarantine ORDER BY quarantine_id")[before:]
    assert len(kept) == len(tried) and all(json.loads(r[0]) for r in kept)
    result = submit(store, questionnaire, session.submission_id, valid)  # the real one goes in
    stored = json.loads(
        store.scalar("SELECT answers FROM responses WHERE response_id = ?", [result.response_id])
    )
    assert set(stored) <= set(valid) | {"members"}


def test_malformed_submissions_are_refused_and_quarantined(field_survey):
    _probe(field_survey, 200)


@pytest.mark.soak
def test_ten_thousand_malformed_submissions_are_refused_and_quarantined(field_survey):
    _probe(field_survey, 10_000)


def test_a_valid_part_has_no_shape_problems(field_survey):
    assert payload_problems(field_survey.questionnaire, 0, household_answers()) == []


# -- the same probe through the bulk path (imports from paper, an interviewer's laptop) -----------
def _bulk_probe(field_survey, examples: int) -> None:
    store, questionnaire = field_survey.store, field_survey.questionnaire
    known = _names(questionnaire)
    households = [int(h) for h in field_survey.codes["household_id"]]
    sent = iter(range(10**9))
    start = datetime(2026, 9, 3, 20, 0)

    def record(household_id: int, member_no: int, answers) -> dict:
        return {
            "household_id": household_id,
            "member_no": member_no,
            "submission_id": f"fuzz-{next(sent)}",
            "answers": answers,
            "started_at": start,
            "submitted_at": start,
        }

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        st.lists(_malformed(household_answers(), known), min_size=1, max_size=3),
        st.lists(_malformed(person_answers(), known), max_size=3),
        st.integers(0, len(households) - 4),
    )
    def refused(house_payloads, person_payloads, first) -> None:
        before = store.scalar("SELECT count(*) FROM quarantine")
        batch = [record(households[first + i], 0, a) for i, a in enumerate(house_payloads)]
        people = [record(households[first], 1 + i, a) for i, a in enumerate(person_payloads)]
        report = store_responses_bulk(
            store, questionnaire, field_survey.survey_id, batch, people, source="fuzz"
        )
        assert report.households_stored == report.persons_stored == 0
        assert report.households_quarantined == len(batch)
        assert report.persons_quarantined == len(people)
        assert store.scalar("SELECT count(*) FROM quarantine") == before + len(batch) + len(people)

    refused()
    assert store.scalar("SELECT count(*) FROM responses WHERE survey_id = ?",
                        [field_survey.survey_id]) == 0  # fmt: skip
    good = store_responses_bulk(
        store, questionnaire, field_survey.survey_id,
        [record(households[0], 0, household_answers())], source="fuzz",
    )  # fmt: skip
    assert good.households_stored == 1


def test_malformed_parts_in_a_bulk_batch_are_refused_and_quarantined(field_survey):
    _bulk_probe(field_survey, 60)


@pytest.mark.soak
def test_thousands_of_malformed_bulk_parts_are_refused_and_quarantined(field_survey):
    _bulk_probe(field_survey, 1_500)


def test_an_escaped_surrogate_pair_in_a_bulk_record_is_quarantined_not_a_crash(field_survey):
    # found by the probe above: "\ud800\udc00" survived a JSON round trip as one valid
    # character in the shape check, then broke the frame builder
    store, questionnaire = field_survey.store, field_survey.questionnaire
    household = int(field_survey.codes["household_id"].iloc[0])
    when = datetime(2026, 9, 3, 20, 0)
    broken = {**household_answers(), "care_need": "\ud800\udc00"}
    record = {"household_id": household, "member_no": 0, "submission_id": "surrogate-1",
              "answers": broken, "started_at": when, "submitted_at": when}  # fmt: skip
    report = store_responses_bulk(
        store, questionnaire, field_survey.survey_id, [record], source="fuzz"
    )
    assert (report.households_stored, report.households_quarantined) == (0, 1)
