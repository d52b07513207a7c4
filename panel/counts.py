"""The panel's section of ``python -m data status``: households by status, reserve, replacements.

A database migrated before the panel tables existed (or never recruited)
reports zeros rather than failing, so the status command works at every stage.
"""

from __future__ import annotations

from typing import Any

from data.store import Store

_TABLES = ("panel_households", "panel_recruitments")


def _empty() -> dict[str, Any]:
    return {"active_households": 0, "target": None, "by_status": {}, "reserve_left": 0,
            "replacements": 0}  # fmt: skip


def _last_target(store: Store) -> int | None:
    """The panel target of the last recruitment (from its JSON parameters)."""
    value = store.scalar(
        "SELECT json_extract(parameters, '$.target') FROM panel_recruitments "
        "ORDER BY recruitment_id DESC LIMIT 1"
    )
    return None if value is None else int(value)


def panel_counts(store: Store) -> dict[str, Any]:
    """Active households (status ``active``), target, counts by status, reserve left, replacements."""
    if not set(_TABLES) <= set(store.table_names()):
        return _empty()
    by_status = {
        str(status): int(n)
        for status, n in store.rows(
            "SELECT status, count(*) FROM panel_households GROUP BY status ORDER BY status"
        )
    }
    replacements = store.scalar("SELECT count(*) FROM panel_households WHERE replaces IS NOT NULL")
    return {
        "active_households": by_status.get("active", 0),
        "target": _last_target(store),
        "by_status": by_status,
        "reserve_left": by_status.get("reserve", 0),
        "replacements": int(replacements or 0),
    }
