"""The quarantine: invalid input kept whole, with every reason, until someone deals with it.

Whatever a boundary refuses — a row of an uploaded CSV, a record of a demo
batch, later a respondent's submission — is written here as the raw record
(JSON, exactly as received) with its reasons (JSON list of reason codes and
Korean/English messages). Nothing is deleted: an admin marks an entry resolved,
with a note.
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd

from data.audit import record_event
from data.store import Store, Transaction, insert_frame
from data.text import InvalidRequest, Text
from data.validation import Reason, ValidationResult, reasons_json, record_json


def new_batch_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def quarantine_result(
    cur: Transaction,
    source: str,
    batch_id: str,
    result: ValidationResult,
    *,
    extra_reasons: list[Reason] | None = None,
    row_offset: int = 2,
) -> int:
    """Write every invalid row of a validation result (inside the caller's transaction).

    ``row_offset`` turns a 0-based DataFrame position into the row number a
    person sees in the file (2 = header line plus 1-based counting). Batch-level
    reasons (a missing column, an incomplete table) are added to every row.
    """
    shared = list(result.batch_reasons) + list(extra_reasons or [])
    raw = result.invalid
    if raw.empty:
        return 0
    positions = {index: pos for pos, index in enumerate(raw.index)}
    records = []
    for index, row in raw.iterrows():
        reasons = shared + result.reasons.get(index, [])
        number = _row_number(index, positions[index], row_offset)
        records.append((source, batch_id, number, record_json(row), reasons_json(reasons)))
    frame = pd.DataFrame(
        records, columns=["source", "batch_id", "row_number", "raw_record", "reasons"]
    )
    return insert_frame(cur, "quarantine", frame)


def _row_number(index: Any, position: int, offset: int) -> int | None:
    if isinstance(index, (int,)) or hasattr(index, "__index__"):
        return int(index) + offset
    return position + offset


def list_quarantine(
    store: Store, *, status: str | None = "open", source: str | None = None, limit: int = 500
) -> pd.DataFrame:
    """Quarantined records, newest first, optionally filtered by status and source prefix."""
    clauses: list[str] = []
    params: list[Any] = []
    if status:
        clauses.append("status = ?")
        params.append(status)
    if source:
        clauses.append("starts_with(source, ?)")
        params.append(source)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    params.append(limit)
    return store.query(
        "SELECT quarantine_id, received_at, source, batch_id, row_number, raw_record, reasons,"  # noqa: S608 - fixed clauses, values bound
        f" status, resolved_by, resolved_at, resolution FROM quarantine {where}"
        " ORDER BY quarantine_id DESC LIMIT ?",
        params,
    )


def quarantine_counts(store: Store) -> pd.DataFrame:
    """Open and resolved entries per source."""
    return store.query(
        "SELECT source, status, count(*) AS records FROM quarantine "
        "GROUP BY source, status ORDER BY source, status"
    )


def resolve(store: Store, quarantine_ids: list[int], actor: str, note: str) -> int:
    """Mark entries resolved with a note (the record itself is kept)."""
    if not quarantine_ids:
        return 0
    if not note.strip():
        raise InvalidRequest(
            "no_note", Text("처리 메모를 적어 주세요", "a resolution note is required")
        )

    def work(cur: Transaction) -> int:
        cur.execute(
            "UPDATE quarantine SET status = 'resolved', resolved_by = ?,"
            " resolved_at = current_timestamp, resolution = ?"
            " WHERE status = 'open' AND list_contains(?, quarantine_id)",
            [actor, note.strip(), [int(i) for i in quarantine_ids]],
        )
        changed = cur.fetchone()
        record_event(cur, actor, "quarantine_resolved", None, {"ids": quarantine_ids, "note": note})
        return int(changed[0]) if changed else 0

    return store.write(work)
