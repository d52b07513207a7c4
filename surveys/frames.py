"""Analysis frames: the one way analysis reads a survey's responses.

``household_frame`` gives one row per sampled household and ``person_frame``
one row per eligible member of every household that answered its part. The
columns are named after the questions, with codes as stored (a multiple choice
as a list of codes, unanswered as missing), beside the design variables:
district (the stratum), enumeration area (the PSU), the inclusion probability
and design weight, the household type recorded in the sampling frame (a
register variable, known for every sampled household), and the response status. Estimation, weighting, the panel
and reports read these frames, never the ``responses`` table directly.
"""

from __future__ import annotations

import json

import pandas as pd

from data.answer_tables import responses_of
from data.store import Store
from data.survey_tables import sample_design_variables
from surveys.answer_frames import household_frames, roster_name
from surveys.opening import questionnaire_of
from surveys.questionnaire.expressions import truthy
from surveys.questionnaire.model import TEXT_TYPES
from surveys.questionnaire.response_schema import MEMBER_COUNT, asked_questions, evaluate_rows

DESIGN_COLUMNS = ["household_id", "district_code", "ea_id", "pi", "design_weight"]


def _sample(store: Store, survey_id: int) -> pd.DataFrame:
    """The sample's design variables, and the household type the sampling frame records."""
    return sample_design_variables(store, survey_id).astype({"household_type": "Int64"})


def _laid_out(store: Store, survey_id: int):
    """The questionnaire, sample, responses and the household/roster frames of all answers."""
    questionnaire = questionnaire_of(store, survey_id)
    sample = _sample(store, survey_id)
    responses = responses_of(store, survey_id)
    household = responses[responses["member_no"] == 0].reset_index(drop=True)
    answers = [json.loads(text) for text in household["answers"]]
    households, members = household_frames(questionnaire, answers) if answers else (None, None)
    if households is not None:  # the members' lists were for the rules; analysis has members
        households = households.drop(columns=[roster_name(questionnaire) or ""], errors="ignore")
    if members is not None and not members.empty:
        members["household_id"] = household["household_id"].to_numpy()[members["_row"].to_numpy()]
        members["eligible"] = eligible_mask(questionnaire, members).to_numpy()
    return questionnaire, sample, responses, household, households, members


def eligible_mask(questionnaire, members: pd.DataFrame) -> pd.Series:
    """Whether each listed member answers the person part (the part's ``eligible`` rule)."""
    part = questionnaire.person
    if part is None:
        return pd.Series(False, index=members.index)
    if part.eligible is None:
        return pd.Series(True, index=members.index)
    return evaluate_rows(part.eligible.node, members).map(truthy).astype(bool)


def _numeric(series: pd.Series) -> pd.Series | None:
    """The column as Int64 (whole numbers) or Float64, or None when it is not numeric."""
    numbers = pd.to_numeric(series, errors="coerce")  # None and pd.NA become NaN
    if (numbers.isna() & series.notna()).any():
        return None
    if ((numbers.dropna() % 1) == 0).all():
        return numbers.astype("Int64")
    return numbers.astype("Float64")


def typed(frame: pd.DataFrame, questionnaire) -> pd.DataFrame:
    """Columns typed by their questions: codes and whole numbers as Int64, decimals as Float64,
    text and dates as strings, multiple choices as lists; calculations numeric when they are."""
    frame = frame.copy()
    for name in frame.columns:
        try:
            question = questionnaire.question(name)
        except KeyError:
            continue
        if question.type in ("single", "integer", "scale", "decimal", "calculate"):
            converted = _numeric(frame[name])
            if converted is not None:
                frame[name] = converted
        elif question.type in TEXT_TYPES:
            frame[name] = frame[name].astype("string")
    return frame


def survey_frames(store: Store, survey_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`household_frame`, :func:`person_frame`) of a survey, its answers read once."""
    laid = _laid_out(store, survey_id)
    return _household_frame(laid), _person_frame(laid)


def household_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per sampled household: design variables, status, household answers.

    ``response_status`` is ``complete`` (household part and every eligible
    member's part in), ``partial`` (household part in, some members missing)
    or ``nonrespondent``. ``members_listed``, ``members_eligible`` and
    ``persons_answered`` count the roster.
    """
    return _household_frame(_laid_out(store, survey_id))


def _household_frame(laid: tuple) -> pd.DataFrame:
    questionnaire, sample, responses, household, households, members = laid
    names = [a.question.name for a in asked_questions(questionnaire.household, roster=False)]
    if households is None:
        values = pd.DataFrame(columns=[*names, MEMBER_COUNT])
    else:
        values = households.reindex(columns=[*names, MEMBER_COUNT])
    values = values.rename(columns={MEMBER_COUNT: "members_listed"})
    if members is not None and not members.empty:
        counts = members.groupby("_row")["eligible"].sum()
        values["members_eligible"] = counts.reindex(range(len(values)), fill_value=0).to_numpy()
    else:
        values["members_eligible"] = 0
    for column in ("household_id", "mode", "language", "submitted_at"):
        values[column] = household[column].to_numpy()
    persons = responses[responses["member_no"] > 0].groupby("household_id").size()
    frame = sample.merge(values, on="household_id", how="left")
    frame["persons_answered"] = frame["household_id"].map(persons).fillna(0).astype("Int64")
    answered = frame["members_listed"].notna()
    complete = answered & (frame["persons_answered"] >= frame["members_eligible"].fillna(0))
    frame["response_status"] = "nonrespondent"
    frame.loc[answered, "response_status"] = "partial"
    frame.loc[complete, "response_status"] = "complete"
    return typed(frame, questionnaire)


def person_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per eligible member of every responding household.

    Roster answers (relation, sex, birth year, age…) and person answers sit
    side by side; ``person_status`` is ``complete`` or ``missing`` (the member
    has not answered), so nonresponse within households can be adjusted for.
    """
    return _person_frame(_laid_out(store, survey_id))


def _person_frame(laid: tuple) -> pd.DataFrame:
    questionnaire, sample, responses, _, _, members = laid
    person_names = (
        [a.question.name for a in asked_questions(questionnaire.person)]
        if questionnaire.person
        else []
    )
    roster_names = [a.question.name for a in asked_questions(questionnaire.household, roster=True)]
    columns = ["household_id", "member_no", *roster_names, *person_names, "person_status"]
    if members is None or members.empty:
        return sample.merge(pd.DataFrame(columns=columns), on="household_id", how="inner")
    eligible = members.loc[members["eligible"], ["household_id", "member_no", *roster_names]]
    own = responses[responses["member_no"] > 0]
    answers = pd.DataFrame([json.loads(text) for text in own["answers"]], index=own.index).reindex(
        columns=person_names
    )
    answers["household_id"] = own["household_id"].to_numpy()
    answers["member_no"] = own["member_no"].to_numpy()
    persons = eligible.merge(answers, on=["household_id", "member_no"], how="left", indicator=True)
    persons["person_status"] = (
        persons.pop("_merge").map({"both": "complete", "left_only": "missing"}).astype(str)
    )
    persons = persons.reindex(columns=columns)
    return typed(sample.merge(persons, on="household_id", how="inner"), questionnaire)
