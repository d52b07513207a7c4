"""Enumeration areas, housing type and income of synthetic frame households.

Drawn after the households and their members (``data.synthetic``), with
area-level random effects so that households in one enumeration area resemble
each other, as they do in a real frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from data.synthetic_draws import code_text, controlled_round, draw_categorical


def assign_enumeration_areas(
    households: pd.DataFrame, households_per_ea: int, rng: np.random.Generator
) -> pd.Series:
    """EA id ("11110-0001") of each household; EAs nest in districts.

    Each district is cut into ``round(n / households_per_ea)`` areas whose
    sizes vary from about half to 1.65 times the target (60-200 for 120).
    Households are ordered along a latent "neighbourhood" score that leans
    one-person households together, so EAs differ as real ones do.
    """
    if len(households) == 0:
        return pd.Series([], index=households.index, dtype=str)
    code = code_text(households["district_code"]).to_numpy()
    size = households["household_size"].to_numpy()
    score = rng.normal(size=len(code)) + 0.8 * (size == 1) - 0.3 * (size >= 4)
    number = np.zeros(len(code), dtype=np.int64)
    order = np.argsort(code, kind="stable")
    bounds = np.flatnonzero(np.r_[True, code[order][1:] != code[order][:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        idx = order[lo:hi]
        n_ea = max(1, int(round((hi - lo) / max(households_per_ea, 1))))
        share = rng.uniform(0.5, 1.65, n_ea)
        sizes = controlled_round((hi - lo) * share / share.sum(), rng)
        sizes = sizes[sizes > 0]
        number[idx[np.argsort(score[idx], kind="stable")]] = np.repeat(
            np.arange(1, len(sizes) + 1), sizes
        )
    ea = pd.Series(code, index=households.index, dtype=str)
    return ea + "-" + pd.Series(number, index=households.index).astype(str).str.zfill(4)


# Apartment share of households by district (Seoul about 0.6; 노원구 highest).
APARTMENT_SHARE = {
    "11110": 0.30, "11140": 0.38, "11170": 0.45, "11200": 0.62, "11215": 0.48,
    "11230": 0.55, "11260": 0.52, "11290": 0.62, "11305": 0.45, "11320": 0.72,
    "11350": 0.85, "11380": 0.55, "11410": 0.55, "11440": 0.58, "11470": 0.70,
    "11500": 0.62, "11530": 0.62, "11545": 0.50, "11560": 0.58, "11590": 0.57,
    "11620": 0.38, "11650": 0.68, "11680": 0.64, "11710": 0.70, "11740": 0.68,
}  # fmt: skip
OFFICETEL_DISTRICTS = {"11110", "11140", "11440", "11530", "11560", "11620", "11650", "11680", "11710"}  # fmt: skip
NON_APARTMENT = np.array(
    [1, 3, 4, 5, 6], dtype=np.int8
)  # detached, row, non-res., officetel, other
NON_APARTMENT_WEIGHTS = np.array([0.25, 0.55, 0.04, 0.10, 0.06])
SIZE_APARTMENT_EFFECT = np.array([-1.0, -0.1, 0.4, 0.45, 0.2])  # size class 1..5


def _fit_intercepts(target: np.ndarray, effect: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per-group intercepts a with mean(sigmoid(a[group] + effect)) == target (Newton)."""
    a = np.log(target / (1 - target))
    n = np.bincount(group, minlength=len(target)).clip(1)
    for _ in range(12):
        p = expit(a[group] + effect)
        gap = np.bincount(group, weights=p, minlength=len(target)) / n - target
        slope = np.bincount(group, weights=p * (1 - p), minlength=len(target)) / n
        a -= np.clip(gap / np.maximum(slope, 1e-6), -2.0, 2.0)
    return a


def draw_housing(households: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """housing_type 1..6 from district, EA, household size and head age.

    Apartments: the district's share (``APARTMENT_SHARE``) on average, strongly
    clustered by EA, fewer for one-person households; those lean to
    officetels and other dwellings (gosiwon), older heads to detached houses.
    """
    code = code_text(households["district_code"])
    district, names = pd.factorize(code)
    share = pd.Series(names).map(APARTMENT_SHARE).fillna(0.6).to_numpy(dtype=float)
    ea = pd.factorize(households["ea_id"])[0]
    size_class = np.minimum(households["household_size"].to_numpy(), 5)
    effect = (
        rng.normal(0, 1.6, ea.max() + 1 if len(ea) else 0)[ea]
        + SIZE_APARTMENT_EFFECT[size_class - 1]
    )
    intercept = _fit_intercepts(share, effect, district)
    apartment = rng.random(len(ea)) < expit(intercept[district] + effect)
    weights = np.tile(NON_APARTMENT_WEIGHTS, (len(ea), 1))
    one = size_class == 1
    weights[one, 3:] *= 3.0
    weights[households["head_age_band"].to_numpy() >= 5, 0] *= 2.0
    weights[code.isin(OFFICETEL_DISTRICTS).to_numpy(), 3] *= 1.8
    kind = NON_APARTMENT[draw_categorical(weights, np.arange(len(ea)), rng)]
    return np.where(apartment, 2, kind).astype(np.int8)


INCOME_CUTS = np.array([100, 200, 300, 400, 500, 600, 700, 800])  # 만원 per month
INCOME_DISTRICT_EFFECT = {
    "11680": 0.32, "11650": 0.32, "11710": 0.18, "11170": 0.15, "11470": 0.10,
    "11200": 0.08, "11440": 0.08, "11740": 0.05, "11560": 0.03, "11590": 0.03,
    "11500": -0.02, "11410": -0.02, "11350": -0.03, "11290": -0.03, "11380": -0.05,
    "11530": -0.06, "11230": -0.07, "11320": -0.08, "11620": -0.10, "11260": -0.12,
    "11545": -0.12, "11305": -0.15,
}  # fmt: skip
INCOME_SIZE_EFFECT = np.array([-0.55, -0.1, 0.15, 0.3, 0.3])  # size class 1..5
INCOME_HEAD_EFFECT = np.array([-0.3, 0.05, 0.15, 0.15, -0.2, -0.7])  # head age band 1..6
INCOME_HOUSING_EFFECT = np.array([0.0, 0.15, -0.05, -0.2, -0.05, -0.4])  # housing type 1..6


def draw_income(households: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """income_bracket 1..9 from a log-normal monthly income (median about 450만원).

    Higher for larger households, heads aged 40-59, apartments and 강남/서초/
    송파; lower for heads 70+ and under 30 (more so living alone); plus an EA
    effect so that neighbours' incomes are alike.
    """
    size_class = np.minimum(households["household_size"].to_numpy(), 5)
    band = households["head_age_band"].to_numpy()
    code = code_text(households["district_code"])
    ea = pd.factorize(households["ea_id"])[0]
    log_income = (
        np.log(450)
        + INCOME_SIZE_EFFECT[size_class - 1]
        + INCOME_HEAD_EFFECT[band - 1]
        - 0.2 * ((size_class == 1) & ((band == 1) | (band == 6)))
        + code.map(INCOME_DISTRICT_EFFECT).fillna(0.0).to_numpy(dtype=float)
        + INCOME_HOUSING_EFFECT[households["housing_type"].to_numpy() - 1]
        + rng.normal(0, 0.2, ea.max() + 1 if len(ea) else 0)[ea]
        + rng.normal(0, 0.55, len(ea))
    )
    return (np.searchsorted(INCOME_CUTS, np.exp(log_income), side="right") + 1).astype(np.int8)
