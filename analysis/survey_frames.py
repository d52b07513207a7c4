"""Analysis frames ready for estimation: respondents, domain columns, weights.

Reads a survey's analysis frames (``surveys.frames``, the one way analysis
reads responses), keeps the respondents, adds the domain columns the
catalogue publishes by — district, sex, age group (from age, with the
reference code list's bands), household income bracket, household type (from
the sampling frame) — and attaches a weight column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.exclusions import active_exclusions
from data.answer_tables import responses_state
from data.store import Store
from surveys.frames import survey_frames

HOUSEHOLD_COLUMNS_FOR_PERSONS = (
    "income", "housing_type", "tenure", "household_size", "household_type",
)  # fmt: skip


def age_group_of(age: pd.Series, bands: pd.DataFrame) -> pd.Series:
    """The age-group code of each age, from a code list with ``min_age``/``max_age`` columns."""
    bands = bands.sort_values("min_age")
    lower = bands["min_age"].astype(float).to_numpy()
    codes = bands["code"].astype(int).to_numpy()
    values = pd.to_numeric(age, errors="coerce").astype(float).to_numpy()
    position = np.searchsorted(lower, values, side="right") - 1
    upper = bands["max_age"].astype(float).fillna(np.inf).to_numpy()
    valid = ~np.isnan(values) & (position >= 0)
    valid[valid] &= values[valid] <= upper[position[valid]]
    out = pd.Series(pd.NA, index=age.index, dtype="Int64")
    out[valid] = codes[position[valid]]
    return out


def _without(frame: pd.DataFrame, excluded: pd.DataFrame, person: bool) -> pd.DataFrame:
    """``frame`` without the parts a statistician excluded (household or person parts)."""
    parts = excluded[(excluded["member_no"] > 0) == person]
    if parts.empty:
        return frame
    keys = ["household_id", "member_no"] if person else ["household_id"]
    drop = frame[keys].merge(parts[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    return frame[(drop["_merge"] == "left_only").to_numpy()].reset_index(drop=True)


def respondent_frames(
    store: Store, survey_id: int, age_bands: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """``persons15``: persons who answered their part; ``households``: responding households.

    Parts excluded from estimation (:mod:`analysis.exclusions`) are left out:
    an excluded household part removes the household row, an excluded person
    part the person's row (the person keeps the household's context columns
    when only the household part is excluded).

    Building the frames reads and lays out every response (seconds at full size), and a
    page asks for the same survey's frames several times; the last few are kept, keyed on
    what they are made of — the survey's responses (count and newest id; submitted
    responses never change), the exclusions in force and the age bands — and each caller
    gets its own copies.
    """
    excluded = active_exclusions(store, survey_id)
    key = _frames_key(store, survey_id, excluded, age_bands)
    if key not in _FRAMES:
        _FRAMES[key] = _build_frames(store, survey_id, age_bands, excluded)
        while len(_FRAMES) > _FRAMES_KEPT:
            _FRAMES.pop(next(iter(_FRAMES)))
    return {name: frame.copy() for name, frame in _FRAMES[key].items()}


_FRAMES: dict[tuple, dict[str, pd.DataFrame]] = {}
_FRAMES_KEPT = 4


def _frames_key(
    store: Store, survey_id: int, excluded: pd.DataFrame, age_bands: pd.DataFrame
) -> tuple:
    count, newest = responses_state(store, survey_id)
    return (
        str(store.path),
        int(survey_id),
        int(count),
        int(newest),
        tuple(int(i) for i in excluded["exclusion_id"]),
        pd.util.hash_pandas_object(age_bands, index=False).sum(),
    )


def _build_frames(
    store: Store, survey_id: int, age_bands: pd.DataFrame, excluded: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    households, persons = survey_frames(store, survey_id)
    households = households[households["response_status"] != "nonrespondent"].reset_index(drop=True)
    households = _without(households, excluded, person=False)
    persons = persons[persons["person_status"] == "complete"].reset_index(drop=True)
    persons = _without(persons, excluded, person=True)
    present = [c for c in HOUSEHOLD_COLUMNS_FOR_PERSONS if c in households.columns]
    context = households[["household_id", *present]]  # a questionnaire may ask fewer
    persons = persons.merge(context, on="household_id", how="left", suffixes=("", "_household"))
    if "age" in persons.columns:  # an uploaded questionnaire's roster may not ask it
        persons["age_group"] = age_group_of(persons["age"], age_bands)
    return {"persons15": persons, "households": households}
