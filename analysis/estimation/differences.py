"""Differences between two estimates — two domains, two independent years, two panel waves.

Every function returns the two estimates, their difference Δ = θ̂_a − θ̂_b, its
standard error, a normal 95% interval Δ ± z_{0.975} SE, the Wald statistic
z = Δ / SE and the two-sided p-value 2 (1 − Φ(|z|)). What differs is the SE,
V(Δ) = V(θ̂_a) + V(θ̂_b) − 2 Cov(θ̂_a, θ̂_b), i.e. where the covariance comes from:

``domain_difference`` — two domains of the *same* design (men vs women, age group
1 vs 7). The two estimates share PSUs, so their covariance is not zero. Both are
linearized jointly: with influence values z_ai (a's estimator, zero outside a)
and z_bi, Δ has influence d_i = z_ai − z_bi, and V(Δ) is the design variance of
Σ d_i (``SurveyDesign.domain_variance``, R's ``svyrecvar``). For a mean
z_ai = w_i δ_ai (y_i − ȳ_a) / Σ w δ_a; for a total z_ai = w_i δ_ai y_i; a
proportion is the mean of a 0/1 indicator (Lumley 2010, §2.3 and §3.4 on
``svycontrast``; Wolter 2007, ch. 6). Equal to R's
``svycontrast(svyby(~y, ~g, design, svymean, covmat = TRUE), c(1, -1))``.

``independent_difference`` — two samples drawn independently of each other (two
Seoul Survey years, each with its own sample of PSUs). Independence makes the
covariance zero, so SE(Δ) = sqrt(SE_a² + SE_b²) (Kish 1965, §12.4).

``panel_wave_difference`` — the change between two waves of one panel. The
waves share households, so their estimates are positively correlated when the
item is. Both waves are stacked by household (an outer join on the unit); with
household i's wave-a influence z_ai = Σ_{persons} w_a (y_a − ȳ_a) / Σ w_a (zero
if the household is absent from wave a or the item is missing) and likewise
z_bi, d_i = z_ai − z_bi and

    V(Δ) = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_{i ∈ h} (d_i − d̄_h)²,

with h the household's stratum (its recruitment district), the PSU the household
(or the ``psu`` column, constant per household) and n_h the PSUs of stratum h in
either wave. Households in both waves contribute z_ai z_bi cross-products — the
covariance — automatically (Berger 2004; Kish 1965, §12.4 on overlapping
samples). Households in one wave only are treated as R treats domain
non-members: they keep their place among the n_h PSUs with influence zero for
the other wave. Hence with no household in both waves the SE is
sqrt(SE_a² + SE_b² + 2 Σ_h c_h T_ah T_bh / n_h) — SE_a, SE_b the waves' SEs in the
stacked design, T_ah = Σ_{i∈h} z_ai, c_h the stratum factor — which is
sqrt(SE_a² + SE_b²) up to that O(1/n) centring term. Equal to R's
``svycontrast(svytotal(~I(w_a y_a) + w_a + I(w_b y_b) + w_b, stacked),
quote(.../... − .../...))`` on the stacked household design.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis.estimation.design import CalibratedDesign, LonelyPSU, SurveyDesign
from analysis.estimation.domains import COLUMNS

__all__ = [
    "calibrated_wave_difference",
    "domain_difference",
    "independent_difference",
    "panel_wave_difference",
]

Statistic = Literal["mean", "proportion", "total"]
STATISTICS: tuple[str, ...] = ("mean", "proportion", "total")
RESULT = ["difference", "se", "ci_low", "ci_high", "z", "p_value"]


# ---- shared pieces ----------------------------------------------------------------------------
def _wald(difference: np.ndarray, se: np.ndarray, confidence: float) -> dict[str, np.ndarray]:
    """Normal interval, z and two-sided p-value of a difference."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    q = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = difference / se
    return {
        "difference": difference,
        "se": se,
        "ci_low": difference - q * se,
        "ci_high": difference + q * se,
        "z": z,
        "p_value": 2 * stats.norm.sf(np.abs(z)),
    }


def _item(
    frame: pd.DataFrame, variable: str, statistic: str, level: Hashable | None
) -> tuple[np.ndarray, np.ndarray]:
    """Values to average or total (an indicator for a proportion) and the validity mask."""
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {', '.join(STATISTICS)}, not {statistic!r}")
    if variable not in frame.columns:
        raise KeyError(f"variable {variable!r} is not in the frame")
    values = frame[variable]
    valid = values.notna().to_numpy()
    if level is not None:
        if statistic != "proportion":
            raise ValueError("level= is only meaningful with statistic='proportion'")
        return np.where(valid, (values == level).to_numpy(dtype=float), 0.0), valid
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        raise TypeError(f"variable {variable!r} must be numeric (it is {values.dtype})")
    y = values.to_numpy(dtype=float, na_value=np.nan)
    if statistic == "proportion" and not np.isin(y[valid], (0.0, 1.0)).all():
        raise ValueError(f"variable {variable!r} is not a 0/1 item; pass level= for a category")
    return np.where(valid, y, 0.0), valid


def _influence(
    y: np.ndarray, w: np.ndarray, member: np.ndarray, statistic: str
) -> tuple[float, np.ndarray]:
    """Estimate over the members and each row's influence value (zero for non-members).

    Mean / proportion: z_i = w_i (y_i − ȳ) / Σ w; total: z_i = w_i y_i.
    """
    wm = np.where(member, w, 0.0)
    weighted = float(np.sum(wm * y))
    if statistic == "total":
        return weighted, wm * y
    weight_sum = float(wm.sum())
    if weight_sum <= 0:
        raise ValueError("a domain or wave has no respondents with positive weight")
    estimate = weighted / weight_sum
    return estimate, wm * (y - estimate) / weight_sum


# ---- two domains of one design ----------------------------------------------------------------
def domain_difference(
    design: SurveyDesign,
    variable: str,
    by: str,
    a: Hashable,
    b: Hashable,
    statistic: Statistic = "mean",
    level: Hashable | None = None,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """θ̂_a − θ̂_b for domains ``by == a`` and ``by == b`` of one design, covariance included.

    ``statistic`` is ``"mean"``, ``"total"`` or ``"proportion"`` (of a 0/1 item, or of
    category ``level`` of any item). Respondents missing the item are left out, as
    R's ``na.rm = TRUE`` (a domain restriction). Returns one row: ``by``, ``a``, ``b``,
    ``estimate_a``, ``se_a``, ``estimate_b``, ``se_b``, ``difference`` (a − b), ``se``,
    ``ci_low``, ``ci_high``, ``z``, ``p_value``, ``n_a``, ``n_b``.
    """
    if by not in design.frame.columns:
        raise KeyError(f"by column {by!r} is not in the frame")
    if a == b:
        raise ValueError("domains a and b must differ")
    y, valid = _item(design.frame, variable, statistic, level)
    group = design.frame[by]
    in_a = (group == a).to_numpy() & valid
    in_b = (group == b).to_numpy() & valid
    for name, member in (("a", in_a), ("b", in_b)):
        if not member.any():
            raise ValueError(f"domain {by} == {a if name == 'a' else b!r} has no respondents")
    est_a, z_a = _influence(y, design.weights, in_a, statistic)
    est_b, z_b = _influence(y, design.weights, in_b, statistic)
    rows = np.flatnonzero(in_a | in_b)
    z = np.column_stack([z_a[rows], z_b[rows], z_a[rows] - z_b[rows]])
    variance, _ = design.domain_variance(z, np.zeros(rows.size, dtype=np.int64), 1, rows)
    var_a, var_b, var_d = variance[0]
    out = pd.DataFrame({"by": [by], "a": [a], "b": [b]})
    out["estimate_a"], out["se_a"] = est_a, np.sqrt(var_a)
    out["estimate_b"], out["se_b"] = est_b, np.sqrt(var_b)
    for name, values in _wald(np.array([est_a - est_b]), np.sqrt([var_d]), confidence).items():
        out[name] = values
    out["n_a"], out["n_b"] = int(in_a.sum()), int(in_b.sum())
    return out


# ---- two independent samples ------------------------------------------------------------------
def _as_table(estimates: pd.DataFrame | pd.Series) -> pd.DataFrame:
    table = estimates.to_frame().T if isinstance(estimates, pd.Series) else estimates
    missing = {"estimate", "se"} - set(table.columns)
    if missing:
        raise KeyError(f"estimates need columns 'estimate' and 'se' (missing {sorted(missing)})")
    return table.reset_index(drop=True)


def independent_difference(
    est_a: pd.DataFrame | pd.Series,
    est_b: pd.DataFrame | pd.Series,
    *,
    on: list[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Differences of estimates from two independently drawn samples: SE = sqrt(SE_a² + SE_b²).

    The samples (two Seoul Survey years) are drawn independently, so Cov(θ̂_a, θ̂_b) = 0
    and V(θ̂_a − θ̂_b) = V(θ̂_a) + V(θ̂_b). Inputs are tidy rows as the estimators return
    them (``estimate``, ``se``, plus any ``by``/``level`` columns). Rows are matched on
    ``on`` (default: the columns both tables share other than the estimators' numbers);
    with no such column they are paired by position.
    """
    left, right = _as_table(est_a), _as_table(est_b)
    if on is None:
        on = [c for c in left.columns if c in right.columns and c not in COLUMNS]
    if on:
        keyed_a = left[[*on, "estimate", "se"]]
        keyed_b = right[[*on, "estimate", "se"]]
        merged = keyed_a.merge(keyed_b, on=on, how="inner", suffixes=("_a", "_b"))
    else:
        if len(left) != len(right):
            raise ValueError("tables without key columns must have the same number of rows")
        merged = pd.DataFrame(
            {
                "estimate_a": left["estimate"].to_numpy(),
                "se_a": left["se"].to_numpy(),
                "estimate_b": right["estimate"].to_numpy(),
                "se_b": right["se"].to_numpy(),
            }
        )
    est_a_values = merged["estimate_a"].to_numpy(dtype=float)
    est_b_values = merged["estimate_b"].to_numpy(dtype=float)
    se = np.hypot(merged["se_a"].to_numpy(dtype=float), merged["se_b"].to_numpy(dtype=float))
    out = merged[[*on, "estimate_a", "se_a", "estimate_b", "se_b"]].copy()
    for name, values in _wald(est_a_values - est_b_values, se, confidence).items():
        out[name] = values
    return out


# ---- two waves of one panel -------------------------------------------------------------------
def _wave(
    frame: pd.DataFrame,
    variable: str,
    weight: str,
    unit: str,
    by: str | None,
    statistic: str,
    level: Hashable | None,
) -> pd.DataFrame:
    """One wave's per-unit influence per domain: columns unit, domain value, z, n."""
    for column in (weight, unit, *([by] if by else [])):
        if column not in frame.columns:
            raise KeyError(f"column {column!r} is not in the wave's frame")
    y, valid = _item(frame, variable, statistic, level)
    w = frame[weight].to_numpy(dtype=float)
    key = frame[by] if by else pd.Series(0, index=frame.index)
    pieces = []
    for value in pd.unique(key[valid]):
        member = valid & (key == value).to_numpy()
        estimate, z = _influence(y, w, member, statistic)
        part = pd.DataFrame({"unit": frame[unit].to_numpy()[member], "z": z[member]})
        part = part.groupby("unit", sort=False, as_index=False)["z"].sum()
        part["domain"], part["estimate"] = value, estimate
        pieces.append(part)
    if not pieces:
        raise ValueError(f"the wave has no respondents to {variable!r}")
    return pd.concat(pieces, ignore_index=True)


def _units(
    frame_a: pd.DataFrame, frame_b: pd.DataFrame, unit: str, columns: list[str]
) -> pd.DataFrame:
    """One row per unit in either wave with its design columns (which must agree across waves)."""
    for column in columns:
        for frame in (frame_a, frame_b):
            if column not in frame.columns:
                raise KeyError(f"column {column!r} is not in both waves' frames")
    per_wave = []
    for frame in (frame_a, frame_b):
        part = frame[[unit, *columns]].drop_duplicates()
        if part[unit].duplicated().any():
            bad = part.loc[part[unit].duplicated(), unit].iloc[0]
            raise ValueError(f"{unit} {bad!r} has more than one value of {columns} in a wave")
        per_wave.append(part)
    both = per_wave[0].merge(per_wave[1], on=unit, how="outer", suffixes=("", "_b"))
    for column in columns:
        other = both.pop(f"{column}_b")
        clash = both[column].notna() & other.notna() & (both[column] != other)
        if clash.any():
            bad = both.loc[clash, unit].iloc[0]
            raise ValueError(f"{unit} {bad!r} changes {column!r} between the waves")
        both[column] = both[column].where(both[column].notna(), other)
    both["_weight"] = 1.0  # the stacked design only serves domain_variance
    return both.reset_index(drop=True)


def panel_wave_difference(
    frame_a: pd.DataFrame,
    frame_b: pd.DataFrame,
    variable: str,
    *,
    weight_a: str,
    weight_b: str,
    strata: str | None,
    psu: str | None = None,
    unit: str = "household_id",
    statistic: Literal["mean", "proportion"] = "mean",
    by: str | None = None,
    level: Hashable | None = None,
    lonely_psu: LonelyPSU = "fail",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Change of a mean (or proportion) between waves a and b of one panel: ȳ_a − ȳ_b.

    ``frame_a``/``frame_b`` hold one row per respondent (person or household) of each
    wave, with ``unit`` naming the household. ``strata`` (the recruitment district) and
    ``psu`` (default: the household itself) must be constant per household. The SE
    comes from the joint linearization on the stacked household design described in
    the module docstring, so households in both waves add their covariance.

    With ``by``, each wave's estimate uses that wave's own value of ``by`` (so
    ``estimate_a``/``estimate_b`` equal the cross-sectional domain estimates); a
    household that changes domain adds z_a to the old domain and −z_b to the new one.

    Returns one row per domain: ``by`` value, ``estimate_a``, ``se_a``, ``estimate_b``,
    ``se_b``, ``difference``, ``se``, ``ci_low``, ``ci_high``, ``z``, ``p_value``,
    ``n_a``/``n_b`` (households with a valid answer in the wave) and ``n_both``
    (households answering in both).
    """
    if statistic not in ("mean", "proportion"):
        raise ValueError(f"statistic must be 'mean' or 'proportion', not {statistic!r}")
    psu = psu or unit
    design_columns = [c for c in dict.fromkeys([strata, psu]) if c is not None and c != unit]
    units = _units(frame_a, frame_b, unit, design_columns)
    design = SurveyDesign(units, weights="_weight", strata=strata, psu=psu, lonely_psu=lonely_psu)
    row_of = pd.Series(np.arange(len(units)), index=pd.Index(units[unit]))
    wave_a = _wave(frame_a, variable, weight_a, unit, by, statistic, level)
    wave_b = _wave(frame_b, variable, weight_b, unit, by, statistic, level)
    wave_b["z"] = -wave_b["z"]
    stacked = pd.concat([wave_a.assign(wave="a"), wave_b.assign(wave="b")], ignore_index=True)
    domain_code, domain_values = pd.factorize(stacked["domain"], sort=True)
    rows = row_of.loc[stacked["unit"]].to_numpy()
    is_a = (stacked["wave"] == "a").to_numpy()
    z = np.column_stack(
        [np.where(is_a, stacked["z"], 0.0), np.where(is_a, 0.0, -stacked["z"]), stacked["z"]]
    )
    variance, _ = design.domain_variance(z, domain_code, len(domain_values), rows)
    out = pd.DataFrame({by or "domain": domain_values}) if by else pd.DataFrame(index=[0])
    for wave, part in (("a", wave_a), ("b", wave_b)):
        first = part.drop_duplicates("domain").set_index("domain")["estimate"]
        out[f"estimate_{wave}"] = first.reindex(domain_values).to_numpy()
        out[f"se_{wave}"] = np.sqrt(variance[:, 0 if wave == "a" else 1])
    difference = out["estimate_a"].to_numpy() - out["estimate_b"].to_numpy()
    for name, values in _wald(difference, np.sqrt(variance[:, 2]), confidence).items():
        out[name] = values
    counts = {w: p.groupby("domain")["unit"].nunique() for w, p in (("a", wave_a), ("b", wave_b))}
    out["n_a"] = counts["a"].reindex(domain_values, fill_value=0).to_numpy()
    out["n_b"] = counts["b"].reindex(domain_values, fill_value=0).to_numpy()
    common = wave_a.merge(wave_b, on=["unit", "domain"])
    out["n_both"] = (
        common.groupby("domain")["unit"].nunique().reindex(domain_values, fill_value=0).to_numpy()
    )
    return out


def _wave_totals(
    design: SurveyDesign, variable: str, unit: str, by: str | None, statistic: str,
    level: Hashable | None, domains: pd.Index,
) -> tuple[pd.DataFrame, np.ndarray, dict[Hashable, set]]:  # fmt: skip
    """One wave: per-unit totals of its (residualized) influence values per domain.

    Returns the totals (index: unit, one column per domain), the domain estimates
    (NaN where the wave has no member) and each domain's units with a valid answer.
    """
    frame = design.frame
    y, valid = _item(frame, variable, statistic, level)
    w = np.asarray(design.weights, dtype=float)
    key = frame[by].to_numpy() if by else np.zeros(len(frame))
    units = frame[unit].to_numpy()
    psu_unit = pd.Series(units).groupby(design.psu_code).agg(["first", "nunique"])
    if (psu_unit["nunique"] > 1).any():
        raise ValueError(f"each PSU of a wave must be one {unit} (the household is the PSU)")
    estimates = np.full(len(domains), np.nan)
    answered: dict[Hashable, set] = {}
    z_parts, domain_parts, row_parts = [], [], []
    for d, value in enumerate(domains):
        member = valid & (key == value)
        answered[value] = set(units[member])
        if not member.any():
            continue
        estimates[d], z = _influence(y, w, member, statistic)
        z_parts.append(z)  # zero outside the domain: residualized over the whole wave
        domain_parts.append(np.full(len(z), d))
        row_parts.append(np.arange(len(z)))
    totals: np.ndarray = np.zeros((design.n_psu, len(domains)))  # float, whatever the branch
    if z_parts:
        z_all, domain_all = np.concatenate(z_parts), np.concatenate(domain_parts)
        rows = np.concatenate(row_parts)
        if isinstance(design, CalibratedDesign) and design.steps:
            totals = design._psu_totals(z_all[:, None], domain_all, len(domains), rows)
        else:
            cells = design.psu_code[rows] * len(domains) + domain_all
            totals = np.bincount(
                cells, weights=z_all, minlength=design.n_psu * len(domains)
            ).reshape(design.n_psu, len(domains))
    per_unit = pd.DataFrame(totals, index=psu_unit["first"].to_numpy())
    return per_unit, estimates, answered


def calibrated_wave_difference(
    design_a: SurveyDesign,
    design_b: SurveyDesign,
    variable: str,
    *,
    strata: str | None,
    unit: str = "household_id",
    statistic: Literal["mean", "proportion"] = "mean",
    by: str | None = None,
    level: Hashable | None = None,
    lonely_psu: LonelyPSU = "fail",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """:func:`panel_wave_difference` on each wave's (calibrated) design: ȳ_a − ȳ_b.

    Each wave is its own design whose PSU is the household (``unit``), calibrated or
    not. Each wave's influence values are replaced by their calibration residuals
    within that wave — the projection R's ``svyrecvar`` makes for a raked or calibrated
    design — and summed per household; the waves are then stacked by household with
    the ``strata`` column (constant per household) and

        V(Δ) = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_{i ∈ h} (e_ai − e_bi − ē_h)²,

    so households in both waves add their covariance and the SEs account for each
    wave's calibration. Equal to R's ``svycontrast`` on the stacked household design
    raked to wave × margin post-strata (which rakes each wave to its own margins).
    Uncalibrated designs give :func:`panel_wave_difference`. Columns as
    :func:`panel_wave_difference`.
    """
    if statistic not in ("mean", "proportion"):
        raise ValueError(f"statistic must be 'mean' or 'proportion', not {statistic!r}")
    frames = (design_a.frame, design_b.frame)
    columns = [strata] if strata is not None else []
    units = _units(frames[0], frames[1], unit, columns)
    stacked = SurveyDesign(units, weights="_weight", strata=strata, psu=unit, lonely_psu=lonely_psu)
    values = pd.concat([f[by] for f in frames]) if by else pd.Series([0])
    domains = pd.Index(pd.unique(values.dropna())).sort_values()
    waves = [
        _wave_totals(d, variable, unit, by, statistic, level, domains) for d in (design_a, design_b)
    ]
    n_domains = len(domains)
    order = pd.Index(units[unit])
    t_a = waves[0][0].reindex(order, fill_value=0.0).to_numpy()
    t_b = waves[1][0].reindex(order, fill_value=0.0).to_numpy()
    z = np.hstack([t_a, t_b, t_a - t_b])
    variance, _ = stacked.domain_variance(
        z, np.zeros(len(units), dtype=int), 1, np.arange(len(units))
    )
    variance = variance.reshape(3, n_domains).T
    out = pd.DataFrame({by: domains}) if by else pd.DataFrame(index=[0])
    out["estimate_a"], out["se_a"] = waves[0][1], np.sqrt(variance[:, 0])
    out["estimate_b"], out["se_b"] = waves[1][1], np.sqrt(variance[:, 1])
    difference = out["estimate_a"].to_numpy() - out["estimate_b"].to_numpy()
    for name, value in _wald(difference, np.sqrt(variance[:, 2]), confidence).items():
        out[name] = value
    out["n_a"] = [len(waves[0][2][v]) for v in domains]
    out["n_b"] = [len(waves[1][2][v]) for v in domains]
    out["n_both"] = [len(waves[0][2][v] & waves[1][2][v]) for v in domains]
    return out
