"""The panel's section of ``python -m data status``: households by status, reserve, replacements.

A database migrated before the panel tables existed (or never recruited)
reports zeros rather than failing, so the status command works at every stage.
"""

from __future__ import annotations

from typing import Any

from data.panel_roster import households_by_status, latest_recruitment_target, replacement_count
from data.panel_waves import wave_counts
from data.store import Store
from panel.status import MEMBERS

_TABLES = ("panel_households", "panel_recruitments")


def _empty() -> dict[str, Any]:
    return {"active_households": 0, "in_panel_households": 0, "target": None, "by_status": {},
            "reserve_left": 0, "replacements": 0, "waves": []}  # fmt: skip


def _waves(store: Store) -> list[dict[str, Any]]:
    """Each wave: number, code, status and households invited / answered."""
    if "panel_waves" not in store.table_names():
        return []
    return wave_counts(store)


def panel_counts(store: Store) -> dict[str, Any]:
    """Households by status (``active_households``: status ``active``; ``in_panel_households``:
    invited, active or non-responding), target, reserve left, replacements, waves."""
    if not set(_TABLES) <= set(store.table_names()):
        return _empty()
    by_status = households_by_status(store)
    return {
        "active_households": by_status.get("active", 0),
        "in_panel_households": sum(by_status.get(s, 0) for s in MEMBERS),
        "target": latest_recruitment_target(store),
        "by_status": by_status,
        "reserve_left": by_status.get("reserve", 0),
        "replacements": replacement_count(store),
        "waves": _waves(store),
    }
