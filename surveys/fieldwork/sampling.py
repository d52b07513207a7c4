"""Sample designs: allocation to strata, PPS selection of areas, households within areas.

The Seoul Survey draws a stratified two-stage sample from the frame:

1. **Allocation** of the household sample to the 25 district strata,
   proportional to the number of households with a floor per district
   (:func:`allocate`), so that every district supports estimates. The panel
   reuses the same function with square-root allocation.
2. **Areas** (enumeration areas, the PSUs) within each stratum with
   probability proportional to size by systematic PPS from a random start on a
   randomly ordered list (:func:`pps_systematic`). Areas large enough to be
   certain are taken with probability one and the rest re-allocated
   (Särndal, Swensson & Wretman 1992, §3.6).
3. **Households**: a fixed number ``m`` per selected area by simple random
   sampling without replacement (all of them when the area is smaller).

Every sampled household's inclusion probability is recorded:
``pi = pi_area * pi_household|area`` with ``pi_area = a_h * M_i / M_h`` (capped
at 1) and ``pi_household|area = min(1, m / M_i)``; the design weight is
``1 / pi``. Summed over every household of a stratum, the probabilities equal
the stratum's expected sample size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ALLOCATIONS = ("proportional", "proportional_floor", "sqrt")


def _controlled_round(values: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Integers that keep ``total``: floor every value, then give the remaining units
    to cells chosen with probability equal to their fractional parts (Cox 1987)."""
    base = np.floor(values).astype(np.int64)
    remaining = int(total - base.sum())
    if remaining <= 0:
        return base
    fraction = values - base
    chosen = rng.choice(len(values), size=remaining, replace=False, p=fraction / fraction.sum())
    base[chosen] += 1
    return base


def allocate(
    sizes: pd.Series,
    n: int,
    *,
    method: str = "proportional_floor",
    floor: int = 0,
    capacity: pd.Series | None = None,
    rng: np.random.Generator | None = None,
) -> pd.Series:
    """Split a total sample ``n`` across strata.

    - ``proportional``: ``n_h ∝ N_h``;
    - ``proportional_floor``: at least ``floor`` per stratum, the rest ∝ ``N_h``
      (strata at the floor are fixed and the others re-scaled until stable);
    - ``sqrt``: ``n_h ∝ sqrt(N_h)`` (Kish's compromise between equal and
      proportional allocation), with the floor applied the same way.

    ``capacity`` caps each stratum (e.g. the number of units available). The
    result is integral and sums to ``n`` (controlled rounding).
    """
    if method not in ALLOCATIONS:
        raise ValueError(f"unknown allocation {method!r}; use one of {ALLOCATIONS}")
    sizes = sizes.astype(float)
    if (sizes < 0).any() or sizes.sum() <= 0:
        raise ValueError("stratum sizes must be non-negative with a positive total")
    cap = (capacity if capacity is not None else sizes).astype(float).reindex(sizes.index)
    if n > cap.sum():
        raise ValueError(f"sample of {n} exceeds the {int(cap.sum())} units available")
    measure = np.sqrt(sizes) if method == "sqrt" else sizes
    low = np.minimum(float(floor if method != "proportional" else 0), cap)
    if low.sum() > n:
        raise ValueError(
            f"a floor of {floor} per stratum needs at least {int(low.sum())} units, not {n}"
        )
    fixed = pd.Series(np.nan, index=sizes.index)
    for _ in range(len(sizes) + 1):
        free = fixed.isna()
        share = measure[free] / measure[free].sum() * (n - fixed[~free].sum())
        at_low = free & (share.reindex(sizes.index) < low)
        at_cap = free & (share.reindex(sizes.index) > cap)
        if not (at_low.any() or at_cap.any()):
            break
        fixed[at_low] = low[at_low]
        fixed[at_cap] = cap[at_cap]
    target = fixed.fillna(share).to_numpy()
    rng = rng or np.random.default_rng(0)
    return pd.Series(_controlled_round(target, n, rng), index=sizes.index, name="n")


def pps_probabilities(sizes: np.ndarray, n: int) -> np.ndarray:
    """Inclusion probabilities ``n * M_i / sum M`` with certainty units capped at 1.

    Units whose probability would exceed one are taken with certainty and the
    remaining sample is spread over the others, repeatedly.
    """
    sizes = np.asarray(sizes, dtype=float)
    if n > np.count_nonzero(sizes > 0):
        raise ValueError(
            f"cannot draw {n} units: only {np.count_nonzero(sizes > 0)} have a positive size"
        )
    pi = np.zeros(len(sizes))
    certain = np.zeros(len(sizes), dtype=bool)
    for _ in range(len(sizes) + 1):
        rest = n - certain.sum()
        others = ~certain
        pi[others] = rest * sizes[others] / sizes[others].sum() if rest > 0 else 0.0
        pi[certain] = 1.0
        over = others & (pi >= 1.0)
        if not over.any():
            break
        certain |= over
    return pi


def pps_systematic(
    sizes: np.ndarray, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Systematic PPS selection of ``n`` units: (indices selected, inclusion probabilities of all).

    The units are put in random order, their probabilities cumulated, and the
    points ``u, u+1, …, u+n-1`` (``u`` uniform on [0, 1)) select the units whose
    cumulated interval they fall in. Each unit is selected with exactly its
    probability ``pi_i`` (which sum to ``n``).
    """
    pi = pps_probabilities(sizes, n)
    order = rng.permutation(len(pi))
    cumulative = np.cumsum(pi[order])
    points = rng.random() + np.arange(n)
    hits = np.searchsorted(cumulative, points, side="right")
    selected = order[np.clip(hits, 0, len(pi) - 1)]
    return np.sort(selected), pi


@dataclass(frozen=True)
class TwoStageDesign:
    """A stratified two-stage design: strata → areas by PPS → ``per_area`` households."""

    n_households: int
    per_area: int = 10
    floor: int = 0  # minimum households per stratum
    allocation: str = "proportional_floor"
    stratum: str = "district_code"
    area: str = "ea_id"
    seed: int = 1

    def describe(self) -> dict:
        return {
            "design": "stratified two-stage: PPS systematic areas, SRS households",
            "n_households": self.n_households,
            "per_area": self.per_area,
            "floor": self.floor,
            "allocation": self.allocation,
            "stratum": self.stratum,
            "area": self.area,
            "seed": self.seed,
        }


def area_allocation(
    frame: pd.DataFrame, design: TwoStageDesign, rng: np.random.Generator
) -> pd.DataFrame:
    """Per stratum: households N_h, areas, areas to select a_h and the household sample.

    The allocation is made in areas (``n_households / per_area`` of them, the
    floor likewise in areas), so the sample has exactly ``a_h * per_area``
    households per stratum whenever the selected areas hold that many.
    """
    areas = frame.groupby([design.stratum, design.area]).size().rename("households").reset_index()
    strata = areas.groupby(design.stratum).agg(
        households=("households", "sum"), areas=("households", "size")
    )
    total_areas = int(round(design.n_households / design.per_area))
    strata["n_areas"] = allocate(
        strata["households"],
        total_areas,
        method=design.allocation,
        floor=int(np.ceil(design.floor / design.per_area)),
        capacity=strata["areas"],
        rng=rng,
    )
    strata["n_households"] = strata["n_areas"] * design.per_area
    return strata


def draw_two_stage(frame: pd.DataFrame, design: TwoStageDesign) -> pd.DataFrame:
    """Draw the sample; one row per sampled household with its probabilities.

    Columns: household_id, stratum, area, area_households (M_i), pi_area,
    pi_within, pi, design_weight.
    """
    rng = np.random.default_rng(design.seed)
    strata = area_allocation(frame, design, rng)
    parts = []
    for stratum, row in strata.iterrows():
        members = frame[frame[design.stratum] == stratum]
        sizes = members.groupby(design.area).size()
        chosen, pi_area = pps_systematic(sizes.to_numpy(), int(row["n_areas"]), rng)
        for position in chosen:
            area = sizes.index[position]
            households = members.loc[members[design.area] == area, "household_id"].to_numpy()
            take = min(design.per_area, len(households))
            picked = rng.choice(households, size=take, replace=False)
            pi_within = take / len(households)
            parts.append(
                pd.DataFrame(
                    {
                        "household_id": np.sort(picked),
                        "stratum": stratum,
                        "area": area,
                        "area_households": len(households),
                        "pi_area": pi_area[position],
                        "pi_within": pi_within,
                    }
                )
            )
    sample = pd.concat(parts, ignore_index=True)
    sample["pi"] = sample["pi_area"] * sample["pi_within"]
    sample["design_weight"] = 1.0 / sample["pi"]
    return sample


def frame_inclusion_probabilities(frame: pd.DataFrame, design: TwoStageDesign) -> pd.Series:
    """Every frame household's inclusion probability under the design (for checks and weights).

    Uses the same allocation as :func:`draw_two_stage` with the same seed.
    """
    rng = np.random.default_rng(design.seed)
    strata = area_allocation(frame, design, rng)
    sizes = frame.groupby([design.stratum, design.area]).size().rename("M")
    pi_area = pd.Series(0.0, index=sizes.index)
    for stratum, row in strata.iterrows():
        own = sizes.loc[stratum]
        pi_area.loc[stratum] = pps_probabilities(own.to_numpy(), int(row["n_areas"]))
    pi_within = np.minimum(1.0, design.per_area / sizes)
    per_area = (pi_area * pi_within).rename("pi")
    keys = pd.MultiIndex.from_frame(frame[[design.stratum, design.area]])
    return pd.Series(per_area.reindex(keys).to_numpy(), index=frame.index, name="pi")
