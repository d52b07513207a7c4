"""The answers' tables: ``responses`` (submitted parts) and ``answer_sessions`` (drafts).

Reads other packages need beside :mod:`surveys` (which reads the answers themselves through
its analysis frames): which households submitted or started a part, how many parts are in,
and a cheap fingerprint of a survey's responses (to reuse frames already built).
"""

from __future__ import annotations

import pandas as pd

from data.store import Store


def submitted_households(store: Store, survey_id: int) -> pd.DataFrame:
    """Households whose household part of the survey is submitted: ``household_id`` and
    ``submitted`` (always true)."""
    return store.query(
        "SELECT household_id, true AS submitted FROM responses WHERE survey_id = ? AND member_no = 0",
        [survey_id],
    )


def started_households(store: Store, survey_id: int) -> pd.DataFrame:
    """Households with an open household draft holding answers: ``household_id`` (once each)
    and ``started`` (always true)."""
    return store.query(
        "SELECT DISTINCT household_id, true AS started FROM answer_sessions"
        " WHERE survey_id = ? AND member_no = 0 AND status = 'open' AND answers <> '{}'",
        [survey_id],
    )


def responses_state(store: Store, survey_id: int) -> tuple[int, int]:
    """(number of stored responses, newest response_id or 0) of a survey: submitted responses
    never change, so these two change whenever its responses do."""
    count, newest = store.rows(
        "SELECT count(*), coalesce(max(response_id), 0) FROM responses WHERE survey_id = ?",
        [survey_id],
    )[0]
    return int(count), int(newest)


def household_parts_submitted(store: Store, survey_id: int) -> int:
    """How many household parts (member 0) of the survey are submitted."""
    return int(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no = 0", [survey_id]
        )
    )


def person_parts_submitted(store: Store, survey_id: int) -> int:
    """How many person parts (members 1, 2, …) of the survey are submitted."""
    return int(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no > 0", [survey_id]
        )
    )
