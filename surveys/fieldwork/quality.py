"""Quality flags on submitted parts: speeders, straight-lining, high item non-response.

Flags point a statistician at responses worth a look; they exclude nothing by
themselves (exclusion is a recorded decision, :mod:`analysis.exclusions`).

- **Speeder**: the part's time (:func:`surveys.fieldwork.monitoring.completion_times`) is
  under a third of the median time of parts of the same kind (household or
  person) in the survey.
- **Straight-lining**: on a grid (questions sharing ``grid``, single choice or
  scale) of at least :data:`MIN_GRID_ITEMS` items, every item answered with the
  same value.
- **High item non-response**: required questions are always answered (the
  submission is validated), so non-response shows in the *optional* questions
  the respondent was asked (relevant by the questionnaire's rules; notes and
  calculations aside): flagged when at least :data:`MIN_OPTIONAL` were asked
  and more than :data:`ITEM_NONRESPONSE_LIMIT` of them were left unanswered.
  ``asked`` and ``unanswered`` count every question asked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.store import Store
from surveys.fieldwork.monitoring import completion_times
from surveys.frames import survey_frames
from surveys.opening import questionnaire_of
from surveys.questionnaire.model import Part
from surveys.questionnaire.response_schema import asked_questions, is_answered, is_relevant

SPEED_RATIO = 1 / 3
MIN_GRID_ITEMS = 4  # shorter grids (two or three items) are often answered alike in earnest
ITEM_NONRESPONSE_LIMIT = 0.5
MIN_OPTIONAL = 2
FLAG_COLUMNS = [
    "household_id", "member_no", "part", "submission_id", "seconds", "median_seconds", "speeder",
    "straight_lined_grids", "straight_lining", "asked", "unanswered", "optional_asked",
    "item_nonresponse",
    "high_item_nonresponse", "flags",
]  # fmt: skip


def _grids(part: Part) -> dict[str, list[str]]:
    grids: dict[str, list[str]] = {}
    for asked in asked_questions(part, roster=False):
        question = asked.question
        if question.grid and question.type in ("single", "scale"):
            grids.setdefault(question.grid, []).append(question.name)
    return {name: items for name, items in grids.items() if len(items) >= MIN_GRID_ITEMS}


def _straight_lined(frame: pd.DataFrame, part: Part) -> pd.Series:
    """Per row: the grids answered with one value throughout, joined by commas ('' if none)."""
    out = pd.Series("", index=frame.index, dtype=object)
    for grid, items in _grids(part).items():
        values = frame.reindex(columns=items).apply(pd.to_numeric, errors="coerce")
        same = values.notna().all(axis=1) & (values.nunique(axis=1) == 1)
        out[same] = out[same].map(lambda text, g=grid: f"{text},{g}" if text else g)
    return out


def _item_nonresponse(frame: pd.DataFrame, part: Part) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(questions asked, questions left unanswered, optional questions asked) per row."""
    asked_n = pd.Series(0, index=frame.index, dtype="int64")
    missing_n = pd.Series(0, index=frame.index, dtype="int64")
    optional_n = pd.Series(0, index=frame.index, dtype="int64")
    for asked in asked_questions(part, roster=False):
        if not asked.question.answered or asked.question.name not in frame.columns:
            continue
        try:
            relevant = is_relevant(asked, frame).astype(bool)
        except (KeyError, TypeError, ValueError):  # a rule reading a column this frame lacks
            relevant = pd.Series(True, index=frame.index)
        answered = is_answered(frame[asked.question.name])
        asked_n += relevant.astype("int64")
        missing_n += (relevant & ~answered).astype("int64")
        if not asked.question.required and asked.question.required_if is None:
            optional_n += relevant.astype("int64")
    return asked_n, missing_n, optional_n


def _part_flags(frame: pd.DataFrame, part: Part, keys: list[str]) -> pd.DataFrame:
    asked_n, missing_n, optional_n = _item_nonresponse(frame, part)
    out = frame[keys].copy()
    out["straight_lined_grids"] = _straight_lined(frame, part).to_numpy()
    out["asked"] = asked_n.to_numpy()
    out["unanswered"] = missing_n.to_numpy()
    out["optional_asked"] = optional_n.to_numpy()
    return out


def quality_flags(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per submitted part with its flags (see the module docstring)."""
    q = questionnaire_of(store, survey_id)
    households, persons = survey_frames(store, survey_id)
    households = households[households["response_status"] != "nonrespondent"].reset_index(drop=True)
    frames = [_part_flags(households, q.household, ["household_id"]).assign(member_no=0)]
    if q.person is not None:
        persons = persons[persons["person_status"] == "complete"].reset_index(drop=True)
        frames.append(_part_flags(persons, q.person, ["household_id", "member_no"]))
    flags = pd.concat(frames, ignore_index=True)
    times = completion_times(store, survey_id)
    times["median_seconds"] = times.groupby("part")["seconds"].transform("median")
    out = times.merge(flags, on=["household_id", "member_no"], how="left")
    out["speeder"] = out["seconds"] < SPEED_RATIO * out["median_seconds"]
    out["straight_lined_grids"] = out["straight_lined_grids"].fillna("")
    out["straight_lining"] = out["straight_lined_grids"] != ""
    counts = ["asked", "unanswered", "optional_asked"]
    out[counts] = out[counts].fillna(0).astype("int64")
    optional = out["optional_asked"].clip(lower=1)
    out["item_nonresponse"] = np.where(out["optional_asked"] > 0, out["unanswered"] / optional, 0.0)
    out["high_item_nonresponse"] = (out["optional_asked"] >= MIN_OPTIONAL) & (
        out["item_nonresponse"] > ITEM_NONRESPONSE_LIMIT
    )
    names = np.array(["speeder", "straight_lining", "item_nonresponse"], dtype=object)
    marks = out[["speeder", "straight_lining", "high_item_nonresponse"]].to_numpy(dtype=bool)
    out["flags"] = [",".join(names[row]) for row in marks]
    return out[FLAG_COLUMNS]


def flag_counts(flags: pd.DataFrame) -> dict[str, int]:
    """How many submitted parts carry each flag, and any flag."""
    return {
        "parts": len(flags),
        "speeder": int(flags["speeder"].sum()),
        "straight_lining": int(flags["straight_lining"].sum()),
        "high_item_nonresponse": int(flags["high_item_nonresponse"].sum()),
        "any": int((flags["flags"] != "").sum()),
    }
