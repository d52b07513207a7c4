"""Demo step "seoul_survey": two yearly Seoul Survey cross-sections, 2025 (closed) and 2026.

Why: every later part of the platform — weights, estimates with standard
errors, fieldwork monitoring, the panel drawn beside the cross-sections — needs
survey data to show. This step opens ``seoul-2025`` and ``seoul-2026`` on the
Seoul Survey 2026 questionnaire (the 2025 survey reuses it; the title and the
sample design record say so), draws two disjoint stratified two-stage samples
sized so that the full demo has about 20,000 responding households a year
(about one sampled household in five does not respond), issues access codes,
and stores answers drawn from the frame through the bulk path
(:func:`surveys.fieldwork.bulk.store_responses_bulk`): the same generated schemas as a
respondent's submission, one transaction per year.

2025 ends closed; 2026 stays in the field. The access codes of 2026 households
that have not submitted their household part are written, once, to a
git-ignored CSV next to the database (``demo_access_codes.csv``), so anyone
can try the respondent pages; they are never printed. Households that broke off
with answers saved are marked there (``answers_saved``, ``resumes_at``).
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.spreadsheet_safety import csv_text
from data.store import Store
from data.survey_tables import add_to_sample_design, sample_households, survey_id_of
from demo.fieldwork_batch import Field, YearBatch, build_year
from demo.household_answers import load_sample
from surveys.fieldwork.bulk import store_responses_bulk
from surveys.fieldwork.invitations import issue_codes
from surveys.fieldwork.sampling import TwoStageDesign
from surveys.fieldwork.sessions import household_drafts
from surveys.opening import (
    discard_survey,
    draw_sample,
    open_survey,
    questionnaire_of,
    set_status,
)
from surveys.questionnaire.loader import DEFINITIONS_DIR

QUESTIONNAIRE = DEFINITIONS_DIR / "seoul_survey_2026.yaml"
ACTOR = "demo-seed"
RESPONDING_HOUSEHOLDS = 20_000  # per year, at full size (scale 20)
FULL_SCALE = 20
EXPECTED_RESPONSE = 0.8
PER_AREA = 10
FLOOR_SHARE = 0.5  # each district gets at least half an equal share of the sample
MIN_AREAS = 2
CODES_FILE = "demo_access_codes.csv"


@dataclass(frozen=True)
class Year:
    year: int
    seed: int
    field_start: str
    field_end: str
    closed: bool

    @property
    def code(self) -> str:
        return f"seoul-{self.year}"


YEARS = (
    Year(2025, 20250901, "2025-09-01", "2025-10-31", closed=True),
    Year(2026, 20260901, "2026-09-01", "2026-12-18", closed=False),
)


def sample_size(scale: float) -> int:
    """Households to sample for about 20,000 responding ones at full size (×20/scale)."""
    wanted = RESPONDING_HOUSEHOLDS * FULL_SCALE / scale / EXPECTED_RESPONSE
    return int(round(wanted / PER_AREA)) * PER_AREA


def _titles(year: int) -> tuple[str, str]:
    if year == 2026:
        return "2026 서울서베이", "Seoul Survey 2026"
    return (
        f"{year} 서울서베이 (데모: 2026 설문지 사용)",
        f"Seoul Survey {year} (demo: uses the 2026 questionnaire)",
    )


def _open(store: Store, year: Year, scale: float, exclude: list[int]) -> int:
    title_ko, title_en = _titles(year.year)
    survey = open_survey(
        store, QUESTIONNAIRE, code=year.code, title_ko=title_ko, title_en=title_en,
        reference_year=year.year, actor=ACTOR,
    )  # fmt: skip
    n = sample_size(scale)
    # at least two areas per district: a stratum needs two PSUs for its variance
    floor = max(int(n / 25 * FLOOR_SHARE), MIN_AREAS * PER_AREA)
    design = TwoStageDesign(n_households=n, per_area=PER_AREA, floor=floor, seed=year.seed)
    draw_sample(store, survey.survey_id, design, actor=ACTOR, exclude_surveys=exclude)
    if year.year != 2026:
        note = {
            "demo_note": "2025 reuses the Seoul Survey 2026 questionnaire (seoul_survey_2026.yaml)"
        }
        add_to_sample_design(store, survey.survey_id, note)
    set_status(
        store, survey.survey_id, "in_field", actor=ACTOR,
        field_start=year.field_start, field_end=year.field_end,
    )  # fmt: skip
    return survey.survey_id


def _field(year: Year) -> Field:
    """The days fieldwork has run: the whole period when closed, up to today while in the field."""
    start = np.datetime64(year.field_start)
    end = np.datetime64(year.field_end)
    if not year.closed:
        end = min(end, np.datetime64(datetime.date.today()))
    days = max(1, int((end - start).astype(int)) + 1)
    return Field(year.year, start, days)


def _store_year(store: Store, survey_id: int, year: Year) -> tuple[YearBatch, dict[str, Any]]:
    questionnaire = questionnaire_of(store, survey_id)
    sample = load_sample(store, survey_id)
    clock = time.perf_counter()
    batch = build_year(sample, questionnaire, _field(year), np.random.default_rng(year.seed))
    generated = time.perf_counter() - clock
    report = store_responses_bulk(
        store, questionnaire, survey_id, batch.households, batch.persons,
        source=f"demo-seed:{year.code}", paradata=batch.paradata, drafts=batch.drafts,
        actor=ACTOR,
    )  # fmt: skip
    report.seconds = {"generate": generated, **report.seconds}
    return batch, {"sampled": len(sample.households), **report.as_dict()}


def _write_codes(store: Store, survey_id: int, codes: pd.DataFrame, batch: YearBatch) -> Path:
    """The plaintext codes of households that have not submitted, next to the database."""
    sample = sample_households(store, survey_id)
    waiting = sample[~batch.responded]
    out = waiting.merge(codes, on="household_id")
    out = out.assign(link_token=out["code"])[
        ["household_id", "district_code", "code", "link_token", "code_grouped"]
    ]
    return write_codes_file(store, survey_id, out, CODES_FILE)


def write_codes_file(store: Store, survey_id: int, waiting: pd.DataFrame, name: str) -> Path:
    """Write the demo's codes of households that have not submitted, readable by the owner only.

    Two columns say where a tester lands: ``answers_saved`` (yes when the household broke
    off with answers saved) and ``resumes_at`` (the screen's section id it resumes at;
    empty for a household that has not started).
    """
    drafts = household_drafts(store, survey_id).set_index("household_id")["position"]
    position = waiting["household_id"].map(drafts)
    out = waiting.assign(
        answers_saved=np.where(position.notna(), "yes", "no"),
        resumes_at=position.astype("object").fillna(""),
    )
    path = Path(store.path).resolve().parent / name
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(csv_text(out))
    return path


def seed_cross_sections(store: Store, scale: float, progress=print) -> dict[str, Any]:
    """Open, sample, invite, answer and store the 2025 and 2026 Seoul Survey cross-sections."""
    detail: dict[str, Any] = {}
    opened: list[int] = []
    for year in YEARS:  # an interrupted earlier run left part of this step behind: start clean
        leftover = survey_id_of(store, year.code)
        if leftover is not None:
            discard_survey(store, leftover, actor=ACTOR)
    for year in YEARS:
        started = time.perf_counter()
        survey_id = _open(store, year, scale, exclude=list(opened))
        opened.append(survey_id)
        household_ids = sample_households(store, survey_id)["household_id"]
        codes = issue_codes(store, survey_id, household_ids, actor=ACTOR)
        batch, report = _store_year(store, survey_id, year)
        if year.closed:
            set_status(store, survey_id, "closed", actor=ACTOR)
        else:
            report["codes_file"] = str(_write_codes(store, survey_id, codes, batch))
        report["seconds"]["total"] = round(time.perf_counter() - started, 2)
        detail[year.code] = report
        progress(
            f"    {year.code}: {report['sampled']:,} sampled, {report['households_stored']:,}"
            f" households and {report['persons_stored']:,} persons answered"
            f" ({report['seconds']['total']:.1f} s)"
        )
    return detail
