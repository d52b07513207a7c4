"""Storing many answered parts at once: validate whole DataFrames, insert in one transaction.

Why this exists: demo seeding and imports (a batch keyed from paper, an
interviewer's laptop) bring tens of thousands of parts at a time. The single
submission path (:mod:`surveys.fieldwork.submit`) checks and stores one part per
transaction, which is right for a respondent and far too slow for a batch.
Here the same answers are laid out with the same helpers
(:func:`surveys.answer_frames.household_frames` / ``person_frame``), checked
with the *same* generated schemas (``household_schema``, ``roster_schema``,
``person_schema``) through :func:`data.validation.validate_frame`, and stored
the way :func:`surveys.fieldwork.submit.submit` stores them: canonical answers JSON and
its content hash, the questionnaire's version and hash, a closed answer
session, paradata ending in ``submit``.

What is refused goes to the quarantine with every reason; nothing valid is
lost because a neighbour was refused. A household whose household part or
roster is refused is refused whole, and its members' parts with it (their
rules read the roster). Submission ids must be new: a part already stored
under the same id with the same content is skipped (idempotent, like
``submit``); any other reuse of an id, a second part for the same member, or a
household outside the survey's sample is refused.

Open drafts (``answer_sessions`` left ``open``: break-offs) may ride along in
the same transaction; like drafts saved screen by screen, they are not
validated.

This module reads a batch, lays out the rows to insert and stores them;
:mod:`surveys.fieldwork.bulk_checks` decides which parts pass.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from data.answer_tables import insert_parts
from data.audit import record_event
from data.quarantine import new_batch_id, quarantine_result
from data.store import Store, Transaction
from data.transactions import in_transaction
from data.validation import Reason, ValidationResult
from surveys.fieldwork.bulk_checks import (
    Clock,
    Parts,
    check_households,
    check_persons,
    digest,
    prior_checks,
)
from surveys.fieldwork.submit import quarantine_source
from surveys.questionnaire.model import Questionnaire

REQUIRED = ("household_id", "submission_id", "answers")
PART_TIMES = ("started_at", "submitted_at")
DRAFT_TIMES = ("started_at", "updated_at")
OPTIONAL = {"member_no": 0, "mode": "web", "language": "ko", "interviewer": None}
OPTIONAL |= {"device_class": None, "position": None}
EVENT_COLUMNS = ["submission_id", "seq", "event", "section_id", "occurred_at", "device_class"]
EVENT_COLUMNS += ["language"]
SESSION_COLUMNS = ["survey_id", "household_id", "member_no", "part", "submission_id", "answers"]
SESSION_COLUMNS += ["mode", "language", "interviewer", "started_at"]

Records: TypeAlias = pd.DataFrame | Iterable[dict[str, Any]] | None


@dataclass
class BulkReport:
    """What a batch did: parts stored, parts refused (with reason counts), time per stage."""

    batch_id: str
    households_stored: int = 0
    persons_stored: int = 0
    households_quarantined: int = 0
    persons_quarantined: int = 0
    drafts_quarantined: int = 0
    already_stored: int = 0  # same submission id and content: nothing new
    drafts_stored: int = 0
    paradata_stored: int = 0
    reason_counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "seconds"}
        return {**out, "seconds": {k: round(v, 2) for k, v in self.seconds.items()}}


# -- input --------------------------------------------------------------------------------
def _frame(data: Records, times: tuple[str, ...], *, person: bool = True) -> pd.DataFrame:
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data or []))
    required = (*REQUIRED, *times, *(["member_no"] if person and len(frame) else []))
    if frame.empty:
        frame = pd.DataFrame(columns=[*required, *OPTIONAL])
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"bulk records need the columns {missing}")
    for column, default in OPTIONAL.items():
        if column not in frame.columns:
            frame[column] = default
    for column in times:
        frame[column] = pd.to_datetime(frame[column])
    frame = frame.astype({"household_id": "int64", "member_no": "int64"})
    frame["submission_id"] = frame["submission_id"].astype(str)
    return frame.reset_index(drop=True)


# -- rows to insert -----------------------------------------------------------------------------
def _rows(parts: Parts, survey_id: int) -> pd.DataFrame:
    """The kept records as answer-session columns (answers as canonical JSON)."""
    keep = parts.kept()
    rows = parts.records[keep].assign(
        survey_id=survey_id, answers=[t for t, k in zip(parts.json, keep, strict=True) if k]
    )
    rows["part"] = np.where(rows["member_no"].to_numpy() == 0, "household", "person")
    return rows


def _responses(q: Questionnaire, rows: pd.DataFrame) -> pd.DataFrame:
    started = rows["started_at"].fillna(rows["submitted_at"])
    return rows[SESSION_COLUMNS].assign(
        started_at=started,
        submitted_at=rows["submitted_at"],
        content_hash=[digest(t) for t in rows["answers"]],
        questionnaire_version=q.version,
        questionnaire_hash=q.source_hash,
    )


def _sessions(stored: pd.DataFrame, drafts: pd.DataFrame) -> pd.DataFrame:
    """Closed sessions of the stored parts, open ones of the drafts."""
    closed = stored.assign(status="submitted", updated_at=stored["submitted_at"], position=None)
    opened = drafts.assign(status="open")
    columns = [*SESSION_COLUMNS, "device_class", "position", "updated_at", "status"]
    closed["started_at"] = closed["started_at"].fillna(closed["submitted_at"])
    return pd.concat([f[columns] for f in (closed, opened) if len(f)] or [closed[columns]])


def _paradata(paradata: pd.DataFrame | None, stored: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """The caller's events of stored parts and drafts (``ids``), and ``submit`` where missing."""
    events = pd.DataFrame(columns=EVENT_COLUMNS) if paradata is None else paradata
    events = events.reindex(columns=EVENT_COLUMNS)
    events = events[events["submission_id"].isin(ids)]
    lacking = stored[
        ~stored["submission_id"].isin(events.loc[events["event"] == "submit", "submission_id"])
    ]
    if len(lacking):
        last = events.groupby("submission_id")["seq"].max()
        extra = lacking.assign(
            seq=lacking["submission_id"].map(last).fillna(0).astype("int64") + 1,
            event="submit",
            section_id=None,
            occurred_at=lacking["submitted_at"],
        )[EVENT_COLUMNS]
        events = pd.concat([events, extra], ignore_index=True) if len(events) else extra
    return events.astype({"seq": "int64", "occurred_at": "datetime64[us]"})


def _quarantine_frame(parts: list[Parts], paradata: pd.DataFrame | None) -> ValidationResult:
    """Every refused part as received (answers as canonical JSON, its paradata), with reasons."""
    rows: list[dict[str, Any]] = []
    reasons: dict[int, list[Reason]] = {}
    for p in parts:
        for position, found in sorted(p.reasons.items()):
            record = p.records.iloc[position]
            reasons[len(rows)] = found
            rows.append(
                {
                    "part": p.part,
                    **{k: record[k] for k in ("household_id", "member_no", "submission_id")},
                    **{k: record.get(k) for k in ("mode", "language", "interviewer")},
                    **{
                        k: str(record.get(k))
                        for k in ("started_at", "submitted_at", "updated_at")
                        if k in record
                    },  # fmt: skip
                    "answers": p.json[position],
                }
            )
    raw = pd.DataFrame(rows)
    if len(raw) and paradata is not None and len(paradata):
        own = paradata[paradata["submission_id"].isin(set(raw["submission_id"]))]
        events = {
            sid: json.dumps(g.sort_values("seq").astype(str).to_dict("records"), ensure_ascii=False)
            for sid, g in own.groupby("submission_id")
        }
        raw["paradata"] = raw["submission_id"].map(events)
    return ValidationResult(raw.iloc[0:0], raw, reasons, [])


# -- the entry point -------------------------------------------------------------------------------
def store_responses_bulk(
    store: Store,
    questionnaire: Questionnaire,
    survey_id: int,
    households: Records,
    persons: Records = None,
    *,
    source: str,
    paradata: pd.DataFrame | None = None,
    drafts: Records = None,
    actor: str | None = None,
) -> BulkReport:
    """Validate a batch of household and person parts and store it in one transaction.

    ``households``: household_id, submission_id, answers (a dict, the roster
    under its section's id), mode, language, started_at, submitted_at, and
    optionally interviewer and device_class. ``persons``: the same plus
    member_no. ``paradata``: submission_id, seq, event, section_id,
    occurred_at (device_class, language optional) for any of these parts or
    drafts. ``drafts``: open sessions (household_id, member_no, submission_id,
    answers, started_at, updated_at; position, mode, language, interviewer,
    device_class optional). Refused records go to the quarantine under the
    source ``bulk:<survey code>:<source>``.
    """
    report = BulkReport(new_batch_id("bulk"))
    clock = Clock(report.seconds)
    q = questionnaire
    house = Parts(_frame(households, PART_TIMES, person=False).assign(member_no=0), "household", q)
    people = Parts(_frame(persons, PART_TIMES), "person", q)
    drafts_ = Parts(_frame(drafts, DRAFT_TIMES), "draft", q)
    clock.lap("prepare")
    prior_checks(store, survey_id, [house, people, drafts_])
    clock.lap("prior_checks")
    members = check_households(questionnaire, house, clock)
    check_persons(store, questionnaire, survey_id, house, people, members, clock)
    stored = pd.concat([_rows(p, survey_id) for p in (house, people)], ignore_index=True)
    responses = _responses(questionnaire, stored)
    sessions = _sessions(stored, _rows(drafts_, survey_id))
    events = _paradata(paradata, stored, sessions["submission_id"])
    refused = _quarantine_frame([house, people, drafts_], paradata)
    quarantined_as = quarantine_source(store, "bulk", survey_id, source)
    clock.lap("rows")

    def work(tx: Transaction) -> None:
        insert_parts(store, tx, responses, sessions, events)
        quarantine_result(tx, quarantined_as, report.batch_id, refused, row_offset=1)
        record_event(
            tx, actor or source, "responses_bulk_stored", f"survey:{survey_id}",
            {"parts": len(responses), "refused": len(refused.invalid), "batch": report.batch_id},
        )  # fmt: skip

    in_transaction(store, work)
    clock.lap("insert")
    codes = Counter(
        r.code.value for p in (house, people, drafts_) for f in p.reasons.values() for r in f
    )
    report.households_stored = int((responses["member_no"] == 0).sum())
    report.persons_stored = int((responses["member_no"] > 0).sum())
    report.households_quarantined, report.persons_quarantined = (
        len(house.reasons),
        len(people.reasons),
    )
    report.drafts_quarantined, report.reason_counts = len(drafts_.reasons), dict(codes)
    report.already_stored = len(house.skip) + len(people.skip)
    report.drafts_stored = int((sessions["status"] == "open").sum())
    report.paradata_stored = len(events)
    return report
