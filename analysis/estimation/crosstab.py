"""Two-way weighted tables with linearized SEs and the Rao–Scott tests of independence.

``crosstab(design, row, col)`` is R's ``svytable`` with the SEs ``svytotal`` /
``svymean`` / ``svyby`` give, and ``rao_scott`` is R's ``svychisq``
(``survey:::svychisq.survey.design``, survey 4.1-1), reproduced step by step.
Units missing either variable are left out as a domain restriction (R's
``na.rm = TRUE``): they keep their PSU's place with influence zero.

Cells, for complete units i with weight w_i, row level r_i and column level c_i:

- total       N̂_rc = Σ w_i 1[r_i = r, c_i = c]; influence z_i = w_i 1[cell]
  (``svytotal(~interaction(row, col))``, equal to ``svytable``'s cells).
- cell_pct    p̂_rc = N̂_rc / N̂, a ratio of totals; z_i = w_i (1[cell] − p̂_rc) / N̂
  (``svymean(~interaction(row, col))``).
- row_pct     p̂_c|r = N̂_rc / N̂_r·, the proportion of column level c in the domain
  row = r; z_i = w_i 1[r_i = r] (1[c_i = c] − p̂_c|r) / N̂_r·
  (``svyby(~col, ~row, svymean)``). col_pct likewise with the roles swapped.

All proportions are on the 0..1 scale, not percent. Variances are
``SurveyDesign.domain_variance`` of those influence values: the between-PSU,
within-stratum variance of PSU totals with FPC (Lumley 2010, §2.2, §2.3).

Rao–Scott (Rao & Scott 1981, 1984; Lumley 2010, §3.4), with p̂ the K = RC cell
proportions (row index fastest), V̂ their linearized covariance matrix and N the
number of rows of the data (R's ``nrow(model.matrix)``: *all* rows, those with
missing values included — an R quirk kept so the numbers match):

- X² = Pearson's statistic of the table N p̂ (``chisq.test(svytable(..., Ntotal = N))``),
  N Σ (p̂_rc − p̂_r· p̂_·c)² / (p̂_r· p̂_·c).
- C = the (R−1)(C−1) treatment-coded interaction columns of the saturated model,
  residualized on the main effects; D = diag(p̂) (1/0 read as 0);
  Δ = (C'D⁻¹C / N)⁻¹ C'D⁻¹ V̂ D⁻¹ C, the generalized design effects.
- first order ("Chisq"): X² / δ̄ ~ χ²_{(R−1)(C−1)}, δ̄ = tr Δ / (R−1)(C−1).
- second order ("F", the default): F = X² / tr Δ ~ F(d, d ν) with
  d = (tr Δ)² / tr Δ², ν = distinct PSU ids − strata (as ``svychisq`` counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats

if TYPE_CHECKING:
    from analysis.estimation.design import SurveyDesign

__all__ = ["Crosstab", "crosstab", "rao_scott"]

Statistic = Literal["F", "Chisq"]
KINDS: tuple[str, ...] = (
    "total",
    "se_total",
    "cell_pct",
    "se_cell_pct",
    "row_pct",
    "se_row_pct",
    "col_pct",
    "se_col_pct",
    "n",
)


@dataclass(frozen=True)
class _Cells:
    """Complete units (row indices into the frame), their level codes and weights."""

    rows: np.ndarray
    r: np.ndarray
    c: np.ndarray
    w: np.ndarray
    row_levels: pd.Index
    col_levels: pd.Index

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_levels), len(self.col_levels)

    @property
    def cell(self) -> np.ndarray:
        """Cell code r + R c: R's ``interaction(row, col)`` order (row level fastest)."""
        return self.r + len(self.row_levels) * self.c


@dataclass
class Crosstab:
    """A weighted two-way table: tidy ``table`` (one row per cell), Rao–Scott tests.

    ``table`` columns: the row variable, the column variable, ``total``, ``se_total``,
    ``cell_pct``, ``se_cell_pct``, ``row_pct``, ``se_row_pct``, ``col_pct``,
    ``se_col_pct`` (proportions 0..1) and ``n`` (unweighted count). ``f_test`` and
    ``chisq_test`` hold ``rao_scott``'s results (``None`` if ``test=False``).
    """

    row: str
    col: str
    table: pd.DataFrame
    row_levels: pd.Index
    col_levels: pd.Index
    n_complete: int
    n_excluded: int
    f_test: dict[str, float | str] | None = None
    chisq_test: dict[str, float | str] | None = None

    def wide(self, kind: str = "total") -> pd.DataFrame:
        """The table as a matrix (rows: row levels, columns: column levels) of one ``kind``."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        wide = self.table.pivot(index=self.row, columns=self.col, values=kind)
        return wide.reindex(
            index=pd.Index(self.row_levels, name=self.row),
            columns=pd.Index(self.col_levels, name=self.col),
        )


# ---- building blocks -----------------------------------------------------------------------
def _levels(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 (-1: missing) and the sorted levels; integral floats read as ints.

    A categorical dtype keeps every category, used or not, as R's factor does.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), pd.Index(values.cat.categories)
    codes, levels = pd.factorize(values, sort=True)
    levels = pd.Index(levels)
    if pd.api.types.is_float_dtype(levels) and (levels == np.round(levels)).all():
        levels = levels.astype("int64")  # codes read as float because of missing values
    return codes.astype(np.int64), levels


def _cells(design: SurveyDesign, row: str, col: str) -> _Cells:
    """Levels of each variable over the whole sample (as R's ``factor``), complete units."""
    for name in (row, col):
        if name not in design.frame.columns:
            raise KeyError(f"variable {name!r} is not in the frame")
    if row == col:
        raise ValueError("row and col must be different variables")
    r, row_levels = _levels(design.frame[row])
    c, col_levels = _levels(design.frame[col])
    if len(row_levels) < 2 or len(col_levels) < 2:
        raise ValueError(f"{row!r} and {col!r} need at least two observed levels each")
    rows = np.flatnonzero((r >= 0) & (c >= 0))
    return _Cells(rows, r[rows], c[rows], design.weights[rows], row_levels, col_levels)


def _onehot(codes: np.ndarray, k: int) -> np.ndarray:
    return (codes[:, None] == np.arange(k)[None, :]).astype(float)


def _covariance(design: SurveyDesign, z: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Full covariance matrix of linearized estimates with influence ``z`` (units ``rows``).

    Cov_jk = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_{i∈h} (t_hij − t̄_hj)(t_hik − t̄_hk), t the PSU
    totals, t̄ their stratum mean over all n_h PSUs: ``SurveyDesign.domain_variance`` for
    one domain, off-diagonal terms included (R's ``svyrecvar``), same lonely-PSU rules.
    """
    psu = design.psu_code[rows]
    totals = np.column_stack(
        [np.bincount(psu, weights=z[:, j], minlength=design.n_psu) for j in range(z.shape[1])]
    )
    n_strata = len(design.stratum_labels)
    sums = np.column_stack(
        [np.bincount(design.psu_stratum, weights=t, minlength=n_strata) for t in totals.T]
    )
    centre = sums / design.psus_per_stratum[:, None]
    if design.lonely_psu == "adjust":  # a lone PSU is not centred (R's onestrat)
        centre[design.lonely_strata] = 0.0
    dev = totals - centre[design.psu_stratum]
    cov = (design.stratum_scale[design.psu_stratum][:, None] * dev).T @ dev
    if design.lonely_psu == "average" and design.lonely_strata.any():
        held = np.zeros(n_strata, dtype=bool)
        held[design.psu_stratum[np.unique(psu)]] = True
        used = held.sum()
        with np.errstate(divide="ignore", invalid="ignore"):  # no usable stratum: NaN, as R
            cov = cov * (used / (used - (held & design.lonely_strata).sum()))
    return cov


def _conditional(
    design: SurveyDesign, cells: _Cells, by: np.ndarray, n_by: int, of: np.ndarray, n_of: int
) -> tuple[np.ndarray, np.ndarray]:
    """Proportions of ``of`` levels within each ``by`` domain (n_by x n_of) and their SEs."""
    y = _onehot(of, n_of)
    big_w = np.bincount(by, weights=cells.w, minlength=n_by)
    wy = np.column_stack(
        [np.bincount(by, weights=cells.w * y[:, j], minlength=n_by) for j in range(n_of)]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        p = wy / big_w[:, None]
        z = cells.w[:, None] * (y - p[by]) / big_w[by][:, None]
    variance, _ = design.domain_variance(z, by, n_by, cells.rows)
    return p, np.sqrt(variance)


def _cell_proportions(design: SurveyDesign, cells: _Cells) -> tuple[np.ndarray, np.ndarray]:
    """p̂ (K cells, row level fastest) and its linearized covariance matrix V̂ (K x K)."""
    k = cells.shape[0] * cells.shape[1]
    y = _onehot(cells.cell, k)
    big_w = cells.w.sum()
    p = cells.w @ y / big_w
    z = cells.w[:, None] * (y - p) / big_w
    return p, _covariance(design, z, cells.rows)


# ---- Rao–Scott ----------------------------------------------------------------------------
def _pearson(p: np.ndarray, shape: tuple[int, int], n: int) -> float:
    """Pearson's X² of the table N p̂ (R's ``chisq.test(svytable(..., Ntotal = N))``)."""
    observed = n * p.reshape(shape[1], shape[0]).T
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum((observed - expected) ** 2 / expected))


def _contrasts(n_rows: int, n_cols: int) -> np.ndarray:
    """R's ``Cmat``: interaction columns of ``~rows * cols`` residualized on the main effects."""
    r = np.tile(np.arange(n_rows), n_cols)
    c = np.repeat(np.arange(n_cols), n_rows)
    main = np.column_stack(
        [np.ones(r.size)] + [r == i for i in range(1, n_rows)] + [c == j for j in range(1, n_cols)]
    ).astype(float)
    inter = np.column_stack(
        [(r == i) & (c == j) for j in range(1, n_cols) for i in range(1, n_rows)]
    ).astype(float)
    coef, *_ = np.linalg.lstsq(main, inter, rcond=None)
    return inter - main @ coef


def _design_effects(p: np.ndarray, v: np.ndarray, shape: tuple[int, int], n: int) -> np.ndarray:
    """Δ = (C'D⁻¹C/N)⁻¹ C'D⁻¹V̂D⁻¹C, the matrix whose eigenvalues are the generalized deffs."""
    cmat = _contrasts(*shape)
    with np.errstate(divide="ignore"):
        inv_p = np.where(p == 0, 0.0, 1.0 / p)
    weighted = cmat * inv_p[:, None]  # D⁻¹C
    denom = cmat.T @ weighted / n
    numer = weighted.T @ v @ weighted
    return np.linalg.solve(denom, numer)


def _svychisq_df(design: SurveyDesign) -> int:
    """ν as ``svychisq`` counts it: distinct PSU ids minus distinct strata (all rows)."""
    if design.psu_column is None:
        psus = len(design.frame)
    else:
        psus = int(design.frame[design.psu_column].nunique())
    return psus - len(design.stratum_labels)


def _test(
    design: SurveyDesign, cells: _Cells, p: np.ndarray, v: np.ndarray, statistic: Statistic
) -> dict[str, float | str]:
    n = len(design.frame)
    x2 = _pearson(p, cells.shape, n)
    delta = _design_effects(p, v, cells.shape, n)
    trace = float(np.trace(delta))
    df = delta.shape[0]
    if statistic == "F":
        d0 = trace**2 / float(np.trace(delta @ delta))
        ddf = d0 * _svychisq_df(design)
        f = x2 / trace
        return {
            "statistic": f,
            "ndf": d0,
            "ddf": ddf,
            "p_value": float(stats.f.sf(f, d0, ddf)),
            "pearson": x2,
            "mean_deff": trace / df,
            "method": "Pearson's X^2: Rao & Scott second-order adjustment (F)",
        }
    adjusted = x2 / (trace / df)
    return {
        "statistic": x2,
        "statistic_adjusted": adjusted,
        "df": float(df),
        "p_value": float(stats.chi2.sf(adjusted, df)),
        "mean_deff": trace / df,
        "method": "Pearson's X^2: Rao & Scott first-order adjustment (chi-square)",
    }


def rao_scott(
    design: SurveyDesign, row: str, col: str, statistic: Statistic = "F"
) -> dict[str, float | str]:
    """Rao–Scott test of independence of ``row`` and ``col``, as R's ``svychisq``.

    ``statistic="F"`` (default, second order): keys ``statistic`` (F), ``ndf``, ``ddf``
    (non-integer), ``p_value``, plus ``pearson`` (X²) and ``mean_deff`` (δ̄).
    ``statistic="Chisq"`` (first order): ``statistic`` is Pearson's X² as R reports it,
    ``statistic_adjusted`` = X²/δ̄ the one referred to χ², ``df``, ``p_value``, ``mean_deff``.
    """
    if statistic not in ("F", "Chisq"):
        raise ValueError(f"statistic must be 'F' or 'Chisq', not {statistic!r}")
    cells = _cells(design, row, col)
    p, v = _cell_proportions(design, cells)
    return _test(design, cells, p, v, statistic)


# ---- the table ----------------------------------------------------------------------------
def crosstab(design: SurveyDesign, row: str, col: str, *, test: bool = True) -> Crosstab:
    """Weighted two-way table of ``row`` x ``col`` with SEs (see the module docstring).

    With ``test=True`` the Rao–Scott F and chi-square tests are attached
    (``f_test``, ``chisq_test``); they reuse the cell covariance computed here.
    """
    cells = _cells(design, row, col)
    n_rows, n_cols = cells.shape
    k = n_rows * n_cols
    y = _onehot(cells.cell, k)
    total = cells.w @ y
    one_domain = np.zeros(cells.rows.size, dtype=np.int64)
    var_total, _ = design.domain_variance(cells.w[:, None] * y, one_domain, 1, cells.rows)
    se_total = np.sqrt(var_total[0])
    p, v = _cell_proportions(design, cells)
    row_p, row_se = _conditional(design, cells, cells.r, n_rows, cells.c, n_cols)  # R x C
    col_p, col_se = _conditional(design, cells, cells.c, n_cols, cells.r, n_rows)  # C x R
    table = pd.DataFrame(
        {
            row: np.tile(np.asarray(cells.row_levels), n_cols),
            col: np.repeat(np.asarray(cells.col_levels), n_rows),
            "total": total,
            "se_total": se_total,
            "cell_pct": p,
            "se_cell_pct": np.sqrt(np.diag(v)),
            "row_pct": row_p.T.ravel(),
            "se_row_pct": row_se.T.ravel(),
            "col_pct": col_p.ravel(),
            "se_col_pct": col_se.ravel(),
            "n": np.bincount(cells.cell, minlength=k),
        }
    )
    order = np.lexsort((np.repeat(np.arange(n_cols), n_rows), np.tile(np.arange(n_rows), n_cols)))
    return Crosstab(
        row=row,
        col=col,
        table=table.iloc[order].reset_index(drop=True),
        n_complete=int(cells.rows.size),
        n_excluded=int(len(design.frame) - cells.rows.size),
        f_test=_test(design, cells, p, v, "F") if test else None,
        chisq_test=_test(design, cells, p, v, "Chisq") if test else None,
        row_levels=cells.row_levels,
        col_levels=cells.col_levels,
    )
