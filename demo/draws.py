"""Vectorized random draws for the demo answers: categories, ordinal scales, heaped numbers.

The demo generates tens of thousands of answers per question; each helper
draws a whole column at once from numpy arrays (one row per respondent), so
the demo never loops over respondents in Python to make up an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def categorical(weights: np.ndarray, rng: np.random.Generator, codes: Sequence[int]) -> np.ndarray:
    """One code per row, with probability proportional to that row's ``weights`` (rows × codes)."""
    cumulative = np.cumsum(np.asarray(weights, dtype=float), axis=1)
    cumulative /= cumulative[:, -1:]
    picked = (rng.random(len(cumulative))[:, None] > cumulative).sum(axis=1)
    return np.asarray(codes)[np.minimum(picked, len(codes) - 1)]


def categorical_n(
    weights: ArrayLike, n: int, rng: np.random.Generator, codes: Sequence[int]
) -> np.ndarray:
    """``n`` codes drawn from one set of weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(codes), size=n, p=p / p.sum())


def ordinal(latent: np.ndarray, cuts: Sequence[float], first: int = 1) -> np.ndarray:
    """Codes ``first, first+1, …`` from a latent value and increasing cut points."""
    return np.searchsorted(np.asarray(cuts, dtype=float), latent) + first


def scale(latent: np.ndarray, low: int = 0, high: int = 10) -> np.ndarray:
    """A rating: the latent value rounded and kept within [low, high]."""
    return np.clip(np.rint(latent), low, high).astype(np.int64)


def lognormal(
    median: np.ndarray | float, sigma: float, n: int, rng: np.random.Generator
) -> np.ndarray:
    return np.asarray(median, dtype=float) * np.exp(rng.normal(0.0, sigma, n))


def heaped(values: np.ndarray, step: float, share: float, rng: np.random.Generator) -> np.ndarray:
    """Round a share of the values to a multiple of ``step``, as people report round numbers."""
    values = np.asarray(values, dtype=float)
    rounded = np.rint(values / step) * step
    return np.where(rng.random(len(values)) < share, rounded, np.rint(values))


def pick_some(
    weights: Sequence[float], k: np.ndarray, rng: np.random.Generator, codes: Sequence[int]
) -> list[list[int]]:
    """Per row, ``k[row]`` distinct codes drawn by weight (Gumbel top-k), as sorted lists."""
    n, w = len(k), np.log(np.asarray(weights, dtype=float))
    keys = w[None, :] + rng.gumbel(size=(n, len(w)))
    order = np.argsort(-keys, axis=1)
    codes_array = np.asarray(codes)
    taken = np.arange(len(w))[None, :] < np.asarray(k)[:, None]
    chosen = np.where(taken, codes_array[order], 0)
    chosen.sort(axis=1)
    return [[int(c) for c in row if c] for row in chosen]


def bernoulli(p: np.ndarray | float, n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.random(n) < np.asarray(p, dtype=float)


def expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def fit_intercept(target: float, effect: np.ndarray) -> float:
    """The intercept ``a`` with mean(expit(a + effect)) == target (Newton steps)."""
    a = float(np.log(target / (1 - target)))
    for _ in range(20):
        p = expit(a + effect)
        slope = float(np.mean(p * (1 - p))) or 1e-6
        a -= float(np.clip((p.mean() - target) / slope, -2, 2))
    return a


def column(values: Any, asked: ArrayLike | None = None, kind: type | None = int) -> list[Any]:
    """Answers as plain Python values (``kind`` int or float; None keeps objects such as
    lists and text), and None where the question was not asked or was skipped."""
    array = np.asarray(values)
    if kind is int:
        array = np.nan_to_num(array.astype(float)).astype(np.int64)
    elif kind is float:
        array = array.astype(float)
    plain = array.astype(object)
    if asked is None:
        return plain.tolist()
    return np.where(np.asarray(asked, dtype=bool), plain, np.array(None)).tolist()


def records(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """One answers dict per row, leaving out what was not answered."""
    names = list(columns)
    return [
        {name: value for name, value in zip(names, row, strict=True) if value is not None}
        for row in zip(*columns.values(), strict=True)
    ]
