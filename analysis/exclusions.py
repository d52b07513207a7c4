"""Responses excluded from estimation, with the reason, reversibly.

A statistician who finds a response implausible (a speeder, a straight-liner,
a part mostly left blank) excludes it from estimation: the response stays
stored as submitted, a row in ``response_exclusions`` says who excluded it,
when and why, and restoring it keeps that row with who restored it and why.
An exclusion names one part: ``member_no`` 0 is the household part (the
household drops out of household-level estimates), ``member_no`` n the
person part of member n.

Estimation (:func:`analysis.survey_frames.respondent_frames`) leaves excluded
parts out and the calibration is replayed on the remaining respondents
(:func:`analysis.weights.survey_weights.calibrated_design`), so the weights still
reach the population margins; tables say how many were excluded. The rows are kept
by :mod:`data.exclusion_tables`; this module decides what may be excluded and says why not.
"""

from __future__ import annotations

import pandas as pd

from data import exclusion_tables
from data.exclusion_tables import ExclusionRefused
from data.store import Store
from data.text import Refusal, Text

FLAGS = ("speeder", "straight_lining", "item_nonresponse", "other")


class ExclusionError(Refusal, ValueError):
    """An exclusion that cannot be made or undone: ``reason`` and ``text``."""


def exclude(
    store: Store,
    survey_id: int,
    household_id: int,
    member_no: int,
    *,
    reason: str,
    actor: str,
    flag: str | None = None,
) -> int:
    """Exclude one submitted part from estimation; returns the exclusion id."""
    if not reason or not reason.strip():
        raise ExclusionError(
            "no_reason", Text("제외 사유를 적어 주세요", "give the reason for the exclusion")
        )
    if flag is not None and flag not in FLAGS:
        raise ExclusionError(
            "unknown_flag",
            Text(
                f"표시는 {', '.join(FLAGS)} 중 하나입니다 ({flag!r} 아님)",
                f"flag must be one of {FLAGS}, not {flag!r}",
            ),
        )
    try:
        return exclusion_tables.add_exclusion(
            store, survey_id, household_id, member_no, flag=flag, reason=reason, actor=actor
        )
    except ExclusionRefused as refused:
        if refused.reason == "no_response":
            raise ExclusionError(
                "no_response",
                Text(
                    f"제출된 응답이 없습니다 (가구 {household_id}, 가구원 {member_no})",
                    f"no submitted response for household {household_id}, member {member_no}",
                ),
            ) from None
        raise ExclusionError(
            "already_excluded",
            Text(
                f"이미 제외된 응답입니다 (제외 {refused.exclusion_id})",
                f"already excluded (exclusion {refused.exclusion_id})",
            ),
        ) from None


def restore(store: Store, exclusion_id: int, *, reason: str, actor: str) -> None:
    """Undo an exclusion: the response counts in estimation again; the record stays."""
    if not reason or not reason.strip():
        raise ExclusionError(
            "no_reason", Text("복원 사유를 적어 주세요", "give the reason for restoring")
        )
    try:
        exclusion_tables.restore_exclusion(store, exclusion_id, reason=reason, actor=actor)
    except ExclusionRefused:
        raise ExclusionError(
            "not_active",
            Text(
                f"유효한 제외가 아닙니다: {exclusion_id}", f"exclusion {exclusion_id} does not hold"
            ),
        ) from None


def active_exclusions(store: Store, survey_id: int) -> pd.DataFrame:
    """Exclusions that hold now: exclusion_id, household_id, member_no, flag, reason, who, when."""
    return exclusion_tables.active_exclusions(store, survey_id)
