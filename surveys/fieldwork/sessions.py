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

import duckdb
import pandas as pd

from data.store import Store

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


def _row_to_session(row: tuple) -> Session:
    (
        submission_id,
        survey_id,
        household_id,
        member_no,
        part,
        answers,
        position,
        language,
        mode,
        interviewer,
        status,
        started_at,
    ) = row
    return Session(
        submission_id,
        int(survey_id),
        int(household_id),
        int(member_no),
        part,
        json.loads(answers or "{}"),
        position,
        language,
        mode,
        interviewer,
        status,
        started_at,
    )


_COLUMNS = (
    "submission_id, survey_id, household_id, member_no, part, answers, position, language, mode,"
    " interviewer, status, started_at"
)


def household_drafts(store: Store, survey_id: int) -> pd.DataFrame:
    """Household parts started but not submitted: ``household_id`` and ``position`` (the
    section the respondent resumes at)."""
    return store.query(
        "SELECT household_id, position FROM answer_sessions WHERE survey_id = ?"
        " AND member_no = 0 AND status = 'open' ORDER BY household_id",
        [survey_id],
    )


def part_submitted(store: Store, survey_id: int, household_id: int, member_no: int) -> bool:
    return bool(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND household_id = ? AND member_no = ?",
            [survey_id, household_id, member_no],
        )
    )


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

    def work(cur: duckdb.DuckDBPyConnection) -> Session:
        if cur.execute(
            "SELECT 1 FROM responses WHERE survey_id = ? AND household_id = ? AND member_no = ?",
            [survey_id, household_id, member_no],
        ).fetchone():
            raise AlreadySubmitted(
                f"survey {survey_id} household {household_id} member {member_no}"
            )
        row = cur.execute(
            f"SELECT {_COLUMNS} FROM answer_sessions WHERE survey_id = ? AND household_id = ?"  # noqa: S608 - fixed columns
            " AND member_no = ? AND status = 'open' ORDER BY started_at DESC LIMIT 1",
            [survey_id, household_id, member_no],
        ).fetchone()
        if row:
            session = _row_to_session(row)
            _event(
                cur, session.submission_id, "resume", session.position, now, device_class, language
            )
            cur.execute(
                "UPDATE answer_sessions SET language = ?, device_class = ?, updated_at = ?"
                " WHERE submission_id = ?",
                [language, device_class, now, session.submission_id],
            )
            return session
        submission_id = str(uuid.uuid4())
        cur.execute(
            "INSERT INTO answer_sessions (submission_id, survey_id, household_id, member_no, part,"
            " language, mode, interviewer, device_class, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                submission_id,
                survey_id,
                household_id,
                member_no,
                part,
                language,
                mode,
                interviewer,
                device_class,
                now,
                now,
            ],
        )
        _event(cur, submission_id, "start", None, now, device_class, language)
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

    return store.write(work)


def _event(
    cur: duckdb.DuckDBPyConnection,
    submission_id: str,
    event: str,
    section: str | None,
    at: datetime,
    device_class: str | None,
    language: str | None,
) -> None:
    cur.execute(
        "INSERT INTO paradata (submission_id, seq, event, section_id, occurred_at, device_class,"
        " language) SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ? FROM paradata"
        " WHERE submission_id = ?",
        [submission_id, event, section, at, device_class, language, submission_id],
    )


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

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        updated = cur.execute(
            "UPDATE answer_sessions SET answers = ?, position = ?, language = ?, updated_at = ?"
            " WHERE submission_id = ? AND status = 'open' RETURNING submission_id",
            [payload, entered, language, now, submission_id],
        ).fetchone()
        if not updated:
            raise AlreadySubmitted(submission_id)
        if left:
            _event(cur, submission_id, "leave", left, now, device_class, language)
        if entered:
            _event(cur, submission_id, "enter", entered, now, device_class, language)

    store.write(work)


def get_session(store: Store, submission_id: str) -> Session | None:
    row = store.rows(
        f"SELECT {_COLUMNS} FROM answer_sessions WHERE submission_id = ?",  # noqa: S608 - fixed columns
        [submission_id],
    )
    return _row_to_session(row[0]) if row else None
