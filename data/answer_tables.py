"""The answers' tables: ``responses`` (submitted parts) and ``answer_sessions`` (drafts).

Functions for these tables that other packages need and that no function of
:mod:`surveys` offers yet; each returns a DataFrame.
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
