"""Replicate-weight designs (R: ``svrepdesign`` / ``as.svrepdesign``) and their estimators.

A ``ReplicateDesign`` holds full-sample weights w_i and R columns of replicate
weights w_ir (analysis weights, R's ``combined.weights = TRUE``). Every statistic
θ is recomputed with each column, and its variance is R's ``svrVar``:

    V(θ̂) = scale · Σ_r rscales_r (θ̂_r − θ̄)²,

with θ̄ the mean of the replicates with rscales_r > 0 (``mse=False``, R's default)
or the full-sample θ̂ (``mse=True``); replicates giving NaN (a domain with no
replicate weight) are dropped, as ``svrVar``'s ``na.omit``. Defaults for scale and
rscales follow ``svrepdesign``: JK1 (R−1)/R; JKn needs rscales; bootstrap
1/(R−1); BRR 1/R; Fay 1/(R(1−ρ)²) (Wolter 2007, chs. 3–5; Lumley 2010, §2.3).

Domains are R's ``svyby``: the replicate estimate of a domain uses the replicate
weights of its members. All domains and replicates come from one sparse
(domains × units) indicator times the (units × replicates) weight matrix — no
Python loop over domains.

``to_replicates`` turns a linearization ``SurveyDesign`` into replicate weights as
R's ``as.svrepdesign``: ``"JK1"`` and ``"JKn"`` (delete-one-PSU jackknife, equal to
R's weights), and ``"bootstrap"``: the Rao–Wu (1988) rescaled bootstrap with
m_h = n_h − 1 PSUs drawn with replacement per stratum, R's ``type="subbootstrap"``
(random, so tests use weights exported from R).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import sparse, stats

from analysis.estimation.domains import COLUMNS, Domains, domains, item_indicators

if TYPE_CHECKING:
    from analysis.estimation.design import SurveyDesign

__all__ = ["ReplicateDesign", "to_replicates"]
Method = Literal["JK1", "JKn", "bootstrap", "BRR", "Fay"]
METHODS: tuple[str, ...] = ("JK1", "JKn", "bootstrap", "BRR", "Fay")


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        raise KeyError(f"variable {column!r} is not in the frame")
    values = frame[column]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        raise TypeError(f"variable {column!r} must be numeric (it is {values.dtype})")
    return values.to_numpy(dtype=float, na_value=np.nan)


class ReplicateDesign:
    """A design whose variance comes from replicate weights (R: ``svrepdesign``).

    Parameters
    ----------
    frame:
        One row per sampled unit.
    weights:
        Column of full-sample weights.
    replicate_weights:
        Column names in ``frame``, or a (rows x R) DataFrame / array, of replicate
        *analysis* weights (already multiplied by the sampling weights).
    method:
        ``"JK1"``, ``"JKn"``, ``"bootstrap"``, ``"BRR"`` or ``"Fay"``.
    rho:
        Fay's ρ (required for ``"Fay"``, not allowed otherwise).
    scale, rscales:
        The overall and per-replicate multipliers of ``svrVar``; defaults as R's
        ``svrepdesign`` (JKn requires ``rscales``; BRR and Fay fix ``scale``).
    mse:
        Centre the squared deviations at the full-sample estimate instead of the
        replicate mean (R's ``mse = TRUE``).
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        weights: str,
        replicate_weights: Sequence[str] | pd.DataFrame | np.ndarray,
        method: Method = "JK1",
        rho: float | None = None,
        scale: float | None = None,
        rscales: Sequence[float] | np.ndarray | float | None = None,
        mse: bool = False,
    ) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError("ReplicateDesign needs a pandas DataFrame")
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
        if weights not in frame.columns:
            raise KeyError(f"weights column {weights!r} is not in the frame")
        self.frame, self.weights_column, self.method, self.mse = frame, weights, method, mse
        self.weights = self._finite(frame[weights].to_numpy(dtype=float), "weights")
        if isinstance(replicate_weights, pd.DataFrame | np.ndarray):
            reps = np.asarray(replicate_weights, dtype=float)
        else:
            names = list(replicate_weights)
            missing = [c for c in names if c not in frame.columns]
            if missing:
                raise KeyError(f"replicate weight column(s) {missing} not in the frame")
            reps = frame[names].to_numpy(dtype=float)
        if reps.ndim != 2 or reps.shape[0] != len(frame) or reps.shape[1] < 2:
            raise ValueError("replicate weights must be (rows of frame) x (at least 2) values")
        self.replicate_weights = self._finite(reps, "replicate weights")
        n_rep = reps.shape[1]
        if (method == "Fay") != (rho is not None):
            raise ValueError("rho is required for method='Fay' and only for it")
        if method in ("BRR", "Fay") and scale is not None:
            raise ValueError(f"method={method!r} fixes scale; do not pass it")
        if method == "JKn" and rscales is None:
            raise ValueError("method='JKn' needs rscales ((n_h - 1)/n_h per replicate)")
        if rho is not None and not 0 <= rho < 1:
            raise ValueError(f"rho must be in [0, 1), not {rho!r}")
        defaults = {
            "JK1": (n_rep - 1) / n_rep,
            "bootstrap": 1 / (n_rep - 1),
            "BRR": 1 / n_rep,
            "Fay": 1 / (n_rep * (1 - (rho or 0.0)) ** 2),
            "JKn": 1.0,
        }
        self.rho = rho
        self.scale = float(defaults[method] if scale is None else scale)
        r = np.ones(n_rep) if rscales is None else np.asarray(rscales, dtype=float)
        self.rscales = np.broadcast_to(r, (n_rep,)).astype(float)
        if (self.rscales < 0).any() or self.scale < 0:
            raise ValueError("scale and rscales must be >= 0")

    @staticmethod
    def _finite(values: np.ndarray, what: str) -> np.ndarray:
        if not np.isfinite(values).all():
            raise ValueError(f"{what} have missing or infinite values")
        return values

    @property
    def n_replicates(self) -> int:
        return self.replicate_weights.shape[1]

    @cached_property
    def degf(self) -> int:
        """R's ``degf`` for replicate designs: rank of the replicate weights minus one."""
        return int(np.linalg.matrix_rank(self.replicate_weights)) - 1

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return (
            f"ReplicateDesign({len(self)} rows, {self.n_replicates} {self.method} replicates, "
            f"scale={self.scale:.6g}, mse={self.mse})"
        )

    # ---- variance ------------------------------------------------------------------------
    def replicate_variance(self, theta: np.ndarray, replicates: np.ndarray) -> np.ndarray:
        """R's ``svrVar`` for every estimate at once.

        ``theta`` (...), ``replicates`` (..., R). V = scale Σ_r rscales_r (θ_r − c)², c the
        full-sample θ (``mse``) or the mean of the non-NaN replicates with rscales_r > 0.
        """
        ok = ~np.isnan(replicates)
        used = ok & (self.rscales > 0)
        if self.mse:
            centre = theta
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                centre = np.where(used, replicates, 0.0).sum(-1) / used.sum(-1)
        dev = np.where(ok, replicates - np.asarray(centre)[..., None], 0.0)
        variance = self.scale * (dev * dev * self.rscales).sum(-1)
        return np.where(ok.any(-1), variance, np.nan)

    def _grouped(self, dom: Domains, valid: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
        """(domains x units) 0/1 matrix of respondents in each domain, and their rows."""
        rows = np.flatnonzero(valid & (dom.code >= 0))
        indicator = sparse.csr_matrix(
            (np.ones(rows.size), (dom.code[rows], np.arange(rows.size))),
            shape=(dom.size, rows.size),
        )
        return indicator, rows

    def _sums(
        self, indicator: sparse.csr_matrix, rows: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Full-sample (D x J) and replicate (D x J x R) weighted sums of the columns of y."""
        w = self.weights[rows]
        reps = self.replicate_weights[rows]
        full = np.column_stack([indicator @ (w * y[:, j]) for j in range(y.shape[1])])
        rep = np.stack([indicator @ (reps * y[:, j, None]) for j in range(y.shape[1])], axis=1)
        return full, rep

    # ---- estimators ----------------------------------------------------------------------
    def _linear(
        self,
        y: np.ndarray,
        valid: np.ndarray,
        by: Sequence[str] | str | None,
        kind: str,
        ci: str,
        level: float,
        levels: pd.Index | None = None,
    ) -> pd.DataFrame:
        dom = domains(self.frame, by)
        indicator, rows = self._grouped(dom, valid)
        ones = np.ones((rows.size, 1))
        yr = y[rows]
        total, rep_total = self._sums(indicator, rows, yr)
        if kind == "mean":
            size, rep_size = self._sums(indicator, rows, ones)
            with np.errstate(divide="ignore", invalid="ignore"):
                estimate = total / size
                replicates = rep_total / rep_size
        else:
            estimate, replicates = total, rep_total
        variance = self.replicate_variance(estimate, replicates)
        with np.errstate(divide="ignore", invalid="ignore"):
            deff = variance / self._srs_variance(indicator, dom.code[rows], rows, yr, kind)
        return self._table(dom, valid, estimate, variance, deff, ci, level, levels)

    def _srs_variance(
        self,
        indicator: sparse.csr_matrix,
        code: np.ndarray,
        rows: np.ndarray,
        y: np.ndarray,
        kind: str,
    ) -> np.ndarray:
        """R's svrep ``deff`` denominator: svyvar/n (N−n)/N for a mean, × N² for a total.

        svyvar = n/(n−1) Σ w (y − ȳ)² / Σ w, with n all respondents of the domain.
        """
        w = self.weights[rows]
        n = np.asarray(indicator.sum(axis=1)).ravel()[:, None]
        big_n = (indicator @ w)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            ybar = np.column_stack([indicator @ (w * y[:, j]) for j in range(y.shape[1])]) / big_n
            dev = y - ybar[code]
            ss = np.column_stack([indicator @ (w * dev[:, j] ** 2) for j in range(y.shape[1])])
            vsrs = ss / big_n * n / (n - 1) / n * (big_n - n) / big_n
        return vsrs * big_n**2 if kind == "total" else vsrs

    def _table(
        self,
        dom: Domains,
        valid: np.ndarray,
        estimate: np.ndarray,
        variance: np.ndarray,
        deff: np.ndarray,
        ci: str,
        level: float,
        levels: pd.Index | None = None,
    ) -> pd.DataFrame:
        """The tidy table of ``analysis.estimation.estimators``: by, (level), estimate ... n_missing."""
        if ci not in ("normal", "t"):
            raise ValueError(f"ci must be 'normal' or 't' for replicate designs, not {ci!r}")
        if not 0 < level < 1:
            raise ValueError(f"level must be between 0 and 1, not {level!r}")
        in_domain = dom.code >= 0
        n = np.bincount(dom.code[valid & in_domain], minlength=dom.size)
        n_missing = np.bincount(dom.code[in_domain & ~valid], minlength=dom.size)
        estimate = np.where((n == 0)[:, None], np.nan, estimate)
        se = np.sqrt(variance)
        q = stats.norm.ppf(1 - (1 - level) / 2)
        if ci == "t":
            q = stats.t.ppf(1 - (1 - level) / 2, self.degf) if self.degf > 0 else np.nan
        n_levels = estimate.shape[1]
        out = dom.keys.loc[dom.keys.index.repeat(n_levels)].reset_index(drop=True)
        if levels is not None:
            out["level"] = np.tile(np.asarray(levels), dom.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            body = {
                "estimate": estimate,
                "se": se,
                "ci_low": estimate - q * se,
                "ci_high": estimate + q * se,
                "cv": se / estimate,
                "deff": deff,
            }
        for name, values in body.items():
            out[name] = np.asarray(values, dtype=float).ravel()
        out["n"] = np.repeat(n, n_levels)
        out["n_missing"] = np.repeat(n_missing, n_levels)
        return out[[*dom.keys.columns, *(["level"] if levels is not None else []), *COLUMNS]]

    def mean(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: Literal["normal", "t"] = "normal",
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Weighted mean per domain, ȳ_d = Σ w δ_d y / Σ w δ_d (R: ``svymean``, ``svyby``).

        Replicates ȳ_dr = Σ w_r δ_d y / Σ w_r δ_d; variance ``svrVar``; deff = V / V_srs
        with V_srs = s²_w/n (N̂ − n)/N̂ as R's ``svymean.svyrep.design(deff = TRUE)``.
        """
        y = _numeric(self.frame, variable)
        return self._linear(y[:, None], ~np.isnan(y), by, "mean", ci, level)

    def total(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: Literal["normal", "t"] = "normal",
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Total per domain, Ŷ_d = Σ w δ_d y, replicates Σ w_r δ_d y (R: ``svytotal``)."""
        y = _numeric(self.frame, variable)
        return self._linear(y[:, None], ~np.isnan(y), by, "total", ci, level)

    def proportion(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: Literal["normal", "t"] = "normal",
        level: float = 0.95,
        categorical: bool | None = None,
    ) -> pd.DataFrame:
        """Proportion of a 0/1 item or of every level (the mean of indicators, as ``svymean``)."""
        if variable not in self.frame.columns:
            raise KeyError(f"variable {variable!r} is not in the frame")
        y, valid, levels = item_indicators(self.frame[variable], categorical)
        return self._linear(y, valid, by, "mean", ci, level, levels)

    def ratio(
        self,
        numerator: str,
        denominator: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: Literal["normal", "t"] = "normal",
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Ratio of totals per domain, R̂_d = Ŷ_d / X̂_d, replicates Ŷ_dr / X̂_dr (``svyratio``).

        ``deff`` is NaN: R's ``svyratio`` on replicate designs gives none (with
        ``deff = TRUE`` it fails in survey 4.1-1).
        """
        y = _numeric(self.frame, numerator)
        x = _numeric(self.frame, denominator)
        valid = ~(np.isnan(y) | np.isnan(x))
        dom = domains(self.frame, by)
        indicator, rows = self._grouped(dom, valid)
        top, rep_top = self._sums(indicator, rows, y[rows, None])
        bottom, rep_bottom = self._sums(indicator, rows, x[rows, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = top / bottom
            replicates = rep_top / rep_bottom
        variance = self.replicate_variance(estimate, replicates)
        deff = np.full_like(estimate, np.nan)
        return self._table(dom, valid, estimate, variance, deff, ci, level)


def _first_appearance(codes: np.ndarray) -> np.ndarray:
    """Distinct codes in order of first appearance (R's ``unique``)."""
    _, first = np.unique(codes, return_index=True)
    return codes[np.sort(first)]


def to_replicates(
    design: SurveyDesign,
    method: Literal["JK1", "JKn", "bootstrap"] = "JKn",
    replicates: int = 50,
    seed: int | np.random.Generator | None = None,
    mse: bool = False,
) -> ReplicateDesign:
    """Replicate weights from a linearization design, as R's ``as.svrepdesign``.

    - ``"JK1"`` (unstratified): replicate r drops PSU r; the others get n/(n − 1);
      scale (1 − f)(n − 1)/n, rscales 1.
    - ``"JKn"``: replicate (h, j) drops PSU j of stratum h and multiplies the other PSUs
      of h by n_h/(n_h − 1); rscales (1 − f_h)(n_h − 1)/n_h, scale 1. Replicates are
      ordered as R's: strata, then PSUs within them, in order of first appearance.
      Strata sampled completely (f_h = 1) and, with ``lonely_psu`` "remove",
      "certainty" or "average", single-PSU strata give no replicate (R's
      ``survey.drop.replicates``); "average" then multiplies scale by PSUs/replicates.
    - ``"bootstrap"``: Rao–Wu (1988) rescaled bootstrap, R's ``type="subbootstrap"``:
      per stratum draw n_h − 1 of the n_h PSUs with replacement; a PSU drawn k times
      gets k n_h/(n_h − 1). scale 1/(R − 1), rscales 1. The FPC is ignored, as in R.

    Replicate weights are the design weights times these multipliers.
    """
    n_strata = len(design.stratum_labels)
    psu_order = _first_appearance(design.psu_code)
    strata_order = _first_appearance(design.stratum_code)
    multipliers: list[np.ndarray] = []  # per replicate, one multiplier per PSU
    if method in ("JK1", "JKn"):
        if method == "JK1" and n_strata > 1:
            raise ValueError("JK1 is for unstratified designs; use method='JKn'")
        if design.lonely_psu == "adjust" and design.lonely_strata.any():
            raise NotImplementedError("lonely_psu='adjust' is not supported for jackknife")
        rscales: list[float] = []
        for h in strata_order:
            psus = psu_order[design.psu_stratum[psu_order] == h]
            n_h = psus.size
            one_minus_f = design.one_minus_f[h]
            if n_h < 2 or one_minus_f == 0:
                continue
            for psu in psus:
                m = np.ones(design.n_psu)
                m[psus] = n_h / (n_h - 1)
                m[psu] = 0.0
                multipliers.append(m)
                rscales.append(one_minus_f * (n_h - 1) / n_h)
        if not multipliers:
            raise ValueError("no stratum gives a jackknife replicate")
        scale = 1.0
        if method == "JK1":
            scale, rscales = rscales[0], [1.0] * len(rscales)
        elif design.lonely_psu == "average" and len(multipliers) < design.n_psu:
            scale = design.n_psu / len(multipliers)
        matrix = np.column_stack(multipliers)
        weights = design.weights[:, None] * matrix[design.psu_code]
        return _build(design, weights, method, scale, np.asarray(rscales), mse)
    if method != "bootstrap":
        raise ValueError(f"method must be 'JK1', 'JKn' or 'bootstrap', not {method!r}")
    if replicates < 2:
        raise ValueError("bootstrap needs at least 2 replicates")
    if (design.psus_per_stratum < 2).any():
        raise ValueError("the bootstrap needs at least 2 PSUs in every stratum")
    rng = np.random.default_rng(seed)
    matrix = np.zeros((design.n_psu, replicates))
    for h in strata_order:
        psus = psu_order[design.psu_stratum[psu_order] == h]
        n_h = psus.size
        counts = rng.multinomial(n_h - 1, np.full(n_h, 1.0 / n_h), size=replicates)
        matrix[psus] = counts.T * (n_h / (n_h - 1))
    weights = design.weights[:, None] * matrix[design.psu_code]
    return _build(design, weights, "bootstrap", 1 / (replicates - 1), None, mse)


def _build(
    design: SurveyDesign,
    weights: np.ndarray,
    method: str,
    scale: float,
    rscales: np.ndarray | None,
    mse: bool,
) -> ReplicateDesign:
    return ReplicateDesign(
        design.frame,
        design.weights_column,
        weights,
        method=method,  # type: ignore[arg-type]
        scale=scale,
        rscales=rscales,
        mse=mse,
    )
