"""Confidence intervals for design-based estimates, with R ``survey``'s conventions.

Kept apart from the estimators because the same four interval methods serve
every estimator, and because each follows a specific R function whose choices
(which quantile, which degrees of freedom) the goldens pin down:

- ``"normal"``: ``confint(svymean(...))`` — estimate ± z_{1-α/2} SE.
- ``"t"``: ``confint(..., df = degf(design))`` — estimate ± t_{df,1-α/2} SE with the
  design degrees of freedom (PSUs − strata) of the whole design.
- ``"logit"``: ``svyciprop(method = "logit")`` — expit(logit p ± t_{df_d} SE/(p(1-p))),
  the Wald interval of the intercept of a survey-weighted logistic model, whose
  sandwich variance is the delta-method variance of logit p.
- ``"korn-graubard"``: ``svyciprop(method = "beta")`` — Clopper–Pearson with the
  effective sample size n* = p(1-p)/V · (t_{n-1}/t_{df_d})² (Korn & Graubard 1998).

For ``"logit"`` and ``"korn-graubard"``, as in ``svyciprop``, df_d is the degrees of
freedom of the domain (PSUs minus strata that hold respondents of the domain)
and n its number of respondents.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special, stats

CIMethod = Literal["normal", "t", "logit", "korn-graubard"]
CI_METHODS: tuple[str, ...] = ("normal", "t", "logit", "korn-graubard")
PROPORTION_ONLY: tuple[str, ...] = ("logit", "korn-graubard")


def check_ci(ci: str, level: float, *, proportion: bool) -> None:
    """Reject an unknown interval method, a proportion-only method elsewhere, or a bad level."""
    if ci not in CI_METHODS:
        raise ValueError(f"ci must be one of {', '.join(CI_METHODS)}, not {ci!r}")
    if ci in PROPORTION_ONLY and not proportion:
        raise ValueError(f"ci={ci!r} is only defined for proportions")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level!r}")


def interval(
    estimate: np.ndarray,
    se: np.ndarray,
    *,
    ci: str,
    level: float,
    design_df: float,
    domain_df: np.ndarray,
    n: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits, shaped as ``estimate`` (domains x levels).

    ``design_df`` serves ``"t"``; ``domain_df`` and ``n`` (per domain, broadcast over
    levels) serve ``"logit"`` and ``"korn-graubard"``.
    """
    alpha = 1.0 - level
    if ci == "normal":
        q = stats.norm.ppf(1 - alpha / 2)
        return estimate - q * se, estimate + q * se
    if ci == "t":
        q = _t_quantile(1 - alpha / 2, design_df)
        return estimate - q * se, estimate + q * se
    ddf = np.broadcast_to(np.asarray(domain_df, dtype=float)[:, None], estimate.shape)
    p = estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        if ci == "logit":
            q = _t_quantile(1 - alpha / 2, ddf)
            half = q * se / (p * (1 - p))
            centre = special.logit(p)
            return special.expit(centre - half), special.expit(centre + half)
        nn = np.broadcast_to(np.asarray(n, dtype=float)[:, None], estimate.shape)
        n_eff = p * (1 - p) / se**2
        n_eff = n_eff * (_t_quantile(alpha / 2, nn - 1) / _t_quantile(alpha / 2, ddf)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
    return low, high


def _t_quantile(q: float, df: np.ndarray | float) -> np.ndarray:
    """Student t quantile; NaN where df <= 0 (R gives NaN there too)."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, stats.t.ppf(q, np.where(df > 0, df, 1.0)), np.nan)
