"""Rows as integer codes: strata, PSUs and the domains of a ``by`` table, and the result columns.

Why a module of its own: the design (:mod:`analysis.estimation.design`) and every estimator
(:mod:`analysis.estimation.estimators`, :mod:`~analysis.estimation.quantiles`,
:mod:`~analysis.estimation.replicates`, :mod:`~analysis.estimation.calibration`) group rows by
integer codes and lay their results out in the same columns. Kept here, below all of them, those
shared pieces let the estimators work on a design without importing the design's module, so
``SurveyDesign``'s verbs can import the estimators without an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DENSE_LIMIT = 4_000_000  # largest code space grouped with a dense bincount
# The statistics of every estimate, after its ``by`` columns (and ``level``), in this order.
COLUMNS = ["estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "n_missing"]


def compact_codes(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber integer keys in [0, size) as 0..m-1; return (inverse, distinct keys)."""
    if size <= DENSE_LIMIT:
        present = np.bincount(keys, minlength=size) > 0
        distinct = np.flatnonzero(present)
        remap = np.cumsum(present) - 1
        return remap[keys], distinct
    inverse, distinct = pd.factorize(keys)
    return inverse.astype(np.int64), np.asarray(distinct, dtype=np.int64)


@dataclass(frozen=True)
class Domains:
    """Domain code per row (-1: a ``by`` value is missing) and the table of domain keys."""

    code: np.ndarray
    keys: pd.DataFrame

    @property
    def size(self) -> int:
        return len(self.keys)


def domains(frame: pd.DataFrame, by: Sequence[str] | str | None) -> Domains:
    """Encode the ``by`` columns as one domain code per row, domains sorted by their values."""
    columns = [by] if isinstance(by, str) else list(by or [])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"by column(s) {missing} not in the frame")
    if not columns:
        return Domains(np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1)))
    key = np.zeros(len(frame), dtype=np.int64)
    absent = np.zeros(len(frame), dtype=bool)
    uniques = []
    space = 1
    for column in columns:
        codes, values = pd.factorize(frame[column], sort=True)
        absent |= codes < 0
        key = key * (len(values) + 1) + codes  # mixed radix; fits int64 for any real table
        uniques.append((len(values), values))
        space *= len(values) + 1
    code, present = compact_codes(key[~absent], space)
    if space > DENSE_LIMIT:  # hashed codes come in order of appearance: sort the domains
        order = np.argsort(present)
        present, code = present[order], np.argsort(order)[code]
    row_code = np.full(len(frame), -1, dtype=np.int64)
    row_code[~absent] = code
    decoded = {}
    rest = present.copy()
    for column, (size, values) in zip(reversed(columns), reversed(uniques), strict=True):
        decoded[column] = np.asarray(values)[rest % (size + 1)]
        rest = rest // (size + 1)
    keys = pd.DataFrame({c: decoded[c] for c in columns})
    for column in columns:
        keys[column] = keys[column].astype(frame[column].dtype)
    return Domains(row_code, keys)


def item_indicators(
    values: pd.Series, categorical: bool | None
) -> tuple[np.ndarray, np.ndarray, pd.Index | None]:
    """(rows x J) 0/1 matrix, validity mask, and the levels (None for a 0/1 item)."""
    valid = values.notna().to_numpy()
    observed = values[valid]
    numeric = pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
    binary = numeric and bool(observed.isin([0, 1]).all())
    if categorical is False and not binary:
        raise ValueError(f"variable {values.name!r} is not a 0/1 item; pass categorical=True")
    if categorical is None:
        categorical = not binary
    if not categorical:
        y = values.to_numpy(dtype=float, na_value=np.nan)
        return np.where(valid, y, 0.0)[:, None], valid, None
    if isinstance(values.dtype, pd.CategoricalDtype):  # every level, used or not (R's factor)
        codes, levels = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, levels = pd.factorize(values, sort=True)
    y = (codes[:, None] == np.arange(len(levels))[None, :]).astype(float)
    levels = pd.Index(levels)
    if pd.api.types.is_float_dtype(levels) and (levels == np.round(levels)).all():
        levels = levels.astype("int64")  # codes read as float because of missing values
    return y, valid, levels
