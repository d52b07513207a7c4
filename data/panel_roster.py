"""The panel roster's tables: ``panel_recruitments``, ``panel_households``, ``panel_status_history``.

Every read returns plain values or a DataFrame; every write is one transaction
(:meth:`data.store.Store.write`) holding the roster rows, the history rows and
the audit event together, so a refused or failed change leaves nothing behind.
The decisions (who is drawn, which status follows, who replaces whom) are the
panel's (:mod:`panel`); this module only reads and stores them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from data.audit import record_event
from data.dialect import in_list, json_field
from data.store import Store, Transaction, quote_identifier

HOUSEHOLD_COLUMNS = [
    "household_id", "role", "status", "district_code", "household_type", "head_age_band",
    "recruited_at", "recruitment_id", "pi", "pi_panel", "pi_reserve", "replaces",
    "match_level", "match_flag", "joined_wave",
]  # fmt: skip
_UPDATE_TABLE = "_panel_households_update"


@dataclass(frozen=True)
class AuditEvent:
    """One audit-log entry, written inside the transaction of the change it records."""

    actor: str
    action: str
    target: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def record(self, tx: Transaction) -> None:
        record_event(tx, self.actor, self.action, self.target, self.detail)


class RecruitmentExists(Exception):
    """A recruitment is already stored (found inside the transaction that would add one)."""


# -- recruitment ---------------------------------------------------------------


def _recruited(tx: Transaction) -> bool:
    tx.execute("SELECT count(*) FROM panel_recruitments")
    row = tx.fetchone()
    return bool(row and row[0])


def panel_recruited(store: Store) -> bool:
    """Whether a panel recruitment is stored."""
    return bool(store.scalar("SELECT count(*) FROM panel_recruitments"))


def latest_recruitment_id(store: Store) -> int | None:
    """The id of the newest recruitment, or None before any."""
    value = store.scalar("SELECT max(recruitment_id) FROM panel_recruitments")
    return None if value is None else int(value)


def latest_recruitment_target(store: Store) -> int | None:
    """The panel target (``target`` of the JSON parameters) of the newest recruitment, or None."""
    value = store.scalar(
        f"SELECT {json_field('parameters', 'target')} FROM panel_recruitments"  # noqa: S608 - fixed text
        " ORDER BY recruitment_id DESC LIMIT 1"
    )
    return None if value is None else int(value)


@dataclass(frozen=True)
class RecruitmentRows:
    """What a recruitment stores once its id is known: roster rows, history rows, audit event."""

    households: pd.DataFrame  # HOUSEHOLD_COLUMNS
    history: pd.DataFrame  # history table columns (without survey_id)
    event: AuditEvent


def store_recruitment(
    store: Store,
    *,
    created_at: datetime,
    created_by: str,
    parameters: str,
    rows: Callable[[int], RecruitmentRows],
) -> int:
    """Store a recruitment (JSON ``parameters``) and the rows ``rows(recruitment_id)`` gives.

    One transaction; returns the new recruitment id. Raises :class:`RecruitmentExists`
    (nothing written) when a recruitment is already stored.
    """

    def work(tx: Transaction) -> int:
        if _recruited(tx):
            raise RecruitmentExists
        tx.execute(
            "INSERT INTO panel_recruitments (created_at, created_by, parameters) "
            "VALUES (?, ?, ?) RETURNING recruitment_id",
            [created_at, created_by, parameters],
        )
        recruitment_id = int(tx.fetchone()[0])  # type: ignore[index]
        made = rows(recruitment_id)
        store.insert_frame(tx, "panel_households", made.households)
        store.insert_frame(tx, "panel_status_history", made.history)
        made.event.record(tx)
        return recruitment_id

    return store.write(work)


# -- reading the roster -----------------------------------------------------------


def roster_households(store: Store) -> pd.DataFrame:
    """Every household of the roster (panel and reserve), :data:`HOUSEHOLD_COLUMNS`, by id."""
    columns = ", ".join(quote_identifier(c) for c in HOUSEHOLD_COLUMNS)
    return store.query("SELECT " + columns + " FROM panel_households ORDER BY household_id")  # noqa: S608 - identifiers via quote_identifier


def households_by_status(store: Store) -> dict[str, int]:
    """Households per status, statuses in alphabetical order (only those present)."""
    rows = store.rows(
        "SELECT status, count(*) FROM panel_households GROUP BY status ORDER BY status"
    )
    return {str(status): int(n) for status, n in rows}


def replacement_count(store: Store) -> int:
    """Households that stand in for another (``replaces`` set)."""
    return int(
        store.scalar("SELECT count(*) FROM panel_households WHERE replaces IS NOT NULL") or 0
    )


def households_joined_per_wave(store: Store) -> dict[int, int]:
    """Households per ``joined_wave`` (the first wave they take part in), wave number → count."""
    rows = store.rows(
        "SELECT joined_wave, count(*) FROM panel_households"
        " WHERE joined_wave IS NOT NULL GROUP BY joined_wave"
    )
    return {int(wave): int(n) for wave, n in rows}


def leavers_without_replacement(store: Store, left: Iterable[str]) -> list[int]:
    """Ids of households whose status is one of ``left`` and that no household replaces, by id."""
    return [
        int(r[0])
        for r in store.rows(
            "SELECT p.household_id FROM panel_households p WHERE "  # noqa: S608 - fixed text
            + in_list("p.status")
            + " AND NOT EXISTS (SELECT 1 FROM panel_households r WHERE r.replaces = p.household_id)"
            " ORDER BY p.household_id",
            [sorted(left)],
        )
    ]


def household_cells(store: Store, household_ids: Iterable[int]) -> pd.DataFrame:
    """``household_id``, ``district_code``, ``household_type``, ``head_age_band`` of the ids."""
    return store.query(
        "SELECT household_id, district_code, household_type, head_age_band"  # noqa: S608 - fixed text
        " FROM panel_households WHERE " + in_list("household_id"),
        [[int(h) for h in household_ids]],
    )


def households_per_district(store: Store, statuses: Iterable[str]) -> pd.DataFrame:
    """Households with a status in ``statuses`` per district: ``category`` (code), ``n``."""
    return store.query(
        "SELECT district_code AS category, count(*) AS n FROM panel_households"  # noqa: S608 - fixed text
        " WHERE " + in_list("status") + " GROUP BY district_code",
        [sorted(statuses)],
    )


def households_per_size_class(store: Store, statuses: Iterable[str], cap: int) -> pd.DataFrame:
    """Households with a status in ``statuses`` per frame household size capped at ``cap``:
    ``category`` (the size, ``cap`` = ``cap`` or more), ``n``."""
    return store.query(
        "SELECT least(f.household_size, ?) AS category, count(*) AS n"  # noqa: S608 - fixed text
        " FROM panel_households p JOIN frame_households f USING (household_id)"
        " WHERE " + in_list("p.status") + " GROUP BY category",
        [cap, sorted(statuses)],
    )


def status_history(
    store: Store, statuses: Iterable[str], previous: str | None = None
) -> pd.DataFrame:
    """History rows moving to one of ``statuses`` (from ``previous`` when given), newest first.

    Columns: the row's ``history_id``, ``household_id``, ``previous_status``, ``status``,
    ``district_code``, ``changed_at``, ``changed_by``, ``survey_id``; the wave's ``wave_no``
    (0 for a change outside a wave) and code as ``wave_code``; the household's
    ``household_type``, ``head_age_band``, ``replaces``, ``match_level``, ``match_flag``.
    """
    where = in_list("h.status")
    params: list[Any] = [sorted(statuses)]
    if previous is not None:
        where += " AND h.previous_status = ?"
        params.append(previous)
    return store.query(
        "SELECT h.history_id, h.household_id, h.previous_status, h.status, h.district_code,"  # noqa: S608 - fixed text
        " h.changed_at, h.changed_by, h.survey_id, coalesce(w.wave_no, 0) AS wave_no,"
        " s.code AS wave_code, p.household_type, p.head_age_band, p.replaces, p.match_level,"
        " p.match_flag"
        " FROM panel_status_history h JOIN panel_households p USING (household_id)"
        " LEFT JOIN panel_waves w ON w.survey_id = h.survey_id"
        " LEFT JOIN surveys s ON s.survey_id = h.survey_id"
        " WHERE " + where + " ORDER BY h.changed_at DESC, h.history_id DESC",
        params,
    )


# -- writing inside a transaction --------------------------------------------------


def update_households(
    store: Store, tx: Transaction, rows: pd.DataFrame, columns: list[str]
) -> None:
    """Set ``columns`` of the roster rows in ``rows`` (keyed by household_id), inside ``tx``.

    The rows go into a temporary table (bulk insert) and one ``UPDATE … FROM`` applies them.
    """
    if rows.empty:
        return
    keyed = ["household_id", *columns]
    names = ", ".join(quote_identifier(c) for c in keyed)
    table = quote_identifier(_UPDATE_TABLE)
    tx.execute(f"DROP TABLE IF EXISTS {table}")
    tx.execute(
        f"CREATE TEMPORARY TABLE {table} AS SELECT {names} FROM panel_households WHERE false"  # noqa: S608 - identifiers via quote_identifier
    )
    store.insert_frame(tx, _UPDATE_TABLE, rows[keyed])
    assignments = ", ".join(f"{quote_identifier(c)} = u.{quote_identifier(c)}" for c in columns)
    tx.execute(
        f"UPDATE panel_households AS p SET {assignments} FROM {table} AS u"  # noqa: S608 - identifiers via quote_identifier
        " WHERE p.household_id = u.household_id"
    )
    tx.execute(f"DROP TABLE {table}")


def insert_history(store: Store, tx: Transaction, rows: pd.DataFrame) -> int:
    """Append status history rows (history table columns) inside ``tx``; how many."""
    return store.insert_frame(tx, "panel_status_history", rows)


def store_roster_change(
    store: Store, rows: pd.DataFrame, columns: list[str], history: pd.DataFrame, event: AuditEvent
) -> None:
    """In one transaction: set ``columns`` of the roster ``rows``, append ``history``, audit."""

    def work(tx: Transaction) -> None:
        update_households(store, tx, rows, columns)
        insert_history(store, tx, history)
        event.record(tx)

    store.write(work)


def delete_roster(store: Store) -> None:
    """Remove the status history, the roster and the recruitments (demo databases only)."""
    for table in ("panel_status_history", "panel_households", "panel_recruitments"):
        store.execute("DELETE FROM " + quote_identifier(table))  # noqa: S608 - identifiers via quote_identifier
