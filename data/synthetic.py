"""Synthetic Seoul sampling frame, drawn to agree with the official margins.

Why this module exists: the platform needs a realistic sampling frame of
Seoul households and persons (to draw samples, run panels and test weighting),
but the real registers are personal data that cannot be shipped. This
generator builds a stand-in from public margins, scaled down: each frame
household stands for ``FrameConfig.scale`` real households, and that factor is
recorded on the :class:`Frame`. Everything is a pure, seeded function of
pandas DataFrames (no database, no UI) and works on whole numpy vectors, so
the full frame (about 225,000 households at scale 20) takes seconds.

How the frame is kept consistent with the margins:

1. Households. :func:`allocate_households` turns ``households / scale`` per
   district x household size into integers by systematic controlled rounding:
   every cell is off by less than one, every district total too, and the
   Seoul total is exactly ``round(total / scale)``.
2. Candidates. :func:`draw_household_types` draws, for every allocated cell, a
   pool of candidate households (``candidates_per_household`` times as many as
   needed) from family templates (couple, couple with children, three
   generations, ...), so relations and ``household_type`` agree by
   construction. :func:`draw_members` gives each member a sex and an age: the
   head from the district's 15+ sex x age margin weighted by the template's
   headship propensity, the others relative to the head (spouse close in age
   and of the other sex, children 22-40 years younger than their mother,
   parents 22-36 years older, ...).
3. Calibration. :func:`calibrate_households` tilts the candidates' selection
   probabilities, ``w = exp(sum of theta[district, sex x age] over members
   aged 15+)``, by raking until the expected 15+ counts per district x sex x
   age group equal ``population / scale`` while each cell's probabilities still
   sum to its allocated count. Systematic PPS selection then takes exactly the
   allocated number of households per cell. So household counts match to
   rounding and the 15+ population matches up to sampling noise and whatever
   the two registers disagree on (the raking does its best, then stops).
4. Enumeration areas, housing and income are drawn afterwards
   (:func:`assign_enumeration_areas`, :func:`draw_housing`,
   :func:`draw_income`) with area-level random effects, so households in one
   EA resemble each other as they do in a real frame; names, phones and
   addresses come from :mod:`data.synthetic_contacts`.

This module allocates the households (step 1), runs the steps in order and numbers the
frame; step 2 lives in :mod:`data.synthetic_households`, step 3 in
:mod:`data.synthetic_calibration`, step 4 in :mod:`data.synthetic_areas`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.synthetic_areas import assign_enumeration_areas, draw_housing, draw_income
from data.synthetic_calibration import calibrate_households
from data.synthetic_contacts import draw_contacts, empty_contacts
from data.synthetic_draws import code_text, controlled_round
from data.synthetic_households import (
    age_group_of,
    draw_household_types,
    draw_members,
    head_age_band_of,
    household_type_from_counts,
)

__all__ = [
    "Frame",
    "FrameConfig",
    "age_group_of",
    "allocate_households",
    "assign_enumeration_areas",
    "calibrate_households",
    "controlled_round",
    "draw_contacts",
    "draw_household_types",
    "draw_housing",
    "draw_income",
    "draw_members",
    "generate_frame",
    "head_age_band_of",
    "household_type_from_counts",
]


@dataclass(frozen=True)
class FrameConfig:
    """Size, seed and shape of a synthetic frame.

    ``candidates_per_household`` is the size of the candidate pool the
    calibration chooses from (1 = no calibration: one candidate per household);
    ``raking_iterations`` caps the raking toward the population margin.
    """

    scale: float = 20.0  # real households per frame household
    seed: int = 20260101
    reference_year: int = 2026  # ages = reference_year - birth_year
    households_per_ea: int = 120  # target frame households per enumeration area (PSU)
    candidates_per_household: float = 2.0  # candidate pool size for calibration
    raking_iterations: int = 80


@dataclass
class Frame:
    """A generated frame; personal data (contacts) is kept in its own tables."""

    households: pd.DataFrame
    persons: pd.DataFrame
    household_contacts: pd.DataFrame
    person_contacts: pd.DataFrame
    scale_factor: float  # real households represented by one frame household
    config: FrameConfig = field(default_factory=FrameConfig)


# -- 1. households per district x size -----------------------------------------
def allocate_households(
    household_margins: pd.DataFrame, scale: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Frame households per district x household size (1..5, 5 = five or more).

    Returns one row per district x size with ``expected`` (= margin / scale) and
    ``households`` (its controlled rounding). Districts are sorted by code.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    hm = household_margins.assign(
        district_code=code_text(household_margins["district_code"]),
        household_size=np.minimum(household_margins["household_size"].astype(int), 5),
    )
    if (hm["household_size"] < 1).any() or (hm["households"] < 0).any():
        raise ValueError("household_margins: household_size must be >= 1, households >= 0")
    table = (
        hm.groupby(["district_code", "household_size"])["households"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=range(1, 6), fill_value=0)
        .sort_index()
    )
    expected = table.to_numpy(dtype=float).ravel() / scale
    return pd.DataFrame(
        {
            "district_code": np.repeat(table.index.to_numpy(dtype=str), 5),
            "household_size": np.tile(np.arange(1, 6), len(table)),
            "expected": expected,
            "households": controlled_round(expected, rng),
        }
    )


def _select(
    candidates: pd.DataFrame, members: pd.DataFrame, times: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chosen candidate households (repeated ``times``) and their members."""
    chosen = np.repeat(np.arange(len(candidates)), times)
    size = candidates["household_size"].to_numpy().astype(np.int64)
    start = np.cumsum(size) - size
    chosen_size = size[chosen]
    within = np.arange(chosen_size.sum()) - np.repeat(
        np.cumsum(chosen_size) - chosen_size, chosen_size
    )
    households = candidates.iloc[chosen].reset_index(drop=True)
    persons = members.iloc[np.repeat(start[chosen], chosen_size) + within].reset_index(drop=True)
    persons["household"] = np.repeat(np.arange(len(chosen)), chosen_size)
    return households, persons


# -- 5. the whole frame ---------------------------------------------------------
def _check_districts(
    districts: pd.DataFrame, population_margins: pd.DataFrame, household_margins: pd.DataFrame
) -> None:
    known = set(code_text(districts["code"]))
    for name, table in (
        ("population_margins", population_margins),
        ("household_margins", household_margins),
    ):
        unknown = set(code_text(table["district_code"])) - known
        if unknown:
            raise ValueError(f"{name}: district codes not in districts: {sorted(unknown)}")


def _number(
    households: pd.DataFrame, persons: pd.DataFrame, rng: np.random.Generator, reference_year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Order households by district and EA (random within), number them and their members."""
    ea = pd.factorize(households["ea_id"], sort=True)[0]
    order = np.argsort(ea + rng.random(len(ea)))  # EA by EA (so district by district)
    new_id = np.empty(len(households), dtype=np.int64)
    new_id[order] = np.arange(1, len(households) + 1)
    head_age = persons["age"].to_numpy()[persons["member_no"].to_numpy() == 1]
    hh = pd.DataFrame(
        {
            "household_id": new_id,
            "district_code": households["district_code"].astype(str),
            "ea_id": households["ea_id"].astype(str),
            "household_size": households["household_size"].astype(np.int16),
            "household_type": households["household_type"].astype(np.int16),
            "head_age_band": head_age_band_of(head_age).astype(np.int16),
        }
    )
    hh = hh.sort_values("household_id", kind="stable").reset_index(drop=True)
    household_id = new_id[persons["household"].to_numpy()]
    people = pd.DataFrame(
        {
            "household_id": household_id,
            "member_no": persons["member_no"].astype(np.int16),
            "relation": persons["relation"].astype(np.int16),
            "sex": persons["sex"].astype(np.int16),
            "birth_year": (reference_year - persons["age"]).astype(np.int16),
        }
    )
    people = people.iloc[np.argsort(household_id, kind="stable")].reset_index(drop=True)
    people.insert(0, "person_id", np.arange(1, len(people) + 1, dtype=np.int64))
    return hh, people


def generate_frame(
    districts: pd.DataFrame,
    population_margins: pd.DataFrame,
    household_margins: pd.DataFrame,
    config: FrameConfig = FrameConfig(),
    *,
    with_contacts: bool = True,
) -> Frame:
    """A synthetic Seoul frame consistent with the margins; same config, same frame.

    ``with_contacts=False`` leaves the contact tables empty (households and
    persons are the same as with contacts).
    """
    _check_districts(districts, population_margins, household_margins)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(8)]
    allocation = allocate_households(household_margins, config.scale, streams[0])
    candidates = draw_household_types(allocation, streams[1], config.candidates_per_household)
    members = draw_members(candidates, population_margins, streams[2])
    if config.candidates_per_household > 1:
        times = calibrate_households(
            candidates, members, allocation, population_margins, config.scale, streams[3],
            config.raking_iterations,
        )  # fmt: skip
    else:
        times = np.ones(len(candidates), dtype=np.int64)
    households, persons = _select(candidates, members, times)
    households["ea_id"] = assign_enumeration_areas(households, config.households_per_ea, streams[4])
    households, persons = _number(households, persons, streams[4], config.reference_year)
    households["housing_type"] = draw_housing(households, streams[5]).astype(np.int16)
    households["income_bracket"] = draw_income(households, streams[6]).astype(np.int16)
    households = households[
        ["household_id", "district_code", "ea_id", "household_size", "household_type"]
        + ["head_age_band", "income_bracket", "housing_type"]
    ]
    if with_contacts:
        contacts = draw_contacts(households, persons, districts, config.reference_year, streams[7])
    else:
        contacts = empty_contacts()
    return Frame(households, persons, *contacts, scale_factor=float(config.scale), config=config)
