"""Closing a wave: apply its attrition rules in one audited step, then replace who left.

:func:`plan_attrition` lists, before anything is written, what closing the
wave does to every invited household, and why:

- a complete response makes the household ``active`` (from ``invited`` or
  ``nonresponding``);
- a recorded move out of Seoul, dissolution, death or ineligibility ends
  membership (a move out only when the wave's rules say so, else it counts as
  no response);
- a recorded refusal ends membership as ``refused`` when the rules say so;
- otherwise the wave is one more without response: the household becomes
  ``nonresponding``, or ``dropped`` once its consecutive waves without a
  complete response (counted over the waves it was invited to, this one
  included) reach the rule's ``missed_waves``.

:func:`apply_attrition` commits exactly the plan that was previewed (refused
if the plan changed meanwhile, e.g. a late response), in one transaction:
roster statuses, history rows stamped with the wave, the wave closed, one
audit event. It runs once per wave. :func:`replace_leavers` then calls up
matched reserve households (:mod:`panel.replacement`) for everyone who has
left; they are ``invited`` and join the next wave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from data.panel_roster import AuditEvent
from data.panel_roster import leavers_without_replacement as _leavers_without_replacement
from data.panel_waves import AttritionAlreadyApplied, completion_history, store_attrition
from data.store import Store
from data.text import Text
from panel.attrition_rules import AttritionRules
from panel.outcomes import wave_outcomes
from panel.replacement import Replacement
from panel.roster_store import history_rows, load_roster, run_replacement
from panel.status import LEFT, apply_changes
from panel.waves import WaveError, wave_info

PLAN_COLUMNS = [
    "household_id", "district_code", "household_type", "head_age_band", "replacement",
    "outcome", "recorded", "missed_in_a_row", "status", "new_status", "why",
]  # fmt: skip


@dataclass(frozen=True)
class AttritionPlan:
    survey_id: int
    wave_no: int
    rules: AttritionRules
    households: pd.DataFrame  # PLAN_COLUMNS, one row per invited household

    @property
    def changes(self) -> pd.DataFrame:
        """Only the households whose status changes."""
        return self.households.loc[self.households["status"] != self.households["new_status"]]

    @property
    def leaving(self) -> pd.DataFrame:
        """Households that leave the panel, with why."""
        return self.households.loc[self.households["new_status"].isin(LEFT)]

    def summary(self) -> pd.DataFrame:
        """Households per (current status → new status) with the reason."""
        changes = self.changes
        return (
            changes.groupby(["status", "new_status"], sort=True)
            .size()
            .rename("households")
            .reset_index()
        )

    def key(self) -> frozenset[tuple[int, str]]:
        return frozenset(zip(self.changes["household_id"], self.changes["new_status"], strict=True))


def _missed_in_a_row(store: Store, wave_no: int, household_ids: pd.Series) -> pd.Series:
    """Consecutive waves up to ``wave_no`` (invited to, not completed) per household."""
    history = completion_history(store, wave_no, household_ids)
    last_complete = history.loc[history["complete"]].groupby("household_id")["wave_no"].max()
    history["after_last"] = history["wave_no"] > history["household_id"].map(last_complete).fillna(
        0
    )
    missed = history.groupby("household_id")["after_last"].sum()
    return household_ids.map(missed).fillna(0).astype(int)


def _decide(
    frame: pd.DataFrame, rules: AttritionRules, wave_no: int
) -> tuple[np.ndarray, np.ndarray]:
    """New status and why (Korean / English) for every invited household."""
    outcome = frame["outcome"].to_numpy()
    recorded = frame["recorded"].astype(object).fillna("").to_numpy()
    missed = frame["missed_in_a_row"].to_numpy()
    status = frame["status"].to_numpy()
    complete = outcome == "complete"
    fact = np.isin(recorded, ["dissolved", "deceased", "ineligible"]) & ~complete
    moved = (recorded == "moved_out") & rules.drop_moved_out & ~complete
    refused = (recorded == "refused") & rules.drop_refusals & ~complete & (outcome != "partial")
    no_response = ~(complete | fact | moved | refused)
    dropped = no_response & (rules.missed_waves > 0) & (missed >= max(rules.missed_waves, 1))
    new = np.select(
        [complete, fact, moved, refused, dropped, no_response],
        ["active", recorded, "moved_out", "refused", "dropped", "nonresponding"],
        default=status,
    ).astype(object)
    why = np.select(
        [complete & (status == "invited"), complete & (status == "nonresponding"), complete,
         fact, moved, refused, dropped, no_response],
        [f"{wave_no}차 첫 응답 / first response (wave {wave_no})",
         f"{wave_no}차 응답 재개 / answered again (wave {wave_no})",
         f"{wave_no}차 응답 / answered wave {wave_no}",
         np.char.add(f"{wave_no}차 조사 중 확인: ", recorded.astype(str)).astype(object)
         + f" / reported during wave {wave_no}",
         f"서울 외 전출 (규칙) / moved out of Seoul (rule), wave {wave_no}",
         f"{wave_no}차 조사 거절 (규칙) / refused wave {wave_no} (rule)",
         np.char.add(np.char.add("", missed.astype(str)), "회 연속 무응답 (규칙: ").astype(object)
         + f"{rules.missed_waves}회) / "
         + missed.astype(str).astype(object)
         + f" consecutive waves without response (rule: {rules.missed_waves})",
         f"{wave_no}차 무응답 / no response to wave {wave_no}"],
        default="",
    )  # fmt: skip
    return new, why


def plan_attrition(store: Store, survey_id: int) -> AttritionPlan:
    """What applying the wave's attrition rules would do, household by household.

    Refused once the wave's attrition is applied (it runs once per wave).
    """
    wave = wave_info(store, survey_id)
    if wave.attrition_applied:
        raise WaveError(
            "attrition_applied",
            Text(
                f"{wave.code}: 탈락 규칙은 이미 적용되었습니다 ({wave.attrition_applied_at:%Y-%m-%d %H:%M})",
                f"{wave.code}: the attrition of this wave was already applied"
                f" ({wave.attrition_applied_at:%Y-%m-%d %H:%M})",
            ),
        )
    frame = wave_outcomes(store, survey_id)
    roster = load_roster(store).set_index("household_id")
    frame["status"] = frame["household_id"].map(roster["status"])
    frame = frame.loc[frame["status"].isin(["invited", "active", "nonresponding"])].copy()
    frame["missed_in_a_row"] = _missed_in_a_row(store, wave.wave_no, frame["household_id"])
    new, why = _decide(frame, wave.rules, wave.wave_no)
    frame["new_status"] = new
    frame["why"] = why
    return AttritionPlan(survey_id, wave.wave_no, wave.rules, frame.reindex(columns=PLAN_COLUMNS))


def apply_attrition(
    store: Store, survey_id: int, *, actor: str, previewed: AttritionPlan | None = None
) -> AttritionPlan:
    """Commit the wave's attrition (see the module docstring); returns the plan applied.

    With ``previewed``, the plan is recomputed and must be the same, so what
    was shown is what is committed.
    """
    wave = wave_info(store, survey_id)
    plan = plan_attrition(store, survey_id)
    if previewed is not None and previewed.key() != plan.key():
        raise WaveError(
            "outcomes_changed",
            Text(
                "미리보기 이후 결과가 바뀌었습니다. 다시 미리보기 해 주세요",
                "outcomes changed since "
                "the preview (e.g. a late response); preview again before applying",
            ),
        )
    changes = plan.changes
    at = datetime.now()
    roster, history = apply_changes(
        load_roster(store),
        pd.DataFrame(
            {
                "household_id": changes["household_id"].to_numpy(),
                "status": changes["new_status"].to_numpy(),
                "who": actor,
                "why": changes["why"].to_numpy(),
                "at": at,
            }
        ),
    )
    changed = roster.loc[roster["household_id"].isin(changes["household_id"])]
    counts = {str(k): int(v) for k, v in changes["new_status"].value_counts().items()}
    event = AuditEvent(
        actor, "panel_attrition_applied", wave.code,
        {"rules": wave.rules.to_json(), "changes": counts, "leaving": len(plan.leaving)},
    )  # fmt: skip
    try:  # checked again inside the transaction
        store_attrition(
            store, survey_id, households=changed[["household_id", "status"]],
            history=history_rows(history, survey_id), applied_at=at, applied_by=actor,
            event=event,
        )  # fmt: skip
    except AttritionAlreadyApplied:
        raise WaveError(
            "attrition_applied",
            Text(f"{wave.code}: 탈락 규칙은 이미 적용되었습니다", f"{wave.code}: already applied"),
        ) from None
    return plan


def leavers_without_replacement(store: Store) -> list[int]:
    """Households that left the panel and have no replacement yet."""
    return _leavers_without_replacement(store, LEFT)


def replace_leavers(store: Store, survey_id: int, *, seed: int, actor: str) -> Replacement:
    """Matched replacements for everyone who has left, after the wave's attrition is applied.

    Idempotent (a leaver with a replacement is skipped); replacements are
    ``invited`` and join the next wave with their own inclusion probability.
    """
    wave = wave_info(store, survey_id)
    if not wave.attrition_applied:
        raise WaveError(
            "attrition_first",
            Text(
                f"{wave.code}: 탈락 규칙을 먼저 적용해 주세요",
                f"{wave.code}: apply the wave's attrition first",
            ),
        )
    return run_replacement(
        store, leavers_without_replacement(store), seed=seed, actor=actor, survey_id=survey_id
    )
