"""The stored weights: ``weights_versions`` (one row per version) and ``weights`` (its rows).

A weights version is stored with its rows and an audit entry in one transaction; the reads
give a version's rows (the one weights query every caller uses), the newest version of a
unit, and the versions of a survey.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from data.audit import record_event
from data.store import Store, Transaction, one_row


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


WEIGHT_COLUMNS = ["household_id", "member_no", "base_weight", "adjusted_weight", "weight"]


def store_weights_version(
    store: Store,
    survey_id: int,
    unit: str,
    weights: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    actor: str,
) -> int:
    """Save a new version (the next number for the survey and unit) with its rows and an
    audit entry, all in one transaction; return its weights_id.

    ``weights`` has the columns of :data:`WEIGHT_COLUMNS`.
    """

    def work(tx: Transaction) -> int:
        tx.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM weights_versions WHERE survey_id = ? AND unit = ?",
            [survey_id, unit],
        )
        version = one_row(tx)[0]
        tx.execute(
            "INSERT INTO weights_versions (survey_id, unit, version, created_by, parameters)"
            " VALUES (?, ?, ?, ?, ?) RETURNING weights_id",
            [survey_id, unit, version, actor, json.dumps(parameters, default=str)],
        )
        weights_id = one_row(tx)[0]
        rows = weights.assign(weights_id=weights_id)[["weights_id", *WEIGHT_COLUMNS]]
        store.insert_frame(tx, "weights", rows)
        record_event(
            tx,
            actor,
            "weights_stored",
            f"survey:{survey_id}",
            {"unit": unit, "version": int(version), "rows": len(rows)},
        )
        return int(weights_id)

    return store.write(work)


def weights_rows(store: Store, weights_id: int) -> pd.DataFrame:
    """The rows of one weights version: household_id, member_no, base, adjusted and final weight."""
    return store.query(
        "SELECT household_id, member_no, base_weight, adjusted_weight, weight FROM weights"
        " WHERE weights_id = ?",
        [weights_id],
    )


def newest_version(store: Store, survey_id: int, unit: str) -> tuple[int, dict[str, Any]] | None:
    """(weights_id, parameters) of the survey's newest version of ``unit``, or None."""
    row = store.rows(
        "SELECT weights_id, parameters FROM weights_versions WHERE survey_id = ? AND unit = ?"
        " ORDER BY version DESC LIMIT 1",
        [survey_id, unit],
    )
    if not row:
        return None
    return int(row[0][0]), json.loads(row[0][1])


def newest_version_ids(store: Store, survey_id: int) -> dict[str, int]:
    """The weights_id of the survey's newest version, by unit."""
    return dict(
        store.rows(
            "SELECT unit, arg_max(weights_id, version) FROM weights_versions WHERE survey_id = ?"
            " GROUP BY unit",
            [survey_id],
        )
    )


def versions_of(store: Store, survey_id: int) -> list[tuple[int, str, int, str, dict[str, Any]]]:
    """Every version of a survey, oldest first: (weights_id, unit, version, created_at as
    text, parameters)."""
    rows = store.rows(
        "SELECT weights_id, unit, version, CAST(created_at AS VARCHAR), parameters"
        " FROM weights_versions WHERE survey_id = ? ORDER BY version, weights_id",
        [survey_id],
    )
    return [(int(r[0]), r[1], int(r[2]), r[3], json.loads(r[4])) for r in rows]


def version_ids(store: Store, survey_id: int) -> tuple[int, ...]:
    """The weights_ids of every version of a survey, in the order they were made."""
    return tuple(
        int(r[0])
        for r in store.rows(
            "SELECT weights_id FROM weights_versions WHERE survey_id = ? ORDER BY weights_id",
            [survey_id],
        )
    )


def version_owner(store: Store, weights_id: int) -> tuple[int, str] | None:
    """(survey_id, unit) of a weights version, or None when there is no such version."""
    owner = store.rows(
        "SELECT survey_id, unit FROM weights_versions WHERE weights_id = ?", [weights_id]
    )
    return (int(owner[0][0]), owner[0][1]) if owner else None


def units_weighted(store: Store, survey_id: int) -> set[str]:
    """The units (household, person) a survey has at least one weights version of."""
    return {
        r[0]
        for r in store.rows(
            "SELECT DISTINCT unit FROM weights_versions WHERE survey_id = ?", [int(survey_id)]
        )
    }


def weighted_units(store: Store) -> pd.DataFrame:
    """Every (survey_id, unit) with at least one weights version."""
    return store.query("SELECT DISTINCT survey_id, unit FROM weights_versions")
