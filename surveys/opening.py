"""Opening a survey: register its questionnaire version, draw its sample, put it in the field.

A survey manager opens a survey from a questionnaire file: the file itself is
stored (``questionnaire_versions``, keyed by its SHA-256) so every response can
be traced to the exact wording it answered. The sample is drawn from the frame
with :mod:`surveys.fieldwork.sampling` and every inclusion probability is recorded in
``survey_sample``; drawing excludes households already sampled by the surveys
named in ``exclude_surveys`` (the panel keeps itself disjoint from the
cross-sections this way).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from data.audit import record_event
from data.store import Store, insert_frame, quote_identifier
from surveys.fieldwork.sampling import TwoStageDesign, draw_two_stage
from surveys.questionnaire.loader import load_questionnaire, questionnaire_from_bytes
from surveys.questionnaire.model import Questionnaire

SURVEY_KINDS = ("cross_section", "panel_wave")
SURVEY_STATUSES = ("draft", "in_field", "closed")


@dataclass(frozen=True)
class SurveyInfo:
    survey_id: int
    code: str
    title_ko: str
    title_en: str | None
    kind: str
    reference_year: int | None
    questionnaire_hash: str
    status: str


def register_questionnaire(store: Store, path: Path | str) -> Questionnaire:
    """Load (and so check) a questionnaire file and store that exact version."""
    path = Path(path)
    questionnaire = load_questionnaire(path)
    raw = path.read_bytes()
    if path.suffix.lower() in (".yaml", ".yml"):
        text = raw.decode("utf-8")
    else:
        text = base64.b64encode(raw).decode("ascii")
    store.execute(
        "INSERT INTO questionnaire_versions (source_hash, questionnaire_id, version, title_ko,"
        " title_en, file_name, definition) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source_hash) DO NOTHING",
        [
            questionnaire.source_hash,
            questionnaire.id,
            questionnaire.version,
            questionnaire.title.ko,
            questionnaire.title.en,
            path.name,
            text,
        ],
    )
    return questionnaire


def open_survey(
    store: Store,
    questionnaire_path: Path | str,
    *,
    code: str,
    title_ko: str,
    title_en: str | None = None,
    kind: str = "cross_section",
    reference_year: int | None = None,
    actor: str,
) -> SurveyInfo:
    """Create a survey (status draft) on a questionnaire version."""
    if kind not in SURVEY_KINDS:
        raise ValueError(f"survey kind must be one of {SURVEY_KINDS}, not {kind!r}")
    questionnaire = register_questionnaire(store, questionnaire_path)

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        if cur.execute("SELECT 1 FROM surveys WHERE code = ?", [code]).fetchone():
            raise ValueError(
                f"조사 코드 '{code}' 는 이미 있습니다 / survey code '{code}' already exists"
            )
        survey_id = cur.execute(
            "INSERT INTO surveys (code, title_ko, title_en, kind, reference_year,"
            " questionnaire_hash, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING survey_id",
            [code, title_ko, title_en, kind, reference_year, questionnaire.source_hash, actor],
        ).fetchone()[0]
        record_event(
            cur,
            actor,
            "survey_opened",
            code,
            {"questionnaire": questionnaire.id, "version": questionnaire.version},
        )
        return int(survey_id)

    return survey_info(store, store.write(work))


def survey_info(store: Store, survey_id: int) -> SurveyInfo:
    rows = store.rows(
        "SELECT survey_id, code, title_ko, title_en, kind, reference_year, questionnaire_hash,"
        " status FROM surveys WHERE survey_id = ?",
        [survey_id],
    )
    if not rows:
        raise KeyError(f"no survey {survey_id}")
    return SurveyInfo(*rows[0])


def survey_by_code(store: Store, code: str) -> SurveyInfo:
    row = store.rows("SELECT survey_id FROM surveys WHERE code = ?", [code])
    if not row:
        raise KeyError(f"no survey with code {code!r}")
    return survey_info(store, int(row[0][0]))


def list_surveys(store: Store) -> pd.DataFrame:
    return store.query(
        "SELECT s.survey_id, s.code, s.title_ko, s.title_en, s.kind, s.reference_year, s.status,"
        " s.field_start, s.field_end, q.questionnaire_id, q.version AS questionnaire_version,"
        " (SELECT count(*) FROM survey_sample x WHERE x.survey_id = s.survey_id) AS sampled"
        " FROM surveys s JOIN questionnaire_versions q ON q.source_hash = s.questionnaire_hash"
        " ORDER BY s.survey_id"
    )


def series_name(text: str) -> str:
    """A survey code or questionnaire id without its year: 'seoul-2026' → 'seoul'."""
    return re.sub(r"[-_ ]?(19|20)\d{2}$", "", str(text))


def same_series(store: Store, survey_id: int) -> pd.DataFrame:
    """The surveys of the same kind and series as ``survey_id`` (itself included).

    Same series: the survey code or the questionnaire id is the same once its year is
    taken off ('seoul-2025' and 'seoul-2026'), so another survey that happens to ask an
    indicator too is never taken for an earlier year of this one.
    """
    surveys = list_surveys(store)
    mine = surveys.set_index("survey_id").loc[int(survey_id)]
    series = (surveys["code"].map(series_name) == series_name(mine["code"])) | (
        surveys["questionnaire_id"].map(series_name) == series_name(mine["questionnaire_id"])
    )
    return surveys[series & (surveys["kind"] == mine["kind"])].reset_index(drop=True)


def questionnaire_of(store: Store, survey_id: int) -> Questionnaire:
    """The exact questionnaire version a survey uses (parsed from the stored file, cached)."""
    rows = store.rows(
        "SELECT q.source_hash, q.file_name, q.definition FROM surveys s"
        " JOIN questionnaire_versions q ON q.source_hash = s.questionnaire_hash"
        " WHERE s.survey_id = ?",
        [survey_id],
    )
    if not rows:
        raise KeyError(f"no survey {survey_id}")
    source_hash, file_name, definition = rows[0]
    if source_hash not in _CACHE:
        suffix = Path(file_name).suffix.lower()
        content = (
            definition.encode("utf-8")
            if suffix in (".yaml", ".yml")
            else base64.b64decode(definition)
        )
        _CACHE[source_hash] = questionnaire_from_bytes(content, file_name)
    return _CACHE[source_hash]


_CACHE: dict[str, Questionnaire] = {}  # by the file's SHA-256: a stored version never changes


def sampled_households(store: Store, survey_ids: list[int]) -> set[int]:
    if not survey_ids:
        return set()
    return {
        int(r[0])
        for r in store.rows(
            "SELECT DISTINCT household_id FROM survey_sample WHERE list_contains(?, survey_id)",
            [list(survey_ids)],
        )
    }


def draw_sample(
    store: Store,
    survey_id: int,
    design: TwoStageDesign,
    *,
    actor: str,
    exclude_surveys: list[int] | None = None,
) -> pd.DataFrame:
    """Draw the survey's sample from the frame and record it with its probabilities.

    Households sampled by ``exclude_surveys`` are removed from the frame before
    drawing (their areas keep their other households), so samples stay disjoint.
    """
    if store.scalar("SELECT count(*) FROM survey_sample WHERE survey_id = ?", [survey_id]):
        raise ValueError(f"survey {survey_id} already has a sample")
    frame = store.query("SELECT household_id, district_code, ea_id FROM frame_households")
    excluded = sampled_households(store, exclude_surveys or [])
    if excluded:
        frame = frame[~frame["household_id"].isin(excluded)]
    sample = draw_two_stage(frame, design)
    rows = sample.assign(survey_id=survey_id)[
        [
            "survey_id",
            "household_id",
            "stratum",
            "area",
            "area_households",
            "pi_area",
            "pi_within",
            "pi",
            "design_weight",
        ]
    ]

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        insert_frame(cur, "survey_sample", rows)
        details = {
            **design.describe(),
            "excluded_surveys": exclude_surveys or [],
            "excluded_households": len(excluded),
            "frame_households": len(frame),
        }
        cur.execute(
            "UPDATE surveys SET sample_design = ? WHERE survey_id = ?",
            [json.dumps(details), survey_id],
        )
        record_event(cur, actor, "sample_drawn", f"survey:{survey_id}", details)

    store.write(work)
    return sample


def set_status(
    store: Store,
    survey_id: int,
    status: str,
    *,
    actor: str,
    field_start: str | None = None,
    field_end: str | None = None,
) -> None:
    """Move a survey to draft, in_field or closed (recording the field period)."""
    if status not in SURVEY_STATUSES:
        raise ValueError(f"status must be one of {SURVEY_STATUSES}")

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute(
            "UPDATE surveys SET status = ?, field_start = coalesce(?, field_start),"
            " field_end = coalesce(?, field_end) WHERE survey_id = ?",
            [status, field_start, field_end, survey_id],
        )
        record_event(cur, actor, "survey_status", f"survey:{survey_id}", {"status": status})

    store.write(work)


def sample_summary(store: Store, survey_id: int) -> pd.DataFrame:
    """The drawn sample per district: areas, households, and the range of design weights."""
    return store.query(
        "SELECT d.code AS district_code, d.name_ko, d.name_en, count(DISTINCT s.area) AS areas,"
        " count(*) AS households, round(min(s.design_weight), 2) AS min_weight,"
        " round(max(s.design_weight), 2) AS max_weight"
        " FROM survey_sample s JOIN districts d ON d.code = s.stratum"
        " WHERE s.survey_id = ? GROUP BY ALL ORDER BY d.code",
        [survey_id],
    )


SURVEY_TABLES = ("paradata", "answer_sessions", "responses", "invitations", "survey_sample")


def discard_survey(store: Store, survey_id: int, *, actor: str) -> None:
    """Remove a survey and everything recorded under it, in one transaction.

    For surveys that never went out for real: a demo step interrupted half-way
    discards what it had made before starting again. The audit log keeps the
    event.
    """

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute(
            "DELETE FROM paradata WHERE submission_id IN"
            " (SELECT submission_id FROM answer_sessions WHERE survey_id = ?)",
            [survey_id],
        )
        for table in SURVEY_TABLES[1:]:
            delete = "DELETE FROM " + quote_identifier(table) + " WHERE survey_id = ?"  # noqa: S608
            cur.execute(delete, [survey_id])
        cur.execute("DELETE FROM surveys WHERE survey_id = ?", [survey_id])
        record_event(cur, actor, "survey_discarded", f"survey:{survey_id}", {})

    store.write(work)
