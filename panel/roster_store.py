"""The panel roster in the store: recruitment, status changes, moves, replacement.

The panel core (:mod:`panel.recruit`, :mod:`panel.status`,
:mod:`panel.replacement`) is pure functions over DataFrames; this module reads
their inputs from the store and writes their outputs back through
:mod:`data.panel_roster`. Every operation is one transaction that writes the
roster, the history and an audit event together, so a refused or failed change
leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import pandas as pd

from data.frame_store import household_cells
from data.panel_roster import (
    HOUSEHOLD_COLUMNS,
    AuditEvent,
    RecruitmentExists,
    RecruitmentRows,
    latest_recruitment_id,
    panel_recruited,
    roster_households,
    store_recruitment,
    store_roster_change,
)
from data.reference import stored_table
from data.store import Store
from data.survey_tables import survey_ids_of_kind
from data.text import Refusal, Text
from panel.recruit import Recruitment, recruit
from panel.replacement import Replacement, replace
from panel.status import apply_changes, move_within_seoul
from surveys.opening import sampled_households

ROSTER_COLUMNS = HOUSEHOLD_COLUMNS


class PanelExistsError(Refusal, ValueError):
    """A panel was already recruited; a second recruitment would mix two designs."""


# -- recruitment ---------------------------------------------------------------


def cross_section_surveys(store: Store) -> list[int]:
    """Every Seoul Survey cross-section: the panel is drawn disjoint from their samples."""
    return survey_ids_of_kind(store, "cross_section")


def _exists(store: Store) -> PanelExistsError:
    rid = latest_recruitment_id(store)
    return PanelExistsError(
        "already_recruited",
        Text(
            f"패널이 이미 모집되었습니다 (모집 {rid}); 다시 모집할 수 없습니다",
            f"a panel was already recruited (recruitment {rid}); it cannot be recruited again",
        ),
    )


def _recruit_rows(drawn: Recruitment, recruitment_id: int, at: datetime) -> pd.DataFrame:
    """The roster rows of a draw, in the table's column order."""
    rows = drawn.roster()
    rows = rows.assign(
        recruited_at=at,
        recruitment_id=recruitment_id,
        match_level=pd.array([pd.NA] * len(rows), dtype="Int32"),
        match_flag=pd.array([pd.NA] * len(rows), dtype="string"),
        joined_wave=pd.array([pd.NA] * len(rows), dtype="Int32"),
    )
    return rows[ROSTER_COLUMNS]


def _recruit_history(rows: pd.DataFrame, actor: str, at: datetime) -> pd.DataFrame:
    """One history row per recruited household: how it entered the roster."""
    return pd.DataFrame(
        {
            "household_id": rows["household_id"].to_numpy(),
            "previous_status": pd.array([pd.NA] * len(rows), dtype="string"),
            "status": rows["status"].to_numpy(),
            "previous_district": pd.array([pd.NA] * len(rows), dtype="string"),
            "district_code": rows["district_code"].to_numpy(),
            "changed_at": at,
            "changed_by": actor,
            "reason": "recruited as " + rows["role"].astype(str),
        }
    )


def recruit_panel(
    store: Store,
    *,
    target: int,
    reserve: int,
    allocation: str,
    floor: int,
    seed: int,
    actor: str,
    exclude_surveys: Iterable[int] | None = None,
) -> int:
    """Draw the panel and its reserve from the frame and store them; return the recruitment id.

    Households sampled by ``exclude_surveys`` (default: every cross-section
    survey) are left out, so the panel is disjoint from the Seoul Survey
    samples. Refused with :class:`PanelExistsError` when a panel exists.
    """
    if panel_recruited(store):
        raise _exists(store)
    surveys = cross_section_surveys(store) if exclude_surveys is None else list(exclude_surveys)
    excluded = sampled_households(store, surveys)
    drawn = recruit(
        household_cells(store),
        target=target,
        reserve=reserve,
        allocation=allocation,
        floor=floor,
        exclude_ids=excluded,
        seed=seed,
    )
    parameters = {
        "target": target,
        "reserve": reserve,
        "allocation": allocation,
        "floor": floor,
        "seed": seed,
        "excluded_surveys": surveys,
        "excluded_households": len(excluded),
        "allocation_table": drawn.allocation.reset_index().to_dict(orient="records"),
    }
    at = datetime.now()
    detail = {k: v for k, v in parameters.items() if k != "allocation_table"}

    def rows(recruitment_id: int) -> RecruitmentRows:
        households = _recruit_rows(drawn, recruitment_id, at)
        return RecruitmentRows(
            households,
            _recruit_history(households, actor, at),
            AuditEvent(actor, "panel_recruit", f"recruitment:{recruitment_id}", detail),
        )

    try:  # checked again inside the transaction
        return store_recruitment(
            store,
            created_at=at,
            created_by=actor,
            parameters=json.dumps(parameters, ensure_ascii=False, default=str),
            rows=rows,
        )
    except RecruitmentExists:
        raise _exists(store) from None


# -- reading ---------------------------------------------------------------


def load_roster(store: Store) -> pd.DataFrame:
    """The roster (panel and reserve households) as :mod:`panel.status` and
    :mod:`panel.replacement` expect it: ``replaces`` Int64, ``match_level`` Int8."""
    return roster_households(store).astype(
        {
            "household_id": "int64",
            "replaces": "Int64",
            "match_level": "Int8",
            "joined_wave": "Int32",
        }
    )


# -- writing the outcome of the pure functions --------------------------------


def history_rows(history: pd.DataFrame, survey_id: int | None = None) -> pd.DataFrame:
    """:data:`panel.status.HISTORY_COLUMNS` renamed to the history table's columns.

    ``survey_id`` names the wave the changes belong to (NULL outside a wave).
    """
    rows = history.rename(
        columns={
            "previous": "previous_status",
            "who": "changed_by",
            "why": "reason",
            "at": "changed_at",
        }
    )[
        [
            "household_id",
            "previous_status",
            "status",
            "previous_district",
            "district_code",
            "changed_at",
            "changed_by",
            "reason",
        ]
    ]
    wave = pd.array([survey_id] * len(rows), dtype="Int64")
    return rows.assign(survey_id=wave)


def change_status(
    store: Store, changes: pd.DataFrame, *, actor: str, survey_id: int | None = None
) -> pd.DataFrame:
    """Apply status changes (household_id, status, why) and store them; return the history rows.

    ``who`` defaults to ``actor`` and ``at`` to now. All or nothing: a refused
    move raises :class:`panel.status.StatusError` and nothing is stored.
    """
    changes = changes.copy()
    if "who" not in changes:
        changes["who"] = actor
    if "at" not in changes:
        changes["at"] = datetime.now()
    roster, history = apply_changes(load_roster(store), changes)
    changed = roster.loc[roster["household_id"].isin(changes["household_id"])]

    counts = changes["status"].value_counts().to_dict()
    event = AuditEvent(actor, "panel_status_change", f"households:{len(changed)}", counts)
    store_roster_change(store, changed, ["status"], history_rows(history, survey_id), event)
    return history


def _seoul_districts(store: Store) -> frozenset[str]:
    return frozenset(str(code) for code in stored_table(store, "districts")["code"])


def move_household(
    store: Store,
    household_id: int,
    new_district: str,
    *,
    actor: str,
    why: str,
    survey_id: int | None = None,
) -> None:
    """Record a move within Seoul: the status is kept, the district updated, history written."""
    roster, history = move_within_seoul(
        load_roster(store),
        int(household_id),
        str(new_district),
        actor,
        datetime.now(),
        districts=_seoul_districts(store),
        why=why,
    )
    moved = roster.loc[roster["household_id"] == int(household_id)]

    detail = {"from": history["previous_district"].iat[0], "to": str(new_district), "why": why}
    event = AuditEvent(actor, "panel_move", f"household:{household_id}", detail)
    store_roster_change(store, moved, ["district_code"], history_rows(history, survey_id), event)


def run_replacement(
    store: Store,
    dropped_ids: Iterable[int],
    *,
    seed: int,
    actor: str,
    survey_id: int | None = None,
) -> Replacement:
    """Replace households that left the panel from the reserve, and store the replacements.

    Each replacement moves reserve → invited with whom it ``replaces`` and the
    match level and flag; one history row each. Idempotent: drop-outs that
    already have a replacement are skipped, so a second run stores nothing.
    """
    roster = load_roster(store)
    reserve = roster.loc[roster["role"] == "reserve"]
    outcome = replace(roster, list(dropped_ids), reserve, seed=seed, who=actor)
    made = outcome.replacements
    if made.empty:
        return outcome
    rows = made.assign(status="invited")[
        ["household_id", "status", "replaces", "match_level", "match_flag"]
    ]

    detail = {
        "replaced": len(made),
        "shortfall": outcome.shortfall,
        "by_level": {int(k): int(v) for k, v in made["match_level"].value_counts().items()},
        "seed": seed,
    }
    store_roster_change(
        store,
        rows,
        ["status", "replaces", "match_level", "match_flag"],
        history_rows(outcome.history, survey_id),
        AuditEvent(actor, "panel_replacement", f"households:{len(made)}", detail),
    )
    return outcome
