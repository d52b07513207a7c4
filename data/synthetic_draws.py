"""Vectorized random draws shared by the synthetic-frame modules.

Controlled rounding (integer counts that keep their totals) and one
categorical draw per row from row-specific weights, both on whole numpy
vectors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def controlled_round(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round non-negative values to integers, each down or up, so that the total
    is exactly ``round(sum)`` and every run of consecutive values is off by < 1.

    Systematic rounding of the cumulative sums with one random offset chosen so
    the grand total lands on ``floor(sum + 0.5)``.
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    cum = np.cumsum(values)
    total = cum[-1]
    low = np.floor(total + 0.5) - total  # offset u must satisfy floor(total + u) == round
    lo, hi = max(0.0, low), min(1.0, low + 1.0)
    offset = lo + (hi - lo) * rng.random()
    rounded = np.floor(cum + offset)
    return np.diff(rounded, prepend=np.floor(offset)).astype(np.int64)


def draw_categorical(probs: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One category index per item, item i drawn from the weights ``probs[rows[i]]``."""
    weights = np.asarray(probs, dtype=float)
    totals = weights.sum(axis=1, keepdims=True)
    cdf = np.cumsum(weights / np.where(totals > 0, totals, 1.0), axis=1)
    cdf[:, -1] = 1.0
    n_cat = cdf.shape[1]
    flat = (cdf + np.arange(len(cdf))[:, None]).ravel()
    rows = np.asarray(rows, dtype=np.int64)
    index = np.searchsorted(flat, rows + rng.random(len(rows)), side="right")
    return np.minimum(index - rows * n_cat, n_cat - 1).astype(np.int16)


def code_text(series: pd.Series) -> pd.Series:
    """District codes as stripped text, whether pandas read them as numbers or strings."""
    return series.astype(str).str.strip()
