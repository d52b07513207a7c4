"""Raking, calibration and trimming against R ``survey`` goldens, plus property tests.

Goldens come from ``tests/golden/make_golden_calibration.R``: a case is
``dataset:method:statistic:variable[:by1+by2]``; weights are in
``calibration_weights_{dataset}.csv``, one column per method.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import SurveyDesign
from analysis.estimation.calibration import calibrate, rake, trim
from analysis.estimation.design import CalibratedDesign

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
METHODS = ("rake", "linear", "raking", "logit", "trim")


@cache
def goldens() -> pd.DataFrame:
    table = pd.read_csv(GOLDEN / "calibration_goldens.csv", dtype={"domain": str})
    return table.fillna({"domain": ""})


@cache
def base(dataset: str) -> SurveyDesign:
    if dataset == "seoul":
        frame = pd.read_csv(GOLDEN / "seoul_sample.csv")
        return SurveyDesign(frame, weights="weight", strata="district", psu="psu")
    frame = pd.read_csv(GOLDEN / "apistrat.csv")
    frame["awards_yes"] = (frame["awards"] == "Yes").astype(int)
    return SurveyDesign(frame, weights="pw", strata="stype", fpc="fpc")


@cache
def margins(dataset: str) -> dict:
    table = pd.read_csv(GOLDEN / "calibration_margins.csv", dtype={"category": str})
    table = table[table["dataset"] == dataset]
    out: dict = {}
    for name, part in table.groupby("margin", sort=False):
        if name == "sex_age":  # a cross-classified margin, keyed by a tuple of columns
            sex, age = zip(*(c.split("_") for c in part["category"]), strict=True)
            index = pd.MultiIndex.from_arrays(
                [np.array(sex, dtype=int), np.array(age, dtype=int)], names=["sex", "age_group"]
            )
            out["sex", "age_group"] = pd.Series(part["total"].to_numpy(), index=index)
        else:
            kind = str if dataset == "apistrat" and name == "stype" else int
            index = pd.Index([kind(c) for c in part["category"]])
            out[name] = pd.Series(part["total"].to_numpy(), index=index)
    return out


@cache
def calibrated(dataset: str, method: str) -> SurveyDesign:
    d, m = base(dataset), margins(dataset)
    if method == "rake":
        return rake(d, m, maxit=100, epsilon=1e-10)
    if method == "trim":
        cap = goldens().set_index("case").loc[f"{dataset}:trim:cap:", "estimate"]
        raked = calibrated(dataset, "rake")
        return trim(raked, cap=cap, then=m, method="raking", maxit=100, epsilon=1e-10)
    bounds = (0.5, 2.0) if method == "logit" else None
    return calibrate(d, m, method=method, bounds=bounds, maxit=100, epsilon=1e-10)


@pytest.mark.parametrize("dataset", ["apistrat", "seoul"])
@pytest.mark.parametrize("method", METHODS)
def test_weights_match_r(dataset: str, method: str) -> None:
    expected = pd.read_csv(GOLDEN / f"calibration_weights_{dataset}.csv")[method]
    actual = calibrated(dataset, method).weights
    np.testing.assert_allclose(actual, expected.to_numpy(), rtol=1e-6)


def _cases() -> list[str]:
    return sorted(c for c in goldens()["case"].unique() if ":trim:cap:" not in c)


@pytest.mark.parametrize("case", _cases())
def test_estimates_and_ses_match_r(case: str) -> None:
    dataset, method, statistic, variable, *rest = case.split(":")
    by = rest[0].split("+") if rest else []
    design = calibrated(dataset, method)
    result = getattr(design, statistic)(variable, by or None)
    expected = goldens()[goldens()["case"] == case]
    keys = result[by].astype(str).agg("|".join, axis=1) if by else pd.Series([""])
    result = result.set_index(keys.to_numpy()).loc[expected["domain"].to_numpy()]
    np.testing.assert_allclose(result["estimate"], expected["estimate"], rtol=1e-8)
    # atol only for SEs that are zero in exact arithmetic (a 0/1 item within its own domain)
    atol = 1e-12 * float(np.abs(expected["estimate"]).max())
    np.testing.assert_allclose(result["se"], expected["se"], rtol=1e-6, atol=atol)


def test_rake_and_calibrate_raking_differ_in_se_not_weights() -> None:
    raked, cal = calibrated("seoul", "rake"), calibrated("seoul", "raking")
    np.testing.assert_allclose(raked.weights, cal.weights, rtol=1e-8)
    a = raked.mean("happiness", "district")["se"].to_numpy()
    b = cal.mean("happiness", "district")["se"].to_numpy()
    assert np.abs(a / b - 1).max() > 1e-4


def test_other_estimators_run_on_a_calibrated_design() -> None:
    design = calibrated("seoul", "linear")
    assert isinstance(design, CalibratedDesign)
    props = design.proportion("trust", "district")
    assert (props["se"] > 0).all() and len(props) == 25 * 5
    ratio = design.ratio("income", "household_size", ["sex", "age_group"])
    assert np.isfinite(ratio["se"]).all()


# ---- property tests ---------------------------------------------------------------------
@st.composite
def small_designs(draw: st.DrawFn) -> tuple[SurveyDesign, dict]:
    n = draw(st.integers(30, 120))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    k_a, k_b = draw(st.integers(2, 4)), draw(st.integers(2, 5))
    a = np.r_[np.arange(k_a), rng.integers(0, k_a, n - k_a)]
    b = np.r_[np.arange(k_b) % k_b, rng.integers(0, k_b, n - k_b)][:n]
    frame = pd.DataFrame(
        {
            "a": a,
            "b": b,
            "w": rng.uniform(1, 10, n),
            "psu": np.arange(n) // 3,
            "y": rng.normal(size=n),
        }
    )
    design = SurveyDesign(frame, weights="w", psu="psu")
    grand = frame["w"].sum() * rng.uniform(0.8, 1.2)
    pa = frame.groupby("a")["w"].sum() * rng.uniform(0.8, 1.25, k_a)
    pb = frame.groupby("b")["w"].sum() * rng.uniform(0.8, 1.25, k_b)
    return design, {"a": pa * grand / pa.sum(), "b": pb * grand / pb.sum()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_designs())
def test_raking_hits_every_margin_with_positive_weights(case: tuple) -> None:
    design, m = case
    out = rake(design, m, maxit=1000, epsilon=1e-12)
    assert (out.weights > 0).all()
    for column, totals in m.items():
        got = pd.Series(out.weights).groupby(design.frame[column].to_numpy()).sum()
        np.testing.assert_allclose(got.loc[totals.index], totals, rtol=1e-8)
    assert np.isfinite(out.mean("y", "a")["se"]).all()


@settings(max_examples=25, deadline=None)
@given(small_designs())
def test_linear_and_raking_calibration_hit_every_margin(case: tuple) -> None:
    design, m = case
    for method in ("linear", "raking"):
        out = calibrate(design, m, method=method, maxit=100, epsilon=1e-12)
        for column, totals in m.items():
            got = pd.Series(out.weights).groupby(design.frame[column].to_numpy()).sum()
            np.testing.assert_allclose(got.loc[totals.index], totals, rtol=1e-7)


def _tiny() -> tuple[pd.DataFrame, dict]:
    frame = pd.DataFrame({"a": [1, 1, 2, 2, 3], "b": ["x", "y", "x", "y", "x"], "w": [1.0] * 5})
    m = {
        "a": pd.Series([2.0, 2.0, 1.0], index=[1, 2, 3]),
        "b": pd.Series([3.0, 2.0], index=["x", "y"]),
    }
    return frame, m


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f, m: m.update(a=pd.Series([2.0, 2.0, 1.0, 4.0], index=[1, 2, 3, 4])), "absent"),
        (lambda f, m: m.update(a=pd.Series([2.0, 3.0], index=[1, 2])), "no total"),
        (lambda f, m: m.update(b=pd.Series([3.0, 3.0], index=["x", "y"])), "grand total"),
        (lambda f, m: f.loc.__setitem__((0, "a"), np.nan), "missing"),
        (lambda f, m: m.update(zzz=pd.Series([5.0], index=[1])), "not in the frame"),
    ],
)
def test_bad_margins_raise(change, message: str) -> None:
    frame, m = _tiny()
    change(frame, m)
    design = SurveyDesign(frame, weights="w")
    with pytest.raises(ValueError, match=message):
        rake(design, m)
    with pytest.raises(ValueError, match=message):
        calibrate(design, m)


def test_bad_weights_raise() -> None:
    frame, m = _tiny()
    design = SurveyDesign(frame, weights="w")
    design.weights = design.weights.copy()
    design.weights[0] = -1.0
    with pytest.raises(ValueError, match="negative"):
        rake(design, m)
    design.weights[0] = np.nan
    with pytest.raises(ValueError, match="missing"):
        calibrate(design, m)
    frame.loc[0, "w"] = -1.0
    with pytest.raises(ValueError, match="negative"):
        SurveyDesign(frame, weights="w")


def test_non_convergence_names_the_margin() -> None:
    frame, m = _tiny()
    design = SurveyDesign(frame, weights="w")
    m["b"] = pd.Series([4.0, 1.0], index=["x", "y"])
    with pytest.raises(ValueError, match="did not converge.*margin"):
        rake(design, m, maxit=1, epsilon=1e-14)
    with pytest.raises(ValueError, match="logit.*bounds"):
        calibrate(design, m, method="logit")


def test_trim_caps_keeps_total_and_recalibrates() -> None:
    design = calibrated("seoul", "rake")
    cap = float(np.percentile(design.weights, 95))
    trimmed = trim(design, percentile=95)
    outside = design.weights > cap
    np.testing.assert_allclose(trimmed.weights[outside], cap, rtol=1e-12)
    shift = trimmed.weights[~outside] - design.weights[~outside]  # R: spread equally
    np.testing.assert_allclose(shift, shift[0], rtol=1e-9)
    assert shift[0] > 0
    assert trimmed.weights.sum() == pytest.approx(design.weights.sum(), rel=1e-12)
    again = trim(design, percentile=95, then=margins("seoul"))
    by = pd.Series(again.weights).groupby(design.frame["district"].to_numpy()).sum()
    np.testing.assert_allclose(by, margins("seoul")["district"].loc[by.index], rtol=1e-6)
    with pytest.raises(ValueError, match="exactly one"):
        trim(design)
