"""The log of demo seeding steps (``seed_log``): which ran, when, at what scale.

The demo itself lives in the top-level ``demo`` package; the data layer only keeps its
record, so a demo database made before a new step existed gains the step at the next
start, and the status page can say when the demo was made.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from data.store import Store


def done_steps(store: Store) -> set[str]:
    """The names of the demo steps already run in this database."""
    return {r[0] for r in store.rows("SELECT step FROM seed_log")}


def record_step(
    store: Store,
    step: str,
    started: datetime,
    finished: datetime,
    scale: float,
    detail: dict[str, Any],
) -> None:
    """Record one finished demo step."""
    store.execute(
        "INSERT INTO seed_log (step, started_at, finished_at, scale, detail) VALUES (?, ?, ?, ?, ?)",
        [step, started, finished, scale, json.dumps(detail, ensure_ascii=False, default=str)],
    )


def last_seeding(store: Store) -> dict[str, Any] | None:
    """When the last demo step finished, how many ran, and the scale (None: never seeded)."""
    row = store.rows("SELECT max(finished_at), count(*), any_value(scale) FROM seed_log")
    if not row or row[0][1] == 0:
        return None
    return {"finished_at": row[0][0], "steps": int(row[0][1]), "scale": row[0][2]}
