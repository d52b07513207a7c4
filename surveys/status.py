"""The "surveys" section of ``python -m data status``: responses per survey, at a glance.

Why: after seeding or a day of fieldwork, the first question is "how many
answered?". Per survey code: households sampled, households whose household
part is in, households complete (every roster member the person part's
``eligible`` rule selects has answered too), person parts in, records waiting
in the quarantine (sources ``submission:``, ``screen:`` and ``bulk:`` with the survey's
code; records kept before the sources named the code carry its id, and count too), and
the survey's status. Eligibility is evaluated with each survey's own questionnaire, so a
later wave with another rule counts right.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from data.store import Store
from surveys.expressions import references, truthy
from surveys.model import Questionnaire
from surveys.opening import questionnaire_of
from surveys.response_schema import apply_calculations, evaluate_rows

_SURVEYS = """
SELECT s.survey_id, s.code, s.status,
       (SELECT count(*) FROM survey_sample x WHERE x.survey_id = s.survey_id) AS sampled,
       (SELECT count(*) FROM quarantine q WHERE q.status = 'open'
          AND (q.source IN ('submission:' || s.code, 'screen:' || s.code,
                            'submission:' || s.survey_id, 'screen:' || s.survey_id)
               OR starts_with(q.source, 'bulk:' || s.code || ':')
               OR starts_with(q.source, 'bulk:' || s.survey_id || ':'))) AS quarantined
FROM surveys s ORDER BY s.survey_id
"""


def _eligible_per_household(store: Store, q: Questionnaire, survey_id: int) -> pd.Series:
    """Members per household who answer the person part, from the stored rosters."""
    roster = q.household.roster_section()
    if q.person is None or roster is None:
        return pd.Series(dtype="int64")
    stored = store.query(
        "SELECT household_id, answers FROM responses WHERE survey_id = ? AND member_no = 0",
        [survey_id],
    )
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
    parts = store.query(
        "SELECT household_id, count(*) FILTER (WHERE member_no = 0) AS household_parts,"
        " count(*) FILTER (WHERE member_no > 0) AS person_parts"
        " FROM responses WHERE survey_id = ? GROUP BY household_id",
        [survey_id],
    )
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
    if "surveys" not in store.table_names():
        return {}
    out = {}
    for row in store.query(_SURVEYS).itertuples(index=False):
        out[row.code] = {
            "sampled": int(row.sampled),
            **_survey(store, int(row.survey_id)),
            "quarantined": int(row.quarantined),
            "status": row.status,
        }
    return out
