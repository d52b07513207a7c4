"""The surveys' tables: ``surveys`` and ``survey_sample``.

Functions for the surveys' own tables that other packages need and that no
function of :mod:`surveys` offers yet. Reads take the store; the writes take a
transaction, for callers that store a survey together with their own rows in
one transaction (a panel wave, :mod:`data.panel_waves`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd

from data.dialect import in_list, json_merge
from data.questionnaire_versions import file_format
from data.store import Store, Transaction, one_row


def survey_ids_of_kind(store: Store, kind: str) -> list[int]:
    """Ids of the surveys of ``kind`` (``cross_section``, ``panel_wave``), ascending."""
    return [
        int(r[0])
        for r in store.rows(
            "SELECT survey_id FROM surveys WHERE kind = ? ORDER BY survey_id", [kind]
        )
    ]


def survey_code_taken(tx: Transaction, code: str) -> bool:
    """Whether a survey with ``code`` exists (read inside ``tx``)."""
    tx.execute("SELECT 1 FROM surveys WHERE code = ?", [code])
    return tx.fetchone() is not None


def insert_survey(
    tx: Transaction,
    *,
    code: str,
    title_ko: str,
    title_en: str | None,
    kind: str,
    reference_year: int | None,
    questionnaire_hash: str,
    created_by: str,
    field_start: date | None = None,
    field_end: date | None = None,
) -> int:
    """Add a survey (status draft, its field period where known) inside the caller's
    transaction; its new ``survey_id``."""
    row = tx.execute(
        "INSERT INTO surveys (code, title_ko, title_en, kind, reference_year, questionnaire_hash,"
        " field_start, field_end, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING survey_id",
        [code, title_ko, title_en, kind, reference_year, questionnaire_hash, field_start,
         field_end, created_by],
    ).fetchone()  # fmt: skip
    return int(row[0])


def insert_sample(store: Store, tx: Transaction, rows: pd.DataFrame) -> int:
    """Add sampled households (the :data:`SAMPLE_COLUMNS`) inside the caller's transaction;
    how many."""
    return store.insert_frame(tx, "survey_sample", rows[list(SAMPLE_COLUMNS)])


def set_sample_design(tx: Transaction, survey_id: int, details: dict[str, Any] | str) -> None:
    """Record how the survey's sample was drawn (a dict, or its JSON text) inside the caller's
    transaction."""
    text = details if isinstance(details, str) else json.dumps(details, default=str)
    tx.execute("UPDATE surveys SET sample_design = ? WHERE survey_id = ?", [text, survey_id])


def set_survey_status(
    tx: Transaction,
    survey_id: int,
    status: str,
    *,
    field_start: date | str | None = None,
    field_end: date | str | None = None,
) -> None:
    """Set a survey's status (``draft``, ``in_field``, ``closed``), and its field period
    where given (kept where None), inside the caller's transaction."""
    tx.execute(
        "UPDATE surveys SET status = ?, field_start = coalesce(?, field_start),"
        " field_end = coalesce(?, field_end) WHERE survey_id = ?",
        [status, field_start, field_end, survey_id],
    )


def sample_design(store: Store, survey_id: int) -> dict[str, Any]:
    """The sample design recorded when the survey's sample was drawn ({} when none)."""
    raw = store.scalar("SELECT sample_design FROM surveys WHERE survey_id = ?", [survey_id])
    return json.loads(raw) if raw else {}


def sampled_household_sizes(store: Store, survey_id: int, cap: int) -> pd.DataFrame:
    """household_id, size_class: each sampled household's size in the sampling frame,
    folded at ``cap`` (cap = cap or more)."""
    return store.query(
        "SELECT s.household_id, least(f.household_size, ?) AS size_class FROM survey_sample s"
        " JOIN frame_households f ON f.household_id = s.household_id WHERE s.survey_id = ?",
        [cap, int(survey_id)],
    )


SURVEY_COLUMNS = (
    "survey_id",
    "code",
    "title_ko",
    "title_en",
    "kind",
    "reference_year",
    "questionnaire_hash",
    "status",
)


SAMPLE_COLUMNS = (
    "survey_id",
    "household_id",
    "stratum",
    "area",
    "area_households",
    "pi_area",
    "pi_within",
    "pi",
    "design_weight",
)


def save_questionnaire_version(
    store: Store,
    *,
    source_hash: str,
    questionnaire_id: str,
    version: str,
    title_ko: str,
    title_en: str | None,
    file_name: str,
    definition: str,
) -> None:
    """Keep a questionnaire file's exact text under its SHA-256 (nothing if already kept); a
    new file becomes the questionnaire's next numbered version (:mod:`data.questionnaire_versions`)."""
    store.execute(
        "INSERT INTO questionnaire_versions (source_hash, questionnaire_id, version_no, version,"
        " title_ko, title_en, file_name, format, definition)"
        " SELECT ?, ?, coalesce(max(version_no), 0) + 1, ?, ?, ?, ?, ?, ?"
        " FROM questionnaire_versions WHERE questionnaire_id = ?"
        " ON CONFLICT (source_hash) DO NOTHING",
        [
            source_hash,
            questionnaire_id,
            version,
            title_ko,
            title_en,
            file_name,
            file_format(file_name),
            definition,
            questionnaire_id,
        ],
    )


def questionnaire_file(store: Store, survey_id: int) -> tuple[str, str, str] | None:
    """(source_hash, file_name, definition) of the version a survey uses, or None (no survey)."""
    rows = store.rows(
        "SELECT q.source_hash, q.file_name, q.definition FROM surveys s"
        " JOIN questionnaire_versions q ON q.source_hash = s.questionnaire_hash"
        " WHERE s.survey_id = ?",
        [survey_id],
    )
    return tuple(rows[0]) if rows else None


def has_survey_tables(store: Store) -> bool:
    """Whether the database has the survey tables yet (it is migrated that far)."""
    return "surveys" in store.table_names()


def survey_record(store: Store, survey_id: int) -> dict[str, Any] | None:
    """The survey's row (the :data:`SURVEY_COLUMNS` by name), or None when there is none."""
    rows = store.rows(
        "SELECT survey_id, code, title_ko, title_en, kind, reference_year, questionnaire_hash,"
        " status FROM surveys WHERE survey_id = ?",
        [survey_id],
    )
    return dict(zip(SURVEY_COLUMNS, rows[0], strict=True)) if rows else None


def survey_id_of(store: Store, code: str) -> int | None:
    """The ``survey_id`` of the survey with this code, or None."""
    rows = store.rows("SELECT survey_id FROM surveys WHERE code = ?", [code])
    return int(rows[0][0]) if rows else None


def survey_code(store: Store, survey_id: int) -> str | None:
    """The code of a survey ('seoul-2026'), or None when there is no such survey."""
    return store.scalar("SELECT code FROM surveys WHERE survey_id = ?", [int(survey_id)])


def surveys_with_questionnaires(store: Store) -> pd.DataFrame:
    """Every survey with its questionnaire's id and version and its sample size, by id."""
    return store.query(
        "SELECT s.survey_id, s.code, s.title_ko, s.title_en, s.kind, s.reference_year, s.status,"
        " s.field_start, s.field_end, q.questionnaire_id, q.version AS questionnaire_version,"
        " (SELECT count(*) FROM survey_sample x WHERE x.survey_id = s.survey_id) AS sampled"
        " FROM surveys s JOIN questionnaire_versions q ON q.source_hash = s.questionnaire_hash"
        " ORDER BY s.survey_id"
    )


def survey_overview(store: Store) -> pd.DataFrame:
    """Per survey (by id): survey_id, code, status, households sampled, and the open
    quarantine records of its submissions, screens and bulk imports (sources
    ``submission:<code>``, ``screen:<code>``, ``bulk:<code>:…``)."""
    return store.query(
        "SELECT s.survey_id, s.code, s.status,"
        " (SELECT count(*) FROM survey_sample x WHERE x.survey_id = s.survey_id) AS sampled,"
        " (SELECT count(*) FROM quarantine q WHERE q.status = 'open'"
        " AND (q.source IN ('submission:' || s.code, 'screen:' || s.code)"
        " OR starts_with(q.source, 'bulk:' || s.code || ':'))) AS quarantined"
        " FROM surveys s ORDER BY s.survey_id"
    )


def add_to_sample_design(store: Store, survey_id: int, note: dict[str, Any]) -> None:
    """Merge the keys of ``note`` into the survey's recorded sample design."""
    store.execute(
        f"UPDATE surveys SET sample_design = {json_merge('sample_design')} WHERE survey_id = ?",  # noqa: S608 - fixed fragment
        [json.dumps(note), survey_id],
    )


_DELETE_UNDER_SURVEY = (
    "DELETE FROM paradata WHERE submission_id IN"
    " (SELECT submission_id FROM answer_sessions WHERE survey_id = ?)",
    "DELETE FROM answer_sessions WHERE survey_id = ?",
    "DELETE FROM responses WHERE survey_id = ?",
    "DELETE FROM invitations WHERE survey_id = ?",
    "DELETE FROM survey_sample WHERE survey_id = ?",
    "DELETE FROM surveys WHERE survey_id = ?",
)


def delete_survey(tx: Transaction, survey_id: int) -> None:
    """Remove a survey and every row recorded under it (paradata, answer sessions, responses,
    invitations, sample) inside the caller's transaction."""
    for statement in _DELETE_UNDER_SURVEY:
        tx.execute(statement, [survey_id])


def sample_size(store: Store, survey_id: int) -> int:
    """How many households the survey's sample holds (0 before it is drawn)."""
    return int(store.scalar("SELECT count(*) FROM survey_sample WHERE survey_id = ?", [survey_id]))


def sampled_in(store: Store, survey_ids: list[int]) -> set[int]:
    """The households sampled by any of these surveys."""
    if not survey_ids:
        return set()
    return {
        int(r[0])
        for r in store.rows(
            f"SELECT DISTINCT household_id FROM survey_sample WHERE {in_list('survey_id')}",  # noqa: S608 - fixed fragment
            [list(survey_ids)],
        )
    }


def sample_households(store: Store, survey_id: int) -> pd.DataFrame:
    """The survey's sampled households: household_id and district_code (the stratum), by id."""
    return store.query(
        "SELECT household_id, stratum AS district_code FROM survey_sample WHERE survey_id = ?"
        " ORDER BY household_id",
        [survey_id],
    )


def sample_design_variables(store: Store, survey_id: int) -> pd.DataFrame:
    """Per sampled household (by id): household_id, district_code (stratum), ea_id (area),
    pi, design_weight, and the household_type the sampling frame records."""
    return store.query(
        "SELECT s.household_id, s.stratum AS district_code, s.area AS ea_id, s.pi,"
        " s.design_weight, h.household_type FROM survey_sample s"
        " LEFT JOIN frame_households h USING (household_id) WHERE s.survey_id = ?"
        " ORDER BY s.household_id",
        [survey_id],
    )


def sample_by_district(store: Store, survey_id: int) -> pd.DataFrame:
    """Per district of the sample: district_code, name_ko, name_en, areas, households,
    min_weight and max_weight (design weights rounded to 2 places), by code."""
    return store.query(
        "SELECT d.code AS district_code, d.name_ko, d.name_en, count(DISTINCT s.area) AS areas,"
        " count(*) AS households, round(min(s.design_weight), 2) AS min_weight,"
        " round(max(s.design_weight), 2) AS max_weight"
        " FROM survey_sample s JOIN districts d ON d.code = s.stratum"
        " WHERE s.survey_id = ? GROUP BY d.code, d.name_ko, d.name_en ORDER BY d.code",
        [survey_id],
    )


def sampled_frame_households(store: Store, survey_id: int) -> pd.DataFrame:
    """The frame records of the sampled households (by id): household_id, district_code,
    household_type, head_age_band, income_bracket, housing_type."""
    return store.query(
        "SELECT s.household_id, s.stratum AS district_code, h.household_type, h.head_age_band,"
        " h.income_bracket, h.housing_type FROM survey_sample s JOIN frame_households h"
        " USING (household_id) WHERE s.survey_id = ? ORDER BY s.household_id",
        [survey_id],
    )


def sampled_frame_persons(store: Store, survey_id: int) -> pd.DataFrame:
    """The frame members of the sampled households (by household, member): household_id,
    member_no, relation, sex, birth_year."""
    return store.query(
        "SELECT p.household_id, p.member_no, p.relation, p.sex, p.birth_year FROM frame_persons p"
        " JOIN survey_sample s USING (household_id) WHERE s.survey_id = ?"
        " ORDER BY p.household_id, p.member_no",
        [survey_id],
    )


def response_count(store: Store, survey_id: int) -> int:
    """How many parts (household and member) of the survey are stored."""
    return int(store.scalar("SELECT count(*) FROM responses WHERE survey_id = ?", [survey_id]))


def response_count_in(tx: Transaction, survey_id: int) -> int:
    """:func:`response_count` inside a transaction (to see that nothing arrived meanwhile)."""
    tx.execute("SELECT count(*) FROM responses WHERE survey_id = ?", [survey_id])
    return int(one_row(tx)[0])


def set_questionnaire_hash(tx: Transaction, survey_id: int, source_hash: str) -> None:
    """Pin the survey to another stored questionnaire version (by its SHA-256)."""
    tx.execute(
        "UPDATE surveys SET questionnaire_hash = ? WHERE survey_id = ?", [source_hash, survey_id]
    )
