"""The demo's district effects: drawn once, shared by the Seoul Survey and the panel waves.

Why: the demo's cross-sections and its panel waves sample the same synthetic
Seoul, so a district whose people are happier in the Seoul Survey must be
happier in the panel's parallel survey too, and a district far from the centre
must commute longer in both. Each generator used to have an effect of its own
(a normal draw in :mod:`demo.person_answers`, a hash of the district code in
:mod:`demo.panel_answers`), and the panel's district ranking of happiness had
nothing to do with the cross-section's. Every demo generator now takes its
district effects from here: one draw per district of the shipped reference list
(``data/reference/districts.csv``) from a fixed seed, so a district's effect is
the same in every year and wave and never depends on which districts a sample
happens to hold.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from data.reference import shipped_csv

DISTRICT_SEED = 11  # the same district effects in every year and wave
WELLBEING_SD = 0.3  # latent 0-10 points
ENVIRONMENT_SD = 0.45
ENVIRONMENT = ("residential", "transport", "green", "safety", "culture")
# districts on Seoul's edge: longer bus and subway rides to work or school
OUTER_DISTRICTS = frozenset(
    {"11320", "11350", "11305", "11260", "11500", "11530", "11545", "11740"}
)
OUTER_TRANSIT = 1.2  # × the median minutes of a ride by bus, subway, car, taxi or other


@cache
def _effects() -> pd.DataFrame:
    codes = np.sort(shipped_csv("districts")["code"].astype(str).to_numpy())
    rng = np.random.default_rng(DISTRICT_SEED)
    return pd.DataFrame(
        {
            "wellbeing": rng.normal(0, WELLBEING_SD, len(codes)),
            **{f"env_{k}": rng.normal(0, ENVIRONMENT_SD, len(codes)) for k in ENVIRONMENT},
        },
        index=pd.Index(codes, name="district_code"),
    )


def district_effects() -> pd.DataFrame:
    """Per district code (the index): a well-being effect and five living-environment effects."""
    return _effects().copy()


def effects_of(districts: np.ndarray | pd.Series) -> pd.DataFrame:
    """One row of effects per element of ``districts`` (codes; 0 for a code not on the list)."""
    codes = pd.Series(np.asarray(districts)).astype(str)
    return _effects().reindex(codes.to_numpy()).fillna(0.0).reset_index(drop=True)


def is_outer(districts: np.ndarray | pd.Series) -> np.ndarray:
    """Whether each district is one of :data:`OUTER_DISTRICTS`."""
    return pd.Series(np.asarray(districts)).astype(str).isin(OUTER_DISTRICTS).to_numpy()


def ride_factor(districts: np.ndarray | pd.Series, mode: np.ndarray) -> np.ndarray:
    """The factor on a commute's median minutes: :data:`OUTER_TRANSIT` for a ride (mode 3..8,
    bus to other, as both questionnaires code it) from an outer district, else 1."""
    return np.where(is_outer(districts) & (np.asarray(mode) >= 3), OUTER_TRANSIT, 1.0)
