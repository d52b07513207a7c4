"""The ``response_exclusions`` table: submitted parts left out of estimation, reversibly.

A row says who excluded which part (``member_no`` 0: the household part, n: member n's
person part) of a survey's response, when and why; restoring it fills in who restored it,
when and why, and keeps the row. Each change is written in one transaction with its audit
entry. :mod:`analysis.exclusions` decides what may be excluded and says so in words; a
change this table refuses raises :class:`ExclusionRefused` with the reason.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from data.audit import record_event
from data.store import Store, Transaction

ACTIVE_COLUMNS = [
    "exclusion_id", "household_id", "member_no", "flag", "reason", "excluded_by", "excluded_at",
]  # fmt: skip


class ExclusionRefused(LookupError):
    """``reason``: ``no_response`` (nothing submitted for that part), ``already_excluded``
    (``exclusion_id`` holds) or ``not_active`` (no exclusion ``exclusion_id`` in force)."""

    def __init__(self, reason: str, exclusion_id: int | None = None):
        super().__init__(reason if exclusion_id is None else f"{reason}: {exclusion_id}")
        self.reason = reason
        self.exclusion_id = exclusion_id


def add_exclusion(
    store: Store,
    survey_id: int,
    household_id: int,
    member_no: int,
    *,
    flag: str | None,
    reason: str,
    actor: str,
) -> int:
    """Exclude a submitted part; returns the exclusion id.

    In one transaction: the part must be submitted and not excluded already
    (else :class:`ExclusionRefused`); the row keeps the reason stripped, the audit entry
    as given.
    """

    def work(tx: Transaction) -> int:
        tx.execute(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND household_id = ?"
            " AND member_no = ?",
            [survey_id, household_id, member_no],
        )
        if not tx.fetchall()[0][0]:
            raise ExclusionRefused("no_response")
        tx.execute(
            "SELECT exclusion_id FROM response_exclusions WHERE survey_id = ? AND household_id = ?"
            " AND member_no = ? AND restored_at IS NULL",
            [survey_id, household_id, member_no],
        )
        active = tx.fetchall()
        if active:
            raise ExclusionRefused("already_excluded", int(active[0][0]))
        tx.execute(
            "INSERT INTO response_exclusions (survey_id, household_id, member_no, flag, reason,"
            " excluded_at, excluded_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING exclusion_id",
            [survey_id, household_id, member_no, flag, reason.strip(), datetime.now(), actor],
        )
        row = tx.fetchall()
        record_event(
            tx, actor, "response_excluded", f"survey:{survey_id}",
            {"household_id": household_id, "member_no": member_no, "flag": flag, "reason": reason},
        )  # fmt: skip
        return int(row[0][0])

    return store.write(work)


def restore_exclusion(store: Store, exclusion_id: int, *, reason: str, actor: str) -> None:
    """End an exclusion in force (the row stays, with who restored it, when and why).

    Raises :class:`ExclusionRefused` (``not_active``) when no such exclusion holds.
    """

    def work(tx: Transaction) -> None:
        tx.execute(
            "UPDATE response_exclusions SET restored_at = ?, restored_by = ?, restore_reason = ?"
            " WHERE exclusion_id = ? AND restored_at IS NULL RETURNING survey_id",
            [datetime.now(), actor, reason.strip(), exclusion_id],
        )
        rows = tx.fetchall()
        if not rows:
            raise ExclusionRefused("not_active", exclusion_id)
        record_event(
            tx, actor, "response_restored", f"survey:{rows[0][0]}",
            {"exclusion_id": exclusion_id, "reason": reason},
        )  # fmt: skip

    store.write(work)


def active_exclusions(store: Store, survey_id: int) -> pd.DataFrame:
    """Exclusions in force, oldest first (the columns of :data:`ACTIVE_COLUMNS`; none before
    the table exists)."""
    if "response_exclusions" not in store.table_names():
        return pd.DataFrame(columns=ACTIVE_COLUMNS)
    return store.query(
        "SELECT exclusion_id, household_id, member_no, flag, reason, excluded_by, excluded_at"
        " FROM response_exclusions WHERE survey_id = ? AND restored_at IS NULL"
        " ORDER BY exclusion_id",
        [survey_id],
    )


def exclusion_history(store: Store, survey_id: int) -> pd.DataFrame:
    """Every exclusion of a survey, restored ones included, oldest first."""
    return store.query(
        "SELECT * FROM response_exclusions WHERE survey_id = ? ORDER BY exclusion_id",
        [survey_id],
    )
