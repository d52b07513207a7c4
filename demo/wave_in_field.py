"""Demo step "fieldwork": a fourth panel wave still in the field, for the fieldwork dashboard.

Why: the survey manager's fieldwork dashboard (responses per day, response by
district, completion times, break-offs by screen, quality flags) needs a
survey in the field with live-looking paradata. This step opens wave 4 (the
Seoul Survey parallel survey again) with a field period around today — it
started ten days ago and runs another eight — sends the invitations and the
reminders already due, and stores the answers that have come in so far:
about three in four of the households that will answer, through the bulk
path with each screen's paradata. Among them, as real fieldwork has:

- **speeders**, about 3% of web parts, through in well under a third of the
  median time (:mod:`demo.paradata`);
- **straight-liners**, :data:`STRAIGHT_LINERS` of respondents, who give every
  item of a long grid (the five happiness items) the same answer;
- **break-offs**: parts started and left on some screen, kept as open drafts.

A few refusals are recorded as the operator would after phone calls; the
wave's attrition is not applied (it is still in the field). The access codes
of households that have not answered are written once to a git-ignored CSV
next to the database (``demo_access_codes_panel.csv``), so anyone can answer
wave 4 as a panel household.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.panel_waves import delete_wave_records
from data.store import Store
from demo.cross_sections import write_codes_file
from demo.draws import bernoulli
from demo.fieldwork_batch import Field, web_household_fieldwork
from demo.panel import (
    ACTOR,
    BREAKOFF,
    DEFINITIONS,
    RULES,
    CountingSender,
    DemoWave,
    answer_propensity,
    recorded_outcomes,
    store_in_rounds,
    wave_frame,
)
from demo.panel_answers import draw_wave_answers
from panel.outcomes import record_outcomes, wave_rates
from panel.waves import create_wave, issue_invitations
from surveys.opening import discard_survey, questionnaire_of, survey_by_code
from surveys.questionnaire.model import Questionnaire

CODE = "panel-2026-w4"
IN_BY_NOW = 0.75  # of the households that will answer, the share that already has
STRAIGHT_LINERS = 0.04
MIN_GRID = 4
CODES_FILE = "demo_access_codes_panel.csv"


def fourth_wave(today: datetime.date) -> DemoWave:
    """Wave 4 around ``today``: started ten days ago, ends in eight, reminders weekly."""
    start = today - datetime.timedelta(days=10)
    return DemoWave(
        4, "panel_seoul_parallel_2026.yaml", "서울시민패널 4차: 서울서베이 병행조사",
        "Citizen panel wave 4: Seoul Survey parallel survey",
        start, today + datetime.timedelta(days=8),
        (start + datetime.timedelta(days=7), start + datetime.timedelta(days=14)),
    )  # fmt: skip


def straight_line(
    answers: list[dict[str, Any]], q: Questionnaire, share: float, rng: np.random.Generator
) -> np.ndarray:
    """Give ``share`` of the answer sets one value on every item of each long grid; which ones."""
    grids: dict[str, list[str]] = {}
    for section in q.household.sections:
        for question in section.questions:
            if question.grid and question.type in ("single", "scale"):
                grids.setdefault(question.grid, []).append(question.name)
    chosen = bernoulli(share, len(answers), rng)
    for items in (g for g in grids.values() if len(g) >= MIN_GRID):
        for index in np.flatnonzero(chosen):
            if all(item in answers[index] for item in items):
                value = answers[index][items[0]]
                answers[index].update({item: value for item in items})
    return chosen


def _write_codes(
    store: Store, survey_id: int, recipients: pd.DataFrame, answered: set[int]
) -> Path:
    waiting = recipients[~recipients["household_id"].isin(answered)]
    out = waiting.assign(link_token=waiting["link"].str.split("t=").str[1])[
        ["household_id", "district", "code_grouped", "link_token"]
    ]
    return write_codes_file(store, survey_id, out, CODES_FILE)


def seed_wave_in_field(store: Store, scale: float, progress=print) -> dict[str, Any]:
    """Open wave 4 and store the fieldwork so far (see the module docstring)."""
    try:
        leftover: int | None = survey_by_code(store, CODE).survey_id
    except KeyError:
        leftover = None
    if leftover is not None:  # an interrupted earlier run
        delete_wave_records(store, leftover)
        discard_survey(store, int(leftover), actor=ACTOR)
    today = datetime.date.today()
    wave = fourth_wave(today)
    opened = create_wave(
        store, DEFINITIONS / wave.definition, code=CODE, title_ko=wave.title_ko,
        title_en=wave.title_en, field_start=wave.start, field_end=wave.end,
        reminders=list(wave.reminders), rules=RULES, actor=ACTOR,
    )  # fmt: skip
    sender = CountingSender()
    batch = issue_invitations(
        store, opened.survey_id, sender=sender, base_url="https://demo.invalid", actor=ACTOR
    )
    rng = np.random.default_rng(2026_1109)
    q = questionnaire_of(store, opened.survey_id)
    households = wave_frame(store, opened.survey_id)
    n = len(households)
    will_answer = bernoulli(answer_propensity(households), n, rng)
    responded = will_answer & bernoulli(IN_BY_NOW, n, rng)
    broke_off = ~responded & bernoulli(BREAKOFF * 1.5, n, rng)
    answers = draw_wave_answers(q, households, wave.number, rng)
    liners = straight_line(answers, q, STRAIGHT_LINERS, rng)
    head_age = wave.start.year - households["head_birth_year"].to_numpy()
    field = Field(wave.start.year, np.datetime64(wave.start), (today - wave.start).days + 1)
    work = web_household_fieldwork(
        q, households["household_id"].to_numpy(), answers, responded, broke_off, head_age,
        field, rng, tuple((d - wave.start).days for d in wave.reminders),
    )  # fmt: skip
    stored = store_in_rounds(store, q, opened.survey_id, wave, work, sender, until=today)
    silent = ~will_answer & ~broke_off
    refusals = recorded_outcomes(households, silent, rng)
    refusals = refusals[refusals["outcome"] == "refused"]
    record_outcomes(store, opened.survey_id, refusals, actor=ACTOR)
    answered = set(households.loc[responded, "household_id"].astype(int))
    path = _write_codes(store, opened.survey_id, batch.recipients, answered)
    rates = wave_rates(store, opened.survey_id).iloc[0]
    progress(
        f"    {CODE}: in the field since {wave.start}, {stored['households']:,} of {n:,} answered"
        f" so far (RR1 {rates['RR1']:.1%}), {int((liners & responded).sum())} straight-liners"
    )
    return {
        "survey_id": opened.survey_id,
        "invited": n,
        "answered": stored["households"],
        "straight_liners": int((liners & responded).sum()),
        "break_offs": int(broke_off.sum()),
        "refusals": len(refusals),
        "messages": sender.sent,
        "codes_file": str(path),
    }
