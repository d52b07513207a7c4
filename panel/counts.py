"""The panel's section of ``python -m data status``: households by status, reserve, replacements.

A database migrated before the panel tables existed (or never recruited)
reports zeros rather than failing, so the status command works at every stage.
"""

from __future__ import annotations

from typing import Any

from data.store import Store
from panel.status import MEMBERS

_TABLES = ("panel_households", "panel_recruitments")


def _empty() -> dict[str, Any]:
    return {"active_households": 0, "in_panel_households": 0, "target": None, "by_status": {},
            "reserve_left": 0, "replacements": 0, "waves": []}  # fmt: skip


def _last_target(store: Store) -> int | None:
    """The panel target of the last recruitment (from its JSON parameters)."""
    value = store.scalar(
        "SELECT json_extract(parameters, '$.target') FROM panel_recruitments "
        "ORDER BY recruitment_id DESC LIMIT 1"
    )
    return None if value is None else int(value)


def _waves(store: Store) -> list[dict[str, Any]]:
    """Each wave: number, code, status and households invited / answered."""
    if "panel_waves" not in store.table_names():
        return []
    rows = store.rows(
        "SELECT w.wave_no, s.code, s.status,"
        " (SELECT count(*) FROM survey_sample x WHERE x.survey_id = w.survey_id),"
        " (SELECT count(*) FROM responses r WHERE r.survey_id = w.survey_id AND r.member_no = 0),"
        " w.attrition_applied_at IS NOT NULL"
        " FROM panel_waves w JOIN surveys s USING (survey_id) ORDER BY w.wave_no"
    )
    keys = ("wave_no", "code", "status", "invited", "answered", "attrition_applied")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def panel_counts(store: Store) -> dict[str, Any]:
    """Households by status (``active_households``: status ``active``; ``in_panel_households``:
    invited, active or non-responding), target, reserve left, replacements, waves."""
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
        "in_panel_households": sum(by_status.get(s, 0) for s in MEMBERS),
        "target": _last_target(store),
        "by_status": by_status,
        "reserve_left": by_status.get("reserve", 0),
        "replacements": int(replacements or 0),
        "waves": _waves(store),
    }
