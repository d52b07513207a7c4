"""Analysis frames: the one way analysis reads a survey's responses.

``household_frame`` gives one row per sampled household and ``person_frame``
one row per eligible member of every household that answered its part. The
columns are named after the questions, with codes as stored (a multiple choice
as a list of codes, unanswered as missing), beside the design variables:
district (the stratum), enumeration area (the PSU), the inclusion probability
and design weight, and the response status. Estimation, weighting, the panel
and reports read these frames, never the ``responses`` table directly.
"""

from __future__ import annotations

import json

import pandas as pd

from data.store import Store
from surveys.answer_frames import household_frames, roster_name
from surveys.opening import questionnaire_of
from surveys.person_context import eligible_members
from surveys.response_schema import MEMBER_COUNT, asked_questions

DESIGN_COLUMNS = ["household_id", "district_code", "ea_id", "pi", "design_weight"]


def _sample(store: Store, survey_id: int) -> pd.DataFrame:
    return store.query(
        "SELECT household_id, stratum AS district_code, area AS ea_id, pi, design_weight"
        " FROM survey_sample WHERE survey_id = ? ORDER BY household_id",
        [survey_id],
    )


def _responses(store: Store, survey_id: int) -> pd.DataFrame:
    return store.query(
        "SELECT household_id, member_no, answers, mode, language, submitted_at, started_at"
        " FROM responses WHERE survey_id = ? ORDER BY household_id, member_no",
        [survey_id],
    )


def household_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per sampled household: design variables, status, household answers.

    ``response_status`` is ``complete`` (household part and every eligible
    member's part in), ``partial`` (household part in, some members missing)
    or ``nonrespondent``. ``members_listed``, ``members_eligible`` and
    ``persons_answered`` count the roster.
    """
    questionnaire = questionnaire_of(store, survey_id)
    sample = _sample(store, survey_id)
    responses = _responses(store, survey_id)
    household = responses[responses["member_no"] == 0]
    answers = [json.loads(text) for text in household["answers"]]
    names = [a.question.name for a in asked_questions(questionnaire.household, roster=False)]
    if answers:
        values, _ = household_frames(questionnaire, answers)
        values = values.reindex(columns=[*names, MEMBER_COUNT])
    else:
        values = pd.DataFrame(columns=[*names, MEMBER_COUNT])
    values = values.rename(columns={MEMBER_COUNT: "members_listed"})
    values["members_eligible"] = [len(eligible_members(questionnaire, a)) for a in answers]
    values["household_id"] = household["household_id"].to_numpy()
    values["mode"] = household["mode"].to_numpy()
    values["language"] = household["language"].to_numpy()
    values["submitted_at"] = household["submitted_at"].to_numpy()
    persons = responses[responses["member_no"] > 0].groupby("household_id").size()
    frame = sample.merge(values, on="household_id", how="left")
    frame["persons_answered"] = frame["household_id"].map(persons).fillna(0).astype("Int64")
    answered = frame["members_listed"].notna()
    complete = answered & (frame["persons_answered"] >= frame["members_eligible"].fillna(0))
    frame["response_status"] = "nonrespondent"
    frame.loc[answered, "response_status"] = "partial"
    frame.loc[complete, "response_status"] = "complete"
    return frame


def person_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per eligible member of every responding household.

    Roster answers (relation, sex, birth year, age…) and person answers sit
    side by side; ``person_status`` is ``complete`` or ``missing`` (the member
    has not answered), so nonresponse within households can be adjusted for.
    """
    questionnaire = questionnaire_of(store, survey_id)
    roster = roster_name(questionnaire)
    sample = _sample(store, survey_id)
    responses = _responses(store, survey_id)
    household = responses[responses["member_no"] == 0]
    person_answers = {
        (int(h), int(m)): json.loads(a)
        for h, m, a in responses.loc[
            responses["member_no"] > 0, ["household_id", "member_no", "answers"]
        ].itertuples(index=False)
    }
    person_names = (
        [a.question.name for a in asked_questions(questionnaire.person)]
        if questionnaire.person
        else []
    )
    roster_names = [a.question.name for a in asked_questions(questionnaire.household, roster=True)]
    rows = []
    for household_id, text in household[["household_id", "answers"]].itertuples(index=False):
        answers = json.loads(text)
        _, members = household_frames(questionnaire, [answers])
        eligible = set(eligible_members(questionnaire, answers))
        for _, member in members.iterrows():
            number = int(member["member_no"])
            if number not in eligible:
                continue
            own = person_answers.get((int(household_id), number))
            row = {"household_id": int(household_id), "member_no": number}
            row.update({name: member.get(name) for name in roster_names})
            row.update({name: (own or {}).get(name) for name in person_names})
            row["person_status"] = "complete" if own is not None else "missing"
            rows.append(row)
    columns = ["household_id", "member_no", *roster_names, *person_names, "person_status"]
    persons = pd.DataFrame(rows, columns=columns)
    del roster
    return sample.merge(persons, on="household_id", how="inner")
