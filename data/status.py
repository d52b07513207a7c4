"""What is in the database, as a plain dict (printed as JSON by ``python -m data status``).

The data layer's own part: tables and their rows, the frame, the schema version, the
quarantine, the last demo seeding. The domain packages add sections (responses per survey,
panel households by status) that a caller passes in as functions ``(store) -> dict``,
each merged under its own key (:func:`panel.overview.platform_status` passes them all).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from data.bootstrap import database_kind
from data.frame_store import frame_info
from data.migrate import schema_version
from data.quarantine import quarantine_counts
from data.seed_log import last_seeding
from data.store import Store, quote_identifier

Section = Callable[[Store], dict[str, Any]]


def table_counts(store: Store) -> dict[str, int]:
    return {
        name: int(store.scalar("SELECT count(*) FROM " + quote_identifier(name)))  # noqa: S608 - identifiers via quote_identifier
        for name in store.table_names()
    }


def status(store: Store, sections: Mapping[str, Section] | None = None) -> dict[str, Any]:
    """The data layer's status, with each of ``sections`` under its key."""
    counts = table_counts(store)
    frame = frame_info(store)
    seeding = last_seeding(store)
    out: dict[str, Any] = {
        "database": str(store.path),
        "kind": database_kind(store) if "database_info" in counts else None,
        "schema_version": schema_version(store),
        "frame": {
            "frame_households": counts.get("frame_households", 0),
            "frame_persons": counts.get("frame_persons", 0),
            "scale_factor": None if frame is None else float(frame["scale_factor"]),
            "reference_year": None if frame is None else int(frame["reference_year"]),
        },
        "staff_users": counts.get("staff_users", 0),
        "quarantine_open": int(
            store.scalar("SELECT count(*) FROM quarantine WHERE status = 'open'") or 0
        )
        if "quarantine" in counts
        else 0,
        "last_seeding": None
        if seeding is None
        else {
            "finished_at": seeding["finished_at"].isoformat(timespec="seconds"),
            "steps": seeding["steps"],
            "scale": seeding["scale"],
        },
        "tables": counts,
    }
    if "quarantine" in counts:
        out["quarantine_by_source"] = {
            f"{r.source}:{r.status}": int(r.records) for r in quarantine_counts(store).itertuples()
        }
    for key, section in (sections or {}).items():
        out[key] = section(store)
    return out
