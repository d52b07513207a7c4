"""The survey design object: weights, strata, PSUs and FPC, and the linearized variance.

Every design-based estimate in the platform goes through one ``SurveyDesign``,
as every estimate in R's ``survey`` goes through ``svydesign`` (Lumley 2010,
ch. 2). The design validates its inputs once, encodes strata and PSUs as
integer codes, and knows how to turn influence values into a variance: the
with-replacement (or FPC-corrected) between-PSU-within-stratum variance of PSU
totals, exactly R's ``svyrecvar`` for the first stage (ultimate clusters).

The variance is computed for many estimates at once — all domains of a
``by`` table, all levels of a categorical item — from grouped sums over
(PSU, domain) cells, never by looping over domains in Python: that is what
keeps 350 domains on 40,000 persons well under a tenth of a second.

Estimators are verbs on the design (``design.mean("happiness", by=[...])``);
they live in ``analysis.estimation.estimators``, ``quantiles``, ``calibration`` and
``replicates`` and are bound here as thin methods. Those modules never import this one
at run time (a design is only their argument; what they share with it is in
:mod:`analysis.estimation.domains`), so this module imports them at the top, with no
import cycle. For the same reason the calibrated design is assembled here:
:class:`CalibratedDesign` is this design plus the calibration-aware variance of
:mod:`analysis.estimation.calibration_variance`, and ``rake``/``calibrate``/``trim`` make
one through :meth:`SurveyDesign.calibrated`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from analysis.estimation import calibration, estimators, quantiles
from analysis.estimation import replicates as replication  # its verbs take ``replicates=``
from analysis.estimation.calibration_variance import CalibrationVariance
from analysis.estimation.domains import compact_codes
from analysis.estimation.intervals import CIMethod

LonelyPSU = Literal["fail", "remove", "adjust", "average", "certainty"]
LONELY_PSU_CHOICES: tuple[str, ...] = ("fail", "remove", "adjust", "average", "certainty")


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes 0..k-1 (sorted by value) and the values they stand for."""
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), pd.Index(uniques)


def _label(value: object) -> str:
    """A stratum or PSU value as written in an error message: 3, 'E'."""
    return repr(value.item() if isinstance(value, np.generic) else value)


class SurveyDesign:
    """A stratified cluster design over a pandas DataFrame (R: ``svydesign``).

    Parameters
    ----------
    frame:
        One row per sampled unit (person or household).
    weights:
        Column of sampling weights (inverse inclusion probabilities), finite and >= 0.
    strata:
        Column of stratum codes; ``None`` for an unstratified design.
    psu:
        Column of primary sampling unit ids; ``None`` when each row is its own PSU
        (R's ``id=~1``). PSU ids must be unique across strata unless ``nest=True``.
    fpc:
        Column giving, per stratum, the population number of PSUs (values > 1) or the
        sampling fraction of PSUs (all values <= 1), as R's ``fpc=``. ``None`` means
        PSUs drawn with replacement.
    lonely_psu:
        What to do with a stratum holding a single PSU, as R's ``survey.lonely.psu``:
        ``"fail"`` (default: raise, naming the stratum), ``"remove"`` and
        ``"certainty"`` (the stratum adds nothing to the variance), ``"adjust"``
        (the lone PSU total is centred at zero, i.e. at the population mean of an
        influence function) or ``"average"`` (the variance is scaled up by
        strata / strata-with-several-PSUs).
    nest:
        Treat PSU ids as nested in strata (R's ``nest=TRUE``).

    Only the first stage enters the variance (the ultimate-cluster estimator,
    Särndal et al. 1992, §4.4): this equals R for one-stage designs, for
    multistage designs without FPC, and for FPC given at the PSU stage only.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        weights: str,
        strata: str | None = None,
        psu: str | None = None,
        fpc: str | None = None,
        lonely_psu: LonelyPSU = "fail",
        nest: bool = False,
    ) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError("SurveyDesign needs a pandas DataFrame")
        if lonely_psu not in LONELY_PSU_CHOICES:
            raise ValueError(
                f"lonely_psu must be one of {', '.join(LONELY_PSU_CHOICES)}, not {lonely_psu!r}"
            )
        for role, column in [("weights", weights), ("strata", strata), ("psu", psu), ("fpc", fpc)]:
            if column is not None and column not in frame.columns:
                raise KeyError(f"{role} column {column!r} is not in the frame")
        self.frame = frame
        self.weights_column, self.strata_column, self.psu_column = weights, strata, psu
        self.fpc_column, self.lonely_psu = fpc, lonely_psu
        self.weights = self._weights(frame[weights])
        n = len(frame)

        if strata is None:
            self.stratum_code = np.zeros(n, dtype=np.int64)
            self.stratum_labels = pd.Index(["(all)"])
        else:
            self._no_missing(frame[strata], "strata")
            self.stratum_code, self.stratum_labels = _codes(frame[strata])
        if psu is None:
            psu_code = np.arange(n, dtype=np.int64)
        else:
            self._no_missing(frame[psu], "psu")
            psu_code, _ = _codes(frame[psu])
        n_strata = len(self.stratum_labels)
        # PSUs are identified within strata; R without nest=TRUE requires them nested already.
        psu_code, psu_keys = compact_codes(
            psu_code * n_strata + self.stratum_code, (psu_code.max(initial=0) + 1) * n_strata
        )
        psu_stratum = psu_keys % n_strata
        if not nest and psu is not None:
            raw = psu_keys // n_strata
            counts = np.bincount(raw)
            if (counts > 1).any():
                bad = _label(_codes(frame[psu])[1][int(np.flatnonzero(counts > 1)[0])])
                raise ValueError(
                    f"PSU {bad} appears in more than one stratum; give PSU ids unique "
                    "across strata or pass nest=True"
                )
        self.psu_code = psu_code
        self.psu_stratum = psu_stratum
        self.n_psu = len(psu_keys)
        self.psus_per_stratum = np.bincount(psu_stratum, minlength=n_strata)
        self.one_minus_f = self._one_minus_f(fpc)
        self._set_stratum_scale()

    # ---- validation --------------------------------------------------------------------
    @staticmethod
    def _no_missing(values: pd.Series, role: str) -> None:
        missing = int(values.isna().sum())
        if missing:
            raise ValueError(f"{role} column {values.name!r} has {missing} missing values")

    def _weights(self, values: pd.Series) -> np.ndarray:
        if not pd.api.types.is_numeric_dtype(values):
            raise TypeError(f"weights column {values.name!r} must be numeric")
        self._no_missing(values, "weights")
        w = values.to_numpy(dtype=float)
        if not np.isfinite(w).all():
            raise ValueError(f"weights column {values.name!r} has infinite values")
        negative = int((w < 0).sum())
        if negative:
            raise ValueError(f"weights column {values.name!r} has {negative} negative values")
        return w

    def _one_minus_f(self, fpc: str | None) -> np.ndarray:
        """Per stratum, 1 - n_h/N_h (R's ``(fpc - nPSU)/fpc``); ones without FPC."""
        n_h = self.psus_per_stratum.astype(float)
        if fpc is None:
            return np.ones_like(n_h)
        values = self.frame[fpc]
        self._no_missing(values, "fpc")
        v = values.to_numpy(dtype=float)
        lo = np.full(n_h.size, np.inf)
        hi = np.full(n_h.size, -np.inf)
        np.minimum.at(lo, self.stratum_code, v)
        np.maximum.at(hi, self.stratum_code, v)
        varying = np.flatnonzero(lo != hi)
        if varying.size:
            raise ValueError(
                f"fpc column {fpc!r} varies within stratum {_label(self.stratum_labels[varying[0]])}"
            )
        if (lo <= 0).any():
            raise ValueError(f"fpc column {fpc!r} has values <= 0")
        if (lo <= 1).all():  # sampling fractions, as R's as.fpc
            popsize = n_h / lo
        elif (lo >= 1).all():
            popsize = lo
        else:
            raise ValueError(f"fpc column {fpc!r} mixes sampling fractions and population sizes")
        small = np.flatnonzero(popsize < n_h)
        if small.size:
            raise ValueError(
                f"fpc column {fpc!r} gives fewer population PSUs than sampled PSUs in stratum "
                f"{_label(self.stratum_labels[small[0]])}"
            )
        return np.where(popsize == np.inf, 1.0, (popsize - n_h) / popsize)

    def _set_stratum_scale(self) -> None:
        """Variance multipliers per stratum, R's ``onestrat``: (1 - f_h) n_h / (n_h - 1)."""
        n_h = self.psus_per_stratum.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(n_h > 1, self.one_minus_f * n_h / (n_h - 1), self.one_minus_f)
        certainty = self.one_minus_f < 1e-7  # self-representing strata add nothing
        lonely = (n_h == 1) & ~certainty
        if lonely.any() and self.lonely_psu == "fail":
            label = _label(self.stratum_labels[int(np.flatnonzero(lonely)[0])])
            raise ValueError(
                f"Stratum {label} has only one PSU; choose lonely_psu='remove', 'adjust', "
                "'average' or 'certainty' (as R's survey.lonely.psu)"
            )
        scale[certainty] = 0.0
        if self.lonely_psu in ("remove", "certainty"):
            scale[lonely] = 0.0
        self.stratum_scale = scale
        self.lonely_strata = lonely

    # ---- design facts -------------------------------------------------------------------
    @cached_property
    def degf(self) -> int:
        """Design degrees of freedom, R's ``degf``: PSUs minus strata (with non-zero weight)."""
        used = self.weights != 0
        psus = np.unique(self.psu_code[used]).size
        strata = np.unique(self.stratum_code[used]).size
        return int(psus - strata)

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return (
            f"SurveyDesign({len(self)} rows, {len(self.stratum_labels)} strata, "
            f"{self.n_psu} PSUs, fpc={self.fpc_column!r}, lonely_psu={self.lonely_psu!r})"
        )

    # ---- linearized variance ------------------------------------------------------------
    def domain_variance(
        self, z: np.ndarray, domain: np.ndarray, n_domains: int, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Variances of many linearized estimates, and the domain degrees of freedom.

        ``z`` (rows x J) holds influence values of the units in ``rows`` (indices
        into the frame), ``domain`` their domain codes 0..D-1. Units outside a
        domain have influence zero for its estimates. For domain d and column j

            V_dj = sum_h (1 - f_h) n_h/(n_h - 1) sum_{i in h} (t_hid - tbar_hd)^2,

        with t_hid the PSU totals of z (zero for PSUs without domain members) and
        tbar_hd their stratum mean over all n_h PSUs — R's ``svyrecvar`` / ``onestrat``
        (Lumley 2010, §2.2; Wolter 2007, ch. 6). Computed from one grouping of the
        units into (PSU, domain) cells: the empty cells contribute
        (n_h - m_hd) tbar_hd^2 in closed form, so no domain is visited in Python.

        Returns (D x J variances, D domain degrees of freedom: PSUs minus strata
        holding members of the domain, as R's ``degf`` on a domain subset).
        """
        z = np.asarray(z, dtype=float)
        n_columns = z.shape[-1] if z.ndim == 2 else (z.size // len(rows) if len(rows) else 1)
        z = z.reshape(len(rows), n_columns)  # no rows (nothing observed): every variance NaN
        n_strata = len(self.stratum_labels)
        psu = self.psu_code[rows]
        cell, cell_keys = compact_codes(psu * n_domains + domain, self.n_psu * n_domains)
        n_cells = cell_keys.size
        totals = np.empty((n_cells, n_columns))
        for j in range(n_columns):
            totals[:, j] = np.bincount(cell, weights=z[:, j], minlength=n_cells)
        cell_psu = cell_keys // n_domains
        cell_domain = cell_keys % n_domains
        cell_stratum = self.psu_stratum[cell_psu]
        group, group_keys = compact_codes(
            cell_stratum * n_domains + cell_domain, n_strata * n_domains
        )
        n_groups = group_keys.size
        group_stratum = group_keys // n_domains
        group_domain = group_keys % n_domains
        n_h = self.psus_per_stratum[group_stratum].astype(float)
        sums = np.empty((n_groups, n_columns))
        for j in range(n_columns):
            sums[:, j] = np.bincount(group, weights=totals[:, j], minlength=n_groups)
        centre = sums / n_h[:, None]
        if self.lonely_psu == "adjust":  # a lone PSU is not centred (R's onestrat)
            centre[self.lonely_strata[group_stratum]] = 0.0
        scale = self.stratum_scale[cell_stratum]
        occupied = np.bincount(group, minlength=n_groups)
        dev = totals - centre[group]
        within = scale[:, None] * dev * dev
        empty = (self.stratum_scale[group_stratum] * (n_h - occupied))[:, None] * centre**2
        variance = np.empty((n_domains, n_columns))
        for j in range(n_columns):
            per_group = np.bincount(group, weights=within[:, j], minlength=n_groups) + empty[:, j]
            variance[:, j] = np.bincount(group_domain, weights=per_group, minlength=n_domains)
        strata_in_domain = np.bincount(group_domain, minlength=n_domains)
        if self.lonely_psu == "average" and self.lonely_strata.any():
            lonely_in_domain = np.bincount(
                group_domain, weights=self.lonely_strata[group_stratum], minlength=n_domains
            )
            ok = strata_in_domain - lonely_in_domain
            with np.errstate(divide="ignore", invalid="ignore"):  # no usable stratum: NaN, as R
                variance *= (strata_in_domain / ok)[:, None]
        psus_in_domain = np.bincount(cell_domain, minlength=n_domains)
        return variance, psus_in_domain - strata_in_domain

    # ---- verbs (see analysis.estimation.estimators) ------------------------------------------------
    def mean(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: CIMethod = "normal",
        level: float = 0.95,
        df: float | None = None,
    ) -> pd.DataFrame:
        """Weighted mean of ``variable`` per domain; see ``analysis.estimation.estimators.mean``."""
        return estimators.mean(self, variable, by, ci=ci, level=level, df=df)

    def total(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: CIMethod = "normal",
        level: float = 0.95,
        df: float | None = None,
    ) -> pd.DataFrame:
        """Estimated population total of ``variable``; see ``analysis.estimation.estimators.total``."""
        return estimators.total(self, variable, by, ci=ci, level=level, df=df)

    def proportion(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: CIMethod = "normal",
        level: float = 0.95,
        df: float | None = None,
        categorical: bool | None = None,
    ) -> pd.DataFrame:
        """Proportion of a 0/1 item or of every level; see ``analysis.estimation.estimators.proportion``."""
        return estimators.proportion(
            self, variable, by, ci=ci, level=level, df=df, categorical=categorical
        )

    def count(
        self,
        variable: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: CIMethod = "normal",
        level: float = 0.95,
        df: float | None = None,
    ) -> pd.DataFrame:
        """Estimated population count of every level; see ``analysis.estimation.estimators.count``."""
        return estimators.count(self, variable, by, ci=ci, level=level, df=df)

    def ratio(
        self,
        numerator: str,
        denominator: str,
        by: Sequence[str] | str | None = None,
        *,
        ci: CIMethod = "normal",
        level: float = 0.95,
        df: float | None = None,
    ) -> pd.DataFrame:
        """Ratio of two estimated totals; see ``analysis.estimation.estimators.ratio``."""
        return estimators.ratio(self, numerator, denominator, by, ci=ci, level=level, df=df)

    def quantile(
        self,
        variable: str,
        probs: Sequence[float] = (0.5,),
        by: Sequence[str] | str | None = None,
        *,
        ci: quantiles.QuantileCI = "normal",
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Quantiles with Woodruff intervals; see ``analysis.estimation.quantiles.quantile``."""
        return quantiles.quantile(self, variable, probs, by, ci=ci, level=level)

    # ---- calibration and replicate weights (R: rake, calibrate, as.svrepdesign) --------------
    def rake(self, margins, *, maxit: int = 100, epsilon: float = 1e-10) -> SurveyDesign:
        """Raking as R's ``rake()``, SEs included; see ``analysis.estimation.calibration.rake``."""
        return calibration.rake(self, margins, maxit=maxit, epsilon=epsilon)

    def calibrate(
        self,
        margins,
        *,
        method: str = "linear",
        bounds: tuple[float, float] | None = None,
        maxit: int = 50,
        epsilon: float = 1e-7,
    ) -> SurveyDesign:
        """Calibration as R's ``calibrate()``; see ``analysis.estimation.calibration.calibrate``."""
        return calibration.calibrate(
            self, margins, method=method, bounds=bounds, maxit=maxit, epsilon=epsilon
        )

    def trim(
        self,
        *,
        cap: float | None = None,
        percentile: float | None = None,
        then=None,
        method: str = "raking",
    ) -> SurveyDesign:
        """Trim large weights, then re-calibrate; see ``analysis.estimation.calibration.trim``."""
        return calibration.trim(self, cap=cap, percentile=percentile, then=then, method=method)

    def to_replicates(
        self,
        method: Literal["JK1", "JKn", "bootstrap"] = "JKn",
        replicates: int = 50,
        seed: int | None = None,
        mse: bool = False,
    ):
        """Replicate weights made from this design; see ``analysis.estimation.replicates.to_replicates``."""
        return replication.to_replicates(
            self, method=method, replicates=replicates, seed=seed, mse=mse
        )

    @classmethod
    def from_replicates(
        cls,
        frame: pd.DataFrame,
        weights: str,
        replicate_weights,
        method: replication.Method,
        **options,
    ):
        """A replicate-weight design; see ``analysis.estimation.replicates.ReplicateDesign``."""
        return replication.ReplicateDesign(
            frame, weights, replicate_weights, method=method, **options
        )

    def calibrated(self, weights: np.ndarray) -> CalibratedDesign:
        """A copy of this design carrying calibrated ``weights``: what ``rake``, ``calibrate``
        and ``trim`` build on (a calibrated design's steps are kept, for its SEs)."""
        return CalibratedDesign.derive(self, weights)


class CalibratedDesign(CalibrationVariance, SurveyDesign):
    """A ``SurveyDesign`` with calibrated weights and calibration-aware variances.

    Made by ``analysis.estimation.calibration.rake``/``calibrate``/``trim``, never directly:
    it shares the parent's frame, strata and PSUs and adds ``blocks`` and ``steps``
    (:class:`analysis.estimation.calibration_variance.CalibrationVariance`).
    ``calibration`` is a short description (method, margins) for reports.
    """


def with_columns(design: SurveyDesign, **columns: object) -> SurveyDesign:
    """A shallow copy of ``design`` whose frame has extra columns (same rows, same order)."""
    out = copy.copy(design)
    out.frame = design.frame.assign(**columns)
    return out
