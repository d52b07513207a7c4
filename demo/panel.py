"""Demo step "panel": the recruited citizen panel and three completed waves.

Why: the panel pages — waves, response rates, attrition, replacement, the
health page, panel weights — need a panel with a history to show. This step
recruits 20,000 households (at full size) and a reserve of the same size,
disjoint from the Seoul Survey samples, then runs three waves the way an
operator would, through the same functions the operator's page calls:

1. 서울서베이 병행조사 (the Seoul Survey parallel survey), February 2026;
2. 정책수요조사 (the policy-demand survey), May 2026;
3. the parallel survey again, August 2026.

For each wave: open it, issue the codes (the invitation list goes to a
sender that only counts, since nobody is messaged), store the answers that
came in before each reminder, send the reminder list, store the rest
(answers drawn by :func:`demo.panel_answers.draw_wave_answers` and validated
in bulk with the questionnaire's generated schema), record refusals and
households that moved out, dissolved or died, apply the attrition rules
(two consecutive waves without response; refusals and moves out of Seoul
leave), replace every leaver from the reserve and store the wave's
cross-sectional weights. After the third wave, longitudinal weights for the
households present in all three.

Response is realistic for a panel: high among active households, low among
those that missed the last wave, and lowest among young people living alone
(who also refuse and move out of Seoul more often), so attrition is uneven
and the health page has something to show.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.panel_roster import delete_roster
from data.panel_waves import delete_wave_records, wave_households_with_frame
from data.store import Store
from data.survey_tables import survey_ids_of_kind
from data.weights_tables import delete_survey_weights
from demo.draws import bernoulli, expit
from demo.fieldwork_batch import Field, web_household_fieldwork
from demo.panel_answers import draw_wave_answers
from demo.paradata import RESPONSE_DISTRICT_EFFECT
from panel.attrition import apply_attrition, replace_leavers
from panel.attrition_rules import AttritionRules
from panel.messaging import MessageBatch, SendReceipt
from panel.outcomes import record_outcomes, wave_rates
from panel.roster_store import recruit_panel
from panel.waves import create_wave, issue_invitations, send_reminders, wave_households
from panel.weights import store_longitudinal_weights, store_wave_weights
from surveys.fieldwork.bulk import store_responses_bulk
from surveys.opening import discard_survey, questionnaire_of
from surveys.questionnaire.loader import DEFINITIONS_DIR

ACTOR = "demo-seed"
FULL_SCALE = 20
TARGET = 20_000  # households, at full size
DEFINITIONS = DEFINITIONS_DIR
RULES = AttritionRules(missed_waves=2, drop_refusals=True, drop_moved_out=True)
# logit of answering a wave, by the household's status when the wave opens
BASE_LOGIT = {"invited": 1.4, "active": 2.1, "nonresponding": -0.5}
BREAKOFF = 0.04  # of households: started, never submitted
REFUSE, MOVE_OUT, DISSOLVE = 0.05, 0.025, 0.006  # per household not answering (before effects)


@dataclass(frozen=True)
class DemoWave:
    number: int
    definition: str
    title_ko: str
    title_en: str
    start: date
    end: date
    reminders: tuple[date, ...]

    @property
    def code(self) -> str:
        return f"panel-2026-w{self.number}"


WAVES = (
    DemoWave(1, "panel_seoul_parallel_2026.yaml", "서울시민패널 1차: 서울서베이 병행조사",
             "Citizen panel wave 1: Seoul Survey parallel survey",
             date(2026, 2, 2), date(2026, 2, 20), (date(2026, 2, 9), date(2026, 2, 16))),
    DemoWave(2, "panel_policy_demand_2026.yaml", "서울시민패널 2차: 정책수요조사",
             "Citizen panel wave 2: policy-demand survey",
             date(2026, 5, 4), date(2026, 5, 22), (date(2026, 5, 11), date(2026, 5, 18))),
    DemoWave(3, "panel_seoul_parallel_2026.yaml", "서울시민패널 3차: 서울서베이 병행조사",
             "Citizen panel wave 3: Seoul Survey parallel survey",
             date(2026, 8, 3), date(2026, 8, 21), (date(2026, 8, 10), date(2026, 8, 17))),
)  # fmt: skip


class CountingSender:
    """The demo's messaging system: counts the messages, sends nothing, keeps no codes."""

    def __init__(self) -> None:
        self.sent: dict[str, int] = {}

    def send(self, batch: MessageBatch) -> SendReceipt:
        self.sent[batch.name] = len(batch.recipients)
        return SendReceipt(len(batch.recipients), "demo: not sent")


def remove_panel(store: Store) -> None:
    """Remove the panel, its waves and everything recorded under them (demo databases only).

    Used when an interrupted earlier run of this step left part of it behind,
    and by tests that recruit a panel of their own on the demo.
    """
    for survey_id in survey_ids_of_kind(store, "panel_wave"):
        delete_survey_weights(store, survey_id)
        discard_survey(store, survey_id, actor=ACTOR)
    delete_wave_records(store)
    delete_roster(store)


def wave_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """The wave's households with the frame variables the answers and fieldwork are drawn from."""
    return wave_households_with_frame(store, survey_id)


def answer_propensity(households: pd.DataFrame) -> np.ndarray:
    """P(answering the wave): by status, lower for young people alone, higher for older heads."""
    alone = households["household_type"].to_numpy() == 1
    band = households["head_age_band"].to_numpy()
    district = households["district_code"].astype(str).map(RESPONSE_DISTRICT_EFFECT).fillna(0)
    logit = (
        households["status"].map(BASE_LOGIT).fillna(1.4).to_numpy()
        + 0.5 * district.to_numpy()
        - 1.0 * (alone & (band == 1))
        - 0.45 * (alone & (band == 2))
        + 0.35 * (band >= 5)
    )
    return expit(logit)


def recorded_outcomes(households: pd.DataFrame, silent: np.ndarray, rng) -> pd.DataFrame:
    """Refusals, moves out of Seoul, dissolved households and deaths among those not answering."""
    n = len(households)
    young_alone = (households["household_type"].to_numpy() == 1) & (
        households["head_age_band"].to_numpy() <= 2
    )
    oldest = households["head_age_band"].to_numpy() == 6
    refused = silent & bernoulli(np.where(young_alone, 2 * REFUSE, REFUSE), n, rng)
    moved = silent & ~refused & bernoulli(np.where(young_alone, 3 * MOVE_OUT, MOVE_OUT), n, rng)
    gone = silent & ~refused & ~moved & bernoulli(DISSOLVE, n, rng)
    deceased = gone & oldest & bernoulli(0.6, n, rng)
    outcome = np.select(
        [refused, moved, deceased, gone], ["refused", "moved_out", "deceased", "dissolved"], ""
    )
    keep = outcome != ""
    return pd.DataFrame(
        {"household_id": households["household_id"].to_numpy()[keep], "outcome": outcome[keep]}
    )


def store_in_rounds(
    store, q, survey_id, wave: DemoWave, batch, sender, until=None
) -> dict[str, int]:
    """Answers in before each reminder, that reminder, ..., then the rest with the drafts.

    ``until``: reminders scheduled after this date are not sent (a wave still in the field).
    """
    stored = {"households": 0, "quarantined": 0}
    parts = batch.households
    reminders = [d for d in wave.reminders if until is None or d <= until]
    cuts = [pd.Timestamp(d) for d in reminders] + [pd.Timestamp.max]
    previous = pd.Timestamp.min
    for number, cut in enumerate(cuts):
        when = pd.to_datetime(parts["submitted_at"])
        chunk = parts[(when >= previous) & (when < cut)]
        last = number == len(cuts) - 1
        ids = set(chunk["submission_id"]) | (set(batch.drafts["submission_id"]) if last else set())
        report = store_responses_bulk(
            store, q, survey_id, chunk, None, source=f"demo-seed:{wave.code}",
            paradata=batch.paradata[batch.paradata["submission_id"].isin(ids)],
            drafts=batch.drafts if last else None, actor=ACTOR,
        )  # fmt: skip
        stored["households"] += report.households_stored
        stored["quarantined"] += report.households_quarantined
        if not last:
            send_reminders(store, survey_id, number + 1, sender=sender, actor=ACTOR)
        previous = cut
    return stored


def _run_wave(store: Store, wave: DemoWave, scale: float, rng) -> dict[str, Any]:
    opened = create_wave(
        store, DEFINITIONS / wave.definition, code=wave.code, title_ko=wave.title_ko,
        title_en=wave.title_en, field_start=wave.start, field_end=wave.end,
        reminders=list(wave.reminders), rules=RULES, actor=ACTOR,
    )  # fmt: skip
    sender = CountingSender()
    issue_invitations(
        store, opened.survey_id, sender=sender, base_url="https://demo.invalid", actor=ACTOR
    )
    q = questionnaire_of(store, opened.survey_id)
    households = wave_frame(store, opened.survey_id)
    n = len(households)
    responded = bernoulli(answer_propensity(households), n, rng)
    broke_off = ~responded & bernoulli(BREAKOFF, n, rng)
    answers = draw_wave_answers(q, households, wave.number, rng)
    head_age = wave.start.year - households["head_birth_year"].to_numpy()
    days = (wave.end - wave.start).days + 1
    field = Field(wave.start.year, np.datetime64(wave.start), days)
    batch = web_household_fieldwork(
        q, households["household_id"].to_numpy(), answers, responded, broke_off, head_age,
        field, rng, tuple((d - wave.start).days for d in wave.reminders),
    )  # fmt: skip
    stored = store_in_rounds(store, q, opened.survey_id, wave, batch, sender)
    recorded = recorded_outcomes(households, ~responded & ~broke_off, rng)
    record_outcomes(store, opened.survey_id, recorded, actor=ACTOR)
    plan = apply_attrition(store, opened.survey_id, actor=ACTOR)
    replaced = replace_leavers(store, opened.survey_id, seed=2026_00 + wave.number, actor=ACTOR)
    store_wave_weights(store, opened.survey_id, actor=ACTOR)
    rates = wave_rates(store, opened.survey_id).iloc[0]
    return {
        "survey_id": opened.survey_id,
        "invited": n,
        "complete": stored["households"],
        "quarantined": stored["quarantined"],
        "messages": sender.sent,
        "RR1": round(float(rates["RR1"]), 4),
        "left": len(plan.leaving),
        "replaced": len(replaced.replacements),
        "shortfall": replaced.shortfall,
    }


def seed_panel(store: Store, scale: float, progress=print) -> dict[str, Any]:
    """Recruit the demo panel and run its three waves (see the module docstring)."""
    remove_panel(store)
    started = time.perf_counter()
    target = int(round(TARGET * FULL_SCALE / scale))
    recruit_panel(
        store, target=target, reserve=target, allocation="proportional_floor",
        floor=max(2, target // 100), seed=2026_0101, actor=ACTOR,
    )  # fmt: skip
    progress(f"    panel: {target:,} households recruited, {target:,} in reserve")
    rng = np.random.default_rng(2026_0202)
    detail: dict[str, Any] = {"target": target, "waves": {}}
    ids = []
    for wave in WAVES:
        clock = time.perf_counter()
        report = _run_wave(store, wave, scale, rng)
        ids.append(report["survey_id"])
        detail["waves"][wave.code] = report
        progress(
            f"    {wave.code}: {report['invited']:,} invited, {report['complete']:,} answered"
            f" (RR1 {report['RR1']:.1%}), {report['left']:,} left, {report['replaced']:,}"
            f" replaced ({time.perf_counter() - clock:.1f} s)"
        )
    store_longitudinal_weights(store, ids, actor=ACTOR)
    members = len(wave_households(store, ids[-1]))
    detail["seconds"] = round(time.perf_counter() - started, 2)
    detail["last_wave_invited"] = members
    return detail
