"""Which parts of a bulk batch may be stored: the checks before validation, and validation.

Why a module of its own: :mod:`surveys.fieldwork.bulk` reads a batch and stores what
passes in one transaction; deciding what passes is this module's. First the checks
that need the database (a household outside the sample, a part or submission id
repeated in the batch or already stored), then the generated schemas on whole
DataFrames: household parts and rosters, then the persons of the households that
passed (or were stored before), each with the context of its own roster row. Every
refusal is recorded on the batch's :class:`Parts` with its reasons, in Korean and
English.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from data.answer_tables import household_parts, known_submissions
from data.store import Store
from data.survey_tables import sample_households
from data.text import Text
from data.validation import Reason, ReasonCode, make_reason, validate_frame
from surveys.answer_frames import household_frames, person_frame, roster_name
from surveys.fieldwork.payload import payload_problems, safe_record
from surveys.fieldwork.submit import canonical_json
from surveys.questionnaire.expressions import references, truthy
from surveys.questionnaire.model import Part, Questionnaire, Rule
from surveys.questionnaire.response_schema import (
    MEMBER_COUNT,
    ROW_KEYS,
    asked_questions,
    evaluate_rows,
    household_schema,
    person_schema,
    roster_schema,
)

_MESSAGES = {  # reason kind: what it says
    "not_sampled": Text(
        "이 가구는 이 조사의 표본이 아닙니다.", "This household is not in the sample."
    ),
    "duplicate": Text(
        "같은 가구원의 응답이나 같은 제출 번호가 이 묶음에 두 번 있습니다.",
        "The same part or submission id appears twice in this batch.",
    ),
    "already_submitted": Text("이 응답은 이미 제출되었습니다.", "This part was already submitted."),
    "id_in_use": Text(
        "이 제출 번호는 이미 다른 응답이나 응답 세션에 쓰였습니다.",
        "This submission id is already used by another part or answer session.",
    ),
    "household_refused": Text(
        "이 가구원의 가구 응답(가구 부분이나 가구원 명단)이 보류되어 이 응답도 보류합니다.",
        "This member's household part (or its roster) was refused, so this part is held back too.",
    ),
    "no_household_part": Text(
        "이 가구원을 적은 가구 응답이 없습니다.",
        "No household part lists this member.",
    ),
    "not_eligible": Text(
        "이 가구원은 개인 질문에 답하는 대상이 아닙니다.",
        "This member does not answer the person part.",
    ),
}


def _reason(kind: str, column: str | None = None, value: Any = None) -> Reason:
    reason = make_reason(ReasonCode.RULE, column, None, text=_MESSAGES[kind])
    return replace(reason, value=None if value is None else str(value))


class Clock:
    """Seconds spent per stage of a batch, added up into the report's ``seconds``."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds, self.last = seconds, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


def _canonical(answers: Any) -> str:
    try:
        return canonical_json(answers)
    except TypeError:  # numpy scalars from a caller's arrays: the same JSON in plain values
        return canonical_json(json.loads(json.dumps(answers, default=_plain_number)))


def _plain_answers(answers: Any) -> Any:
    """The answers with NumPy scalars and arrays as plain values (a caller's arrays are fine
    in a batch); anything that is not JSON at all is returned as it came, to be refused."""
    if not isinstance(answers, dict):
        return answers
    try:
        # ensure_ascii=False: an escaped surrogate pair ("\ud800\udc00") would be read back
        # as one valid character and hide text that cannot be stored from the shape check
        return json.loads(json.dumps(answers, default=_plain_number, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):
        return answers


def _plain_number(value: Any) -> Any:
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON: {type(value).__name__}")


@dataclass
class Parts:
    """One kind of part (household, person or draft) on its way: records, JSON, refusals."""

    records: pd.DataFrame
    part: str
    questionnaire: Questionnaire | None = None  # given: every record's shape is checked first
    reasons: dict[int, list[Reason]] = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)  # already stored with the same content

    def __post_init__(self) -> None:
        """Each record's answers as canonical JSON; with a questionnaire, a record whose
        answers cannot be a part's (:func:`payload_problems`) is refused with its reasons
        and kept for the quarantine as it came (:func:`safe_record`)."""
        self.json = []
        numbers = self.records["member_no"].tolist()
        for position, answers in enumerate(self.records["answers"].tolist()):
            plain = _plain_answers(answers)
            problems = (
                payload_problems(self.questionnaire, int(numbers[position]), plain)
                if self.questionnaire is not None
                else []
            )
            if problems:
                self.refuse(position, problems)
                sid = self.records["submission_id"].iat[position]
                self.json.append(canonical_json(safe_record(sid, answers)))
            else:
                self.json.append(_canonical(answers))

    def refuse(self, position: int | np.integer, reasons: list[Reason]) -> None:
        self.reasons.setdefault(int(position), []).extend(reasons)

    def kept(self) -> np.ndarray:
        out = np.ones(len(self.records), dtype=bool)
        out[list(set(self.reasons) | self.skip)] = False
        return out


# -- checks before validation ---------------------------------------------------------------
def prior_checks(store: Store, survey_id: int, parts: list[Parts]) -> None:
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
                and stored_ids[sid] == digest(p.json[position])
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


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- validation -------------------------------------------------------------------------------
def rule_columns(part: Part, *, roster: bool | None) -> set[str]:
    """The columns a part's schema reads: its questions and every field its rules refer to."""
    names = {*ROW_KEYS, MEMBER_COUNT}
    rules: list[Rule | None] = [part.eligible]
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


def check_households(q: Questionnaire, house: Parts, clock: Clock) -> pd.DataFrame:
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


def check_persons(
    store: Store,
    q: Questionnaire,
    survey_id: int,
    house: Parts,
    people: Parts,
    members: pd.DataFrame,
    clock: Clock,
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
    for chosen_position in chosen if result.batch_reasons else ():
        people.refuse(chosen_position, list(result.batch_reasons))
    clock.lap("validate_persons")
