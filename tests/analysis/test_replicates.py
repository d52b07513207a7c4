"""Replicate-weight designs against R ``svrepdesign`` / ``as.svrepdesign`` goldens.

``tests/golden/replicate_goldens.csv`` comes from ``tests/golden/make_golden_replicates.R``;
a ``case`` is ``design:statistic:variable[:by]``. Jackknife weights are deterministic and
are rebuilt here with ``to_replicates`` (and compared with R's); bootstrap weights are
random, so R's are read from ``bootstrap_weights_*.csv``; BRR and Fay weights (R's
Hadamard construction) are read from the golden rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import SurveyDesign
from analysis.estimation.replicates import ReplicateDesign, to_replicates

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
RTOL = 1e-8


@cache
def goldens() -> pd.DataFrame:
    table = pd.read_csv(
        GOLDEN / "replicate_goldens.csv", dtype={"domain": str, "level": str}
    ).fillna({"domain": "", "level": ""})
    return table


def _golden(case: str) -> pd.DataFrame:
    return goldens()[goldens()["case"] == case]


@cache
def frame(name: str) -> pd.DataFrame:
    if name == "pairs":  # as make_golden_replicates.R builds it
        strat = frame("apistrat").sort_values("cds", kind="stable")
        strat = strat.assign(pair_stratum=strat["stype"] + "_" + strat["api99_band"].astype(str))
        strat = strat[strat.groupby("pair_stratum").cumcount() < 2]
        size = strat.groupby("pair_stratum")["pair_stratum"].transform("size")
        return strat[size == 2].reset_index(drop=True)
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype={"cds": str})


@cache
def linearization(name: str) -> SurveyDesign:
    if name == "apistrat":
        return SurveyDesign(frame(name), weights="pw", strata="stype", fpc="fpc")
    if name == "apiclus1":
        return SurveyDesign(frame(name), weights="pw", psu="dnum", fpc="fpc")
    return SurveyDesign(frame(name), weights="pw", strata="pair_stratum", psu="cds")


def _r_multipliers(name: str) -> np.ndarray:
    rows = _golden(f"{name}:weights")
    n_rep = rows["level"].astype(int).max()
    return rows["estimate"].to_numpy().reshape(n_rep, -1).T


@cache
def replicate_design(name: str) -> ReplicateDesign:
    kind, data = name.split("_")
    if kind in ("jk1", "jkn", "jknmse"):
        method = "JK1" if kind == "jk1" else "JKn"
        return to_replicates(linearization(data), method, mse=kind == "jknmse")
    pw = frame(data)["pw"].to_numpy()[:, None]
    if kind in ("boot", "subboot"):
        multipliers = pd.read_csv(GOLDEN / f"bootstrap_weights_{name}.csv").to_numpy()
        scale = float(_golden(f"{name}:scale")["estimate"].iloc[0])
        return ReplicateDesign(frame(data), "pw", multipliers * pw, "bootstrap", scale=scale)
    rho = 0.3 if kind == "fay" else None
    method = "Fay" if kind == "fay" else "BRR"
    return ReplicateDesign(frame(data), "pw", _r_multipliers(name) * pw, method, rho=rho)


def _designs() -> list[str]:
    return sorted({case.split(":")[0] for case in goldens()["case"]})


def _estimate_cases() -> list[str]:
    cases = goldens()["case"].unique()
    return sorted(c for c in cases if c.split(":")[1] in ("mean", "total", "ratio", "proportion"))


def _close(actual: pd.Series | np.ndarray, expected: pd.Series | np.ndarray, what: str) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float),
        np.asarray(expected, dtype=float),
        rtol=RTOL,
        atol=1e-12,
        equal_nan=True,
        err_msg=what,
    )


@pytest.mark.parametrize("name", _designs())
def test_scale_rscales_and_degf_match_r(name: str) -> None:
    d = replicate_design(name)
    _close(d.scale, _golden(f"{name}:scale")["estimate"], "scale")
    _close(d.rscales, _golden(f"{name}:rscales")["estimate"], "rscales")
    assert d.degf == int(_golden(f"{name}:degf")["estimate"].iloc[0])


@pytest.mark.parametrize("name", ["jk1_apiclus1", "jkn_pairs"])
def test_jackknife_weights_equal_r(name: str) -> None:
    d = replicate_design(name)
    expected = _r_multipliers(name) * d.frame["pw"].to_numpy()[:, None]
    np.testing.assert_array_equal(d.replicate_weights, expected)


@pytest.mark.parametrize("case", _estimate_cases())
def test_matches_r(case: str) -> None:
    expected = _golden(case).set_index(["domain", "level"])
    name, statistic, variable, *by = case.split(":")
    d = replicate_design(name)
    if statistic == "ratio":
        result = d.ratio(*variable.split("/"), by or None)
    elif statistic == "proportion":
        result = d.proportion(variable, by or None, categorical=True)
    else:
        result = getattr(d, statistic)(variable, by or None)
    result["domain"] = result[by].astype(str).agg("|".join, axis=1) if by else ""
    result["level"] = result["level"].astype(str) if "level" in result else ""
    result = result.set_index(["domain", "level"])
    assert sorted(result.index) == sorted(expected.index)
    result = result.loc[expected.index]
    for column in ("estimate", "se", "deff"):  # ratio deff: NaN on both sides
        _close(result[column], expected[column], f"{case} {column}")
    z = 1.959963984540054
    _close(result["ci_low"], result["estimate"] - z * result["se"], "normal ci")


def test_t_interval_uses_replicate_degf() -> None:
    d = replicate_design("jk1_apiclus1")
    out = d.mean("api00", ci="t")
    half = 2.1447866879169273 * out["se"]  # qt(0.975, 14)
    _close(out["ci_high"], out["estimate"] + half, "t interval")


def test_mse_centres_at_the_full_sample_estimate() -> None:
    d = replicate_design("jkn_pairs")
    theta, reps = np.array([1.0]), np.array([[1.0, 3.0] + [2.0] * (d.n_replicates - 2)])
    plain = d.replicate_variance(theta, reps)
    d_mse = ReplicateDesign(d.frame, "pw", d.replicate_weights, "JKn", rscales=d.rscales, mse=True)
    centred = d_mse.replicate_variance(theta, reps)
    rs = d.rscales
    _close(plain, [np.sum(rs * (reps[0] - reps[0].mean()) ** 2)], "mse=False")
    _close(centred, [np.sum(rs * (reps[0] - 1.0) ** 2)], "mse=True")


def test_nan_replicates_are_dropped_as_svrvar() -> None:
    d = replicate_design("brr_pairs")
    reps = np.array([[np.nan] + [1.0, 3.0] * ((d.n_replicates - 1) // 2) + [2.0]])
    ok = reps[0, 1:]
    _close(d.replicate_variance(np.array([2.0]), reps), [d.scale * np.sum((ok - 2.0) ** 2)], "na")


def test_rao_wu_bootstrap_weights() -> None:
    design = linearization("apistrat")
    d = to_replicates(design, "bootstrap", replicates=40, seed=7)
    again = to_replicates(design, "bootstrap", replicates=40, seed=7)
    np.testing.assert_array_equal(d.replicate_weights, again.replicate_weights)
    assert d.n_replicates == 40 and d.scale == 1 / 39 and d.method == "bootstrap"
    multipliers = d.replicate_weights / design.weights[:, None]
    n_h = design.psus_per_stratum[design.stratum_code]
    counts = multipliers * (n_h - 1)[:, None] / n_h[:, None]
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-12)
    for h in range(len(design.stratum_labels)):  # n_h - 1 draws in every stratum
        in_h = design.stratum_code == h
        np.testing.assert_allclose(counts[in_h].sum(axis=0), in_h.sum() - 1)
    lin = design.mean("api00")["se"].iloc[0]
    boot = d.mean("api00")["se"].iloc[0]
    assert 0.6 < boot / lin < 1.6  # FPC ignored, as R's subbootstrap; a loose sanity check


def test_domains_are_computed_together_and_agree_with_subsets() -> None:
    d = replicate_design("jkn_apistrat")
    by = d.mean("api00", by="awards")
    for awards, row in by.set_index("awards").iterrows():
        keep = (d.frame["awards"] == awards).to_numpy()
        sub = ReplicateDesign(
            d.frame[keep], "pw", d.replicate_weights[keep], "JKn", rscales=d.rscales
        )
        _close(row["se"], sub.mean("api00")["se"], f"domain {awards}")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "JKn"}, "needs rscales"),
        ({"method": "Fay"}, "rho is required"),
        ({"method": "BRR", "scale": 0.5}, "fixes scale"),
        ({"method": "XYZ"}, "method must be"),
    ],
)
def test_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    d = replicate_design("brr_pairs")
    with pytest.raises(ValueError, match=message):
        ReplicateDesign(d.frame, "pw", d.replicate_weights, **kwargs)


def test_to_replicates_rejects_jk1_on_stratified_design() -> None:
    with pytest.raises(ValueError, match="JK1 is for unstratified"):
        to_replicates(linearization("apistrat"), "JK1")
