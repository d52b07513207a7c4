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
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from data.answer_tables import household_parts, insert_parts, known_submissions
from data.audit import record_event
from data.quarantine import new_batch_id, quarantine_result
from data.store import Store, Transaction
from data.survey_tables import sample_households
from data.transactions import in_transaction
from data.validation import Reason, ReasonCode, ValidationResult, make_reason, validate_frame
from surveys.answer_frames import household_frames, person_frame, roster_name
from surveys.fieldwork.submit import canonical_json, quarantine_source
from surveys.questionnaire.expressions import references, truthy
from surveys.questionnaire.model import Part, Questionnaire
from surveys.questionnaire.response_schema import (
    MEMBER_COUNT,
    ROW_KEYS,
    asked_questions,
    evaluate_rows,
    household_schema,
    person_schema,
    roster_schema,
)

REQUIRED = ("household_id", "submission_id", "answers")
PART_TIMES = ("started_at", "submitted_at")
DRAFT_TIMES = ("started_at", "updated_at")
OPTIONAL = {"member_no": 0, "mode": "web", "language": "ko", "interviewer": None}
OPTIONAL |= {"device_class": None, "position": None}
EVENT_COLUMNS = ["submission_id", "seq", "event", "section_id", "occurred_at", "device_class"]
EVENT_COLUMNS += ["language"]
SESSION_COLUMNS = ["survey_id", "household_id", "member_no", "part", "submission_id", "answers"]
SESSION_COLUMNS += ["mode", "language", "interviewer", "started_at"]

Records = pd.DataFrame | Iterable[dict[str, Any]] | None

_MESSAGES = {  # reason kind: (Korean, English)
    "not_sampled": ("이 가구는 이 조사의 표본이 아닙니다.", "This household is not in the sample."),
    "duplicate": (
        "같은 가구원의 응답이나 같은 제출 번호가 이 묶음에 두 번 있습니다.",
        "The same part or submission id appears twice in this batch.",
    ),
    "already_submitted": ("이 응답은 이미 제출되었습니다.", "This part was already submitted."),
    "id_in_use": (
        "이 제출 번호는 이미 다른 응답이나 응답 세션에 쓰였습니다.",
        "This submission id is already used by another part or answer session.",
    ),
    "household_refused": (
        "이 가구원의 가구 응답(가구 부분이나 가구원 명단)이 보류되어 이 응답도 보류합니다.",
        "This member's household part (or its roster) was refused, so this part is held back too.",
    ),
    "no_household_part": (
        "이 가구원을 적은 가구 응답이 없습니다.",
        "No household part lists this member.",
    ),
    "not_eligible": (
        "이 가구원은 개인 질문에 답하는 대상이 아닙니다.",
        "This member does not answer the person part.",
    ),
}


def _reason(kind: str, column: str | None = None, value: Any = None) -> Reason:
    ko, en = _MESSAGES[kind]
    reason = make_reason(ReasonCode.RULE, column, None, message_ko=ko, message_en=en)
    return replace(reason, value=None if value is None else str(value))


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


class _Clock:
    def __init__(self, seconds: dict[str, float]):
        self.seconds, self.last = seconds, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


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


def _canonical(answers: Any) -> str:
    try:
        return canonical_json(answers)
    except TypeError:  # numpy scalars from a caller's arrays: the same JSON in plain values
        return canonical_json(json.loads(json.dumps(answers, default=_plain_number)))


def _plain_number(value: Any) -> Any:
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON: {type(value).__name__}")


@dataclass
class _Parts:
    """One kind of part (household, person or draft) on its way: records, JSON, refusals."""

    records: pd.DataFrame
    part: str
    reasons: dict[int, list[Reason]] = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)  # already stored with the same content

    def __post_init__(self) -> None:
        self.json = [_canonical(a) for a in self.records["answers"]]

    def refuse(self, position: int, reasons: list[Reason]) -> None:
        self.reasons.setdefault(int(position), []).extend(reasons)

    def kept(self) -> np.ndarray:
        out = np.ones(len(self.records), dtype=bool)
        out[list(set(self.reasons) | self.skip)] = False
        return out


# -- checks before validation ---------------------------------------------------------------
def _prior_checks(store: Store, survey_id: int, parts: list[_Parts]) -> None:
    """Refuse parts outside the sample, repeated in the batch, or already stored."""
    sampled = set(sample_households(store, survey_id)["household_id"].tolist())
    ids = [i for p in parts for i in p.records["submission_id"]]
    known = known_submissions(store, survey_id, ids)
    responses = known[known["kind"] == "response"]
    stored_keys = set(zip(responses["household_id"], responses["member_no"], strict=True))
    stored_ids = dict(zip(responses["submission_id"], responses["content_hash"], strict=True))
    in_use = set(known.loc[known["kind"] == "elsewhere", "submission_id"])
    seen_ids: set[str] = set()
    for p in parts:
        seen_keys: set[tuple[int, int]] = set()
        r = p.records
        keys = ("household_id", "member_no", "submission_id")
        for position, (h, m, sid) in enumerate(zip(*(r[k].tolist() for k in keys), strict=True)):
            key = (h, m)
            if (
                p.part != "draft"
                and sid in stored_ids
                and stored_ids[sid] == _digest(p.json[position])
            ):
                p.skip.add(position)
            elif h not in sampled:
                p.refuse(position, [_reason("not_sampled", "household_id", h)])
            elif sid in seen_ids or (p.part != "draft" and key in seen_keys):
                p.refuse(position, [_reason("duplicate", "submission_id", sid)])
            elif sid in stored_ids or sid in in_use:
                p.refuse(position, [_reason("id_in_use", "submission_id", sid)])
            elif key in stored_keys:
                p.refuse(position, [_reason("already_submitted", "member_no", m)])
            seen_ids.add(sid)
            seen_keys.add(key)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- validation -------------------------------------------------------------------------------
def rule_columns(part: Part, *, roster: bool | None) -> set[str]:
    """The columns a part's schema reads: its questions and every field its rules refer to."""
    names = {*ROW_KEYS, MEMBER_COUNT}
    rules = [part.eligible] if part.eligible is not None else []
    for asked in asked_questions(part, roster=roster):
        q = asked.question
        names.add(q.name)
        rules += [asked.section.relevant, asked.section.repeat_count]
        rules += [q.relevant, q.constraint, q.required_if, q.calculate, q.choice_filter]
    for rule in rules:
        if rule is not None:
            names |= references(rule.node)
    return names


def _only(frame: pd.DataFrame, names: set[str]) -> pd.DataFrame:
    """Drop context columns no rule reads (row-wise rule evaluation copies every column)."""
    return frame[[c for c in frame.columns if c in names]]


def _check_households(q: Questionnaire, house: _Parts, clock: _Clock) -> pd.DataFrame:
    """Validate household parts and rosters; return the roster frame (the members' context)."""
    todo = np.flatnonzero(house.kept())
    if not len(todo):
        return pd.DataFrame()
    households, members = household_frames(q, [house.records.at[i, "answers"] for i in todo])
    clock.lap("household_frames")
    result = validate_frame(households, household_schema(q))
    for index, reasons in result.reasons.items():
        house.refuse(todo[int(index)], reasons)
    clock.lap("validate_households")
    if members.empty:
        return members
    roster = validate_frame(
        _only(members, rule_columns(q.household, roster=True)), roster_schema(q)
    )
    name = roster_name(q) or "roster"
    for index, reasons in roster.reasons.items():
        row, number = int(members.at[index, "_row"]), int(members.at[index, "member_no"])
        house.refuse(
            todo[row], [replace(r, column=f"{name}[{number}].{r.column}") for r in reasons]
        )
    batch = [*result.batch_reasons, *roster.batch_reasons]
    if batch:  # a column missing from the whole batch: nothing can be trusted
        for position in todo:
            house.refuse(position, batch)
    members["household_id"] = house.records["household_id"].to_numpy()[todo][members["_row"]]
    clock.lap("validate_roster")
    return members


def _stored_rosters(store: Store, q: Questionnaire, survey_id: int, ids: list[int]) -> pd.DataFrame:
    """Roster frames of household parts already stored (for persons sent without them)."""
    stored = household_parts(store, survey_id, household_ids=ids)
    if stored.empty:
        return pd.DataFrame()
    _, members = household_frames(q, [json.loads(a) for a in stored["answers"]])
    members["household_id"] = stored["household_id"].to_numpy()[members["_row"]]
    return members


def _eligible(part: Part, roster: pd.DataFrame) -> np.ndarray:
    if part.eligible is None:
        return np.ones(len(roster), dtype=bool)
    names = references(part.eligible.node)
    values = evaluate_rows(part.eligible.node, _only(roster, names))
    return values.map(truthy).to_numpy(dtype=bool)


def _check_persons(
    store: Store,
    q: Questionnaire,
    survey_id: int,
    house: _Parts,
    people: _Parts,
    members: pd.DataFrame,
    clock: _Clock,
) -> None:
    """Refuse persons of refused or absent households and non-eligible members; validate the rest."""
    todo = np.flatnonzero(people.kept())
    if not len(todo) or q.person is None:
        return
    ids = house.records["household_id"].to_numpy()
    kept = house.kept() | np.isin(np.arange(len(ids)), list(house.skip))
    refused = set(ids[~kept].tolist()) - set(ids[kept].tolist())
    checked = set(members["household_id"].tolist()) if len(members) else set()
    households = people.records["household_id"].to_numpy()
    numbers = people.records["member_no"].to_numpy()
    elsewhere = sorted(set(households[todo].tolist()) - checked - refused)
    if elsewhere:
        members = pd.concat(
            [members, _stored_rosters(store, q, survey_id, elsewhere)], ignore_index=True
        )
    if members.empty:
        members = pd.DataFrame(columns=["household_id", "member_no"])
    names = rule_columns(q.person, roster=None) - {*ROW_KEYS, MEMBER_COUNT}
    eligible = _eligible(q.person, members) if len(members) else np.zeros(0, dtype=bool)
    context = _only(members, names).to_dict("records")
    where = {
        (int(h), int(m)): i
        for i, (h, m) in enumerate(zip(members["household_id"], members["member_no"], strict=True))
    }
    chosen: list[int] = []
    contexts: list[dict[str, Any]] = []
    for position in todo:
        h, m = int(households[position]), int(numbers[position])
        at = where.get((h, m))
        if h in refused:
            people.refuse(position, [_reason("household_refused", "household_id", h)])
        elif at is None:
            people.refuse(position, [_reason("no_household_part", "member_no", m)])
        elif not eligible[at]:
            people.refuse(position, [_reason("not_eligible", "member_no", m)])
        else:
            chosen.append(int(position))
            contexts.append(context[at])
    clock.lap("person_context")
    if not chosen:
        return
    frame = person_frame(q, list(people.records.loc[chosen, "answers"]), contexts)
    result = validate_frame(frame, person_schema(q))
    for index, reasons in result.reasons.items():
        people.refuse(chosen[int(index)], reasons)
    for position in chosen if result.batch_reasons else ():
        people.refuse(position, list(result.batch_reasons))
    clock.lap("validate_persons")


# -- rows to insert -----------------------------------------------------------------------------
def _rows(parts: _Parts, survey_id: int) -> pd.DataFrame:
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
        content_hash=[_digest(t) for t in rows["answers"]],
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


def _quarantine_frame(parts: list[_Parts], paradata: pd.DataFrame | None) -> ValidationResult:
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
    clock = _Clock(report.seconds)
    house = _Parts(_frame(households, PART_TIMES, person=False).assign(member_no=0), "household")
    people = _Parts(_frame(persons, PART_TIMES), "person")
    drafts_ = _Parts(_frame(drafts, DRAFT_TIMES), "draft")
    clock.lap("prepare")
    _prior_checks(store, survey_id, [house, people, drafts_])
    clock.lap("prior_checks")
    members = _check_households(questionnaire, house, clock)
    _check_persons(store, questionnaire, survey_id, house, people, members, clock)
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
