"""The panel waves' tables: ``panel_waves``, ``panel_wave_outcomes``, ``panel_messages``.

A wave is a survey of kind ``panel_wave`` (``surveys``, ``survey_sample``); these
tables add its number, reminder schedule and attrition rules, the outcomes the
operator records and the log of invitation and reminder lists. Reads return
plain values or DataFrames; each write is one transaction with its audit event.
What a wave means — who is invited, what an outcome is, who leaves — is
decided in :mod:`panel`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from data.dialect import in_list
from data.panel_roster import AuditEvent, insert_history, update_households
from data.store import Store, Transaction, quote_identifier
from data.survey_tables import (
    insert_sample,
    insert_survey,
    set_sample_design,
    set_survey_status,
    survey_code_taken,
)

WAVE_KEYS = (
    "survey_id", "wave_no", "code", "title_ko", "title_en", "status", "field_start", "field_end",
    "reminders", "attrition_rules", "attrition_applied_at",
)  # fmt: skip
_WAVE_SQL = (
    "SELECT w.survey_id, w.wave_no, s.code, s.title_ko, s.title_en, s.status, s.field_start,"
    " s.field_end, w.reminders, w.attrition_rules, w.attrition_applied_at"
    " FROM panel_waves w JOIN surveys s USING (survey_id)"
)
WAVE_TABLES = ("panel_messages", "panel_wave_outcomes", "panel_waves")


class EarlierWaveOpen(Exception):
    """An earlier wave's attrition is not applied yet: ``wave_no`` and ``code`` of the first."""

    def __init__(self, wave_no: int, code: str):
        super().__init__(wave_no, code)
        self.wave_no = wave_no
        self.code = code


class SurveyCodeTaken(Exception):
    """A survey with this code exists already."""


class AttritionAlreadyApplied(Exception):
    """The wave's attrition was applied (found inside the transaction that would apply it)."""


# -- reading waves -------------------------------------------------------------------


def wave(store: Store, survey_id: int) -> dict[str, Any] | None:
    """The wave of a survey as a dict of :data:`WAVE_KEYS` (JSON columns as text), or None."""
    rows = store.rows(_WAVE_SQL + " WHERE w.survey_id = ?", [survey_id])  # noqa: S608 - fixed text
    return dict(zip(WAVE_KEYS, rows[0], strict=True)) if rows else None


def waves(store: Store) -> list[dict[str, Any]]:
    """Every wave as :func:`wave` gives it, by wave number."""
    rows = store.rows(_WAVE_SQL + " ORDER BY w.wave_no")  # noqa: S608 - fixed text
    return [dict(zip(WAVE_KEYS, row, strict=True)) for row in rows]


def wave_numbers(store: Store) -> dict[int, int]:
    """Survey id → wave number of every panel wave, in wave order."""
    rows = store.rows("SELECT survey_id, wave_no FROM panel_waves ORDER BY wave_no")
    return {int(survey_id): int(wave_no) for survey_id, wave_no in rows}


def wave_counts(store: Store) -> list[dict[str, Any]]:
    """Each wave by number: ``wave_no``, ``code``, ``status``, ``invited`` (sampled households),
    ``answered`` (household parts submitted) and ``attrition_applied`` (bool)."""
    rows = store.rows(
        "SELECT w.wave_no, s.code, s.status,"
        " (SELECT count(*) FROM survey_sample x WHERE x.survey_id = w.survey_id),"
        " (SELECT count(*) FROM responses r WHERE r.survey_id = w.survey_id AND r.member_no = 0),"
        " w.attrition_applied_at IS NOT NULL"
        " FROM panel_waves w JOIN surveys s USING (survey_id) ORDER BY w.wave_no"
    )
    keys = ("wave_no", "code", "status", "invited", "answered", "attrition_applied")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def wave_households(store: Store, survey_id: int) -> pd.DataFrame:
    """The wave's sample joined to the roster, one row per invited household by id:
    ``household_id``, ``district_code`` (the sample's stratum), ``household_type``,
    ``head_age_band``, ``role``, ``replacement`` (bool), ``joined_wave``, ``pi``,
    ``design_weight``."""
    return store.query(
        "SELECT s.household_id, s.stratum AS district_code, p.household_type, p.head_age_band,"
        " p.role, p.replaces IS NOT NULL AS replacement, p.joined_wave, s.pi, s.design_weight"
        " FROM survey_sample s JOIN panel_households p USING (household_id)"
        " WHERE s.survey_id = ? ORDER BY s.household_id",
        [survey_id],
    )


def wave_households_with_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """The wave's households with their frame variables and roster status, by id:
    ``household_id``, ``district_code``, ``household_type``, ``head_age_band``,
    ``household_size``, ``income_bracket``, ``head_sex``, ``head_birth_year``, ``status``."""
    return store.query(
        "SELECT s.household_id, s.stratum AS district_code, h.household_type, h.head_age_band,"
        " h.household_size, h.income_bracket, p.sex AS head_sex, p.birth_year AS head_birth_year,"
        " r.status FROM survey_sample s JOIN frame_households h USING (household_id)"
        " JOIN frame_persons p ON p.household_id = s.household_id AND p.member_no = 1"
        " JOIN panel_households r ON r.household_id = s.household_id"
        " WHERE s.survey_id = ? ORDER BY s.household_id",
        [survey_id],
    )


def wave_household_sizes(store: Store, survey_id: int, cap: int) -> pd.DataFrame:
    """Per sampled household of the survey: ``household_id``, ``size_class`` (frame household
    size capped at ``cap``) and, from the roster (missing when not in it), ``role`` and
    ``household_type``."""
    return store.query(
        "SELECT s.household_id, least(f.household_size, ?) AS size_class,"
        " p.role, p.household_type"
        " FROM survey_sample s"
        " JOIN frame_households f ON f.household_id = s.household_id"
        " LEFT JOIN panel_households p ON p.household_id = s.household_id"
        " WHERE s.survey_id = ?",
        [cap, int(survey_id)],
    )


def completion_history(store: Store, up_to_wave: int, household_ids: Iterable[int]) -> pd.DataFrame:
    """For each household of ``household_ids`` and each wave up to ``up_to_wave`` it was
    invited to: ``household_id``, ``wave_no`` and ``complete`` (its household part submitted)."""
    return store.query(
        "SELECT s.household_id, w.wave_no, EXISTS (SELECT 1 FROM responses r"  # noqa: S608 - fixed text
        " WHERE r.survey_id = s.survey_id AND r.household_id = s.household_id"
        " AND r.member_no = 0) AS complete"
        " FROM survey_sample s JOIN panel_waves w USING (survey_id)"
        " WHERE w.wave_no <= ? AND " + in_list("s.household_id"),
        [up_to_wave, [int(h) for h in household_ids]],
    )


# -- opening a wave --------------------------------------------------------------------


@dataclass(frozen=True)
class WaveRows:
    """What opening a wave stores once its survey id and number are known."""

    sample: pd.DataFrame  # survey_sample rows
    joining: pd.DataFrame  # household_id, joined_wave: households taking part for the first time
    sample_design: str  # JSON, stored with the survey
    event: AuditEvent


def _next_wave_no(tx: Transaction) -> int:
    """The next wave number; raises :class:`EarlierWaveOpen` while a wave has no attrition."""
    tx.execute(
        "SELECT w.wave_no, s.code FROM panel_waves w JOIN surveys s USING (survey_id)"
        " WHERE w.attrition_applied_at IS NULL ORDER BY w.wave_no"
    )
    open_waves = tx.fetchall()
    if open_waves:
        number, code = open_waves[0]
        raise EarlierWaveOpen(int(number), str(code))
    tx.execute("SELECT coalesce(max(wave_no), 0) + 1 FROM panel_waves")
    return int(tx.fetchone()[0])  # type: ignore[index]


def open_wave(
    store: Store,
    *,
    code: str,
    title_ko: str,
    title_en: str | None,
    questionnaire_hash: str,
    field_start: date,
    field_end: date,
    reminders: str,
    attrition_rules: str,
    created_by: str,
    rows: Callable[[int, int], WaveRows],
) -> int:
    """Store a new wave in one transaction; return its survey id.

    Checks, inside the transaction: every earlier wave has its attrition applied
    (else :class:`EarlierWaveOpen`) and ``code`` is free (else :class:`SurveyCodeTaken`).
    Then the survey (kind ``panel_wave``), ``rows(survey_id, wave_no)``'s sample, first
    waves and sample design, the wave (``reminders`` and ``attrition_rules`` as JSON)
    and the audit event. An error raised by ``rows`` leaves nothing behind.
    """

    def work(tx: Transaction) -> int:
        wave_no = _next_wave_no(tx)
        if survey_code_taken(tx, code):
            raise SurveyCodeTaken(code)
        survey_id = insert_survey(
            tx, code=code, title_ko=title_ko, title_en=title_en, kind="panel_wave",
            reference_year=field_start.year, questionnaire_hash=questionnaire_hash,
            field_start=field_start, field_end=field_end, created_by=created_by,
        )  # fmt: skip
        made = rows(survey_id, wave_no)
        insert_sample(store, tx, made.sample)
        update_households(store, tx, made.joining, ["joined_wave"])
        set_sample_design(tx, survey_id, made.sample_design)
        tx.execute(
            "INSERT INTO panel_waves (survey_id, wave_no, reminders, attrition_rules, created_by)"
            " VALUES (?, ?, ?, ?, ?)",
            [survey_id, wave_no, reminders, attrition_rules, created_by],
        )
        made.event.record(tx)
        return survey_id

    return store.write(work)


# -- closing a wave --------------------------------------------------------------------


def store_attrition(
    store: Store,
    survey_id: int,
    *,
    households: pd.DataFrame,
    history: pd.DataFrame,
    applied_at: datetime,
    applied_by: str,
    event: AuditEvent,
) -> None:
    """Apply a wave's attrition in one transaction: roster statuses (``households``:
    household_id, status), ``history`` rows, the wave marked applied (when, by whom), its
    survey closed, the audit event. Raises :class:`AttritionAlreadyApplied` (nothing written) when the
    wave's attrition was applied already."""

    def work(tx: Transaction) -> None:
        tx.execute("SELECT attrition_applied_at FROM panel_waves WHERE survey_id = ?", [survey_id])
        applied = tx.fetchall()
        if applied and applied[0][0] is not None:
            raise AttritionAlreadyApplied
        update_households(store, tx, households, ["status"])
        insert_history(store, tx, history)
        tx.execute(
            "UPDATE panel_waves SET attrition_applied_at = ?, attrition_applied_by = ?"
            " WHERE survey_id = ?",
            [applied_at, applied_by, survey_id],
        )
        set_survey_status(tx, survey_id, "closed")
        event.record(tx)

    store.write(work)


# -- outcomes ------------------------------------------------------------------------


def recorded_outcomes(store: Store, survey_id: int) -> pd.DataFrame:
    """Outcomes the operator recorded for the wave: ``household_id``, ``recorded``."""
    return store.query(
        "SELECT household_id, outcome AS recorded FROM panel_wave_outcomes WHERE survey_id = ?",
        [survey_id],
    )


def replace_outcomes(store: Store, survey_id: int, rows: pd.DataFrame, event: AuditEvent) -> None:
    """Store recorded outcomes (``panel_wave_outcomes`` rows), replacing those of the same
    households, with the audit event, in one transaction."""

    def work(tx: Transaction) -> None:
        tx.execute(
            "DELETE FROM panel_wave_outcomes WHERE survey_id = ? AND "  # noqa: S608 - fixed text
            + in_list("household_id"),
            [survey_id, [int(h) for h in rows["household_id"]]],
        )
        store.insert_frame(tx, "panel_wave_outcomes", rows)
        event.record(tx)

    store.write(work)


# -- invitations and reminders ---------------------------------------------------------


def awaiting_reminder(store: Store, survey_id: int, ending_outcomes: Iterable[str]) -> pd.DataFrame:
    """Sampled households with an active household code, no submitted household part and no
    recorded outcome among ``ending_outcomes``, by id: ``household_id`` and ``started``
    (answers saved in a household draft)."""
    return store.query(
        "SELECT s.household_id, EXISTS (SELECT 1 FROM answer_sessions a WHERE a.survey_id ="  # noqa: S608 - fixed text
        " s.survey_id AND a.household_id = s.household_id AND a.member_no = 0"
        " AND a.answers <> '{}') AS started"
        " FROM survey_sample s WHERE s.survey_id = ?"
        " AND EXISTS (SELECT 1 FROM invitations i WHERE i.survey_id = s.survey_id"
        "  AND i.household_id = s.household_id AND i.member_no = 0 AND i.status = 'active')"
        " AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = s.survey_id"
        "  AND r.household_id = s.household_id AND r.member_no = 0)"
        " AND NOT EXISTS (SELECT 1 FROM panel_wave_outcomes o WHERE o.survey_id = s.survey_id"
        "  AND o.household_id = s.household_id AND " + in_list("o.outcome") + ")"
        " ORDER BY s.household_id",
        [survey_id, list(ending_outcomes)],
    )


def log_messages(
    store: Store, survey_id: int, round_no: int, rows: pd.DataFrame, event: AuditEvent
) -> None:
    """Log a list handed to the messaging system (``panel_messages`` rows), replacing the
    log of the same round, with the audit event, in one transaction."""

    def work(tx: Transaction) -> None:
        tx.execute(
            "DELETE FROM panel_messages WHERE survey_id = ? AND round = ?", [survey_id, round_no]
        )
        store.insert_frame(tx, "panel_messages", rows)
        event.record(tx)

    store.write(work)


def message_log(store: Store, survey_id: int) -> pd.DataFrame:
    """Lists sent for a wave, by round: ``kind``, ``round``, ``households``, ``exported_at``
    (latest) and ``exported_by``."""
    return store.query(
        "SELECT kind, round, count(*) AS households, max(exported_at) AS exported_at,"
        " max(exported_by) AS exported_by FROM panel_messages WHERE survey_id = ?"
        " GROUP BY kind, round ORDER BY round",
        [survey_id],
    )


# -- removing (demo databases) -----------------------------------------------------------


def delete_wave_records(store: Store, survey_id: int | None = None) -> None:
    """Remove the message log, recorded outcomes and wave rows of one wave (every wave
    without ``survey_id``), one table at a time; the survey itself stays."""
    for table in WAVE_TABLES:
        if survey_id is None:
            store.execute("DELETE FROM " + quote_identifier(table))  # noqa: S608 - identifiers via quote_identifier
        else:
            store.execute(
                "DELETE FROM " + quote_identifier(table) + " WHERE survey_id = ?",  # noqa: S608 - identifiers via quote_identifier
                [survey_id],
            )
