"""The audit log: who did what, when. Append-only; read by the admin page."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from data.store import Store


def record_event(
    cur: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event inside the caller's transaction."""
    cur.execute(
        "INSERT INTO audit_log (actor, action, target, detail) VALUES (?, ?, ?, ?)",
        [actor, action, target, json.dumps(detail or {}, ensure_ascii=False, default=str)],
    )


def log_event(
    store: Store, actor: str, action: str, target: str | None = None, detail: dict | None = None
) -> None:
    """Append one event in its own transaction."""
    store.write(lambda cur: record_event(cur, actor, action, target, detail))


def recent_events(store: Store, limit: int = 200, action: str | None = None) -> pd.DataFrame:
    """The newest events first."""
    if action:
        return store.query(
            "SELECT event_id, occurred_at, actor, action, target, detail FROM audit_log "
            "WHERE action = ? ORDER BY event_id DESC LIMIT ?",
            [action, limit],
        )
    return store.query(
        "SELECT event_id, occurred_at, actor, action, target, detail FROM audit_log "
        "ORDER BY event_id DESC LIMIT ?",
        [limit],
    )
