"""Fieldwork of a survey or panel wave in the field: progress, response by district, timing.

What a survey manager watches while a survey is in the field:

- :func:`daily_progress` — household parts submitted per day and parts started
  that day and still open (partial: broken off or not yet finished), with the
  running total;
- :func:`response_by_district` — sampled households, households whose
  household part is in, and their share, per district (:func:`response_summary`
  the Seoul-wide totals);
- :func:`completion_times` — each submitted part's time: the active time on its
  screens (Σ leave − enter over the paradata's screen visits, so a part resumed
  the next day does not count the night), or submit − start when the paradata
  has no screen visits; :func:`median_times` per part;
- :func:`breakoffs_by_screen` — open parts by the screen they stopped on (from
  the session's position), against parts started.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.answer_tables import (
    household_parts_per_day,
    open_household_parts_per_day,
    open_parts_by_position,
    parts_started,
    responded_by_district,
    screen_events,
    submitted_parts,
)
from data.store import Store
from surveys.opening import questionnaire_of


def daily_progress(store: Store, survey_id: int) -> pd.DataFrame:
    """Per day: household parts submitted, parts started that day still open, running total."""
    submitted = household_parts_per_day(store, survey_id)
    started_open = open_household_parts_per_day(store, survey_id)
    days = submitted.merge(started_open, on="day", how="outer").fillna(0).sort_values("day")
    days[["submitted", "partial"]] = days[["submitted", "partial"]].astype("int64")
    days["submitted_total"] = days["submitted"].cumsum()
    return days.reset_index(drop=True)


def response_by_district(store: Store, survey_id: int) -> pd.DataFrame:
    """Per district: households sampled, household parts in, and their share."""
    table = responded_by_district(store, survey_id)
    table["response_rate"] = table["responded"] / table["sampled"]
    return table


def response_summary(by_district: pd.DataFrame) -> dict[str, float]:
    """Seoul-wide totals of :func:`response_by_district`: sampled, responded, response rate."""
    sampled = int(by_district["sampled"].sum())
    responded = int(by_district["responded"].sum())
    rate = responded / sampled if sampled else float("nan")
    return {"sampled": sampled, "responded": responded, "response_rate": rate}


def completion_times(store: Store, survey_id: int) -> pd.DataFrame:
    """Each submitted part: household_id, member_no, part, mode, device, seconds (see module)."""
    parts = submitted_parts(store, survey_id)
    events = screen_events(store, survey_id)
    parts["seconds"] = parts["submission_id"].map(_active_seconds(events))
    fallback = (parts["submitted_at"] - parts["started_at"]).dt.total_seconds()
    parts["seconds"] = parts["seconds"].fillna(fallback)
    return parts.drop(columns=["started_at"])


def _active_seconds(events: pd.DataFrame) -> pd.Series:
    """Σ (leave − enter) per submission, pairing each leave with the enter before it."""
    if events.empty:
        return pd.Series(dtype="float64")
    events = events.sort_values(["submission_id", "seq"]).reset_index(drop=True)
    previous = events.groupby("submission_id")[["event", "section_id", "occurred_at"]].shift()
    paired = (
        (events["event"] == "leave")
        & (previous["event"] == "enter")
        & (previous["section_id"] == events["section_id"])
    )
    seconds = (events["occurred_at"] - previous["occurred_at"]).dt.total_seconds()
    return seconds.where(paired).groupby(events["submission_id"]).sum(min_count=1)


def median_times(times: pd.DataFrame) -> pd.DataFrame:
    """Median seconds and parts per part (household, person) and mode."""
    return (
        times.groupby(["part", "mode"])["seconds"]
        .agg(parts="size", median_seconds="median")
        .reset_index()
    )


def breakoffs_by_screen(store: Store, survey_id: int) -> pd.DataFrame:
    """Open parts by the screen they stopped on, with the screen's title and share of started."""
    stopped = open_parts_by_position(store, survey_id)
    started = parts_started(store, survey_id)
    q = questionnaire_of(store, survey_id)
    order, titles_ko, titles_en = {}, {}, {}
    for part in q.parts:
        for index, section in enumerate(part.sections):
            order[section.id] = index
            titles_ko[section.id], titles_en[section.id] = section.title.ko, section.title.en
    out = stopped.merge(started, on="part", how="left")
    out["share_of_started"] = out["open_parts"] / out["started"]
    out["title_ko"] = out["section_id"].map(titles_ko).fillna(out["section_id"])
    out["title_en"] = out["section_id"].map(titles_en).fillna(out["section_id"])
    out["screen_no"] = out["section_id"].map(order).astype("float").add(1)
    return out.sort_values(["part", "screen_no"], na_position="first").reset_index(drop=True)[
        ["part", "screen_no", "section_id", "title_ko", "title_en", "open_parts", "started",
         "share_of_started"]
    ]  # fmt: skip


def median_completion_seconds(times: pd.DataFrame, part: str = "household") -> float:
    """The median time of submitted parts of one kind, from :func:`completion_times` (NaN if none)."""
    values = times.loc[times["part"] == part, "seconds"].dropna()
    return float(np.median(values)) if len(values) else float("nan")
