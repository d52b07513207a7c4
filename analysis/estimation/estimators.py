"""Design-based estimators as verbs on a ``SurveyDesign``: mean, total, proportion, count, ratio.

Each verb returns one tidy table — the ``by`` columns (and ``level`` for the
levels of a categorical item), then ``estimate``, ``se``, ``ci_low``,
``ci_high``, ``cv``, ``deff``, ``n``, ``n_missing`` — with numbers equal to R's
``survey`` (``svymean``, ``svytotal``, ``svyratio``, ``svyby``, ``svyciprop``) to
about 1e-12; ``tests/analysis`` checks them against R goldens.

Domains are subpopulations, not subsets: units outside a domain keep their
place in the design with influence zero, so every domain's variance counts all
PSUs of every stratum (Lumley 2010, §2.3; Särndal et al. 1992, §10.3). Missing
values of an item are treated as R's ``na.rm = TRUE`` does — as one more
domain restriction — and counted in ``n_missing``. A whole ``by`` table is
computed at once from grouped sums; there is no loop over domains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.estimation.domains import Domains, domains, item_indicators
from analysis.estimation.intervals import CIMethod, check_ci, interval

if TYPE_CHECKING:
    from analysis.estimation.design import SurveyDesign

__all__ = ["CIMethod", "count", "mean", "proportion", "ratio", "total"]


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        raise KeyError(f"variable {column!r} is not in the frame")
    values = frame[column]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        raise TypeError(f"variable {column!r} must be numeric (it is {values.dtype})")
    return values.to_numpy(dtype=float, na_value=np.nan)


@dataclass
class _Sums:
    """Grouped sums over the respondents (valid rows in a domain) of one item."""

    rows: np.ndarray  # row indices of respondents
    domain: np.ndarray  # their domain codes
    w: np.ndarray  # their weights
    weight_sum: np.ndarray  # W_d
    n: np.ndarray  # respondents per domain
    nobs: np.ndarray  # respondents with non-zero weight (R's nobs)
    n_missing: np.ndarray


def _sums(design: SurveyDesign, dom: Domains, valid: np.ndarray) -> _Sums:
    in_domain = dom.code >= 0
    rows = np.flatnonzero(valid & in_domain)
    d = dom.code[rows]
    w = design.weights[rows]
    size = dom.size
    return _Sums(
        rows=rows,
        domain=d,
        w=w,
        weight_sum=np.bincount(d, weights=w, minlength=size),
        n=np.bincount(d, minlength=size),
        nobs=np.bincount(d, weights=(w != 0), minlength=size),
        n_missing=np.bincount(dom.code[in_domain & ~valid], minlength=size),
    )


def _by_domain(values: np.ndarray, s: _Sums, size: int) -> np.ndarray:
    """Column-wise sums per domain of a (respondents x J) array."""
    return np.column_stack(
        [
            np.bincount(s.domain, weights=values[:, j], minlength=size)
            for j in range(values.shape[1])
        ]
    )


def _srs_variance_of_mean(y: np.ndarray, centre: np.ndarray, s: _Sums, size: int) -> np.ndarray:
    """R's ``svyvar(x) * (N - n)/(N n)``: variance of the mean under SRS without replacement.

    svyvar = n/(n-1) sum w (y - ybar)^2 / sum w, with n the respondents of non-zero weight.
    """
    resid = y - centre[s.domain]
    ss = _by_domain(s.w[:, None] * resid * resid, s, size)
    nobs = s.nobs[:, None]
    big_w = s.weight_sum[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = ss / big_w * nobs / (nobs - 1)
        vsrs = s2 * (big_w - nobs) / (big_w * nobs)
    return np.where(big_w < nobs, np.nan, vsrs)  # R: weights not scaled to the population


def _linear(
    design: SurveyDesign, y: np.ndarray, valid: np.ndarray, dom: Domains, kind: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Sums, np.ndarray]:
    """Estimates, variances, deffs (domains x J) of means or totals of the columns of y."""
    s = _sums(design, dom, valid)
    size = dom.size
    yr = y[s.rows]
    wy = _by_domain(s.w[:, None] * yr, s, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        ybar = wy / s.weight_sum[:, None]
    vsrs = _srs_variance_of_mean(yr, ybar, s, size)
    if kind == "mean":
        with np.errstate(divide="ignore", invalid="ignore"):
            z = s.w[:, None] * (yr - ybar[s.domain]) / s.weight_sum[s.domain][:, None]
        estimate = ybar
    else:
        z = s.w[:, None] * yr
        estimate = wy
        vsrs = vsrs * s.weight_sum[:, None] ** 2
    variance, ddf = design.domain_variance(z, s.domain, size, s.rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = variance / vsrs
    return estimate, variance, deff, s, ddf


def _table(
    design: SurveyDesign,
    dom: Domains,
    estimate: np.ndarray,
    variance: np.ndarray,
    deff: np.ndarray,
    s: _Sums,
    ddf: np.ndarray,
    *,
    ci: str,
    level: float,
    df: float | None,
    levels: pd.Index | None = None,
) -> pd.DataFrame:
    """Assemble the tidy result: by columns, (level), estimate ... n_missing."""
    empty = s.n == 0  # nothing observed (all missing, or an empty domain): NA, no SE either
    estimate = np.where(empty[:, None], np.nan, estimate)
    se = np.where(empty[:, None], np.nan, np.sqrt(variance))
    low, high = interval(
        estimate,
        se,
        ci=ci,
        level=level,
        design_df=design.degf if df is None else df,
        domain_df=ddf if df is None else np.full(dom.size, df),
        n=s.n,
    )
    n_levels = estimate.shape[1]
    out = dom.keys.loc[dom.keys.index.repeat(n_levels)].reset_index(drop=True)
    if levels is not None:
        out["level"] = np.tile(np.asarray(levels), dom.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = se / estimate
    body = {
        "estimate": estimate,
        "se": se,
        "ci_low": low,
        "ci_high": high,
        "cv": cv,
        "deff": deff,
    }
    for name, values in body.items():
        out[name] = np.asarray(values, dtype=float).ravel()
    out["n"] = np.repeat(s.n, n_levels)
    out["n_missing"] = np.repeat(s.n_missing, n_levels)
    return out


def mean(
    design: SurveyDesign,
    variable: str,
    by: Sequence[str] | str | None = None,
    *,
    ci: CIMethod = "normal",
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Weighted (Hájek) mean per domain, as R's ``svyby(~y, ~by, design, svymean, deff=TRUE)``.

    ȳ_d = Σ w_i δ_di y_i / Σ w_i δ_di over respondents i (δ_di = 1 in domain d).
    Influence z_i = w_i δ_di (y_i − ȳ_d) / Σ w δ_d; variance as
    ``SurveyDesign.domain_variance``. deff = V / V_srs with V_srs = s²_w (N̂_d − n_d)/(N̂_d n_d),
    s²_w = n_d/(n_d − 1) Σ w δ_d (y − ȳ_d)²/N̂_d: R's default, SRS *without* replacement
    (Kish 1965; Lumley 2010, §2.5). cv = se / estimate.
    """
    check_ci(ci, level, proportion=False)
    y = _numeric(design.frame, variable)
    dom = domains(design.frame, by)
    est, var, deff, s, ddf = _linear(design, y[:, None], ~np.isnan(y), dom, "mean")
    return _table(design, dom, est, var, deff, s, ddf, ci=ci, level=level, df=df)


def total(
    design: SurveyDesign,
    variable: str,
    by: Sequence[str] | str | None = None,
    *,
    ci: CIMethod = "normal",
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Horvitz–Thompson total per domain, as R's ``svytotal`` (via ``svyby``).

    Ŷ_d = Σ w_i δ_di y_i; influence z_i = w_i δ_di y_i. deff = V / (s²_w N̂_d² (N̂_d − n_d)/(N̂_d n_d)),
    R's ``svytotal(..., deff=TRUE)``.
    """
    check_ci(ci, level, proportion=False)
    y = _numeric(design.frame, variable)
    dom = domains(design.frame, by)
    est, var, deff, s, ddf = _linear(design, y[:, None], ~np.isnan(y), dom, "total")
    return _table(design, dom, est, var, deff, s, ddf, ci=ci, level=level, df=df)


def proportion(
    design: SurveyDesign,
    variable: str,
    by: Sequence[str] | str | None = None,
    *,
    ci: CIMethod = "normal",
    level: float = 0.95,
    df: float | None = None,
    categorical: bool | None = None,
) -> pd.DataFrame:
    """Proportion of a 0/1 item, or of every level of a categorical item, per domain.

    The mean of the indicator 1[y_i = k] (``svymean`` on a 0/1 variable or a factor),
    with ``mean``'s influence function, variance and deff. A numeric item whose values
    are all 0/1 gives one row per domain; anything else (or ``categorical=True``)
    gives one row per level, levels fixed on the whole sample. ``ci="logit"`` and
    ``"korn-graubard"`` follow R's ``svyciprop`` (see ``analysis.estimation.intervals``).
    """
    check_ci(ci, level, proportion=True)
    if variable not in design.frame.columns:
        raise KeyError(f"variable {variable!r} is not in the frame")
    y, valid, levels = item_indicators(design.frame[variable], categorical)
    dom = domains(design.frame, by)
    est, var, deff, s, ddf = _linear(design, y, valid, dom, "mean")
    return _table(design, dom, est, var, deff, s, ddf, ci=ci, level=level, df=df, levels=levels)


def count(
    design: SurveyDesign,
    variable: str,
    by: Sequence[str] | str | None = None,
    *,
    ci: CIMethod = "normal",
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Estimated population count of every level of an item (R: ``svytotal`` on a factor).

    N̂_dk = Σ w_i δ_di 1[y_i = k], with ``total``'s influence function and deff.
    """
    check_ci(ci, level, proportion=False)
    if variable not in design.frame.columns:
        raise KeyError(f"variable {variable!r} is not in the frame")
    y, valid, levels = item_indicators(design.frame[variable], True)
    dom = domains(design.frame, by)
    est, var, deff, s, ddf = _linear(design, y, valid, dom, "total")
    return _table(design, dom, est, var, deff, s, ddf, ci=ci, level=level, df=df, levels=levels)


def ratio(
    design: SurveyDesign,
    numerator: str,
    denominator: str,
    by: Sequence[str] | str | None = None,
    *,
    ci: CIMethod = "normal",
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Ratio of two totals per domain, R̂_d = Ŷ_d / X̂_d (R: ``svyratio``).

    Influence z_i = w_i δ_di (y_i − R̂_d x_i) / X̂_d (Särndal et al. 1992, §5.6).
    Units missing either variable are left out (a domain restriction). deff as R's
    ``svyratio(..., deff=TRUE)``: the deff of the total of r_i = (y_i − R̂_d x_i)/X̂_d.
    """
    check_ci(ci, level, proportion=False)
    y = _numeric(design.frame, numerator)
    x = _numeric(design.frame, denominator)
    dom = domains(design.frame, by)
    valid = ~(np.isnan(y) | np.isnan(x))
    s = _sums(design, dom, valid)
    size = dom.size
    yr, xr = y[s.rows, None], x[s.rows, None]
    y_total = _by_domain(s.w[:, None] * yr, s, size)
    x_total = _by_domain(s.w[:, None] * xr, s, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = y_total / x_total
        r = (yr - estimate[s.domain] * xr) / x_total[s.domain]
        rbar = _by_domain(s.w[:, None] * r, s, size) / s.weight_sum[:, None]
    variance, ddf = design.domain_variance(s.w[:, None] * r, s.domain, size, s.rows)
    vsrs = _srs_variance_of_mean(r, rbar, s, size) * s.weight_sum[:, None] ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = variance / vsrs
    return _table(design, dom, estimate, variance, deff, s, ddf, ci=ci, level=level, df=df)
