"""Design-based regression: R's ``svyglm`` for linear and logistic (quasibinomial) models.

Point estimates (Lumley 2010, ch. 5; Binder 1983). With design weights w_i rescaled
to mean one (R's ``rescale=TRUE``; the scale changes nothing but the IRLS path),
β̂ solves the weighted score equations

    U(β) = Σ_i w_i x_i (y_i − μ_i) / V(μ_i) · dμ_i/dη_i = 0,

- ``"gaussian"``: identity link, μ = xᵀβ — weighted least squares, one solve;
- ``"quasibinomial"``: logit link, μ = 1/(1 + e^{−xᵀβ}), V(μ) = μ(1 − μ) — IRLS written as
  R's ``glm.fit``: start μ = (w y + ½)/(w + 1), stop when
  |D − D_old|/(|D| + 0.1) < 1e-8 (D the binomial deviance), at most 25 iterations.

Variance: the sandwich of ``survey:::svy.varcoef``. With working weights W_i and
working residuals r_i = (y_i − μ_i)/(dμ_i/dη_i) of the last IRLS step,

    A⁻¹ = (Σ_i W_i x_i x_iᵀ)⁻¹,   z_i = A⁻¹ x_i W_i r_i   (influence of unit i on β̂),

and V(β̂) is the design variance of the total Σ_i z_i between PSUs within strata, with
FPC — ``SurveyDesign.domain_variance``, i.e. R's ``svyrecvar`` (also calibration-aware on
a calibrated design). SE = √diag V. As R's ``glm.fit``, W comes from the fitted values
*before* the final update and r from those after it.

Inference as ``summary.svyglm`` / ``confint.svyglm``: residual degrees of freedom
df = degf − p + 1 (degf = PSUs minus strata among the units in the fit, p the number of
coefficients), t = β̂/SE, p-value 2 P(T_df > |t|), interval β̂ ± t_{df, 1−α/2} SE
(R computes it as a normal interval at level 1 − 2Φ(t_{df, α/2}); the same numbers).

Missing values and domains as R: units missing any model variable are left out of the
fit but keep their PSU's place in the variance (zero influence); ``domain=`` is R's
``svyglm(subset=)`` (``design[subset, ]``): units outside have zero influence, every PSU
still counts, df from the PSUs and strata holding units of the fit.

Formulas: ``"y ~ x1 + C(g) + factor(h) + x1:C(g)"``. Supported: numeric columns;
categorical columns through ``C(name)`` or ``factor(name)`` (a non-numeric column is
categorical as written), treatment coding with the first level as reference, levels
sorted (a pandas Categorical keeps its order), unused levels dropped, terms named as R
names them (``factor(sex)2``); interactions ``a:b`` and ``a*b`` (= ``a + b + a:b``) when
every lower-order margin is in the model; ``- 1`` / ``+ 0`` for no intercept. Not
supported: transformations (``log(x)``, ``I()``), offsets, ``.``, extra prior weights.
A rank-deficient model (a term that is a linear combination of earlier ones, or a level
with no units — common in a tiny domain) gives NA for the aliased coefficients with a
warning, as R's ``lm``/``glm`` do (columns taken left to right, aliased when within
``RANK_TOL`` of the span of those before; the residual df counts the estimable ones). Unlike
R, which only warns, fitted probabilities of 0 or 1 (perfect separation) and
non-convergence are errors that name the problem.
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import linalg, stats

from analysis.estimation.design import SurveyDesign
from data.text import InvalidRequest, Text

Family = Literal["gaussian", "quasibinomial"]
FAMILIES: tuple[str, ...] = ("gaussian", "quasibinomial")
EPSILON = 1e-8  # glm.control()$epsilon
MAXIT = 25  # glm.control()$maxit
RANK_TOL = 1e-7  # a column is aliased when its QR pivot is below RANK_TOL x its norm
DBL_EPS = np.finfo(float).eps
THRESH = 30.0  # R's logit link clamps eta outside [-30, 30]
_CATEGORICAL = re.compile(r"^(C|factor)\((\w+)\)$")


# ---- formula ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Variable:
    """One variable of a formula: a column, numeric or categorical, and how R labels it."""

    column: str
    categorical: bool
    label: str  # prefix of R's coefficient names: "income", "factor(sex)", "stype"


@dataclass(frozen=True)
class Formula:
    """A parsed model formula: response, terms (tuples of variables), intercept."""

    response: str
    terms: tuple[tuple[Variable, ...], ...]
    intercept: bool


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separator characters outside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _variable(text: str, frame: pd.DataFrame) -> Variable:
    """``income`` / ``C(sex)`` / ``factor(sex)`` as a Variable; a non-numeric column is categorical."""
    match = _CATEGORICAL.match(text)
    column = match.group(2) if match else text
    if not re.fullmatch(r"\w+", column):
        raise InvalidRequest(
            "unsupported_term",
            Text(
                f"지원하지 않는 항입니다: {text!r}",
                f"unsupported term {text!r} (use a column name, C(name) or factor(name))",
            ),
        )
    if column not in frame.columns:
        raise KeyError(f"column {column!r} of the formula is not in the frame")
    dtype = frame[column].dtype
    numeric = pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
    return Variable(column, bool(match) or not numeric, text)


def parse_formula(formula: str, frame: pd.DataFrame) -> Formula:
    """Parse ``response ~ terms`` into variables and terms in R's order (by degree, stable)."""
    if formula.count("~") != 1:
        raise ValueError(f"formula must read 'response ~ terms', not {formula!r}")
    lhs, rhs = (part.replace(" ", "") for part in formula.split("~"))
    if not re.fullmatch(r"\w+", lhs) or lhs not in frame.columns:
        raise KeyError(f"response {lhs!r} must be a column of the frame")
    rhs = rhs.replace("-1", "+0")
    if "-" in rhs:
        raise ValueError(f"only '- 1' may be subtracted in a formula, not in {formula!r}")
    intercept = True
    raw_terms: list[tuple[Variable, ...]] = []
    for piece in _split_top(rhs, "+"):
        if piece in ("0", "1"):
            intercept = intercept and piece == "1"
            continue
        if not piece:
            raise ValueError(f"empty term in formula {formula!r}")
        factors = [_variable(text, frame) for text in _split_top(piece, "*:")]
        crossed = "*" in "".join(c for c in piece if c in "*:")
        if crossed and ":" in piece:
            raise ValueError(f"mix of '*' and ':' in one term is not supported: {piece!r}")
        if crossed:
            for size in range(1, len(factors) + 1):
                raw_terms.extend(itertools.combinations(factors, size))
        else:
            raw_terms.append(tuple(factors))
    order: dict[
        str, int
    ] = {}  # variables in order of first appearance (R orders interaction factors so)
    for term in raw_terms:
        for variable in term:
            order.setdefault(variable.label, len(order))
    terms = []
    for term in raw_terms:
        labels = sorted({v.label for v in term}, key=order.__getitem__)
        term = tuple(next(v for v in term if v.label == label) for label in labels)
        if term not in terms:
            terms.append(term)
    terms.sort(key=len)
    keys = [frozenset(v.label for v in t) for t in terms]
    for term, key in zip(terms, keys, strict=True):
        for variable in term if len(term) > 1 else ():
            if key - {variable.label} not in keys:
                raise ValueError(
                    f"interaction {':'.join(v.label for v in term)} needs its margin "
                    f"{':'.join(v.label for v in term if v != variable)} in the model"
                )
    if not terms and not intercept:
        raise ValueError(f"formula {formula!r} has no terms")
    return Formula(lhs, tuple(terms), intercept)


# ---- design matrix ----------------------------------------------------------------------
def _level_label(value: object) -> str:
    """A level as R's ``as.character``: 2.0 -> "2", "H" -> "H"."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)


def _levels(values: pd.Series) -> list[object]:
    """Levels present, in R's factor order: sorted, or a Categorical's own order."""
    present = set(values.unique())
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [level for level in values.cat.categories if level in present]
    return sorted(present)


def model_matrix(spec: Formula, data: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """R's ``model.matrix`` with treatment contrasts for the (complete) rows of ``data``.

    Without an intercept the first categorical main effect gets one column per level.
    Interaction columns are products, the first variable's levels varying fastest.
    """
    columns: list[np.ndarray] = []
    names: list[str] = []
    if spec.intercept:
        columns.append(np.ones(len(data)))
        names.append("(Intercept)")
    full_coding_done = spec.intercept
    for term in spec.terms:
        blocks: list[list[tuple[str, np.ndarray]]] = []
        for variable in term:
            values = data[variable.column]
            if not variable.categorical:
                blocks.append([(variable.label, values.to_numpy(dtype=float))])
                continue
            levels = _levels(values)
            if len(term) == 1 and not full_coding_done:
                full_coding_done = True
            else:
                levels = levels[1:]
            blocks.append(
                [
                    (f"{variable.label}{_level_label(level)}", (values == level).to_numpy(float))
                    for level in levels
                ]
            )
        for combo in itertools.product(*reversed(blocks)):
            combo = combo[::-1]
            names.append(":".join(name for name, _ in combo))
            columns.append(np.prod([col for _, col in combo], axis=0))
    return np.column_stack(columns) if columns else np.empty((len(data), 0)), names


def _reference_levels(spec: Formula, data: pd.DataFrame, names: list[str]) -> dict[str, str]:
    """Column → the level each categorical main effect is measured against (its first level,
    left out of the model matrix); a factor coded in full has none."""
    found = {}
    for term in spec.terms:
        if len(term) == 1 and term[0].categorical:
            variable = term[0]
            levels = _levels(data[variable.column])
            if levels and f"{variable.label}{_level_label(levels[0])}" not in names:
                found[variable.column] = _level_label(levels[0])
    return found


_TERM_FACTOR = re.compile(r"^(?:C|factor)\((\w+)\)(?:\[T\.(.*)\]|(.*))$")


def term_parts(term: str) -> tuple[tuple[str, str | None], ...]:
    """A coefficient's name as (variable, level) pairs, one per factor of the term.

    ``"(Intercept)"`` → ``()``; ``"age"`` → ``(("age", None),)``; ``"C(sex)2"``,
    ``"factor(sex)2"`` and patsy's ``"C(sex)[T.2]"`` → ``(("sex", "2"),)``;
    ``"age:C(sex)2"`` → ``(("age", None), ("sex", "2"))``. A numeric variable has no level.
    """
    if term == "(Intercept)":
        return ()
    parts = []
    for factor in _split_top(term, ":"):
        match = _TERM_FACTOR.match(factor)
        if match:
            level = match.group(2) if match.group(2) is not None else match.group(3)
            parts.append((match.group(1), level or None))
        else:
            parts.append((factor, None))
    return tuple(parts)


# ---- fitting -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Fit:
    coef: np.ndarray
    ainv: np.ndarray  # (X' W X)^-1 with the working weights of the last solve
    scores: np.ndarray  # x_i W_i r_i per row
    iterations: int


def _weighted_solve(
    x: np.ndarray, z: np.ndarray, sqrt_w: np.ndarray, names: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares of sqrt(w) z on sqrt(w) X by QR; (coefficients, (X'WX)^-1)."""
    xw = x * sqrt_w[:, None]
    q, r = linalg.qr(xw, mode="economic")
    norms = np.sqrt((xw**2).sum(axis=0))
    aliased = np.flatnonzero(np.abs(np.diag(r)) <= RANK_TOL * np.where(norms > 0, norms, 1.0))
    if aliased.size or x.shape[0] < x.shape[1]:
        which = names[int(aliased[0])] if aliased.size else "(too few units)"
        raise InvalidRequest(
            "singular_design",
            Text(
                f"설계행렬이 특이합니다 (공선성): {which}",
                f"singular design matrix: {which} is a "
                "linear combination of the other columns (or a level has no units); drop it",
            ),
        )
    coef = linalg.solve_triangular(r, q.T @ (z * sqrt_w))
    r_inv = linalg.solve_triangular(r, np.eye(r.shape[0]))
    return coef, r_inv @ r_inv.T


def estimable(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Columns of ``x`` (weighted by ``w``) not aliased with the columns before them.

    Left to right, as R's pivoted QR (``dqrdc2`` with ``tol = 1e-7``): a column is aliased
    when what remains of it after projecting out the kept columns is below ``RANK_TOL``
    times its norm. Returns the indices of the kept columns.
    """
    xw = x * np.sqrt(w)[:, None]
    basis: list[np.ndarray] = []
    kept = []
    for j in range(xw.shape[1]):
        column = xw[:, j]
        norm = float(np.linalg.norm(column))
        rest = column.copy()
        for q in basis:
            rest -= (q @ rest) * q
        if norm > 0 and np.linalg.norm(rest) > RANK_TOL * norm:
            basis.append(rest / np.linalg.norm(rest))
            kept.append(j)
    return np.asarray(kept, dtype=np.int64)


def _fit_gaussian(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str]) -> _Fit:
    coef, ainv = _weighted_solve(x, y, np.sqrt(w), names)
    scores = x * (w * (y - x @ coef))[:, None]
    return _Fit(coef, ainv, scores, 1)


def _logit_inverse(eta: np.ndarray) -> np.ndarray:
    """R's ``binomial()$linkinv`` (C ``logit_linkinv``): e^eta clamped to [eps, 1/eps]."""
    e = np.exp(np.clip(eta, -THRESH, THRESH))
    e = np.where(eta < -THRESH, DBL_EPS, np.where(eta > THRESH, 1 / DBL_EPS, e))
    return e / (1 + e)


def _logit_mu_eta(eta: np.ndarray) -> np.ndarray:
    """R's ``binomial()$mu.eta``: e^eta/(1 + e^eta)^2, DBL_EPSILON for |eta| > 30."""
    e = np.exp(np.clip(eta, -THRESH, THRESH))
    return np.where(np.abs(eta) > THRESH, DBL_EPS, e / (1 + e) ** 2)


def _binomial_deviance(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    """Σ 2 w (y log(y/μ) + (1−y) log((1−y)/(1−μ))), with 0 log 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y != 0, y * np.log(y / mu), 0.0)
        b = np.where(y != 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return float(np.sum(2 * w * (a + b)))


def _fit_quasibinomial(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str]) -> _Fit:
    """IRLS exactly as R's ``glm.fit`` with ``quasibinomial()``."""
    if ((y < 0) | (y > 1)).any():
        raise InvalidRequest(
            "response_out_of_range",
            Text("quasibinomial 응답은 0~1 사이여야 합니다", "the response must lie in [0, 1]"),
        )
    mustart = (w * y + 0.5) / (w + 1)
    eta = np.log(mustart / (1 - mustart))
    mu = _logit_inverse(eta)
    dev_old = _binomial_deviance(y, mu, w)
    converged, iterations = False, 0
    while not converged and iterations < MAXIT:
        iterations += 1
        mu_eta = _logit_mu_eta(eta)
        good = (w > 0) & (mu_eta != 0)
        z = eta[good] + (y - mu)[good] / mu_eta[good]
        sqrt_w = np.sqrt(w[good] * mu_eta[good] ** 2 / (mu * (1 - mu))[good])
        coef, ainv = _weighted_solve(x[good], z, sqrt_w, names)
        eta = x @ coef
        mu = _logit_inverse(eta)
        dev = _binomial_deviance(y, mu, w)
        converged = abs(dev - dev_old) / (abs(dev) + 0.1) < EPSILON
        dev_old = dev
    fitted = mu[w > 0]
    if ((fitted < 10 * DBL_EPS) | (fitted > 1 - 10 * DBL_EPS)).any():
        raise InvalidRequest(
            "separation",
            Text(
                "적합 확률이 0 또는 1입니다 (완전 분리)",
                "fitted probabilities of 0 or 1: the "
                "predictors separate the outcome perfectly; drop or merge the separating terms",
            ),
        )
    if not converged:
        raise InvalidRequest(
            "no_convergence",
            Text(
                f"로지스틱 회귀가 {MAXIT}회 반복 안에 수렴하지 않았습니다",
                f"the logistic fit did not converge in {MAXIT} iterations",
            ),
        )
    working = np.zeros_like(w)
    working[good] = sqrt_w**2
    residual = (y - mu) / _logit_mu_eta(eta)
    return _Fit(coef, ainv, x * (working * residual)[:, None], iterations)


# ---- the model ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Regression:
    """A fitted design-based regression (R: ``svyglm``).

    ``coefficients`` has one row per term: term, estimate, se, t, df, p_value,
    ci_low, ci_high. ``n`` is the number of units in the fit (non-zero weight, no
    missing model variable, in the domain); ``df`` the residual design df; ``degf``
    the design df of the units in the fit.
    """

    coefficients: pd.DataFrame
    formula: str
    family: str
    n: int
    df: int
    degf: int
    level: float
    iterations: int
    reference_levels: dict[str, str] = field(default_factory=dict)  # column → dropped level
    aliased: tuple[str, ...] = ()  # terms not estimable (NA), as R's aliased coefficients


def _domain_mask(design: SurveyDesign, domain: object) -> np.ndarray:
    if domain is None:
        return np.ones(len(design), dtype=bool)
    mask = np.asarray(domain)
    if mask.shape != (len(design),):
        raise ValueError(f"domain must have one value per row ({len(design)}), not {mask.shape}")
    if pd.isna(mask).any():
        raise ValueError("domain must not contain missing values (as R's subset)")
    return mask.astype(bool)


def _rescaled_weights(design: SurveyDesign, in_domain: np.ndarray) -> np.ndarray:
    """Weights / their mean over the design R fits on (R's ``rescale=TRUE``).

    R's ``design[subset, ]`` drops out-of-domain rows of a plain design, but keeps them
    with zero weight in a calibrated one; the mean is taken over the rows kept.
    """
    w = np.where(in_domain, design.weights, 0.0)
    kept = np.ones_like(in_domain) if getattr(design, "steps", None) else in_domain
    return w / w[kept].mean()


def _inference(
    estimate: np.ndarray, se: np.ndarray, df: int, level: float
) -> dict[str, np.ndarray]:
    """t, p and interval as ``summary.svyglm`` / ``confint.svyglm`` (NaN when df <= 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = estimate / se
    if df <= 0:
        nan = np.full_like(estimate, np.nan)
        return {
            "t": t,
            "df": np.full(estimate.size, df),
            "p_value": nan,
            "ci_low": nan,
            "ci_high": nan,
        }
    p = 2 * stats.t.sf(np.abs(t), df)
    a = stats.norm.cdf(stats.t.ppf((1 - level) / 2, df))  # R: tlevel = 1 - 2a, then qnorm
    fac = stats.norm.ppf([a, 1 - a])
    return {
        "t": t,
        "df": np.full(estimate.size, df),
        "p_value": p,
        "ci_low": estimate + se * fac[0],
        "ci_high": estimate + se * fac[1],
    }


def svyglm(
    design: SurveyDesign,
    formula: str,
    family: Family = "gaussian",
    *,
    domain: object = None,
    level: float = 0.95,
) -> Regression:
    """Fit ``formula`` to the design (R: ``svyglm(formula, design, family, subset=)``).

    ``family`` is ``"gaussian"`` (linear regression) or ``"quasibinomial"`` (logistic
    regression for a 0/1 or proportion response). ``domain`` is a boolean per row of
    the frame: the regression within that domain, PSUs outside still counted.
    """
    if family not in FAMILIES:
        raise InvalidRequest(
            "unknown_family",
            Text(
                f"지원하지 않는 family입니다: {family!r} (가능: {', '.join(FAMILIES)})",
                f"unknown family {family!r}; use one of {', '.join(FAMILIES)}",
            ),
        )
    if not isinstance(design, SurveyDesign):
        raise TypeError("svyglm needs a SurveyDesign (replicate designs are not supported yet)")
    frame = design.frame
    spec = parse_formula(formula, frame)
    in_domain = _domain_mask(design, domain)
    used_columns = [spec.response, *{v.column for t in spec.terms for v in t}]
    complete = in_domain & frame[used_columns].notna().all(axis=1).to_numpy()
    weights = _rescaled_weights(design, in_domain)
    rows = np.flatnonzero(complete & (weights > 0))
    if rows.size == 0:
        raise InvalidRequest(
            "no_data", Text("적합할 자료가 없습니다", "no units with data and non-zero weight")
        )
    data = frame.iloc[np.flatnonzero(complete)]
    x, names = model_matrix(spec, data)
    keep = weights[np.flatnonzero(complete)] > 0  # zero-weight units add nothing
    x, data = x[keep], data.iloc[keep]
    y = data[spec.response].to_numpy(dtype=float)
    kept = estimable(x, weights[rows])
    aliased = [name for j, name in enumerate(names) if j not in set(kept.tolist())]
    if aliased:
        warnings.warn(
            f"계수를 추정할 수 없는 항이 있습니다 (공선성 또는 자료 없는 수준): {', '.join(aliased)} — "
            f"NA로 둡니다 / not estimable (aliased with other terms, or a level without units): "
            f"{', '.join(aliased)}; reported as NA, as R does",
            stacklevel=2,
        )
    fit = (_fit_gaussian if family == "gaussian" else _fit_quasibinomial)(
        x[:, kept], y, weights[rows], [names[j] for j in kept]
    )
    influence = fit.scores @ fit.ainv
    variance, ddf = design.domain_variance(influence, np.zeros(rows.size, dtype=np.int64), 1, rows)
    degf = int(ddf[0])
    df = degf - len(kept) + 1
    coef = np.full(len(names), np.nan)
    se = np.full(len(names), np.nan)
    coef[kept], se[kept] = fit.coef, np.sqrt(variance[0])
    table = pd.DataFrame({"term": names, "estimate": coef, "se": se})
    for column, values in _inference(coef, se, df, level).items():
        table[column] = values
    references = _reference_levels(spec, data, names)
    return Regression(
        table, formula, family, int(rows.size), df, degf, level, fit.iterations, references,
        tuple(aliased),
    )  # fmt: skip
