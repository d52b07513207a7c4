"""Calibration-aware linearized variance: R's ``svyrecvar`` post-stratification step.

A calibrated design remembers *how* its weights were calibrated, as R's
``design$postStrata`` does, and its ``domain_variance`` (:class:`CalibrationVariance`) replaces
the influence values x (one column per domain × item) by their residuals
before the between-PSU variance is taken (Deville & Särndal 1992; Lumley
2010, §7.2–7.4). Two kinds of step, applied in the order the calibrations
were made:

- ``"greg"`` (R's ``calibrate``, any ``calfun``): with design weights d_i,
  g-weights g_i and calibration variables m_i (indicators of the margin
  categories), R computes ``qr.resid(qr(m * sqrt(d)), x / (g sqrt(d))) * g sqrt(d)``:

      e = x − g d ⊙ m β,   β = (Σ d m mᵀ)⁻¹ Σ m x / g.

- ``"rake"`` (R's ``rake``): each margin is stored as a post-stratification
  with the weights w⁽ᵐ⁾ it produced in the last raking pass, and ``svyrecvar``
  back-fits them with exactly ten passes,

      for pass in 1..10: for margin m: x ← x − w⁽ᵐ⁾ ⊙ ave_m(x / w⁽ᵐ⁾),

  ``ave_m`` the *unweighted* mean within the unit's category of margin m — an
  approximation of the projection, hence SEs that differ from ``"greg"``.

Both corrections have the form x − Σ_b v_b ⊙ (M_b A_b), with M_b the indicator
matrix of a block b (one margin) and A_b coefficients per category and column,
and every quantity a step needs is a category sum Σ_i M_b,i r_b,i x_i
(r = 1/g or 1/w⁽ᵐ⁾). So the whole projection runs on category-level
aggregates: S_b = M_bᵀ(r_b ⊙ x₀) from one grouped sum, cross matrices
C_bt = M_bᵀ diag(r_b v_b') M_t computed once per design, and the PSU totals of
the residuals are T₀ − Σ_b P_b A_b with P_b the PSU × category sums of v_b.
No person or domain is visited in Python. Zero weights: a 0/0 ratio counts as
0 (R gives NaN).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Self

import numpy as np
from scipy import sparse

from analysis.estimation.domains import compact_codes

if TYPE_CHECKING:
    from analysis.estimation.design import SurveyDesign

    _Design = SurveyDesign  # for the type checker: the class this mixin precedes
else:
    _Design = object

CHUNK = 4_000_000  # largest PSU × column block held at once


@dataclass(frozen=True)
class Block:
    """One margin inside a calibration step: category codes, row multipliers r and v."""

    code: np.ndarray  # (n,) category code 0..k-1
    k: int
    r: np.ndarray  # multiplier of x in the category sums
    v: np.ndarray  # row weight of the correction


@dataclass
class Step:
    """A calibration as svyrecvar sees it: ``"greg"`` (joint solve) or ``"rake"`` (back-fit)."""

    kind: str
    blocks: list[int] = field(default_factory=list)  # indices into the design's blocks


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), 0.0)


class CalibrationVariance(_Design):
    """The calibration-aware variance of a design: its ``blocks``, ``steps`` and projection.

    Mixed into :class:`analysis.estimation.design.CalibratedDesign` (before ``SurveyDesign``,
    whose strata, PSUs and ``domain_variance`` it uses), so this module needs the design's
    module for type names only (the type checker sees ``SurveyDesign`` as its base).
    """

    blocks: list[Block]
    steps: list[Step]
    calibration: list[str]

    @classmethod
    def derive(cls, design: SurveyDesign, weights: np.ndarray) -> Self:
        """A copy of ``design`` (its steps too) carrying new weights."""
        new = cls.__new__(cls)
        new.__dict__.update(design.__dict__)
        for cached in ("degf", "_cross", "_psu_sums", "_stratum_matrix", "_correction"):
            new.__dict__.pop(cached, None)
        new.weights = np.asarray(weights, dtype=float)
        new.frame = design.frame.assign(**{design.weights_column: new.weights})
        new.blocks = list(getattr(design, "blocks", []))
        new.steps = [Step(s.kind, list(s.blocks)) for s in getattr(design, "steps", [])]
        new.calibration = list(getattr(design, "calibration", []))
        return new

    def add_step(self, kind: str, blocks: list[Block]) -> None:
        start = len(self.blocks)
        self.blocks.extend(blocks)
        self.steps.append(Step(kind, list(range(start, start + len(blocks)))))

    # ---- aggregates that depend only on the calibration ---------------------------------
    @cached_property
    def _cross(self) -> dict[tuple[int, int], np.ndarray]:
        """C_bt = Σ_i 1[c_b,i = p] r_b,i v_t,i 1[c_t,i = q] for every pair of blocks."""
        out = {}
        for s, bs in enumerate(self.blocks):
            for t, bt in enumerate(self.blocks):
                key = bs.code * bt.k + bt.code
                sums = np.bincount(key, weights=bs.r * bt.v, minlength=bs.k * bt.k)
                out[s, t] = sums.reshape(bs.k, bt.k)
        return out

    @cached_property
    def _psu_sums(self) -> list[np.ndarray]:
        """P_b: per PSU and category, the sum of v_b."""
        return [
            np.bincount(
                self.psu_code * b.k + b.code, weights=b.v, minlength=self.n_psu * b.k
            ).reshape(self.n_psu, b.k)
            for b in self.blocks
        ]

    @cached_property
    def _stratum_matrix(self) -> sparse.csr_matrix:
        n_strata = len(self.stratum_labels)
        ones = np.ones(self.n_psu)
        return sparse.csr_matrix(
            (ones, (self.psu_stratum, np.arange(self.n_psu))), shape=(n_strata, self.n_psu)
        )

    # ---- the projection -------------------------------------------------------------------
    def _coefficients(self, sums: list[np.ndarray]) -> dict[int, np.ndarray]:
        """Coefficients A_b of every block, applying the steps in order (svyrecvar's loop)."""
        coef: dict[int, np.ndarray] = {}
        cross = self._cross

        def current(b: int) -> np.ndarray:
            out = sums[b].copy()
            for t, a in coef.items():
                out -= cross[b, t] @ a
            return out

        for step in self.steps:
            if step.kind == "greg":
                # Full rank: all categories of the first margin, all but the first of the others.
                keep = [np.arange(int(i > 0), self.blocks[b].k) for i, b in enumerate(step.blocks)]
                rhs = np.vstack([current(b)[kb] for b, kb in zip(step.blocks, keep, strict=True)])
                gram = np.block(
                    [
                        [
                            cross[b, t][np.ix_(kb, kt)]
                            for t, kt in zip(step.blocks, keep, strict=True)
                        ]
                        for b, kb in zip(step.blocks, keep, strict=True)
                    ]
                )
                try:
                    solution = np.linalg.solve(gram, rhs)
                except np.linalg.LinAlgError:
                    solution = np.linalg.pinv(gram, rcond=1e-12, hermitian=True) @ rhs
                start = 0
                for b, kb in zip(step.blocks, keep, strict=True):
                    a = np.zeros((self.blocks[b].k, rhs.shape[1]))
                    a[kb] = solution[start : start + kb.size]
                    coef[b] = a
                    start += kb.size
            else:  # R's rake(): ten back-fitting passes of unweighted category means
                for b in step.blocks:
                    coef.setdefault(b, np.zeros_like(sums[b]))
                for _ in range(10):
                    for b in step.blocks:
                        count = np.bincount(self.blocks[b].code, minlength=self.blocks[b].k)
                        coef[b] = coef[b] + _ratio(current(b), count[:, None].astype(float))
        return coef

    def _psu_totals(
        self, z: np.ndarray, domain: np.ndarray, n_domains: int, rows: np.ndarray
    ) -> np.ndarray:
        """PSU totals (n_psu × n_domains·J) of the calibration residuals of the domain columns."""
        n_columns = z.shape[1]
        width = n_domains * n_columns
        psu = self.psu_code[rows]
        totals: np.ndarray = np.empty((self.n_psu, n_domains, n_columns))
        for j in range(n_columns):
            totals[:, :, j] = np.bincount(
                psu * n_domains + domain, weights=z[:, j], minlength=self.n_psu * n_domains
            ).reshape(self.n_psu, n_domains)
        totals = totals.reshape(self.n_psu, width)
        sums = []
        for b in self.blocks:
            key = b.code[rows] * n_domains + domain
            s = np.empty((b.k, n_domains, n_columns))
            rz = b.r[rows, None] * z
            for j in range(n_columns):
                s[:, :, j] = np.bincount(key, weights=rz[:, j], minlength=b.k * n_domains).reshape(
                    b.k, n_domains
                )
            sums.append(s.reshape(b.k, width))
        totals -= self._correction @ np.vstack(sums)
        return totals

    @cached_property
    def _correction(self) -> np.ndarray:
        """Q (n_psu × Σk): PSU totals of the residuals are T₀ − Q S, S the stacked S_b.

        The steps are linear in S, so they are run once on the identity (the
        coefficient map L, Σk × Σk) and Q = [P_1 … P_B] L.
        """
        sizes = [b.k for b in self.blocks]
        identity = np.eye(sum(sizes))
        starts = np.cumsum([0, *sizes])
        coef = self._coefficients(
            [identity[a:z] for a, z in zip(starts[:-1], starts[1:], strict=True)]
        )
        q = np.zeros((self.n_psu, identity.shape[0]))
        for b, a in coef.items():
            q += self._psu_sums[b] @ a
        return q

    def domain_variance(
        self, z: np.ndarray, domain: np.ndarray, n_domains: int, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``SurveyDesign.domain_variance`` of the calibration residuals of z.

        Each (domain, column) influence vector — z inside the domain, 0 outside —
        is projected over the *whole* sample (R keeps out-of-domain units of a
        calibrated design with zero weight, and their residuals are not zero),
        then V = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_i (t_hi − t̄_h)² on the PSU totals.
        Domains are processed in chunks of at most ``CHUNK`` PSU × column cells.
        Degrees of freedom as the parent's (PSUs minus strata holding the domain).
        """
        z = np.asarray(z, dtype=float).reshape(len(rows), -1)
        if not self.steps:
            return super().domain_variance(z, domain, n_domains, rows)
        n_columns = z.shape[1]
        per_chunk = max(1, CHUNK // max(1, self.n_psu * n_columns))
        variance = np.empty((n_domains, n_columns))
        scale = self.stratum_scale[self.psu_stratum][:, None]
        n_h = np.maximum(self.psus_per_stratum, 1).astype(float)[:, None]
        for start in range(0, n_domains, per_chunk):
            stop = min(n_domains, start + per_chunk)
            keep = (domain >= start) & (domain < stop)
            totals = self._psu_totals(z[keep], domain[keep] - start, stop - start, rows[keep])
            centre = np.asarray(self._stratum_matrix @ totals) / n_h
            if self.lonely_psu == "adjust":
                centre[self.lonely_strata] = 0.0
            dev = totals - centre[self.psu_stratum]
            variance[start:stop] = (scale * dev * dev).sum(axis=0).reshape(stop - start, n_columns)
        if self.lonely_psu == "average" and self.lonely_strata.any():
            n_strata = len(self.stratum_labels)
            ok = n_strata - int(self.lonely_strata.sum())
            with np.errstate(divide="ignore", invalid="ignore"):
                variance *= n_strata / ok
        return variance, self._domain_df(domain, n_domains, rows)

    def _domain_df(self, domain: np.ndarray, n_domains: int, rows: np.ndarray) -> np.ndarray:
        psu = self.psu_code[rows]
        _, cells = compact_codes(psu * n_domains + domain, self.n_psu * n_domains)
        n_strata = len(self.stratum_labels)
        stratum = self.stratum_code[rows]
        _, groups = compact_codes(stratum * n_domains + domain, n_strata * n_domains)
        psus = np.bincount(cells % n_domains, minlength=n_domains)
        strata = np.bincount(groups % n_domains, minlength=n_domains)
        return psus - strata
