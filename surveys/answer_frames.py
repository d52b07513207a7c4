"""Answers as DataFrames, and validation of one submission or a whole batch.

A household submission is a dict of answers whose roster sits under the roster
section's id as a list of member dicts; a person submission is a flat dict.
These helpers lay submissions out as the frames the generated schemas check
(:mod:`surveys.questionnaire.response_schema`), compute the calculated questions, and turn
the validation result back into problems per question (and per member).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data.validation import Reason, ValidationResult, validate_frame
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.response_schema import (
    MEMBER_COUNT,
    apply_calculations,
    household_schema,
    person_schema,
    roster_schema,
)


def roster_name(questionnaire: Questionnaire) -> str | None:
    section = questionnaire.household.roster_section()
    return None if section is None else section.id


def roster_repeats(questionnaire: Questionnaire) -> dict[str, str]:
    """The names a household-level rule reads across the roster: ``repeats=`` of ``evaluate``
    and ``evaluate_frame`` (the roster's own name and each roster question's name → the
    roster's name), for ``count(${members})`` or ``sum(${age})`` evaluated on a household
    submission, whose ``values[roster]`` holds the members' answers. Empty without a roster.
    """
    section = questionnaire.household.roster_section()
    if section is None:
        return {}
    return {section.id: section.id} | {q.name: section.id for q in section.questions}


def household_frames(
    questionnaire: Questionnaire, submissions: list[dict[str, Any]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(household frame, roster frame) for a list of household submissions.

    The household frame carries the roster's name as a column of each household's members
    (lists of their answers) for household rules that read across them. The roster frame
    has ``_row`` (position of the household submission) and
    ``member_no`` (1-based order in the roster) plus the household's answers as
    context for the roster's rules.
    """
    part = questionnaire.household
    roster = roster_name(questionnaire)
    households = pd.DataFrame([{k: v for k, v in s.items() if k != roster} for s in submissions])
    households[MEMBER_COUNT] = [len(s.get(roster) or []) if roster else 0 for s in submissions]
    if roster:  # the members' answers, for household rules reading across them (count(${…}))
        households[roster] = pd.Series(
            [list(s.get(roster) or []) for s in submissions], index=households.index, dtype=object
        )
    households = apply_calculations(
        part, _with_columns(households, questionnaire, roster=False), roster=False
    )
    members = [
        {**member, "_row": row, "member_no": number}
        for row, submission in enumerate(submissions)
        for number, member in enumerate((submission.get(roster) or []) if roster else [], start=1)
    ]
    roster_frame = pd.DataFrame(members)
    if members:
        # each member row carries its household's answers as context (the member's own win)
        context = households.drop(
            columns=[c for c in [*roster_frame.columns, roster] if c in households]
        )
        roster_frame = roster_frame.join(context.reset_index(drop=True), on="_row")
    if roster:
        roster_frame = apply_calculations(
            part, _with_columns(roster_frame, questionnaire, roster=True), roster=True
        )
    return households, roster_frame


def _with_columns(
    frame: pd.DataFrame, questionnaire: Questionnaire, *, roster: bool | None
) -> pd.DataFrame:
    """Make sure every question of the part has a column (unanswered = missing)."""
    from surveys.questionnaire.response_schema import asked_questions

    part = questionnaire.household if roster is not None else questionnaire.person
    if part is None:
        raise KeyError(f"questionnaire {questionnaire.id} has no person part")
    for asked in asked_questions(part, roster=roster):
        if asked.question.name not in frame.columns:
            frame[asked.question.name] = None
    return frame


def person_frame(
    questionnaire: Questionnaire, persons: list[dict[str, Any]], contexts: list[dict[str, Any]]
) -> pd.DataFrame:
    """Person submissions with their context (household answers and the member's roster answers)."""
    rows = [{**context, **answers} for answers, context in zip(persons, contexts, strict=True)]
    if questionnaire.person is None:
        raise KeyError(f"questionnaire {questionnaire.id} has no person part")
    frame = _with_columns(pd.DataFrame(rows), questionnaire, roster=None)
    return apply_calculations(questionnaire.person, frame)


@dataclass
class AnswerCheck:
    """Problems found in one submission: per question, and per roster member."""

    household: dict[str, list[Reason]] = field(default_factory=dict)
    members: dict[int, dict[str, list[Reason]]] = field(default_factory=dict)
    general: list[Reason] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.household or self.members or self.general)

    def all_reasons(self) -> list[Reason]:
        out = list(self.general)
        for reasons in self.household.values():
            out.extend(reasons)
        for questions in self.members.values():
            for reasons in questions.values():
                out.extend(reasons)
        return out


def _by_question(result: ValidationResult, index: Any) -> dict[str, list[Reason]]:
    out: dict[str, list[Reason]] = {}
    for reason in result.reasons.get(index, []):
        out.setdefault(reason.column or "", []).append(reason)
    return out


def check_household(questionnaire: Questionnaire, answers: dict[str, Any]) -> AnswerCheck:
    """Validate one household submission (household part and roster)."""
    households, members = household_frames(questionnaire, [answers])
    check = AnswerCheck()
    result = validate_frame(households, household_schema(questionnaire))
    check.household = _by_question(result, households.index[0])
    check.general.extend(result.batch_reasons)
    if not members.empty:
        roster_result = validate_frame(members, roster_schema(questionnaire))
        for index in roster_result.reasons:
            check.members[int(members.at[index, "member_no"])] = _by_question(roster_result, index)
        check.general.extend(roster_result.batch_reasons)
    return check


def check_person(
    questionnaire: Questionnaire, answers: dict[str, Any], context: dict[str, Any]
) -> AnswerCheck:
    """Validate one member's person part."""
    frame = person_frame(questionnaire, [answers], [context])
    result = validate_frame(frame, person_schema(questionnaire))
    return AnswerCheck(
        household=_by_question(result, frame.index[0]), general=list(result.batch_reasons)
    )
