"""Each household's outcome in a wave, and the response rates that follow from them.

The outcome of an invited household, first rule that applies:

1. ``complete`` — its household part is submitted (a ``responses`` row);
2. ``not_eligible`` — the operator recorded (``panel_wave_outcomes``) a move
   out of Seoul, a dissolved household, a death or another reason it is out
   of scope;
3. ``partial`` — answers are saved but not submitted (a break-off);
4. ``refused`` or ``other`` — as the operator recorded;
5. ``no_contact`` — nothing heard back.

A household that refused by phone and later answered anyway counts as
complete. Rates per wave and district: :mod:`panel.response_rates`.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from data.answer_tables import started_households, submitted_households
from data.panel_roster import AuditEvent
from data.panel_waves import recorded_outcomes, replace_outcomes
from data.store import Store
from data.text import Text
from panel.response_rates import rate_table
from panel.waves import WaveError, wave_households, wave_info

OUTCOMES = ("complete", "partial", "refused", "no_contact", "other", "not_eligible")
RECORDED = ("refused", "moved_out", "dissolved", "deceased", "ineligible", "other")
NOT_ELIGIBLE = frozenset({"moved_out", "dissolved", "deceased", "ineligible"})
LABELS_KO = {
    "complete": "완료",
    "partial": "부분 응답",
    "refused": "거절",
    "no_contact": "접촉 안 됨",
    "other": "기타",
    "not_eligible": "비대상",
    "moved_out": "서울 외 전출",
    "dissolved": "가구 해체",
    "deceased": "사망",
    "ineligible": "부적격",
}


def record_outcomes(store: Store, survey_id: int, outcomes: pd.DataFrame, *, actor: str) -> int:
    """Record operator outcomes (household_id, outcome, optional note); all or nothing.

    A household recorded again keeps the newer outcome. Refused: unknown
    outcomes, households not invited to the wave, a wave whose attrition is
    already applied.
    """
    wave = wave_info(store, survey_id)
    if wave.attrition_applied:
        raise WaveError(
            "wave_closed",
            Text(f"{wave.code}: 이미 마감된 차수입니다", f"{wave.code}: the wave is closed"),
        )
    frame = outcomes.copy()
    if "note" not in frame:
        frame["note"] = None
    bad = sorted(set(frame["outcome"].astype(str)) - set(RECORDED))
    if bad:
        raise WaveError(
            "unknown_outcome",
            Text(
                f"기록할 수 없는 결과입니다: {bad} (가능: {', '.join(RECORDED)})",
                f"outcomes must be one of {', '.join(RECORDED)}, not {bad}",
            ),
        )
    invited = set(wave_households(store, survey_id)["household_id"])
    strangers = sorted(set(frame["household_id"].astype("int64")) - invited)
    if strangers:
        raise WaveError(
            "not_invited",
            Text(
                f"이 차수에 초대되지 않은 가구입니다: {strangers[:10]}",
                f"households not invited to {wave.code}: {strangers[:10]}",
            ),
        )
    rows = frame.drop_duplicates("household_id", keep="last").assign(
        survey_id=survey_id, recorded_at=datetime.now(), recorded_by=actor
    )[["survey_id", "household_id", "outcome", "note", "recorded_at", "recorded_by"]]
    rows["household_id"] = rows["household_id"].astype("int64")
    counts = rows["outcome"].value_counts().to_dict()
    replace_outcomes(
        store, survey_id, rows, AuditEvent(actor, "panel_outcomes_recorded", wave.code, counts)
    )
    return len(rows)


def wave_outcomes(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per invited household: its cell, ``outcome`` (see module) and ``recorded``."""
    households = wave_households(store, survey_id)
    submitted = submitted_households(store, survey_id)
    started = started_households(store, survey_id)
    recorded = recorded_outcomes(store, survey_id)
    frame = (
        households.merge(submitted, on="household_id", how="left")
        .merge(started, on="household_id", how="left")
        .merge(recorded, on="household_id", how="left")
    )
    recorded_as = frame["recorded"].astype(object)
    outcome = np.select(
        [
            frame["submitted"].fillna(False).astype(bool),
            recorded_as.isin(NOT_ELIGIBLE),
            frame["started"].fillna(False).astype(bool),
            recorded_as.eq("refused"),
            recorded_as.eq("other"),
        ],
        ["complete", "not_eligible", "partial", "refused", "other"],
        default="no_contact",
    )
    frame["outcome"] = outcome
    return frame.drop(columns=["submitted", "started"])


def wave_rates(store: Store, survey_id: int, by: str | list[str] | None = None) -> pd.DataFrame:
    """AAPOR RR1, COOP1, REF1, CON1 of a wave, overall or per ``by`` (e.g. district_code)."""
    return rate_table(wave_outcomes(store, survey_id), by)
