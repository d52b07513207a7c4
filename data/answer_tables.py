"""The answers' tables: ``responses`` (submitted parts) and ``answer_sessions`` (drafts).

Reads other packages need beside :mod:`surveys` (which reads the answers themselves through
its analysis frames): which households submitted or started a part, how many parts are in,
and a cheap fingerprint of a survey's responses (to reuse frames already built).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from data.dialect import in_list
from data.store import Store, Transaction


def submitted_households(store: Store, survey_id: int) -> pd.DataFrame:
    """Households whose household part of the survey is submitted: ``household_id`` and
    ``submitted`` (always true)."""
    return store.query(
        "SELECT household_id, true AS submitted FROM responses WHERE survey_id = ? AND member_no = 0",
        [survey_id],
    )


def started_households(store: Store, survey_id: int) -> pd.DataFrame:
    """Households with an open household draft holding answers: ``household_id`` (once each)
    and ``started`` (always true)."""
    return store.query(
        "SELECT DISTINCT household_id, true AS started FROM answer_sessions"
        " WHERE survey_id = ? AND member_no = 0 AND status = 'open' AND answers <> '{}'",
        [survey_id],
    )


def responses_state(store: Store, survey_id: int) -> tuple[int, int]:
    """(number of stored responses, newest response_id or 0) of a survey: submitted responses
    never change, so these two change whenever its responses do."""
    count, newest = store.rows(
        "SELECT count(*), coalesce(max(response_id), 0) FROM responses WHERE survey_id = ?",
        [survey_id],
    )[0]
    return int(count), int(newest)


def household_parts_submitted(store: Store, survey_id: int) -> int:
    """How many household parts (member 0) of the survey are submitted."""
    return int(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no = 0", [survey_id]
        )
    )


def person_parts_submitted(store: Store, survey_id: int) -> int:
    """How many person parts (members 1, 2, …) of the survey are submitted."""
    return int(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no > 0", [survey_id]
        )
    )


SESSION_COLUMNS = (
    "submission_id",
    "survey_id",
    "household_id",
    "member_no",
    "part",
    "answers",
    "position",
    "language",
    "mode",
    "interviewer",
    "status",
    "started_at",
)


_SESSION_SELECT = ", ".join(SESSION_COLUMNS)


RESPONSE_COLUMNS = (
    "survey_id",
    "household_id",
    "member_no",
    "part",
    "submission_id",
    "content_hash",
    "answers",
    "questionnaire_version",
    "questionnaire_hash",
    "mode",
    "language",
    "interviewer",
    "started_at",
    "submitted_at",
)


_PART_RESPONSE = (
    "SELECT response_id FROM responses WHERE survey_id = ? AND household_id = ? AND member_no = ?"
)


def insert_session(
    tx: Transaction,
    *,
    submission_id: str,
    survey_id: int,
    household_id: int,
    member_no: int,
    part: str,
    language: str,
    mode: str,
    interviewer: str | None,
    device_class: str | None,
    now: datetime,
) -> None:
    """Start an open answer session (no answers yet) inside the caller's transaction."""
    tx.execute(
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


def latest_open_session(
    tx: Transaction, survey_id: int, household_id: int, member_no: int
) -> dict[str, Any] | None:
    """The part's most recently started open session (the :data:`SESSION_COLUMNS` by name,
    answers as JSON text), or None."""
    row = tx.execute(
        f"SELECT {_SESSION_SELECT} FROM answer_sessions WHERE survey_id = ? AND household_id = ?"  # noqa: S608 - fixed columns
        " AND member_no = ? AND status = 'open' ORDER BY started_at DESC LIMIT 1",
        [survey_id, household_id, member_no],
    ).fetchone()
    return dict(zip(SESSION_COLUMNS, row, strict=True)) if row else None


def session_record(store: Store, submission_id: str) -> dict[str, Any] | None:
    """The answer session with this id (the :data:`SESSION_COLUMNS` by name), or None."""
    rows = store.rows(
        f"SELECT {_SESSION_SELECT} FROM answer_sessions WHERE submission_id = ?",  # noqa: S608 - fixed columns
        [submission_id],
    )
    return dict(zip(SESSION_COLUMNS, rows[0], strict=True)) if rows else None


def resume_session_row(
    tx: Transaction, submission_id: str, *, language: str, device_class: str | None, now: datetime
) -> None:
    """Record that a session was taken up again, in this language on this device."""
    tx.execute(
        "UPDATE answer_sessions SET language = ?, device_class = ?, updated_at = ?"
        " WHERE submission_id = ?",
        [language, device_class, now, submission_id],
    )


def save_draft_row(
    tx: Transaction,
    submission_id: str,
    answers_json: str,
    *,
    position: str | None,
    language: str,
    now: datetime,
) -> bool:
    """Keep an open session's answers so far and the screen it is on; False when the
    session is not open (submitted, or unknown), and then nothing changes."""
    updated = tx.execute(
        "UPDATE answer_sessions SET answers = ?, position = ?, language = ?, updated_at = ?"
        " WHERE submission_id = ? AND status = 'open' RETURNING submission_id",
        [answers_json, position, language, now, submission_id],
    ).fetchone()
    return updated is not None


def close_session(tx: Transaction, submission_id: str, answers_json: str, now: datetime) -> None:
    """Mark a session submitted, with the answers it submitted."""
    tx.execute(
        "UPDATE answer_sessions SET status = 'submitted', answers = ?, updated_at = ?"
        " WHERE submission_id = ?",
        [answers_json, now, submission_id],
    )


def open_household_drafts(store: Store, survey_id: int) -> pd.DataFrame:
    """Household parts started but not submitted (by household): household_id, position."""
    return store.query(
        "SELECT household_id, position FROM answer_sessions WHERE survey_id = ?"
        " AND member_no = 0 AND status = 'open' ORDER BY household_id",
        [survey_id],
    )


def add_paradata_event(
    tx: Transaction,
    submission_id: str,
    event: str,
    section_id: str | None,
    at: datetime,
    device_class: str | None,
    language: str | None,
) -> None:
    """Append one event to a session's paradata (numbered after its last one)."""
    tx.execute(
        "INSERT INTO paradata (submission_id, seq, event, section_id, occurred_at, device_class,"
        " language) SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ? FROM paradata"
        " WHERE submission_id = ?",
        [submission_id, event, section_id, at, device_class, language, submission_id],
    )


def part_submitted(store: Store, survey_id: int, household_id: int, member_no: int) -> bool:
    """Whether this part (household 0, or a member's person part) has a stored response."""
    return bool(store.rows(_PART_RESPONSE, [survey_id, household_id, member_no]))


def part_response_id(
    tx: Transaction, survey_id: int, household_id: int, member_no: int
) -> int | None:
    """The ``response_id`` of this part's stored response, or None (inside a transaction)."""
    row = tx.execute(_PART_RESPONSE, [survey_id, household_id, member_no]).fetchone()
    return int(row[0]) if row else None


def response_by_submission(tx: Transaction, submission_id: str) -> tuple[int, str] | None:
    """(response_id, content_hash) of the response stored under this submission id, or None."""
    row = tx.execute(
        "SELECT response_id, content_hash FROM responses WHERE submission_id = ?", [submission_id]
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def insert_response(tx: Transaction, response: dict[str, Any]) -> int:
    """Store one submitted part (the :data:`RESPONSE_COLUMNS` by name); its ``response_id``."""
    columns = ", ".join(RESPONSE_COLUMNS)
    marks = ", ".join("?" for _ in RESPONSE_COLUMNS)
    row = tx.execute(
        f"INSERT INTO responses ({columns}) VALUES ({marks}) RETURNING response_id",  # noqa: S608 - fixed columns
        [response[c] for c in RESPONSE_COLUMNS],
    ).fetchone()
    return int(row[0])


def household_part_answers(store: Store, survey_id: int, household_id: int) -> str | None:
    """The JSON answers of a household's submitted household part, or None."""
    rows = store.rows(
        "SELECT answers FROM responses WHERE survey_id = ? AND household_id = ? AND member_no = 0",
        [survey_id, household_id],
    )
    return rows[0][0] if rows else None


def household_parts(
    store: Store,
    survey_id: int,
    *,
    after: int | None = None,
    household_ids: list[int] | None = None,
) -> pd.DataFrame:
    """Submitted household parts (by household): household_id and answers (JSON text);
    only those stored after ``response_id`` ``after``, or of ``household_ids``, when given."""
    sql = "SELECT household_id, answers FROM responses WHERE survey_id = ? AND member_no = 0"
    params: list[Any] = [survey_id]
    if after is not None:
        sql += " AND response_id > ?"
        params.append(after)
    if household_ids is not None:
        sql += " AND " + in_list("household_id")
        params.append([int(h) for h in household_ids])
    return store.query(sql + " ORDER BY household_id", params)


def household_parts_extent(store: Store, survey_id: int) -> tuple[int, int]:
    """(how many household parts are stored, the highest of their ``response_id`` or 0)."""
    count, last = store.rows(
        "SELECT count(*), coalesce(max(response_id), 0) FROM responses"
        " WHERE survey_id = ? AND member_no = 0",
        [survey_id],
    )[0]
    return int(count), int(last)


def responses_of(store: Store, survey_id: int) -> pd.DataFrame:
    """Every submitted part of a survey (by household, member): household_id, member_no,
    answers (JSON text), mode, language, submitted_at, started_at."""
    return store.query(
        "SELECT household_id, member_no, answers, mode, language, submitted_at, started_at"
        " FROM responses WHERE survey_id = ? ORDER BY household_id, member_no",
        [survey_id],
    )


def parts_per_household(store: Store, survey_id: int) -> pd.DataFrame:
    """Per household with a stored part: household_id, household_parts, person_parts."""
    return store.query(
        "SELECT household_id, count(*) FILTER (WHERE member_no = 0) AS household_parts,"
        " count(*) FILTER (WHERE member_no > 0) AS person_parts"
        " FROM responses WHERE survey_id = ? GROUP BY household_id",
        [survey_id],
    )


def known_submissions(store: Store, survey_id: int, submission_ids: list[str]) -> pd.DataFrame:
    """What already stands in the way of new parts: every response of the survey (kind
    'response', with its content_hash), and any response of another survey or any answer
    session using one of ``submission_ids`` (kind 'elsewhere'). Columns: household_id,
    member_no, submission_id, content_hash, kind."""
    ids = [str(i) for i in submission_ids]
    return store.query(
        "SELECT household_id, member_no, submission_id, content_hash, 'response' AS kind"  # noqa: S608 - fixed fragments from data.dialect
        " FROM responses WHERE survey_id = ? UNION ALL"
        " SELECT r.household_id, r.member_no, r.submission_id, NULL, 'elsewhere'"
        f" FROM responses r WHERE {in_list('r.submission_id')} AND r.survey_id <> ?"
        " UNION ALL SELECT s.household_id, s.member_no, s.submission_id, NULL, 'elsewhere'"
        f" FROM answer_sessions s WHERE {in_list('s.submission_id')}",
        [survey_id, ids, survey_id, ids],
    )


def insert_parts(
    store: Store,
    tx: Transaction,
    responses: pd.DataFrame,
    sessions: pd.DataFrame,
    paradata: pd.DataFrame,
) -> None:
    """Store many parts inside the caller's transaction: their responses, their answer
    sessions (closed, or open for drafts) and their paradata events."""
    store.insert_frame(tx, "responses", responses)
    store.insert_frame(tx, "answer_sessions", sessions)
    store.insert_frame(tx, "paradata", paradata)


def household_parts_per_day(store: Store, survey_id: int) -> pd.DataFrame:
    """Household parts submitted per day: day, submitted."""
    return store.query(
        "SELECT CAST(submitted_at AS DATE) AS day, count(*) AS submitted FROM responses"
        " WHERE survey_id = ? AND member_no = 0 GROUP BY CAST(submitted_at AS DATE)",
        [survey_id],
    )


def open_household_parts_per_day(store: Store, survey_id: int) -> pd.DataFrame:
    """Household parts still open, per day they were started: day, partial."""
    return store.query(
        "SELECT CAST(started_at AS DATE) AS day, count(*) AS partial FROM answer_sessions"
        " WHERE survey_id = ? AND member_no = 0 AND status = 'open'"
        " GROUP BY CAST(started_at AS DATE)",
        [survey_id],
    )


def responded_by_district(store: Store, survey_id: int) -> pd.DataFrame:
    """Per district (by code): district_code, name_ko, name_en, sampled (households) and
    responded (households whose household part is in)."""
    return store.query(
        "SELECT s.stratum AS district_code, d.name_ko, d.name_en, count(*) AS sampled,"
        " count(r.household_id) AS responded FROM survey_sample s"
        " JOIN districts d ON d.code = s.stratum"
        " LEFT JOIN responses r ON r.survey_id = s.survey_id AND r.household_id = s.household_id"
        " AND r.member_no = 0 WHERE s.survey_id = ? GROUP BY s.stratum, d.name_ko, d.name_en"
        " ORDER BY s.stratum",
        [survey_id],
    )


def submitted_parts(store: Store, survey_id: int) -> pd.DataFrame:
    """Each submitted part (by household, member): submission_id, household_id, member_no,
    part, mode, device_class (from its session), started_at, submitted_at."""
    return store.query(
        "SELECT r.submission_id, r.household_id, r.member_no, CASE WHEN r.member_no = 0"
        " THEN 'household' ELSE 'person' END AS part, r.mode, a.device_class, r.started_at,"
        " r.submitted_at FROM responses r LEFT JOIN answer_sessions a USING (submission_id)"
        " WHERE r.survey_id = ? ORDER BY r.household_id, r.member_no",
        [survey_id],
    )


def screen_events(store: Store, survey_id: int) -> pd.DataFrame:
    """The 'enter' and 'leave' events of the submitted parts (by submission, seq):
    submission_id, seq, event, section_id, occurred_at."""
    return store.query(
        "SELECT p.submission_id, p.seq, p.event, p.section_id, p.occurred_at FROM paradata p"
        " JOIN responses r USING (submission_id) WHERE r.survey_id = ?"
        " AND p.event IN ('enter', 'leave') ORDER BY p.submission_id, p.seq",
        [survey_id],
    )


def open_parts_by_position(store: Store, survey_id: int) -> pd.DataFrame:
    """Open parts per part and the screen they stopped on: part, section_id ('(start)'
    before the first screen), open_parts."""
    return store.query(
        "SELECT part, coalesce(position, '(start)') AS section_id, count(*) AS open_parts"
        " FROM answer_sessions WHERE survey_id = ? AND status = 'open'"
        " GROUP BY part, coalesce(position, '(start)')",
        [survey_id],
    )


def parts_started(store: Store, survey_id: int) -> pd.DataFrame:
    """Answer sessions started per part: part, started."""
    return store.query(
        "SELECT part, count(*) AS started FROM answer_sessions WHERE survey_id = ? GROUP BY part",
        [survey_id],
    )
