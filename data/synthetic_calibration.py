"""Calibration of the synthetic frame's candidates to the 15+ population margin (step 3
of :mod:`data.synthetic`).

Why a module of its own: choosing which candidate households enter the frame is a
raking problem of its own — tilt the selection probabilities until the expected
residents aged 15+ per district x sex x age group equal the margin, with each cell of
district x household size still getting exactly its allocated households — solved on
whole vectors (the pool is laid out once, then every pass is a few ``reduceat``), and
finished by systematic PPS selection.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from data.synthetic_households import N_CELLS, age_group_of, district_codes_of, population_table


# -- 3. calibration to the 15+ population margin -------------------------------
class _Pool(NamedTuple):
    """Candidates laid out for raking: adults contiguous per household, households
    contiguous per cell (as :func:`draw_household_types` and :func:`draw_members` make them)."""

    key: np.ndarray  # district x sex x age cell of each adult, in household order
    adult_start: np.ndarray  # first adult of each household
    by_key: np.ndarray  # adults sorted by key: their household
    key_start: np.ndarray  # first adult of each present key in by_key
    keys: np.ndarray  # the present keys
    cell_start: np.ndarray  # first household of each non-empty cell
    cell_size: np.ndarray
    wanted: np.ndarray  # allocated households of each non-empty cell


def _segments(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and value of each run of equal values."""
    if len(sorted_values) == 0:
        return np.zeros(0, dtype=np.int64), sorted_values
    start = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return start, sorted_values[start]


def _pool(hh: np.ndarray, key: np.ndarray, cell: np.ndarray, wanted: np.ndarray) -> _Pool:
    """Lay out adults (household ``hh``, cell ``key``) and candidates (``cell``)."""
    if (np.diff(cell) < 0).any() or (np.diff(hh) < 0).any():
        raise ValueError("candidates must be sorted by cell and members by candidate")
    adult_start = _segments(hh)[0]
    if len(adult_start) != len(cell):
        raise ValueError("every candidate household needs a member aged 15+")
    small = key.astype(np.int16) if key.max() < 2**15 else key
    order = np.argsort(small, kind="stable")  # radix sort for int16
    key_start, keys = _segments(key[order])
    cell_start, cells = _segments(cell)
    cell_size = np.diff(np.r_[cell_start, len(cell)])
    return _Pool(key, adult_start, hh[order], key_start, keys, cell_start, cell_size, wanted[cells])


def _inclusion(
    theta: np.ndarray, pool: _Pool, certain: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Selection probabilities under tilt ``theta``: proportional to the weights,
    at most 1, summing to each cell's allocated count; and the households taken
    for certain. Passing the previous ``certain`` saves passes while raking
    (those households then stay certain: a close approximation)."""
    weight = np.exp(np.add.reduceat(theta[pool.key], pool.adult_start))
    certain = np.zeros(len(weight), dtype=bool) if certain is None else certain.copy()
    for _ in range(20):  # households whose share would pass 1 are taken for certain
        free = weight * ~certain
        total = np.add.reduceat(free, pool.cell_start)
        rest = pool.wanted - np.add.reduceat(certain, pool.cell_start)
        factor = rest / np.where(total > 0, total, 1.0)
        pi = np.where(certain, 1.0, free * np.repeat(factor, pool.cell_size))
        over = pi > 1
        if not over.any():
            break
        certain |= over
    return np.minimum(pi, 1.0), certain


def _achieved(pi: np.ndarray, pool: _Pool, n_keys: int) -> np.ndarray:
    """Expected adults per district x sex x age cell under selection probabilities pi."""
    achieved = np.zeros(n_keys)
    achieved[pool.keys] = np.add.reduceat(pi[pool.by_key], pool.key_start)
    return achieved


def _systematic_pps(pi: np.ndarray, cell: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Times each candidate is selected: systematic PPS within cells, random order.

    Exactly ``sum(pi)`` (an integer per cell) selections per cell; a candidate
    with ``pi`` > 1 may be taken more than once.
    """
    order = np.argsort(cell + rng.random(len(pi)))  # cell by cell, random within
    c, p = cell[order], pi[order]
    cum = np.cumsum(p)
    first = np.r_[True, c[1:] != c[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(c)), 0))
    before = (cum - p)[start]
    upper = cum - before
    last = np.r_[c[1:] != c[:-1], True]
    upper[last] = np.round(upper[last])
    offset = rng.uniform(1e-6, 1 - 1e-6, cell.max() + 1 if len(cell) else 0)[c]
    lower = np.where(first, 0.0, np.r_[0.0, upper[:-1]])
    times = np.ceil(upper - offset) - np.ceil(lower - offset)
    out = np.zeros(len(pi), dtype=np.int64)
    out[order] = times
    return out


def calibrate_households(
    candidates: pd.DataFrame,
    members: pd.DataFrame,
    allocation: pd.DataFrame,
    population_margins: pd.DataFrame,
    scale: float,
    rng: np.random.Generator,
    iterations: int = 80,
    tolerance: float = 0.005,
) -> np.ndarray:
    """How many times each candidate household enters the frame (0 or 1).

    Rakes the tilt ``theta[district, sex x age]`` until the expected members
    aged 15+ per district x sex x age group match ``population / scale``, then
    selects exactly the allocated number of households per cell.
    """
    if len(candidates) == 0:
        return np.zeros(0, dtype=np.int64)
    wanted = allocation["households"].to_numpy(dtype=float)
    cell = candidates["cell"].to_numpy()
    district = candidates["district"].to_numpy()
    target = population_table(population_margins, district_codes_of(candidates)).ravel() / scale
    adult = members["age"].to_numpy() >= 15
    hh = members["candidate"].to_numpy()[adult]
    sex_age = (
        (members["sex"].to_numpy()[adult] - 1) * 7
        + age_group_of(members["age"].to_numpy()[adult])
        - 1
    )
    key = district[hh] * N_CELLS + sex_age
    pool = _pool(hh, key, cell, wanted)
    theta, certain = np.zeros(len(target)), None
    for _ in range(iterations):
        pi, certain = _inclusion(theta, pool, certain)
        step = np.log((target + 0.5) / (_achieved(pi, pool, len(target)) + 0.5))
        if np.abs(step).max() < tolerance:
            break
        theta = np.clip(theta + 0.8 * step, -4.0, 4.0)
    return _systematic_pps(_inclusion(theta, pool)[0], cell, rng)
