"""Idempotent, validated submission of a household part or a member's person part.

The contract a respondent relies on:

- the answers' shape is checked first (:mod:`surveys.fieldwork.payload`): anything that
  cannot be a part's answers, or names a question the part does not have, is refused and
  quarantined before it is hashed or validated;
- every submission carries the ``submission_id`` made when its part was
  started; the same id with the same content again is accepted and stores
  nothing new (a double click, a resend after a dropped connection); the same
  id with different content is refused; a part already submitted under
  another id is refused;
- answers are validated with the Pandera schema generated from the
  questionnaire; a refusal shows the respondent what to fix, and the raw
  payload goes to the quarantine with every reason;
- the response is stored in one transaction (with the session closed and a
  paradata event), and only after the commit does the caller say "thank you".

The database enforces the same rules (``responses.submission_id`` and
``(survey_id, household_id, member_no)`` are unique), so two concurrent
submissions cannot both land: the loser is classified again after the
winner's commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from data.answer_tables import (
    add_paradata_event,
    close_session,
    insert_response,
    part_response_id,
    response_by_submission,
)
from data.audit import record_event
from data.quarantine import new_batch_id, quarantine_result
from data.store import Store, Transaction
from data.survey_tables import survey_code
from data.text import Refusal, Text
from data.transactions import ConstraintViolation, in_transaction
from data.validation import ValidationResult
from surveys.answer_frames import AnswerCheck, check_household, check_person
from surveys.fieldwork.payload import payload_problems, safe_record
from surveys.fieldwork.person_context import member_context
from surveys.fieldwork.sessions import get_session
from surveys.questionnaire.model import Questionnaire


def canonical_json(answers: dict[str, Any]) -> str:
    return json.dumps(answers, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(answers: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(answers).encode("utf-8")).hexdigest()


class SubmissionRefused(Refusal):
    """A submission that cannot be stored: ``reason`` (``"conflict"``…) and its text."""


class SubmissionInvalid(SubmissionRefused):
    """Answers that fail validation; ``check`` holds the problems per question."""

    def __init__(self, check: AnswerCheck):
        self.check = check
        super().__init__(
            "invalid",
            Text(
                "답을 확인해 주세요. 표시된 질문을 고친 뒤 다시 제출해 주세요.",
                "Please check your answers: fix the marked questions and submit again.",
            ),
        )


@dataclass(frozen=True)
class SubmitResult:
    response_id: int
    stored_now: bool  # False when the same submission had already been stored


def _existing(
    tx: Transaction,
    submission_id: str,
    survey_id: int,
    household_id: int,
    member_no: int,
    digest: str,
) -> SubmitResult | None:
    same_id = response_by_submission(tx, submission_id)
    if same_id:
        if same_id[1] == digest:
            return SubmitResult(int(same_id[0]), stored_now=False)
        raise SubmissionRefused(
            "conflict",
            Text(
                "이미 제출된 응답과 내용이 다릅니다. 제출한 응답은 바꿀 수 없습니다.",
                "This submission was already stored with different answers; it cannot be changed.",
            ),
        )
    if part_response_id(tx, survey_id, household_id, member_no) is not None:
        raise SubmissionRefused(
            "already_submitted",
            Text(
                "이 응답은 이미 제출되었습니다. 감사합니다.",
                "This part has already been submitted. Thank you.",
            ),
        )
    return None


def quarantine_source(store: Store, kind: str, survey_id: int, detail: str = "") -> str:
    """The quarantine source of a survey's refused input, named by the survey's code as the
    admin page documents: ``submission:seoul-2026``, ``screen:seoul-2026``,
    ``bulk:seoul-2026:<detail>`` (the id only if the survey is unknown)."""
    code = survey_code(store, survey_id)
    source = f"{kind}:{survey_id if code is None else code}"
    return f"{source}:{detail}" if detail else source


def _quarantine(store: Store, source: str, record: dict[str, Any], reasons: list) -> None:
    """Keep one refused record (as received) with its reasons."""
    raw = pd.DataFrame([record])
    result = ValidationResult(raw.iloc[0:0], raw, {0: reasons}, [])
    prefix = source.split(":", 1)[0]
    in_transaction(
        store, lambda tx: quarantine_result(tx, source, new_batch_id(prefix), result, row_offset=1)
    )


def validate_submission(
    store: Store,
    questionnaire: Questionnaire,
    survey_id: int,
    household_id: int,
    member_no: int,
    answers: dict,
) -> AnswerCheck:
    if member_no == 0:
        return check_household(questionnaire, answers)
    context = member_context(store, questionnaire, survey_id, household_id, member_no)
    return check_person(questionnaire, answers, context)


def submit(
    store: Store,
    questionnaire: Questionnaire,
    submission_id: str,
    answers: dict[str, Any],
    *,
    now: datetime | None = None,
) -> SubmitResult:
    """Validate and store one part; idempotent on ``submission_id``."""
    session = get_session(store, str(submission_id)) if isinstance(submission_id, str) else None
    if session is None:
        raise SubmissionRefused(
            "unknown", Text("알 수 없는 응답 세션입니다.", "Unknown answer session.")
        )
    malformed = payload_problems(questionnaire, session.member_no, answers)
    if malformed:
        source = quarantine_source(store, "submission", session.survey_id)
        _quarantine(store, source, safe_record(submission_id, answers), malformed)
        raise SubmissionRefused(
            "malformed",
            Text(
                "보낸 응답의 형식이 올바르지 않아 저장하지 않았습니다. 화면을 새로 고친 뒤 다시 답해 주세요.",
                "The answers sent are not in a form that can be stored; nothing was saved. Please "
                "reload the page and answer again.",
            ),
        )
    digest = content_hash(answers)
    known = in_transaction(
        store,
        lambda tx: _existing(
            tx, submission_id, session.survey_id, session.household_id, session.member_no, digest
        ),
    )
    if known is not None:
        return known
    check = validate_submission(
        store, questionnaire, session.survey_id, session.household_id, session.member_no, answers
    )
    if not check.ok:
        record = {"submission_id": submission_id, "answers": canonical_json(answers)}
        source = quarantine_source(store, "submission", session.survey_id)
        _quarantine(store, source, record, check.all_reasons())
        raise SubmissionInvalid(check)
    now = now or datetime.now()

    def work(tx: Transaction) -> SubmitResult:
        again = _existing(
            tx, submission_id, session.survey_id, session.household_id, session.member_no, digest
        )
        if again is not None:
            return again
        response_id = insert_response(
            tx,
            {
                "survey_id": session.survey_id,
                "household_id": session.household_id,
                "member_no": session.member_no,
                "part": session.part,
                "submission_id": submission_id,
                "content_hash": digest,
                "answers": canonical_json(answers),
                "questionnaire_version": questionnaire.version,
                "questionnaire_hash": questionnaire.source_hash,
                "mode": session.mode,
                "language": session.language,
                "interviewer": session.interviewer,
                "started_at": session.started_at,
                "submitted_at": now,
            },
        )
        close_session(tx, submission_id, canonical_json(answers), now)
        add_paradata_event(tx, submission_id, "submit", None, now, None, session.language)
        if session.mode == "interviewer":
            record_event(
                tx,
                session.interviewer or "?",
                "interview_submitted",
                f"survey:{session.survey_id}",
                {"household_id": session.household_id, "member_no": session.member_no},
            )
        return SubmitResult(int(response_id), stored_now=True)

    try:
        return in_transaction(store, work)
    except ConstraintViolation:
        # a concurrent submission won the race: classify against what it stored
        known = in_transaction(
            store,
            lambda tx: _existing(
                tx,
                submission_id,
                session.survey_id,
                session.household_id,
                session.member_no,
                digest,
            ),
        )
        if known is None:
            raise
        return known


def quarantine_refused_screen(
    store: Store,
    survey_id: int,
    submission_id: str,
    section_id: str,
    answers: dict[str, Any],
    reasons: list,
) -> bool:
    """Keep a screen's answers that the respondent sent but the schema refused.

    Only values the respondent actually gave and the questionnaire refuses
    (out of range, unknown codes, broken constraints) are kept; an unanswered
    required question is a reminder, not invalid input, and is not quarantined.
    Returns whether anything was kept.
    """
    refused = [r for r in reasons if r.code.value != "missing"]
    if not refused:
        return False
    record = {
        "submission_id": submission_id,
        "section": section_id,
        "answers": canonical_json(answers),
    }
    _quarantine(store, quarantine_source(store, "screen", survey_id), record, refused)
    return True
