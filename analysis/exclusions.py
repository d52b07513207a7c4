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
reach the population margins; tables say how many were excluded.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from data.audit import record_event
from data.store import Store

FLAGS = ("speeder", "straight_lining", "item_nonresponse", "other")


class ExclusionError(ValueError):
    """An exclusion that cannot be made or undone; the message says why (Korean / English)."""


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
        raise ExclusionError("제외 사유를 적어 주세요 / give the reason for the exclusion")
    if flag is not None and flag not in FLAGS:
        raise ExclusionError(f"flag must be one of {FLAGS}, not {flag!r}")

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        found = cur.execute(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND household_id = ?"
            " AND member_no = ?",
            [survey_id, household_id, member_no],
        ).fetchall()
        if not found[0][0]:
            raise ExclusionError(
                f"제출된 응답이 없습니다 (가구 {household_id}, 가구원 {member_no}) / no submitted "
                f"response for household {household_id}, member {member_no}"
            )
        active = cur.execute(
            "SELECT exclusion_id FROM response_exclusions WHERE survey_id = ? AND household_id = ?"
            " AND member_no = ? AND restored_at IS NULL",
            [survey_id, household_id, member_no],
        ).fetchall()
        if active:
            raise ExclusionError(
                f"이미 제외된 응답입니다 (제외 {active[0][0]}) / already excluded "
                f"(exclusion {active[0][0]})"
            )
        row = cur.execute(
            "INSERT INTO response_exclusions (survey_id, household_id, member_no, flag, reason,"
            " excluded_at, excluded_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING exclusion_id",
            [survey_id, household_id, member_no, flag, reason.strip(), datetime.now(), actor],
        ).fetchall()
        record_event(
            cur, actor, "response_excluded", f"survey:{survey_id}",
            {"household_id": household_id, "member_no": member_no, "flag": flag, "reason": reason},
        )  # fmt: skip
        return int(row[0][0])

    return store.write(work)


def restore(store: Store, exclusion_id: int, *, reason: str, actor: str) -> None:
    """Undo an exclusion: the response counts in estimation again; the record stays."""
    if not reason or not reason.strip():
        raise ExclusionError("복원 사유를 적어 주세요 / give the reason for restoring")

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        rows = cur.execute(
            "UPDATE response_exclusions SET restored_at = ?, restored_by = ?, restore_reason = ?"
            " WHERE exclusion_id = ? AND restored_at IS NULL RETURNING survey_id",
            [datetime.now(), actor, reason.strip(), exclusion_id],
        ).fetchall()
        if not rows:
            raise ExclusionError(
                f"유효한 제외가 아닙니다: {exclusion_id} / exclusion {exclusion_id} does not hold"
            )
        record_event(
            cur, actor, "response_restored", f"survey:{rows[0][0]}",
            {"exclusion_id": exclusion_id, "reason": reason},
        )  # fmt: skip

    store.write(work)


def active_exclusions(store: Store, survey_id: int) -> pd.DataFrame:
    """Exclusions that hold now: exclusion_id, household_id, member_no, flag, reason, who, when."""
    if "response_exclusions" not in store.table_names():
        return pd.DataFrame(
            columns=["exclusion_id", "household_id", "member_no", "flag", "reason",
                     "excluded_by", "excluded_at"]
        )  # fmt: skip
    return store.query(
        "SELECT exclusion_id, household_id, member_no, flag, reason, excluded_by, excluded_at"
        " FROM response_exclusions WHERE survey_id = ? AND restored_at IS NULL"
        " ORDER BY exclusion_id",
        [survey_id],
    )


def exclusion_history(store: Store, survey_id: int) -> pd.DataFrame:
    """Every exclusion of a survey, including restored ones."""
    return store.query(
        "SELECT * FROM response_exclusions WHERE survey_id = ? ORDER BY exclusion_id",
        [survey_id],
    )
