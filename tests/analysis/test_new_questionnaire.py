"""A new cross-section on another questionnaire goes through weights, tables and the report.

What a survey manager does with a survey the demo never saw: a small questionnaire
(tests/surveys/fixtures/small_survey.yaml: no happiness items, no income question),
a sample, answers from part of it only — so some districts have no respondent yet —
then weights, the published table, the report and the microdata file.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure.microdata import build_public_file
from analysis.reports.bundle import build_report
from analysis.tables import indicator_table
from analysis.weights.survey_weights import household_margins, latest_weights, make_weights
from surveys.fieldwork.bulk import store_responses_bulk
from surveys.fieldwork.sampling import TwoStageDesign
from surveys.opening import draw_sample, open_survey, questionnaire_of, same_series
from surveys.questionnaire.flow import choices_for, holds

SMALL = Path(__file__).parents[1] / "surveys" / "fixtures" / "small_survey.yaml"


def _value(rng, questionnaire, question, values):
    kind = question.type
    if kind == "single":
        return int(rng.choice([c.code for c in choices_for(questionnaire, question, values)]))
    if kind == "multiple":
        codes = [c.code for c in choices_for(questionnaire, question, values) if not c.exclusive]
        return sorted(int(c) for c in rng.choice(codes, 1, replace=False))
    if question.name == "household_size":
        return int(rng.integers(1, 5))
    if question.name == "birth_year":
        return int(rng.integers(1940, 2021))
    if kind in ("integer", "scale"):
        return int(rng.integers(int(question.min or 0), int(question.max or 10) + 1))
    if kind == "decimal":
        return float(round(rng.uniform(1, 100), 1))
    if kind == "date":
        return "2026-05-01"
    return "메모"


def _answers(rng, questionnaire, part, context):
    answers = {}
    for section in part.sections:
        if section.roster:
            continue
        for question in section.questions:
            values = {**context, **answers}
            if question.type == "calculate" or not question.answered:
                continue
            if holds(section.relevant, values) and holds(question.relevant, values):
                answers[question.name] = _value(rng, questionnaire, question, values)
    return answers


@pytest.fixture
def small_survey(demo_store):
    """A small survey, sampled, answered by 150 households of the first 200 sampled."""
    store = demo_store
    info = open_survey(store, SMALL, code="small-2026", title_ko="작은 조사 2026",
                       reference_year=2026, actor="test")  # fmt: skip
    questionnaire = questionnaire_of(store, info.survey_id)
    sample = draw_sample(
        store, info.survey_id, TwoStageDesign(n_households=500, per_area=10, floor=10),
        actor="test",
    )  # fmt: skip
    rng = np.random.default_rng(7)
    roster = questionnaire.household.roster_section()
    start = datetime(2026, 5, 2, 10)
    households, persons = [], []
    for household_id in sorted(sample["household_id"])[:200]:
        if rng.random() < 0.25:
            continue
        answers = _answers(rng, questionnaire, questionnaire.household, {})
        members = []
        for number in range(answers["household_size"]):
            member = {}
            for question in roster.questions:
                if question.type != "calculate" and question.answered:
                    member[question.name] = _value(
                        rng, questionnaire, question, {**answers, **member}
                    )
            member["relation"] = 1 if number == 0 else member["relation"]
            members.append(member)
        answers[roster.id] = members
        times = {"started_at": start, "submitted_at": start + timedelta(minutes=12)}
        households.append({"household_id": int(household_id), "submission_id": uuid.uuid4().hex,
                           "answers": answers, "mode": "web", "language": "ko", **times})  # fmt: skip
        for number, member in enumerate(members, start=1):
            age = 2026 - member["birth_year"]
            if age < 15:
                continue
            context = {**answers, **member, "age": age}
            persons.append({"household_id": int(household_id), "member_no": number,
                            "submission_id": uuid.uuid4().hex, "mode": "web", "language": "ko",
                            "answers": _answers(rng, questionnaire, questionnaire.person, context),
                            **times})  # fmt: skip
    report = store_responses_bulk(
        store, questionnaire, info.survey_id, pd.DataFrame(households), pd.DataFrame(persons),
        source="test",
    )  # fmt: skip
    assert report.households_stored == len(households) and report.households_quarantined == 0
    return store, info.survey_id


def test_weights_are_made_while_some_districts_have_no_respondent_yet(small_survey):
    store, survey_id = small_survey
    make_weights(store, survey_id, actor="test")
    _, weights, parameters = latest_weights(store, survey_id, "household")
    merged = parameters["nonresponse"]["merged_into_seoul"]
    assert merged, "the first 200 sampled households leave districts without respondents"
    assert parameters["margin_categories_without_respondents"]["district_code"]
    registered = household_margins(store)["district_code"].sum()
    assert weights["weight"].sum() == pytest.approx(registered, rel=1e-8)
    _, persons, _ = latest_weights(store, survey_id, "person")
    assert len(persons) > 0 and (persons["weight"] > 0).all()


def test_the_table_publishes_only_what_the_questionnaire_asks(small_survey):
    store, survey_id = small_survey
    make_weights(store, survey_id, actor="test")
    table = indicator_table(store, survey_id)
    assert set(table["indicator"]) == {"home_owner"}  # the only catalogue item it asks
    assert "income" not in set(table["domain"])  # it has no income question
    assert table.loc[table["domain"] == "seoul", "estimate"].notna().all()


def test_the_report_is_made_and_never_compares_with_another_survey_series(small_survey):
    store, survey_id = small_survey
    make_weights(store, survey_id, actor="test")
    report = build_report(store, survey_id)
    assert report.pdf.startswith(b"%PDF") and report.excel and report.csv_zip
    assert report.summary["previous_survey"] is None  # not the Seoul Survey 2025
    assert report.summary["happiness_index"] is None
    assert list(same_series(store, survey_id)["code"]) == ["small-2026"]


def test_its_microdata_file_can_be_built(small_survey):
    store, survey_id = small_survey
    make_weights(store, survey_id, actor="test")
    public = build_public_file(store, survey_id)
    assert len(public.data) > 0


def test_a_trend_leaves_out_a_year_whose_questionnaire_did_not_ask_the_indicator(small_survey):
    from analysis.designs import ExploreError
    from analysis.trends import indicator_trend
    from surveys.opening import survey_by_code

    store, survey_id = small_survey
    make_weights(store, survey_id, actor="test")
    seoul = survey_by_code(store, "seoul-2026").survey_id
    trend = indicator_trend(store, "happiness_index", [seoul, survey_id])
    assert trend["code"].tolist() == ["seoul-2026"]
    with pytest.raises(ExploreError, match="happiness_index"):
        indicator_trend(store, "happiness_index", [survey_id])
