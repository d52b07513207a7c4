"""Who answers the person part, and what their rules can see.

Once a household's part is submitted its roster is known: each listed member
for whom the person part's ``eligible`` rule holds (for the Seoul Survey, aged
15 or older) answers a person part. That member's rules see the household's
answers (outside the roster) and the member's own roster answers, including
calculated ones such as ``age``.
"""

from __future__ import annotations

import json
from typing import Any

from data.answer_tables import household_part_answers
from data.store import Store
from surveys.answer_frames import household_frames, roster_name
from surveys.questionnaire.expressions import evaluate, truthy
from surveys.questionnaire.expressions_frame import cell_value
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.response_schema import MEMBER_COUNT


def member_contexts(
    questionnaire: Questionnaire, household_answers: dict[str, Any]
) -> dict[int, dict[str, Any]]:
    """Per listed member (1-based): the values that member's person-part rules can read."""
    households, members = household_frames(questionnaire, [household_answers])
    roster = roster_name(questionnaire)
    base = {
        k: cell_value(v)
        for k, v in households.iloc[0].to_dict().items()
        if k not in (MEMBER_COUNT, roster)
    }
    out = {}
    for _, row in members.iterrows():
        values = {
            k: cell_value(v) for k, v in row.to_dict().items() if k not in ("_row", MEMBER_COUNT)
        }
        out[int(row["member_no"])] = {**base, **values}
    return out


def eligible_members(questionnaire: Questionnaire, household_answers: dict[str, Any]) -> list[int]:
    """Member numbers who answer the person part (all listed members when there is no rule)."""
    part = questionnaire.person
    if part is None:
        return []
    contexts = member_contexts(questionnaire, household_answers)
    if part.eligible is None:
        return sorted(contexts)
    return sorted(
        n for n, values in contexts.items() if truthy(evaluate(part.eligible.node, values))
    )


def household_answers(store: Store, survey_id: int, household_id: int) -> dict[str, Any] | None:
    """The answers of the household's submitted household part, or None."""
    text = household_part_answers(store, survey_id, household_id)
    return json.loads(text) if text is not None else None


class NotEligible(LookupError):
    pass


def member_context(
    store: Store, questionnaire: Questionnaire, survey_id: int, household_id: int, member_no: int
) -> dict[str, Any]:
    """The context of one member's person part (the household part must be in)."""
    answers = household_answers(store, survey_id, household_id)
    if answers is None:
        raise NotEligible("the household part must be submitted before members answer")
    if member_no not in eligible_members(questionnaire, answers):
        raise NotEligible(f"member {member_no} does not answer the person part")
    return member_contexts(questionnaire, answers)[member_no]
