"""Survey quantiles with Woodruff confidence intervals, as R ``survey``'s ``svyquantile``.

The estimate is R's default ``qrule = "math"`` (survey 4.x ``qrule_math``): with
units of zero weight dropped, values sorted and cumulative weights
C_k = w_(1) + ... + w_(k), W = C_n, let k* be the last k with C_k <= pW (k* = 1 when
there is none). The quantile is x_(k*) when p - C_k*/W == 0 exactly, and
x_(k*+1) otherwise — the inverse of the weighted empirical distribution function,
the lower value on an exact tie (Lumley 2010, §2.4; Hyndman & Fan 1996, type 1).

The interval is Woodruff's (1952), R's default ``interval.type = "mean"``: the
estimated proportion p̂ = F̂(q̂) of units at or below the estimate, a Wald interval
for it, p̂ ∓ c SE(p̂) with SE(p̂) the linearized domain variance of a mean
(``SurveyDesign.domain_variance``), mapped back through the same rule:
[Q(p̂ − c SE), Q(p̂ + c SE)]; an end outside [0, 1] is NaN, as in R. The standard
error is derived from the interval as R does: SE = (upper − lower) / (2c).

``ci="t"`` is R's default (``df = NULL``): c = t_{df, 1-α/2} with df = degf of the
design *after* R's ``na.rm`` and domain subsetting, i.e. PSUs minus strata that hold
respondents of the domain with non-zero weight. ``ci="normal"`` is R's ``df = Inf``.
Domains follow ``svyby(~y, ~by, design, svyquantile, ...)``. There is no design
effect (R defines none), so ``deff`` is always NaN.

Sorting is per domain, so the quantile rule runs in a Python loop over domain
slices of one global stable sort (two numpy calls per domain); the proportions and
their variances for all domains and probabilities come from one grouped pass.
Cumulative weights are summed in extended precision, as R's ``cumsum``/``sum`` do,
so exact ties with pW are decided as R decides them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis.estimation.domains import COLUMNS, domains

if TYPE_CHECKING:
    from analysis.estimation.design import SurveyDesign

__all__ = ["quantile"]
QuantileCI = Literal["normal", "t"]


def _extended_cumsum(w: np.ndarray) -> np.ndarray:
    """Running sums accumulated in extended precision and rounded once, as R's ``cumsum``."""
    return np.cumsum(w.astype(np.longdouble)).astype(float)


def _qrule_math(x: np.ndarray, cumw: np.ndarray, total: float, p: np.ndarray) -> np.ndarray:
    """R's ``qrule_math`` on sorted values ``x`` with cumulative weights ``cumw``."""
    p = np.asarray(p, dtype=float)
    k = np.searchsorted(cumw, p * total, side="right") - 1
    k = np.maximum(k, 0)  # survey:::last() returns 1 when no C_k <= pW
    wlow = p - cumw[k] / total
    upper = np.minimum(k + 1, x.size - 1)
    return np.where(wlow == 0, x[k], x[upper])


def quantile(
    design: SurveyDesign,
    variable: str,
    probs: Sequence[float] = (0.5,),
    by: Sequence[str] | str | None = None,
    *,
    ci: QuantileCI = "normal",
    level: float = 0.95,
) -> pd.DataFrame:
    """Quantiles of ``variable`` per domain with Woodruff intervals (R: ``svyquantile``).

    Returns the ``by`` columns, ``level`` (the probability), ``estimate``, ``se``,
    ``ci_low``, ``ci_high``, ``cv``, ``deff`` (NaN), ``n`` (respondents), ``n_missing``;
    one row per domain and probability. Missing values of the item are dropped as
    R's ``na.rm = TRUE`` (a domain restriction). See the module docstring for the
    rule and the interval (Woodruff 1952; Lumley 2010, §2.4).
    """
    if ci not in ("normal", "t"):
        raise ValueError(f"ci must be 'normal' or 't' for quantiles, not {ci!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level!r}")
    p = np.atleast_1d(np.asarray(probs, dtype=float))
    if p.size == 0 or np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("probs must be probabilities in [0, 1]")
    frame = design.frame
    if variable not in frame.columns:
        raise KeyError(f"variable {variable!r} is not in the frame")
    column = frame[variable]
    if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
        raise TypeError(f"variable {variable!r} must be numeric (it is {column.dtype})")
    y = column.to_numpy(dtype=float, na_value=np.nan)
    dom = domains(frame, by)
    size, n_p = dom.size, p.size
    valid = ~np.isnan(y)
    in_domain = dom.code >= 0
    n = np.bincount(dom.code[valid & in_domain], minlength=size)
    n_missing = np.bincount(dom.code[in_domain & ~valid], minlength=size)

    # qrule_math drops units of zero weight; R's degf ignores them too.
    rows = np.flatnonzero(valid & in_domain & (design.weights > 0))
    order = rows[np.lexsort((y[rows], dom.code[rows]))]  # stable: ties in row order, as order()
    d_sorted = dom.code[order]
    starts = np.searchsorted(d_sorted, np.arange(size + 1))
    x_sorted, w_sorted = y[order], design.weights[order]
    # R's sum(w) runs over the units in frame order, not sorted order.
    w_framed = design.weights[rows[np.argsort(dom.code[rows], kind="stable")]]
    slices = []
    qhat = np.full((size, n_p), np.nan)
    for d in range(size):  # per-domain sort order: see the module docstring
        xs = x_sorted[starts[d] : starts[d + 1]]
        if not xs.size:
            slices.append((xs, xs, 0.0))
            continue
        cumw = _extended_cumsum(w_sorted[starts[d] : starts[d + 1]])
        total = float(_extended_cumsum(w_framed[starts[d] : starts[d + 1]])[-1])
        slices.append((xs, cumw, total))
        qhat[d] = _qrule_math(xs, cumw, total, p)

    # F̂(q̂): weighted share at or below the estimate, with its linearized variance.
    d_rows = dom.code[rows]
    w = design.weights[rows]
    below = (y[rows][:, None] <= qhat[d_rows]).astype(float)
    w_sum = np.bincount(d_rows, weights=w, minlength=size)
    p_hat: np.ndarray = np.column_stack(  # float: numpy's stubs type bincount as int
        [np.bincount(d_rows, weights=w * below[:, j], minlength=size) for j in range(n_p)]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        p_hat = p_hat / w_sum[:, None]
        z = w[:, None] * (below - p_hat[d_rows]) / w_sum[d_rows][:, None]
    variance, ddf = design.domain_variance(z, d_rows, size, rows)
    alpha = 1.0 - level
    if ci == "normal":
        q_low = np.full(size, stats.norm.ppf(alpha / 2))
        q_high = np.full(size, stats.norm.ppf(1 - alpha / 2))
    else:
        df = np.where(ddf > 0, ddf, 1).astype(float)
        q_low = np.where(ddf > 0, stats.t.ppf(alpha / 2, df), np.nan)
        q_high = np.where(ddf > 0, stats.t.ppf(1 - alpha / 2, df), np.nan)
    se_p = np.sqrt(variance)
    p_low = p_hat + se_p * q_low[:, None]
    p_high = p_hat + se_p * q_high[:, None]

    low = np.full((size, n_p), np.nan)
    high = np.full((size, n_p), np.nan)
    for d, (xs, cumw, total) in enumerate(slices):
        if not xs.size:
            continue
        ok_low = ~np.isnan(p_low[d]) & (p_low[d] >= 0)
        ok_high = ~np.isnan(p_high[d]) & (p_high[d] <= 1)
        low[d, ok_low] = _qrule_math(xs, cumw, total, p_low[d, ok_low])
        high[d, ok_high] = _qrule_math(xs, cumw, total, p_high[d, ok_high])
    with np.errstate(divide="ignore", invalid="ignore"):
        se = (high - low) / (2 * q_high[:, None])
        cv = se / qhat

    out = dom.keys.loc[dom.keys.index.repeat(n_p)].reset_index(drop=True)
    out["level"] = np.tile(p, size)
    body = {"estimate": qhat, "se": se, "ci_low": low, "ci_high": high, "cv": cv}
    for name in COLUMNS:
        if name in body:
            out[name] = body[name].ravel()
    out["deff"] = np.nan
    out["n"] = np.repeat(n, n_p)
    out["n_missing"] = np.repeat(n_missing, n_p)
    return out[[*dom.keys.columns, "level", *COLUMNS]]
