"""The invitations: access codes (stored only as hashes) and their status, in ``invitations``.

Why: issuing, revoking and checking codes is the domain's work
(:mod:`surveys.fieldwork.invitations`); keeping and finding them is this module's.
Functions take the :class:`~data.store.Store` (or, inside a write the caller composes,
its :class:`~data.store.Transaction`) and return plain values or DataFrames.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from data.dialect import in_list
from data.store import Store, Transaction

INVITATION_COLUMNS = (
    "invitation_id",
    "survey_id",
    "household_id",
    "member_no",
    "status",
    "expires_at",
    "survey_status",
)


def revoke_active_codes(
    tx: Transaction,
    survey_id: int,
    household_ids: list[int],
    *,
    actor: str,
    member_no: int | None = None,
) -> int:
    """Revoke the active codes of these households (only member ``member_no``'s when given)
    inside the caller's transaction; how many were revoked."""
    sql = (
        "UPDATE invitations SET status = 'revoked', revoked_at = current_timestamp,"  # noqa: S608 - fixed fragments from data.dialect
        f" revoked_by = ? WHERE survey_id = ? AND status = 'active' AND {in_list('household_id')}"
    )
    params: list[Any] = [actor, survey_id, [int(h) for h in household_ids]]
    if member_no is not None:
        sql += " AND member_no = ?"
        params.append(member_no)
    return len(tx.execute(sql + " RETURNING invitation_id", params).fetchall())


def insert_invitations(store: Store, tx: Transaction, rows: pd.DataFrame) -> int:
    """Add invitations (survey_id, household_id, member_no, code_hash, issued_by,
    expires_at) inside the caller's transaction; how many."""
    return store.insert_frame(tx, "invitations", rows)


def invitation_by_hash(store: Store, code_hash: str) -> dict[str, Any] | None:
    """The invitation whose code has this hash (the :data:`INVITATION_COLUMNS` by name, with
    its survey's status as ``survey_status``), or None when no code has it."""
    rows = store.rows(
        "SELECT i.invitation_id, i.survey_id, i.household_id, i.member_no, i.status,"
        " i.expires_at, s.status FROM invitations i JOIN surveys s USING (survey_id)"
        " WHERE i.code_hash = ?",
        [code_hash],
    )
    return dict(zip(INVITATION_COLUMNS, rows[0], strict=True)) if rows else None


def codes_per_status(store: Store, survey_id: int) -> pd.DataFrame:
    """Codes of a survey per kind ('household' or 'member') and status: kind, status, codes."""
    return store.query(
        "SELECT CASE WHEN member_no = 0 THEN 'household' ELSE 'member' END AS kind, status,"
        " count(*) AS codes FROM invitations WHERE survey_id = ?"
        " GROUP BY CASE WHEN member_no = 0 THEN 'household' ELSE 'member' END, status"
        " ORDER BY kind, status, codes",
        [survey_id],
    )


def households_without_active_code(store: Store, survey_id: int) -> list[int]:
    """Sampled households of the survey with no active household code, by id."""
    return [
        int(r[0])
        for r in store.rows(
            "SELECT s.household_id FROM survey_sample s WHERE s.survey_id = ? AND NOT EXISTS ("
            " SELECT 1 FROM invitations i WHERE i.survey_id = s.survey_id"
            " AND i.household_id = s.household_id AND i.member_no = 0 AND i.status = 'active')"
            " ORDER BY s.household_id",
            [survey_id],
        )
    ]
