"""Statistics for the panel health page: composition, representativeness, attrition.

Pure functions of pandas objects; the page in ``ui/`` only displays them.

- **Dissimilarity (Duncan's D).** With ``p_i`` the panel's share and ``q_i``
  the expected (population) share of category ``i``,
  ``D = ½ Σ_i |p_i − q_i|`` over the union of categories, a missing category
  counting as share 0. ``D`` is the share of the panel that would have to move
  category to match the population; ``0 ≤ D ≤ 1``.
- **Composition test.** Pearson's goodness of fit of the panel's counts
  ``O_i`` against ``E_i = n · q_i`` (``n`` the panel total):
  ``χ² = Σ_i (O_i − E_i)² / E_i`` on ``k − 1`` degrees of freedom
  (``scipy.stats.chisquare``), ``k`` the categories with a positive
  population.
- **R-indicator** (Schouten, Cobben & Bethlehem 2009, *Survey Methodology*
  35(1), 101–113). Response propensities ``ρ̂_i`` from a logistic regression
  of the response indicator on the auxiliaries, then
  ``R = 1 − 2 S(ρ̂)`` with ``S`` the design-weighted standard deviation of the
  propensities. ``R = 1`` when every unit is equally likely to respond
  (representative response with respect to the auxiliaries).
- **Attrition.** Households that left the panel (a status of
  :data:`panel.status.LEFT`) counted per group and leaving status.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from data.text import InvalidRequest, Text
from panel.status import LEFT, STATUSES

LEAVING: tuple[str, ...] = tuple(s for s in STATUSES if s in LEFT)
_RIDGE = 1e-6  # L2 penalty of the fallback fit (see :func:`r_indicator`)


# ---------------------------------------------------------------- composition


def _shares(counts: pd.Series, what: str) -> pd.Series:
    """Counts (or shares) → shares summing to 1; refuses NaN, negatives and an empty total."""
    values = pd.to_numeric(counts, errors="coerce").astype(float)
    if values.isna().any() or (values < 0).any():
        raise InvalidRequest(
            "bad_values",
            Text(f"{what}: 빈 값이나 음수가 있습니다", f"{what}: has missing or negative values"),
        )
    total = values.sum()
    if total <= 0:
        raise InvalidRequest(
            "zero_total", Text(f"{what}: 합계가 0입니다", f"{what}: the total is 0")
        )
    return values / total


def dissimilarity_index(observed: pd.Series, expected: pd.Series) -> float:
    """Duncan's index ``D = ½ Σ_i |p_i − q_i|`` (0 = same distribution, 1 = disjoint).

    ``observed`` and ``expected`` are counts or shares indexed by category;
    both are turned into shares ``p`` and ``q``. The sum runs over the union
    of the categories, a category missing from one side having share 0.
    """
    p = _shares(observed, "observed")
    q = _shares(expected, "expected")
    categories = p.index.union(q.index)
    gap = p.reindex(categories, fill_value=0.0) - q.reindex(categories, fill_value=0.0)
    return float(min(1.0, 0.5 * gap.abs().sum()))


@dataclass(frozen=True)
class CompositionTest:
    """The panel's composition against the population's, with D and Pearson's χ²."""

    table: pd.DataFrame  # category, panel_n, panel_share, population_share, expected_n, difference
    dissimilarity: float
    chi2: float
    df: int
    p_value: float


def composition_test(observed_counts: pd.Series, population: pd.Series) -> CompositionTest:
    """Compare the panel's household counts per category with the population's.

    ``expected_n = n · q_i`` (``n`` the panel total, ``q_i`` the population
    share), ``difference = 100 · (p_i − q_i)`` in share points. Population
    categories without panel households are kept with ``panel_n`` 0. The
    Pearson statistic ``χ² = Σ (O_i − E_i)² / E_i`` runs over the ``k``
    categories with a positive population, ``df = k − 1``, and ``p_value`` is
    ``scipy.stats.chisquare``'s (1.0 when ``k = 1``). Raises ``ValueError``
    when the panel is empty or has households in a category the population
    lacks.
    """
    panel = pd.to_numeric(observed_counts, errors="coerce").astype(float)
    if len(panel) == 0 or panel.fillna(0).sum() <= 0:
        raise InvalidRequest(
            "no_households", Text("패널에 가구가 없습니다", "the panel has no households")
        )
    q = _shares(population, "population")
    categories = q.index.append(panel.index.difference(q.index))
    q = q.reindex(categories, fill_value=0.0)
    panel = panel.reindex(categories, fill_value=0.0)
    p = _shares(panel, "panel")
    stray = categories[(q == 0).to_numpy() & (panel > 0).to_numpy()]
    if len(stray):
        raise InvalidRequest(
            "stray_categories",
            Text(
                f"모집단에 없는 범주에 패널 가구가 있습니다: {list(stray[:10])}",
                f"panel households in categories absent from the population: {list(stray[:10])}",
            ),
        )
    total = panel.sum()
    expected = total * q
    table = pd.DataFrame(
        {
            "category": categories,
            "panel_n": panel.round().astype(np.int64).to_numpy(),
            "panel_share": p.to_numpy(),
            "population_share": q.to_numpy(),
            "expected_n": expected.to_numpy(),
            "difference": 100.0 * (p - q).to_numpy(),
        }
    )
    used = (expected > 0).to_numpy()
    k = int(used.sum())
    if k > 1:
        result = stats.chisquare(panel.to_numpy()[used], expected.to_numpy()[used])
        chi2, p_value = float(result.statistic), float(result.pvalue)
    else:
        chi2, p_value = 0.0, 1.0
    return CompositionTest(table, dissimilarity_index(panel, q), chi2, k - 1, p_value)


# ---------------------------------------------------------------- R-indicator


@dataclass(frozen=True)
class RIndicator:
    """The R-indicator and the propensities behind it."""

    r: float  # 1 − 2 · propensity_sd
    propensity_sd: float  # S(ρ̂), design-weighted, divisor Σ d_i − 1
    mean_propensity: float  # ρ̄, the (weighted) response rate
    n: int  # units in the model
    propensities: pd.Series  # ρ̂_i, indexed like the frame
    model_terms: tuple[str, ...]  # "const", then "auxiliary[T.level]" dummies


def _design(frame: pd.DataFrame, auxiliaries: Sequence[str]) -> pd.DataFrame:
    """Dummy-coded auxiliaries (levels as text, missing as its own level, first level dropped)."""
    columns = {}
    for name in auxiliaries:
        levels = frame[name].astype(object).where(frame[name].notna(), "(missing)").astype(str)
        dummies = pd.get_dummies(levels, drop_first=True, dtype=float)
        for level in dummies.columns:
            columns[f"{name}[T.{level}]"] = dummies[level]
    design = pd.DataFrame(columns, index=frame.index)
    design.insert(0, "const", 1.0)
    return design


def _pure(y: np.ndarray) -> bool:
    """All respondents or all nonrespondents."""
    return bool((y == y[0]).all())


def _separated(design: pd.DataFrame, y: np.ndarray) -> np.ndarray:
    """Rows whose level (of some auxiliary) has a weighted response rate of exactly 0 or 1.

    The reference level of an auxiliary is the rows with none of its dummies.
    """
    out = np.zeros(len(y), dtype=bool)
    groups: dict[str, list[str]] = {}
    for term in design.columns[1:]:
        groups.setdefault(term.split("[T.", 1)[0], []).append(term)
    for terms in groups.values():
        block = design[terms].to_numpy()
        level = np.where(block.any(axis=1), block.argmax(axis=1) + 1, 0)
        for value in np.unique(level):
            rows = level == value
            if _pure(y[rows]):
                out |= rows
    return out


def _fit(design: pd.DataFrame, y: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Fitted propensities of a main-effects logit; see :func:`r_indicator` for separation."""
    rho = np.empty(len(y))
    todo = np.ones(len(y), dtype=bool)
    while todo.any():
        if _pure(y[todo]):  # nothing left to model: constant propensity
            rho[todo] = y[todo]
            return rho
        rows = design.loc[todo]
        rows = rows.loc[:, (rows.nunique() > 1) | (rows.columns == "const")]
        cut = _separated(rows, y[todo])
        if not cut.any():
            rho[todo] = _logit(rows.to_numpy(), y[todo], d[todo])
            return rho
        index = np.flatnonzero(todo)[cut]
        rho[index] = y[index]  # the level's rate: all 0 or all 1
        todo[index] = False
    return rho


def _logit(x: np.ndarray, y: np.ndarray, d: np.ndarray) -> np.ndarray:
    """GLM Binomial with ``freq_weights = d``; a small ridge when IRLS fails."""
    model = sm.GLM(y, x, family=sm.families.Binomial(), freq_weights=d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitted = model.fit(tol=1e-10).fittedvalues
        except (ValueError, np.linalg.LinAlgError):
            fitted = np.full(len(y), np.nan)
        if not np.isfinite(fitted).all():
            alpha = np.r_[0.0, np.full(x.shape[1] - 1, _RIDGE)]
            params = model.fit_regularized(alpha=alpha, L1_wt=0.0).params
            fitted = model.predict(params)
    return np.clip(np.asarray(fitted, dtype=float), 0.0, 1.0)


def _weights(frame: pd.DataFrame, weight: str | None) -> np.ndarray:
    if weight is None:
        return np.ones(len(frame))
    d = pd.to_numeric(frame[weight], errors="coerce").to_numpy(dtype=float)
    if np.isnan(d).any() or (d <= 0).any():
        raise InvalidRequest(
            "bad_weights",
            Text(
                f"가중치 {weight!r}에 빈 값이나 0 이하 값이 있습니다",
                f"weight {weight!r} has missing or non-positive values",
            ),
        )
    return d


def _responded(frame: pd.DataFrame, responded: str) -> np.ndarray:
    values = frame[responded]
    if values.isna().any():
        raise InvalidRequest(
            "missing_response",
            Text(
                f"응답 여부 {responded!r}에 빈 값이 있습니다", f"{responded!r} has missing values"
            ),
        )
    y = values.astype(float).to_numpy()
    if not np.isin(y, (0.0, 1.0)).all():
        raise InvalidRequest(
            "bad_response",
            Text(f"응답 여부 {responded!r}는 0/1이어야 합니다", f"{responded!r} must be 0/1"),
        )
    return y


def r_indicator(
    frame: pd.DataFrame,
    responded: str,
    auxiliaries: list[str],
    weight: str | None = None,
) -> RIndicator:
    """R-indicator of Schouten, Cobben & Bethlehem (2009), ``R = 1 − 2 S(ρ̂)``.

    Model: a logistic regression of the 0/1 indicator ``responded`` on the
    categorical ``auxiliaries`` (main effects, dummy-coded, the first level
    in text order the reference, a missing value its own level), fitted by
    statsmodels ``GLM(Binomial)`` with ``freq_weights`` = the design weights
    ``d_i`` of column ``weight`` (unweighted, ``d_i = 1``, without it).
    ``ρ̂_i`` are the fitted propensities and

    - ``ρ̄ = Σ d_i ρ̂_i / Σ d_i`` (equals the weighted response rate),
    - ``S(ρ̂) = sqrt( Σ d_i (ρ̂_i − ρ̄)² / (Σ d_i − 1) )``,
    - ``R = 1 − 2 S(ρ̂)``.

    With a single auxiliary the model is saturated and ``ρ̂_i`` is the
    weighted response rate of unit ``i``'s category. ``R`` is 1 when all or
    none responded (propensities constant, ``S = 0``). Because of the divisor
    ``Σ d_i − 1``, ``R`` can fall slightly below 0 (to ``1 − sqrt(N/(N−1))``,
    ``N = Σ d_i``) when the model separates respondents almost perfectly.

    Separation: the maximum-likelihood fit does not exist when a level of an
    auxiliary has only respondents or only nonrespondents. Such a level is
    given its own response rate (1 or 0) — the limit of the MLE — and the
    model is refitted on the other units, repeating while levels separate.
    If IRLS still fails (separation by a combination of levels) the fit falls
    back to a ridge logit with penalty ``1e-6`` on the dummies (not the
    intercept).
    """
    if frame.empty:
        raise InvalidRequest("no_data", Text("자료가 없습니다", "the frame is empty"))
    y = _responded(frame, responded)
    d = _weights(frame, weight)
    design = _design(frame, auxiliaries)
    rho = _fit(design, y, d)
    mean = float(np.dot(d, rho) / d.sum())
    spread = float(np.dot(d, (rho - mean) ** 2))
    if spread <= 1e-24:
        sd = 0.0
    elif d.sum() > 1:
        sd = float(np.sqrt(spread / (d.sum() - 1)))
    else:
        sd = float("nan")
    return RIndicator(
        r=1.0 - 2.0 * sd,
        propensity_sd=sd,
        mean_propensity=mean,
        n=len(frame),
        propensities=pd.Series(rho, index=frame.index, name="propensity"),
        model_terms=tuple(design.columns),
    )


def r_indicator_by(
    frame: pd.DataFrame,
    responded: str,
    auxiliaries: list[str],
    by: str,
    weight: str | None = None,
) -> pd.DataFrame:
    """:func:`r_indicator` within each group of ``by`` (e.g. per wave), one row per group.

    Columns: ``by``, ``r``, ``propensity_sd``, ``mean_propensity`` (the
    group's weighted response rate) and ``n``. Each group has its own model.
    """
    rows = []
    for key, group in frame.groupby(by, sort=True, observed=True):
        result = r_indicator(group, responded, auxiliaries, weight)
        rows.append(
            {
                by: key,
                "r": result.r,
                "propensity_sd": result.propensity_sd,
                "mean_propensity": result.mean_propensity,
                "n": result.n,
            }
        )
    columns = [by, "r", "propensity_sd", "mean_propensity", "n"]
    return pd.DataFrame(rows, columns=columns).astype({"n": np.int64})


# ---------------------------------------------------------------- attrition


def attrition_table(history: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Households that left the panel, per ``by`` group and leaving status.

    ``history`` holds status changes (household_id, status, wave,
    district_code, household_type, …); rows whose status is in
    :data:`panel.status.LEFT` count, each household once per group and
    status. The result has the ``by`` columns, one integer column per leaving
    status (:data:`LEAVING`, all present, zeros filled) and ``total``.
    """
    missing = [c for c in ["household_id", "status", *by] if c not in history]
    if missing:
        raise InvalidRequest(
            "missing_columns",
            Text(f"이력에 열이 없습니다: {missing}", f"history lacks columns: {missing}"),
        )
    left = history.loc[history["status"].isin(LEAVING)]
    keys = [*by, "status"]
    counts = left.groupby(keys, sort=True, observed=True)["household_id"].nunique()
    if by:
        wide = counts.unstack("status", fill_value=0)
    else:
        wide = counts.to_frame().T.reset_index(drop=True)
    wide = wide.reindex(columns=list(LEAVING), fill_value=0).fillna(0).astype(np.int64)
    wide["total"] = wide.sum(axis=1).astype(np.int64)
    wide.columns.name = None
    if by:
        return wide.reset_index()
    if wide.empty:
        wide.loc[0] = 0
    return wide.astype(np.int64)
