"""Answer sessions: a part being answered, kept on the server after every screen.

A session starts when a respondent (or an interviewer) opens a part; it gets
the ``submission_id`` that its submission will carry. Drafts are saved after
every screen, so a closed browser resumes where it left off, from any device,
with the same code. Paradata — a timestamped event per screen entered and
left, the language, the device class and the mode — are written with each
save, for fieldwork checks later (speeders, break-offs).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from data.answer_tables import (
    add_paradata_event,
    insert_session,
    latest_open_session,
    open_household_drafts,
    part_response_id,
    resume_session_row,
    save_draft_row,
    session_record,
)
from data.answer_tables import part_submitted as stored_part_submitted
from data.store import Store, Transaction
from data.transactions import in_transaction

MODES = ("web", "interviewer")
DEVICE_CLASSES = ("phone", "tablet", "desktop", "unknown")


@dataclass(frozen=True)
class Session:
    submission_id: str
    survey_id: int
    household_id: int
    member_no: int
    part: str
    answers: dict[str, Any]
    position: str | None
    language: str
    mode: str
    interviewer: str | None
    status: str
    started_at: datetime


class AlreadySubmitted(Exception):
    """This part was already submitted (the code cannot open it again)."""


def _row_to_session(row: dict[str, Any]) -> Session:
    return Session(
        row["submission_id"],
        int(row["survey_id"]),
        int(row["household_id"]),
        int(row["member_no"]),
        row["part"],
        json.loads(row["answers"] or "{}"),
        row["position"],
        row["language"],
        row["mode"],
        row["interviewer"],
        row["status"],
        row["started_at"],
    )


def household_drafts(store: Store, survey_id: int) -> pd.DataFrame:
    """Household parts started but not submitted: ``household_id`` and ``position`` (the
    section the respondent resumes at)."""
    return open_household_drafts(store, survey_id)


def part_submitted(store: Store, survey_id: int, household_id: int, member_no: int) -> bool:
    return stored_part_submitted(store, survey_id, household_id, member_no)


def open_session(
    store: Store,
    survey_id: int,
    household_id: int,
    member_no: int,
    *,
    language: str = "ko",
    mode: str = "web",
    interviewer: str | None = None,
    device_class: str = "unknown",
    now: datetime | None = None,
) -> Session:
    """Resume the open session of this part, or start one; refuse a submitted part."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    part = "household" if member_no == 0 else "person"
    now = now or datetime.now()

    def work(tx: Transaction) -> Session:
        if part_response_id(tx, survey_id, household_id, member_no) is not None:
            raise AlreadySubmitted(
                f"survey {survey_id} household {household_id} member {member_no}"
            )
        row = latest_open_session(tx, survey_id, household_id, member_no)
        if row:
            session = _row_to_session(row)
            add_paradata_event(
                tx, session.submission_id, "resume", session.position, now, device_class, language
            )
            resume_session_row(
                tx, session.submission_id, language=language, device_class=device_class, now=now
            )
            return session
        submission_id = str(uuid.uuid4())
        insert_session(
            tx,
            submission_id=submission_id,
            survey_id=survey_id,
            household_id=household_id,
            member_no=member_no,
            part=part,
            language=language,
            mode=mode,
            interviewer=interviewer,
            device_class=device_class,
            now=now,
        )
        add_paradata_event(tx, submission_id, "start", None, now, device_class, language)
        return Session(
            submission_id,
            survey_id,
            household_id,
            member_no,
            part,
            {},
            None,
            language,
            mode,
            interviewer,
            "open",
            now,
        )

    return in_transaction(store, work)


def save_draft(
    store: Store,
    submission_id: str,
    answers: dict[str, Any],
    *,
    left: str | None,
    entered: str | None,
    language: str = "ko",
    device_class: str | None = None,
    now: datetime | None = None,
) -> None:
    """Keep the answers so far and record the screen left and the screen entered."""
    now = now or datetime.now()
    payload = json.dumps(answers, ensure_ascii=False, sort_keys=True)

    def work(tx: Transaction) -> None:
        if not save_draft_row(
            tx, submission_id, payload, position=entered, language=language, now=now
        ):
            raise AlreadySubmitted(submission_id)
        if left:
            add_paradata_event(tx, submission_id, "leave", left, now, device_class, language)
        if entered:
            add_paradata_event(tx, submission_id, "enter", entered, now, device_class, language)

    in_transaction(store, work)


def get_session(store: Store, submission_id: str) -> Session | None:
    row = session_record(store, submission_id)
    return _row_to_session(row) if row else None
