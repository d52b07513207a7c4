"""The "surveys" section of ``python -m data status``: responses per survey, at a glance.

Why: after seeding or a day of fieldwork, the first question is "how many
answered?". Per survey code: households sampled, households whose household
part is in, households complete (every roster member the person part's
``eligible`` rule selects has answered too), person parts in, records waiting
in the quarantine (sources ``submission:``, ``screen:`` and ``bulk:`` with the survey's
code), and the survey's status. Eligibility is evaluated with each survey's own
questionnaire, so a later wave with another rule counts right.

The home page shows these counts at every sign-in, so the members each household
part makes eligible are kept per survey and brought up to date incrementally: only
household parts stored since the last count are read and parsed (responses are
only ever added; a survey discarded or emptied is counted again from scratch).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data.answer_tables import household_parts, household_parts_extent, parts_per_household
from data.store import Store
from data.survey_tables import has_survey_tables, survey_overview
from surveys.opening import questionnaire_of
from surveys.questionnaire.expressions import references, truthy
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.response_schema import apply_calculations, evaluate_rows


@dataclass(frozen=True)
class _Eligible:
    """Members eligible for the person part, per household, as of ``last_response_id``."""

    questionnaire_hash: str
    last_response_id: int
    household_parts: int
    per_household: pd.Series


_ELIGIBLE: dict[tuple[str, int], _Eligible] = {}
_ELIGIBLE_LOCK = threading.Lock()


def _eligible_per_household(store: Store, q: Questionnaire, survey_id: int) -> pd.Series:
    """Members per household who answer the person part, from the stored rosters."""
    if q.person is None or q.household.roster_section() is None:
        return pd.Series(dtype="int64")
    parts, last = household_parts_extent(store, survey_id)
    key = (str(store.path), int(survey_id))
    with _ELIGIBLE_LOCK:
        known = _ELIGIBLE.get(key)
    if (
        known is None
        or known.questionnaire_hash != q.source_hash
        or known.last_response_id > last
        or known.household_parts > parts
    ):
        known = _Eligible(q.source_hash, 0, 0, pd.Series(dtype="int64"))
    if known.last_response_id < last:
        added = _eligible_in(store, q, survey_id, after=known.last_response_id)
        known = _Eligible(
            q.source_hash,
            int(last),
            int(parts),
            pd.concat([known.per_household, added]).groupby(level=0).sum(),
        )
        with _ELIGIBLE_LOCK:
            _ELIGIBLE[key] = known
    return known.per_household


def _eligible_in(store: Store, q: Questionnaire, survey_id: int, *, after: int) -> pd.Series:
    """Eligible members per household among the household parts stored after ``after``."""
    roster = q.household.roster_section()
    if q.person is None or roster is None:  # no one answers a person part
        return pd.Series(dtype="int64")
    stored = household_parts(store, survey_id, after=after)
    rule = q.person.eligible
    wanted = set() if rule is None else references(rule.node)
    for asked in roster.questions:
        if asked.calculate is not None:
            wanted |= references(asked.calculate.node)
    rows = []
    for household_id, text in stored.itertuples(index=False):
        answers = json.loads(text)
        context = {k: answers[k] for k in wanted if k in answers}
        for member in answers.get(roster.id) or []:
            rows.append({**context, **member, "household_id": household_id})
    if not rows:
        return pd.Series(dtype="int64")
    members = apply_calculations(q.household, pd.DataFrame(rows), roster=True)
    if rule is None:
        selected = np.ones(len(members), dtype=bool)
    else:
        values = evaluate_rows(rule.node, members[[c for c in members if c in wanted]])
        selected = values.map(truthy).to_numpy(dtype=bool)
    return members.loc[selected].groupby("household_id").size()


def _survey(store: Store, survey_id: int) -> dict[str, int]:
    parts = parts_per_household(store, survey_id)
    eligible = _eligible_per_household(store, questionnaire_of(store, survey_id), survey_id)
    answered = parts["household_parts"] > 0
    needed = parts["household_id"].map(eligible).fillna(0)
    return {
        "households_responded": int(answered.sum()),
        "households_complete": int((answered & (parts["person_parts"] >= needed)).sum()),
        "person_parts": int(parts["person_parts"].sum()),
    }


def survey_counts(store: Store) -> dict[str, dict[str, Any]]:
    """Per survey code: sampled, households_responded, households_complete, person_parts,
    quarantined, status."""
    if not has_survey_tables(store):
        return {}
    out = {}
    for row in survey_overview(store).itertuples(index=False):
        out[row.code] = {
            "sampled": int(row.sampled),
            **_survey(store, int(row.survey_id)),
            "quarantined": int(row.quarantined),
            "status": row.status,
        }
    return out
