"""Calibration of survey weights to population margins: raking, GREG, logit, trimming.

``margins`` maps a margin to a ``pd.Series`` of population totals indexed by
category. A margin is a column name (``"district"``) or a tuple of column names
(``("sex", "age_group")``, a cross-classified margin, whose Series has a
``MultiIndex`` with one level per column, in that order). Every category in the
data must have a total, every category with a non-zero total must be in the
data, and all margins must have the same grand total (relative 1e-6).

- ``rake(design, margins)`` is R's ``rake(design, sample.margins,
  population.margins, control = list(maxit, epsilon))``: iterative proportional
  fitting (Deming & Stephan 1940) — each pass post-stratifies to every margin in
  turn, w ← w · N_c / Ŵ_c — until the full cross-table of the margin variables
  changes by less than ``epsilon · Σ d`` (``epsilon`` < 1; else absolute). Its
  standard errors reproduce R's approximation: the margins are stored as
  post-strata and back-fitted ten times (``analysis.estimation.calibration_variance``).
- ``calibrate(design, margins, method=...)`` is R's ``calibrate(design,
  formula, population, calfun, bounds)`` with the margins' indicators as
  calibration variables m (Deville & Särndal 1992; Lumley 2010, ch. 7): weights
  w_i = d_i F(m_iᵀλ) with Σ w m = N_m, F(u) = 1 + u (``"linear"``, GREG; solved
  in one step as R's ``regcalibrate``), exp(u) (``"raking"``, the same weights as
  raking) or the bounded logit of ``bounds`` = (L, U) (``"logit"``), by R's
  ``grake`` Newton iterations (generalized inverse, step halving, convergence
  when every |misfit|/(1 + |N|) < ``epsilon``, with R's rescaling of the weights
  when every N/Ŵ > 20). SEs use the residuals of the influence values regressed
  on m, as R's ``svyrecvar`` with a ``greg_calibration``.
- ``trim(design, cap=..., percentile=..., then=margins)``: R's ``trimWeights``
  (weights above the cap are set to it and the excess is spread *equally* over
  the other units), then optionally re-calibrated to ``then``.

The weights depend on a unit only through its cell of the cross-classification
of all margins, so raking and Newton iterations run on the cell table
(``np.bincount``), not on persons.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.estimation.calibration_variance import Block
from analysis.estimation.domains import compact_codes

if TYPE_CHECKING:  # a design is only the argument here: its verbs import this module
    from analysis.estimation.design import CalibratedDesign, SurveyDesign

__all__ = ["Margins", "calibrate", "rake", "trim"]
Margins = Mapping[Hashable, pd.Series]
METHODS = ("linear", "raking", "logit")
TOTAL_RTOL = 1e-6


class _Margin:
    """One margin encoded on the sample: codes 0..k-1 per row and the population totals."""

    def __init__(self, frame: pd.DataFrame, key: Hashable, totals: pd.Series) -> None:
        columns = list(key) if isinstance(key, tuple) else [key]
        self.name = " × ".join(map(str, columns))
        for column in columns:
            if column not in frame.columns:
                raise ValueError(f"margin {self.name!r}: column {column!r} is not in the frame")
            missing = int(frame[column].isna().sum())
            if missing:
                raise ValueError(
                    f"margin {self.name!r}: column {column!r} has {missing} missing values"
                )
        if not isinstance(totals, pd.Series):
            raise TypeError(f"margin {self.name!r}: totals must be a pandas Series")
        values = pd.to_numeric(totals, errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(values).all() or (values < 0).any():
            raise ValueError(f"margin {self.name!r}: totals must be finite and >= 0")
        if totals.index.has_duplicates:
            raise ValueError(f"margin {self.name!r}: categories repeat in the totals")
        key_code = np.zeros(len(frame), dtype=np.int64)
        levels = []
        space = 1
        for column in columns:
            c, u = pd.factorize(frame[column], sort=True)
            key_code = key_code * len(u) + c
            levels.append(u)
            space *= len(u)
        self.code, present = compact_codes(key_code, space)
        if len(columns) == 1:
            categories = pd.Index(levels[0][present])
        else:
            parts, rest = [], present.copy()
            for u in reversed(levels):
                parts.append(np.asarray(u)[rest % len(u)])
                rest //= len(u)
            categories = pd.MultiIndex.from_arrays(parts[::-1], names=columns)
            if totals.index.nlevels != len(columns):
                raise ValueError(
                    f"margin {self.name!r}: totals need a MultiIndex with {len(columns)} levels"
                )
        where = totals.index.get_indexer(categories)
        if (where < 0).any():
            bad = categories[int(np.flatnonzero(where < 0)[0])]
            raise ValueError(
                f"margin {self.name!r}: category {bad!r} is in the data but has no total"
            )
        unused = np.ones(len(totals), dtype=bool)
        unused[where] = False
        if (values[unused] > 0).any():
            bad = totals.index[int(np.flatnonzero(unused & (values > 0))[0])]
            raise ValueError(f"margin {self.name!r}: category {bad!r} is absent from the data")
        self.totals = values[where]
        if (self.totals == 0).any():
            bad = categories[int(np.flatnonzero(self.totals == 0)[0])]
            raise ValueError(f"margin {self.name!r}: category {bad!r} is in the data with total 0")
        self.categories = categories
        self.k = len(categories)


def _margins(design: SurveyDesign, margins: Margins) -> list[_Margin]:
    if not callable(getattr(design, "calibrated", None)):  # a SurveyDesign, not replicates
        raise TypeError("calibration needs a SurveyDesign")
    if not margins:
        raise ValueError("margins is empty: give at least one margin")
    w = np.asarray(design.weights, dtype=float)
    if np.isnan(w).any():
        raise ValueError(f"weights column {design.weights_column!r} has missing values")
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(
            f"weights column {design.weights_column!r} has negative or infinite values"
        )
    out = [_Margin(design.frame, key, totals) for key, totals in margins.items()]
    grand = [m.totals.sum() for m in out]
    for m, g in zip(out[1:], grand[1:], strict=True):
        if abs(g - grand[0]) > TOTAL_RTOL * abs(grand[0]):
            raise ValueError(
                f"margin {m.name!r} totals sum to {g:.10g} but margin {out[0].name!r} "
                f"totals sum to {grand[0]:.10g}: margins must have the same grand total"
            )
    for m in out:
        have = np.bincount(m.code, weights=w, minlength=m.k)
        if (have <= 0).any():
            bad = m.categories[int(np.flatnonzero(have <= 0)[0])]
            raise ValueError(f"margin {m.name!r}: category {bad!r} has no positive weight")
    return out


def _cells(margins: list[_Margin]) -> tuple[np.ndarray, np.ndarray]:
    """Cell code per row (cross-classification of all margins) and margin codes per cell."""
    key = np.zeros(len(margins[0].code), dtype=np.int64)
    space = 1
    for m in margins:
        key = key * m.k + m.code
        space *= m.k
    if space > 2**62:
        raise ValueError("too many margin categories to cross-classify")
    cell, present = compact_codes(key, space)
    codes = np.empty((present.size, len(margins)), dtype=np.int64)
    rest = present.copy()
    for i in range(len(margins) - 1, -1, -1):
        codes[:, i] = rest % margins[i].k
        rest //= margins[i].k
    return cell, codes


def _gaps(margins: list[_Margin], codes: np.ndarray, cell_w: np.ndarray) -> str:
    gaps = []
    for i, m in enumerate(margins):
        have = np.bincount(codes[:, i], weights=cell_w, minlength=m.k)
        rel = np.abs(have - m.totals) / m.totals
        gaps.append((rel.max(), m.name, m.categories[int(rel.argmax())]))
    gap, name, category = max(gaps, key=lambda g: g[0])
    return f"largest gap in margin {name!r}, category {category!r} (relative {gap:.3g})"


FIT_RTOL = 1e-6  # every margin is met within this relative gap, or the calibration refuses
NULL_RTOL = 1e-10  # eigenvalues of mᵀm below this fraction of the largest: a dependency


def _model_columns(ms: list[_Margin]) -> list[str]:
    """Which margin each column of :func:`_model` belongs to (the intercept: none)."""
    return ["(intercept)"] + [m.name for m in ms for _ in range(1, m.k)]


def _dependencies(ms: list[_Margin], codes: np.ndarray) -> list[tuple[list[str], float]]:
    """Linear dependencies among the margins, and whether their totals honour them.

    With m the cells' dummies of every margin (R's model matrix), a vector v with m v = 0
    says some margins determine each other (a region margin nested in districts, or one
    margin's categories a combination of another's). Any weights then give Σ w m · v = 0,
    so the population totals N must satisfy N · v = 0 too, or no weights can meet them.
    Returns, per dependency, the margins involved and the relative conflict
    |N · v| / Σ |N_j v_j| (0: consistent, only redundant).
    """
    mm, population = _model(ms, codes)
    gram = mm.T @ mm  # p × p, whatever the number of cells: its null space is m's
    eigen, vectors = np.linalg.eigh(gram)
    null = vectors[:, eigen < NULL_RTOL * max(eigen.max(), 1.0)].T
    names = _model_columns(ms)
    found = []
    for v in null:
        involved = sorted({names[j] for j in np.flatnonzero(np.abs(v) > 1e-8)} - {"(intercept)"})
        scale = float(np.abs(population * v).sum())
        conflict = abs(float(population @ v)) / scale if scale else 0.0
        found.append((involved, conflict))
    return found


def _refuse_impossible(ms: list[_Margin], codes: np.ndarray, method: str) -> None:
    """Refuse margins no weights can meet, naming them (and, for the one-step linear
    calibration, margins that only repeat each other: R stops there too, "system is
    computationally singular")."""
    for involved, conflict in _dependencies(ms, codes):
        margins = " and ".join(repr(n) for n in involved) or "the margins"
        if conflict > FIT_RTOL:
            raise ValueError(
                f"margins {margins} contradict each other: their categories overlap, but their "
                f"totals do not agree (relative conflict {conflict:.3g}); no weights can meet "
                f"them all. Check the totals, or calibrate to one of them."
            )
        if method == "linear":
            raise ValueError(
                f"margins {margins} determine each other (one is nested in or a combination "
                f"of the other), so the linear calibration's system is singular, as in R; "
                f"calibrate to one of them."
            )


def _refuse_missed(ms: list[_Margin], codes: np.ndarray, cell_w: np.ndarray, what: str) -> None:
    """After the last pass: every margin met within ``FIT_RTOL``, or refuse naming the worst."""
    for i, m in enumerate(ms):
        have = np.bincount(codes[:, i], weights=cell_w, minlength=m.k)
        if (np.abs(have - m.totals) > FIT_RTOL * m.totals).any():
            raise ValueError(
                f"{what} stopped without meeting every margin: {_gaps(ms, codes, cell_w)}. "
                f"The margins cannot all hold on this sample (for example a category "
                f"combination with a total but no sample units, or margins that contradict "
                f"each other)."
            )


def rake(
    design: SurveyDesign, margins: Margins, *, maxit: int = 100, epsilon: float = 1e-10
) -> CalibratedDesign:
    """Rake the weights to ``margins`` as R's ``rake()`` does; SEs as R's rake design.

    One pass post-stratifies to each margin m in turn: w_i ← w_i N_mc / Σ_{j∈c} w_j.
    Stops when max over cells of the margin variables' cross-table |Ŵ_new − Ŵ_old| <
    ``epsilon`` × Σ d (``epsilon`` >= 1: absolute), or raises after ``maxit`` passes
    naming the margin with the largest gap. Then, unlike R (which reports success), every
    margin must be met within ``FIT_RTOL``: raking can settle on weights that miss a margin
    whose totals the sample cannot reach (a nested margin that contradicts another, an
    empty cell of a cross-classification), and then it refuses, naming the largest gap.
    The weights each margin produced in the last pass are kept for R's back-fitting
    variance approximation.
    """
    ms = _margins(design, margins)
    d = design.weights
    cell, codes = _cells(ms)
    _refuse_impossible(ms, codes, "raking")
    base = np.bincount(cell, weights=d, minlength=len(codes))
    tolerance = epsilon * d.sum() if epsilon < 1 else epsilon
    factor = np.ones(len(codes))
    old: np.ndarray = base.copy()  # float (numpy's stubs type a weighted bincount as int)
    after: list[np.ndarray] = []
    converged = False
    for _ in range(maxit):
        after = []
        for i, m in enumerate(ms):
            have = np.bincount(codes[:, i], weights=base * factor, minlength=m.k)
            factor = factor * (m.totals / have)[codes[:, i]]
            after.append(factor)
        new = base * factor
        if np.abs(old - new).max() < tolerance:
            converged = True
            break
        old = new
    if not converged:
        raise ValueError(
            f"raking did not converge in {maxit} passes; {_gaps(ms, codes, base * factor)}"
        )
    _refuse_missed(ms, codes, base * factor, "raking")
    out = design.calibrated(d * factor[cell])
    blocks = []
    for m, f in zip(ms, after, strict=True):
        psw = d * f[cell]
        blocks.append(
            Block(m.code, m.k, np.where(psw > 0, 1.0 / np.where(psw > 0, psw, 1), 0), psw)
        )
    out.add_step("rake", blocks)
    out.calibration.append("rake: " + ", ".join(m.name for m in ms))
    return out


def _calfun(method: str, bounds: tuple[float, float]):  # noqa: ANN202 - pair of ufuncs
    lo, hi = bounds
    if method == "linear":

        def f(u: np.ndarray) -> np.ndarray:
            return np.minimum(np.maximum(u + 1, lo), hi) - 1

        def df(u: np.ndarray) -> np.ndarray:
            return ((u < hi - 1) & (u > lo - 1)).astype(float)

    elif method == "raking":

        def f(u: np.ndarray) -> np.ndarray:
            return np.minimum(np.maximum(np.exp(u), lo), hi) - 1

        def df(u: np.ndarray) -> np.ndarray:
            return np.where((u < hi - 1) & (u > lo - 1), np.exp(u), 0.0)

    else:
        a = (hi - lo) / ((hi - 1) * (1 - lo))

        def f(u: np.ndarray) -> np.ndarray:
            e = np.exp(a * u)
            return (lo * (hi - 1) + hi * (1 - lo) * e) / (hi - 1 + (1 - lo) * e) - 1

        def df(u: np.ndarray) -> np.ndarray:
            e = np.exp(a * u)
            den = hi - 1 + (1 - lo) * e
            return (
                hi * (1 - lo) * e * a / den
                - (lo * (hi - 1) + hi * (1 - lo) * e) * ((1 - lo) * e * a) / den**2
            )

    return f, df


def _model(ms: list[_Margin], codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's model matrix per cell (intercept + treatment dummies) and population vector."""
    columns = [np.ones(len(codes))]
    population = [ms[0].totals.sum()]
    for i, m in enumerate(ms):
        for c in range(1, m.k):
            columns.append((codes[:, i] == c).astype(float))
            population.append(m.totals[c])
    return np.column_stack(columns), np.asarray(population)


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a⁻¹ b; R's ``MASS::ginv(a, tol = 256 eps) %*% b`` when a is singular."""
    try:
        out = np.linalg.solve(a, b)
        if np.isfinite(out).all():
            return out
    except np.linalg.LinAlgError:
        pass
    return np.linalg.pinv(a, rcond=256 * np.finfo(float).eps) @ b


def _grake(
    mm: np.ndarray,
    ww: np.ndarray,
    population: np.ndarray,
    method: str,
    bounds,
    maxit: int,
    epsilon: float,
) -> tuple[np.ndarray, float | None]:
    """R's ``grake`` on cells (mm: cells × p, ww: cell weight sums); returns (g, failure)."""
    f, df = _calfun(method, bounds)
    sample_total = mm.T @ ww
    scales = population / sample_total
    scale = scales.mean() if scales.min() > 20 else None
    if scale is not None:
        ww = ww * scale
        sample_total = sample_total * scale
    eta = np.zeros(mm.shape[1])
    xeta = mm @ eta
    g = 1 + f(xeta)
    iteration = 1
    while True:
        tmat = (mm * (ww * df(xeta))[:, None]).T @ mm
        misfit = population - sample_total - mm.T @ (ww * f(xeta))
        step = _solve(tmat, misfit)
        eta = eta + step
        xeta = mm @ eta
        g, deriv = 1 + f(xeta), df(xeta)
        while iteration < maxit and not (np.isfinite(g).all() and np.isfinite(deriv).all()):
            iteration += 1
            step = step / 2
            eta = eta - step
            xeta = mm @ eta
            g, deriv = 1 + f(xeta), df(xeta)
        misfit = population - sample_total - mm.T @ (ww * f(xeta))
        achieved = np.abs(misfit) / (1 + np.abs(population))
        if (achieved < epsilon).all():
            failed = None
            break
        iteration += 1
        if iteration > maxit:
            failed = float(achieved.max())
            break
    return (g * scale if scale is not None else g), failed


def calibrate(
    design: SurveyDesign,
    margins: Margins,
    *,
    method: str = "linear",
    bounds: tuple[float, float] | None = None,
    maxit: int = 50,
    epsilon: float = 1e-7,
) -> CalibratedDesign:
    """Calibrate to ``margins`` as R's ``calibrate(design, ~m1 + m2 + ..., population, calfun)``.

    g_i = 1 + F(m_iᵀλ) solves Σ d_i g_i m_i = N (m_i: intercept and treatment dummies
    of every margin, as R's model matrix). ``method="linear"`` without ``bounds`` is
    R's one-step ``regcalibrate``: λ = (Σ d m mᵀ)⁻¹ (N − Σ d m). Otherwise R's ``grake``
    Newton iterations with ``maxit``/``epsilon``; ``"logit"`` requires finite
    ``bounds`` (L < 1 < U) on g, ``"linear"``/``"raking"`` accept them. Raises when the
    iterations fail, naming the margin with the largest gap. Before solving, margins that
    contradict each other (their dummies are linearly dependent but their totals are not)
    are refused, naming them; for the one-step linear calibration, margins that only repeat
    each other are refused too (R: "system is computationally singular"). After solving,
    every margin must be met within ``FIT_RTOL``. SEs: influence values
    replaced by e = x − w ⊙ m β, β = (Σ d m mᵀ)⁻¹ Σ m x/g (R's greg_calibration).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if method == "logit":
        if bounds is None or not np.isfinite(bounds).all():
            raise ValueError("logit calibration requires finite bounds=(L, U)")
    if bounds is not None and not (bounds[0] < 1 < bounds[1]):
        raise ValueError(f"bounds must satisfy L < 1 < U, not {bounds!r}")
    ms = _margins(design, margins)
    d = design.weights
    cell, codes = _cells(ms)
    _refuse_impossible(ms, codes, method if bounds is None else "bounded")
    ww = np.bincount(cell, weights=d, minlength=len(codes))
    mm, population = _model(ms, codes)
    if method == "linear" and bounds is None:
        sample_total = mm.T @ ww
        lam = np.linalg.solve((mm * ww[:, None]).T @ mm, population - sample_total)
        g = 1 + mm @ lam
    else:
        g, failed = _grake(mm, ww, population, method, bounds or (-np.inf, np.inf), maxit, epsilon)
        if failed is not None:
            raise ValueError(
                f"{method} calibration failed to converge in {maxit} iterations "
                f"(misfit {failed:.3g}); {_gaps(ms, codes, ww * g)}"
            )
    _refuse_missed(ms, codes, ww * g, f"{method} calibration")
    g_row = g[cell]
    out = design.calibrated(d * g_row)
    r = np.where(g_row != 0, 1.0 / np.where(g_row != 0, g_row, 1.0), 0.0)
    out.add_step("greg", [Block(m.code, m.k, r, d * g_row) for m in ms])
    out.calibration.append(f"calibrate ({method}): " + ", ".join(m.name for m in ms))
    return out


def trim(
    design: SurveyDesign,
    *,
    cap: float | None = None,
    percentile: float | None = None,
    then: Margins | None = None,
    method: str = "raking",
    bounds: tuple[float, float] | None = None,
    maxit: int = 50,
    epsilon: float = 1e-7,
) -> SurveyDesign:
    """Trim weights above ``cap`` (or above their ``percentile``-th percentile), as R's
    ``trimWeights(design, upper=cap)``, then optionally ``calibrate`` to ``then``.

    w_i ← min(w_i, cap); the trimmed excess Σ (w_i − cap)⁺ is added in equal parts to
    the untrimmed units, so Σ w is kept. As in R, the trimmed design keeps the
    calibration steps of ``design`` for its SEs; re-calibration adds a step.
    """
    if (cap is None) == (percentile is None):
        raise ValueError("give exactly one of cap= or percentile=")
    w = np.asarray(design.weights, dtype=float)
    if np.isnan(w).any() or (w < 0).any():
        raise ValueError(f"weights column {design.weights_column!r} has missing or negative values")
    if percentile is not None:
        if not 0 < percentile <= 100:
            raise ValueError(f"percentile must be in (0, 100], not {percentile!r}")
        cap = float(np.percentile(w, percentile))
    assert cap is not None
    if not cap > 0:
        raise ValueError(f"cap must be positive, not {cap!r}")
    outside = w > cap
    if outside.all():
        raise ValueError(f"every weight is above the cap {cap:.6g}")
    out = design.calibrated(w)
    if outside.any():
        new = np.minimum(w, cap)
        new[~outside] += (w - new).sum() / (~outside).sum()
        out = design.calibrated(new)
        out.calibration.append(f"trim at {cap:.6g}")
    if then is not None:
        return calibrate(out, then, method=method, bounds=bounds, maxit=maxit, epsilon=epsilon)
    return out
