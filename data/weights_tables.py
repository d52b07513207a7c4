"""The weights' tables: ``weights_versions`` and ``weights``.

Functions for these tables that other packages need and that no function of
:mod:`analysis.weights` offers yet.
"""

from __future__ import annotations

import pandas as pd

from data.store import Store


def weights_versions(store: Store, survey_id: int, unit: str) -> pd.DataFrame:
    """The survey's stored versions of ``unit`` by version: ``weights_id``, ``version``,
    ``created_at``, ``created_by`` and ``parameters`` (JSON text)."""
    return store.query(
        "SELECT weights_id, version, created_at, created_by, parameters FROM weights_versions"
        " WHERE survey_id = ? AND unit = ? ORDER BY version",
        [int(survey_id), unit],
    )


def delete_survey_weights(store: Store, survey_id: int) -> None:
    """Remove every weights version of the survey and its weights (demo databases only)."""
    store.execute(
        "DELETE FROM weights WHERE weights_id IN"
        " (SELECT weights_id FROM weights_versions WHERE survey_id = ?)",
        [survey_id],
    )
    store.execute("DELETE FROM weights_versions WHERE survey_id = ?", [survey_id])
