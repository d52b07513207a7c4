"""Recruitment of the household panel and its reserve from the frame.

Design (issue #5, part 1):

- **Disjoint from the cross-sections.** Households in ``exclude_ids`` (the
  Seoul Survey samples) are removed first; every probability below is
  conditional on that removal, with ``N_h`` the remaining households of
  district ``h``.
- **Explicit strata: districts.** The panel target is split with
  :func:`surveys.fieldwork.sampling.allocate` by the operator's method
  (``proportional``, ``proportional_floor`` or ``sqrt``), giving ``p_h``. The
  reserve is split with the same method (floor scaled by ``reserve/target``)
  within the households left, giving ``r_h``.
- **Implicit strata: household type × head's age band.** Within a district
  the households are sorted by type, then age band, then a random key, and
  ``n_h = p_h + r_h`` are taken by *one* systematic sample with interval
  ``k_h = N_h / n_h`` from a random start ``u_h ~ U[0, k_h)``. The sample
  therefore spreads over the implicit strata in proportion to their size.
- **Roles.** The ``n_h`` selected households are split at random into ``p_h``
  panel and ``r_h`` reserve households, so both have the same strata.

Inclusion probabilities (recorded for the base weights):

- ``pi = n_h / N_h``: being selected in the combined draw;
- ``pi_panel = (p_h / n_h) * pi = p_h / N_h``: being a panel household;
- ``pi_reserve = (r_h / n_h) * pi = r_h / N_h``: being a reserve household
  (a replacement joins with this probability).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveys.fieldwork.sampling import allocate

CELL = ["district_code", "household_type", "head_age_band"]
COLUMNS = CELL + ["role", "pi", "pi_panel", "pi_reserve", "sort_order"]


@dataclass(frozen=True)
class Recruitment:
    """The drawn panel and reserve, and the per-district allocation behind them."""

    panel: pd.DataFrame  # household_id + COLUMNS, role == "panel"
    reserve: pd.DataFrame  # household_id + COLUMNS, role == "reserve"
    allocation: pd.DataFrame  # per district: N_h, n_panel, n_reserve, n, pi, pi_panel, pi_reserve
    seed: int

    def roster(self) -> pd.DataFrame:
        """A starting roster: panel households ``invited``, reserve households ``reserve``."""
        both = pd.concat([self.panel, self.reserve], ignore_index=True)
        both["status"] = np.where(both["role"] == "panel", "invited", "reserve")
        both["replaces"] = pd.array([pd.NA] * len(both), dtype="Int64")
        both["match_level"] = pd.array([pd.NA] * len(both), dtype="Int8")
        return both


def _systematic(sizes: np.ndarray, n: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Positions (0-based, within each stratum's sorted list) of a systematic sample.

    Stratum ``h`` of size ``N_h`` gets ``n_h`` points ``floor(u_h + i * k_h)``,
    ``i = 0..n_h-1``, ``k_h = N_h / n_h``, ``u_h ~ U[0, k_h)``; each unit is
    selected with probability ``n_h / N_h`` exactly.
    """
    n = n.astype(np.int64)
    interval = np.divide(sizes, n, out=np.ones(len(n)), where=n > 0)
    start = rng.random(len(n)) * interval
    stratum = np.repeat(np.arange(len(n)), n)
    step = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    position = np.floor(start[stratum] + step * interval[stratum]).astype(np.int64)
    return np.minimum(position, sizes[stratum] - 1)


def recruit(
    frame: pd.DataFrame,
    *,
    target: int = 20_000,
    reserve: int = 100_000,
    allocation: str = "proportional_floor",
    floor: int = 200,
    exclude_ids: Iterable[int] = (),
    seed: int = 1,
) -> Recruitment:
    """Draw ``target`` panel and ``reserve`` reserve households from ``frame``.

    ``frame`` holds one row per household with ``household_id``,
    ``district_code``, ``household_type`` and ``head_age_band``. See the module
    docstring for the design and the probabilities. The same frame and seed
    give the same draw.
    """
    rng = np.random.default_rng(seed)
    excluded = np.fromiter(exclude_ids, dtype=np.int64)
    eligible = frame.loc[~frame["household_id"].isin(excluded), ["household_id"] + CELL]
    if len(eligible) < target + reserve:
        raise ValueError(
            f"the frame has {len(eligible)} eligible households, fewer than "
            f"{target} panel + {reserve} reserve"
        )
    sizes = eligible.groupby("district_code", observed=True).size().rename("N_h")
    n_panel = allocate(sizes, target, method=allocation, floor=floor, capacity=sizes, rng=rng)
    reserve_floor = int(floor * reserve / target) if target else 0
    reserve_floor = min(reserve_floor, reserve // len(sizes))
    left = sizes - n_panel
    if reserve > 0:
        n_reserve = allocate(
            sizes, reserve, method=allocation, floor=reserve_floor, capacity=left, rng=rng
        )
    else:
        n_reserve = pd.Series(0, index=sizes.index)
    table = pd.DataFrame({"N_h": sizes, "n_panel": n_panel, "n_reserve": n_reserve})
    table["n"] = table["n_panel"] + table["n_reserve"]
    table["pi"] = table["n"] / table["N_h"]
    table["pi_panel"] = table["n_panel"] / table["N_h"]
    table["pi_reserve"] = table["n_reserve"] / table["N_h"]

    # implicit stratification: sort by district, type, age band, random key
    stratum = pd.Categorical(eligible["district_code"], categories=sizes.index).codes
    order = np.lexsort(
        (
            rng.random(len(eligible)),
            eligible["head_age_band"].to_numpy(),
            eligible["household_type"].to_numpy(),
            stratum,
        )
    )
    ordered = eligible.iloc[order].reset_index(drop=True)
    offsets = np.cumsum(sizes.to_numpy()) - sizes.to_numpy()
    positions = _systematic(sizes.to_numpy(), table["n"].to_numpy(), rng)
    counts = table["n"].to_numpy()
    rows = np.repeat(offsets, counts) + positions
    drawn = ordered.iloc[rows].reset_index(drop=True)
    drawn["sort_order"] = positions

    # random split into panel and reserve within each district
    drawn_stratum = np.repeat(np.arange(len(sizes)), counts)
    shuffle = np.lexsort((rng.random(len(drawn)), drawn_stratum))
    rank = np.empty(len(drawn), dtype=np.int64)
    rank[shuffle] = np.arange(len(drawn)) - np.repeat(np.cumsum(counts) - counts, counts)
    is_panel = rank < table["n_panel"].to_numpy()[drawn_stratum]
    drawn["role"] = np.where(is_panel, "panel", "reserve")
    for column in ("pi", "pi_panel", "pi_reserve"):
        drawn[column] = table[column].to_numpy()[drawn_stratum]
    drawn = drawn[["household_id"] + COLUMNS]
    panel = drawn[is_panel].reset_index(drop=True)
    reserve_frame = drawn[~is_panel].reset_index(drop=True)
    return Recruitment(panel, reserve_frame, table, seed)
