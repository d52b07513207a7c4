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

from data.store import Store, Transaction


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
    reference_year: int,
    questionnaire_hash: str,
    field_start: date | None,
    field_end: date | None,
    created_by: str,
) -> int:
    """Add a survey (status ``draft``) inside ``tx``; its new survey id."""
    tx.execute(
        "INSERT INTO surveys (code, title_ko, title_en, kind, reference_year,"
        " questionnaire_hash, field_start, field_end, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING survey_id",
        [code, title_ko, title_en, kind, reference_year, questionnaire_hash,
         field_start, field_end, created_by],
    )  # fmt: skip
    return int(tx.fetchone()[0])  # type: ignore[index]


def insert_sample(store: Store, tx: Transaction, sample: pd.DataFrame) -> int:
    """Add ``survey_sample`` rows inside ``tx``; how many."""
    return store.insert_frame(tx, "survey_sample", sample)


def set_sample_design(tx: Transaction, survey_id: int, design: str) -> None:
    """Record the survey's sample design (JSON text) inside ``tx``."""
    tx.execute("UPDATE surveys SET sample_design = ? WHERE survey_id = ?", [design, survey_id])


def set_survey_status(tx: Transaction, survey_id: int, status: str) -> None:
    """Set the survey's status (``draft``, ``in_field``, ``closed``) inside ``tx``."""
    tx.execute("UPDATE surveys SET status = ? WHERE survey_id = ?", [status, survey_id])


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
