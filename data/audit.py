"""The audit log: who did what, when — append-only and hash-chained.

Every event is written by :func:`record_event` inside the transaction of the change it
records, and nothing updates or deletes events. Each event's ``row_hash`` is the SHA-256 of
its content and the previous event's hash (``prev_hash``), and the single ``audit_head`` row
holds the last event's hash: writing an event updates that row, so two transactions writing
events at once are serialized by the store's conflict retry and the chain never forks.
:func:`verify_chain` recomputes the chain and names the first event that does not fit — an
event changed, deleted or inserted out of turn after the fact. Events written before the
chain existed are sealed once, in order, by :func:`seal_unchained` (run when a database is
prepared).

Field sizes are capped here, whoever calls: an actor or target of at most 200 characters and
a detail of at most 4,000 (cut and marked), so nobody can grow the log without limit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from data.store import Store, Transaction

GENESIS = "0" * 64
MAX_NAME = 200
MAX_DETAIL = 4000


def _capped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 12] + "…[truncated]"


def event_hash(
    prev_hash: str,
    event_id: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    target: str | None,
    detail: str,
) -> str:
    """SHA-256 of one event's content chained to the previous event's hash."""
    content = json.dumps(
        [prev_hash, int(event_id), occurred_at.isoformat(), actor, action, target, detail],
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _head(cur: Transaction) -> str:
    """The last event's hash (the migration that made the chain put the first head row)."""
    return str(cur.execute("SELECT last_hash FROM audit_head WHERE id = 1").fetchone()[0])


def _move_head(cur: Transaction, event_id: int, row_hash: str) -> None:
    cur.execute(
        "UPDATE audit_head SET last_event_id = ?, last_hash = ? WHERE id = 1", [event_id, row_hash]
    )


def record_event(
    cur: Transaction,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event, chained to the last, inside the caller's transaction."""
    actor = _capped(str(actor), MAX_NAME)
    target = None if target is None else _capped(str(target), MAX_NAME)
    text = _capped(json.dumps(detail or {}, ensure_ascii=False, default=str), MAX_DETAIL)
    prev = _head(cur)
    event_id = int(cur.execute("SELECT nextval('audit_event_seq')").fetchone()[0])
    now = datetime.now()
    row_hash = event_hash(prev, event_id, now, actor, action, target, text)
    cur.execute(
        "INSERT INTO audit_log (event_id, occurred_at, actor, action, target, detail, prev_hash,"
        " row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [event_id, now, actor, action, target, text, prev, row_hash],
    )
    _move_head(cur, event_id, row_hash)


def log_event(
    store: Store, actor: str, action: str, target: str | None = None, detail: dict | None = None
) -> None:
    """Append one event in its own transaction."""
    store.write(lambda cur: record_event(cur, actor, action, target, detail))


def log_download(
    store: Store,
    actor: str,
    *,
    kind: str,
    survey_id: int | None = None,
    survey: str | None = None,
    fmt: str | None = None,
    rows: int | None = None,
    file: str | None = None,
    via: str = "app",
    role: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """One file handed out (a download in the app, a file a command wrote): who, what — the
    survey, the ``kind`` of file (report, estimates, microdata, letters, …), its format and
    name — and how many rows when known. Never the file's content."""
    detail = {"kind": kind, "survey": survey, "format": fmt, "rows": rows, "file": file}
    detail = {k: v for k, v in detail.items() if v is not None}
    detail["via"] = via
    if role:
        detail["role"] = role
    detail.update(extra or {})
    target = f"survey:{survey_id}" if survey_id is not None else kind
    log_event(store, actor, "download", target, detail)


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


def seal_unchained(store: Store) -> int:
    """Chain the events written before the chain existed, in order, once; how many.

    The only statement anywhere that updates ``audit_log``: it fills in hashes that are
    missing (``row_hash IS NULL``) and cannot change an event already chained
    (``tests/test_audit_append_only.py`` holds every other statement to inserts).
    """

    def work(cur: Transaction) -> int:
        rows = cur.execute(
            "SELECT event_id, occurred_at, actor, action, target, detail FROM audit_log"
            " WHERE row_hash IS NULL ORDER BY event_id"
        ).fetchall()
        if not rows:
            return 0
        chained = cur.execute("SELECT count(*) FROM audit_log WHERE row_hash IS NOT NULL")
        if chained.fetchone()[0]:
            raise RuntimeError("audit log: unchained events after chained ones; not sealing")
        prev = GENESIS
        for event_id, occurred_at, actor, action, target, detail in rows:
            row_hash = event_hash(prev, event_id, occurred_at, actor, action, target, detail)
            cur.execute(
                "UPDATE audit_log SET prev_hash = ?, row_hash = ?"
                " WHERE event_id = ? AND row_hash IS NULL",
                [prev, row_hash, event_id],
            )
            prev = row_hash
        _move_head(cur, int(rows[-1][0]), prev)
        return len(rows)

    return store.write(work)


@dataclass(frozen=True)
class ChainCheck:
    """The audit chain's state: events checked, and the first that does not fit (if any).

    For a broken chain, ``field`` names the stored hash that does not match (``prev_hash``:
    the event before it was changed or removed; ``row_hash``: its own content was changed;
    ``audit_head``: the last events were removed), ``stored`` what the row holds and
    ``expected`` what recomputing the chain gives.
    """

    events: int
    broken_at: int | None = None
    why: str = ""
    field: str = ""
    stored: str | None = None
    expected: str | None = None
    head: str = GENESIS  # the last event's hash, to note elsewhere (anchors the whole chain)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(store: Store) -> ChainCheck:
    """Recompute every event's hash in order; name the first event where the chain breaks.

    On DuckDB nothing stops a process holding the file from changing a row (there are no
    triggers or grants): the chain is what detects it. Changing an event changes its hash;
    removing one breaks the next event's ``prev_hash``; removing the last ones leaves the
    head pointing past them. Rewriting the whole chain from some event on would go
    unnoticed by this check alone, so the head hash it reports is worth noting elsewhere.
    """
    rows = store.rows(
        "SELECT event_id, occurred_at, actor, action, target, detail, prev_hash, row_hash"
        " FROM audit_log ORDER BY event_id"
    )
    prev = GENESIS
    for number, row in enumerate(rows, start=1):
        event_id, occurred_at, actor, action, target, detail, stored_prev, stored_hash = row
        if stored_prev != prev:
            return ChainCheck(
                number,
                int(event_id),
                "an event before it was changed or removed",
                "prev_hash",
                stored_prev,
                prev,
            )
        recomputed = event_hash(prev, event_id, occurred_at, actor, action, target, detail)
        if recomputed != stored_hash:
            return ChainCheck(
                number,
                int(event_id),
                "its content was changed",
                "row_hash",
                stored_hash,
                recomputed,
            )
        prev = stored_hash
    head = store.rows("SELECT last_event_id, last_hash FROM audit_head WHERE id = 1")
    if rows and (not head or head[0][1] != prev):
        return ChainCheck(
            len(rows),
            int(rows[-1][0]),
            "the last events were removed",
            "audit_head",
            head[0][1] if head else None,
            prev,
        )
    return ChainCheck(len(rows), head=prev)
