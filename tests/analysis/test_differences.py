"""Differences of two estimates: two domains, two independent samples, two panel waves.

Domain and panel differences are held to R ``survey`` goldens
(``tests/golden/difference_goldens.csv`` from ``tests/golden/golden_differences.R``)
at relative 1e-8; the panel method is also worked by hand on six households.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import SurveyDesign
from analysis.estimation.differences import (
    calibrated_wave_difference,
    domain_difference,
    independent_difference,
    panel_wave_difference,
)
from tests.analysis.golden_designs import GOLDEN, design

RTOL = 1e-8
NUMBERS = ["estimate_a", "se_a", "estimate_b", "se_b", "difference", "se"]


@cache
def goldens() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "difference_goldens.csv").set_index("case")


def _cases(kind: str) -> list[str]:
    return [c for c in goldens().index if c.startswith(f"{kind}:")]


def _close(result: pd.DataFrame, case: str) -> None:
    expected = goldens().loc[case, NUMBERS].to_numpy(dtype=float)
    actual = result[NUMBERS].iloc[0].to_numpy(dtype=float)
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=0, err_msg=case)


def _value(text: str, like: pd.Series) -> object:
    return text if like.dtype == object else like.dtype.type(text)


# ---- two domains of one design ----------------------------------------------------------------
@pytest.mark.parametrize("case", _cases("domain"))
def test_domain_difference_matches_r(case: str) -> None:
    _, data, statistic, item, by, pair = case.split(":")
    variable, _, level = item.partition("=")
    d = design(data)
    a, b = (_value(v, d.frame[by]) for v in pair.split("-"))
    result = domain_difference(
        d, variable, by, a, b, statistic, level=int(level) if level else None
    )
    _close(result, case)


def test_domain_difference_row() -> None:
    d = design("seoul")
    row = domain_difference(d, "happiness", "sex", 1, 2).iloc[0]
    assert row["difference"] == pytest.approx(row["estimate_a"] - row["estimate_b"], abs=1e-15)
    assert row["z"] == pytest.approx(row["difference"] / row["se"])
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(row["z"])))
    q = stats.norm.ppf(0.975)
    assert row["ci_low"] == pytest.approx(row["difference"] - q * row["se"])
    assert row["ci_high"] == pytest.approx(row["difference"] + q * row["se"])
    by_sex = d.mean("happiness", "sex").set_index("sex")
    assert row["se_a"] == pytest.approx(by_sex.loc[1, "se"], rel=1e-12)
    assert row["se_b"] == pytest.approx(by_sex.loc[2, "se"], rel=1e-12)
    assert (row["n_a"], row["n_b"]) == (by_sex.loc[1, "n"], by_sex.loc[2, "n"])
    # Men and women share PSUs: the covariance is positive, the SE well below independence.
    assert row["se"] < 0.7 * np.hypot(row["se_a"], row["se_b"])


def test_domains_in_different_strata_have_no_covariance() -> None:
    row = domain_difference(design("apistrat"), "api00", "stype", "E", "H").iloc[0]
    assert row["se"] == pytest.approx(np.hypot(row["se_a"], row["se_b"]), rel=1e-12)


def test_domain_difference_rejects_bad_input() -> None:
    d = design("seoul")
    with pytest.raises(ValueError, match="must differ"):
        domain_difference(d, "happiness", "sex", 1, 1)
    with pytest.raises(ValueError, match="no respondents"):
        domain_difference(d, "happiness", "sex", 1, 3)
    with pytest.raises(ValueError, match="0/1"):
        domain_difference(d, "trust", "sex", 1, 2, "proportion")
    with pytest.raises(ValueError, match="statistic"):
        domain_difference(d, "happiness", "sex", 1, 2, "median")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        domain_difference(d, "happiness", "gender", 1, 2)


# ---- two independent samples ------------------------------------------------------------------
def test_independent_difference_by_hand() -> None:
    year_a = pd.DataFrame({"district": [1, 2], "estimate": [6.0, 5.0], "se": [0.3, 0.4]})
    year_b = pd.DataFrame({"district": [2, 1], "estimate": [4.0, 6.5], "se": [0.3, 0.4]})
    out = independent_difference(year_a, year_b).set_index("district")
    assert out.loc[1, "difference"] == pytest.approx(-0.5)
    assert out.loc[2, "difference"] == pytest.approx(1.0)
    assert out.loc[1, "se"] == pytest.approx(0.5)  # sqrt(0.3² + 0.4²)
    assert out.loc[2, "se"] == pytest.approx(0.5)
    assert out.loc[2, "z"] == pytest.approx(2.0)
    assert out.loc[2, "p_value"] == pytest.approx(0.0455002638963584)
    assert out.loc[2, "ci_low"] == pytest.approx(1.0 - 1.959963984540054 * 0.5)


def test_independent_difference_matches_r() -> None:
    case = "independent:apistrat-apiclus1:mean:api00"
    a = design("apistrat").mean("api00")
    b = design("apiclus1").mean("api00")
    _close(independent_difference(a, b), case)
    _close(independent_difference(a.iloc[0], b.iloc[0]), case)  # a single tidy row


# ---- two waves of one panel: golden -----------------------------------------------------------
def _seoul_waves(overlap: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic waves of golden_differences.R: row r (from 1) is household r."""
    frame = pd.read_csv(GOLDEN / "seoul_sample.csv")
    r = np.arange(1, len(frame) + 1)
    wave_a = frame.assign(household_id=r)
    wave_b = frame.assign(
        household_id=r,
        happiness=(frame["happiness"] + r % 3 - 1).clip(0, 10),
        weight=frame["weight"] * (1 + (r % 5) / 10),
    )
    if overlap == "partial":
        return wave_a[r % 10 != 0], wave_b[r % 7 != 0]
    return wave_a[r % 2 == 1], wave_b[r % 2 == 0]


@pytest.mark.parametrize("case", _cases("panel"))
def test_panel_wave_difference_matches_r(case: str) -> None:
    _, _, overlap, statistic, variable, *domain = case.split(":")
    wave_a, wave_b = _seoul_waves(overlap)
    by = "sex" if domain else None
    result = panel_wave_difference(
        wave_a, wave_b, variable, weight_a="weight", weight_b="weight", strata="district",
        statistic=statistic, by=by,
    )  # fmt: skip
    if domain:
        result = result[result["sex"] == int(domain[0].split("=")[1])]
    _close(result, case)


def test_panel_without_overlap_is_close_to_independent() -> None:
    wave_a, wave_b = _seoul_waves("none")
    row = panel_wave_difference(
        wave_a, wave_b, "happiness", weight_a="weight", weight_b="weight", strata="district"
    ).iloc[0]
    assert row["n_both"] == 0
    cross_sectional = [
        SurveyDesign(w, weights="weight", strata="district", psu="household_id").mean("happiness")
        for w in (wave_a, wave_b)
    ]
    independent = independent_difference(*cross_sectional).iloc[0]
    assert row["difference"] == pytest.approx(independent["difference"], rel=1e-12)
    # Not equal: see the module docstring (stratum centring of the stacked design).
    assert row["se"] == pytest.approx(independent["se"], rel=0.05)  # 0.02358 vs 0.02274


# ---- two waves of one panel: six households by hand -------------------------------------------
def _households(y_a: list[float], y_b: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Households 1-3 in stratum 'S', 4-6 in 'T'; wave a has 1-5, wave b has 1, 2, 4, 5, 6."""
    wave_a = pd.DataFrame(
        {
            "household_id": [1, 2, 3, 4, 5],
            "district": ["S", "S", "S", "T", "T"],
            "w": [10.0, 20.0, 15.0, 30.0, 25.0],
            "y": y_a,
        }
    )
    wave_b = pd.DataFrame(
        {
            "household_id": [1, 2, 4, 5, 6],
            "district": ["S", "S", "T", "T", "T"],
            "w": [12.0, 18.0, 28.0, 30.0, 22.0],
            "y": y_b,
        }
    )
    return wave_a, wave_b


def _hand_variance(d: np.ndarray, strata: np.ndarray) -> float:
    """Σ_h n_h/(n_h − 1) Σ_{i∈h} (d_i − d̄_h)², one value per household."""
    total = 0.0
    for h in np.unique(strata):
        dh = d[strata == h]
        total += dh.size / (dh.size - 1) * np.sum((dh - dh.mean()) ** 2)
    return total


def test_panel_by_hand() -> None:
    y_a = [2.0, 4.0, 6.0, 7.0, 9.0]
    y_b = [3.0, 5.0, 7.0, 9.0, 6.0]  # households 1, 2, 4, 5 move with their wave-a values
    wave_a, wave_b = _households(y_a, y_b)
    # By hand, on the six households of the outer join (order 1..6).
    w_a = np.array([10.0, 20.0, 15.0, 30.0, 25.0, 0.0])
    ya = np.array([2.0, 4.0, 6.0, 7.0, 9.0, 0.0])
    w_b = np.array([12.0, 18.0, 0.0, 28.0, 30.0, 22.0])
    yb = np.array([3.0, 5.0, 0.0, 7.0, 9.0, 6.0])
    strata = np.array(["S", "S", "S", "T", "T", "T"])
    mean_a = np.sum(w_a * ya) / np.sum(w_a)  # 625 / 100 = 6.25
    mean_b = np.sum(w_b * yb) / np.sum(w_b)  # 724 / 110
    z_a = w_a * (ya - mean_a) / np.sum(w_a)  # zero for household 6 (w_a = 0)
    z_b = w_b * (yb - mean_b) / np.sum(w_b)  # zero for household 3
    se_hand = np.sqrt(_hand_variance(z_a - z_b, strata))
    se_a_hand = np.sqrt(_hand_variance(z_a, strata))
    se_b_hand = np.sqrt(_hand_variance(z_b, strata))

    row = panel_wave_difference(
        wave_a, wave_b, "y", weight_a="w", weight_b="w", strata="district"
    ).iloc[0]
    assert (mean_a, mean_b) == pytest.approx((6.25, 724 / 110))
    assert row["estimate_a"] == pytest.approx(mean_a, rel=1e-14)
    assert row["estimate_b"] == pytest.approx(mean_b, rel=1e-14)
    assert row["difference"] == pytest.approx(mean_a - mean_b, rel=1e-14)
    assert row["se"] == pytest.approx(se_hand, rel=1e-12)
    assert row["se_a"] == pytest.approx(se_a_hand, rel=1e-12)
    assert row["se_b"] == pytest.approx(se_b_hand, rel=1e-12)
    assert (row["n_a"], row["n_b"], row["n_both"]) == (5, 5, 4)
    # y moves together across waves: the shared households lower the SE below independence,
    # whether independence is judged in the stacked design or wave by wave.
    assert row["se"] < np.hypot(se_a_hand, se_b_hand)
    cross = [
        SurveyDesign(w, weights="w", strata="district", psu="household_id").mean("y")
        for w in (wave_a, wave_b)
    ]
    assert row["se"] < independent_difference(*cross).iloc[0]["se"]


def test_panel_without_shared_households_by_hand() -> None:
    # Wave b's households renamed 11..16: nobody is in both waves.
    wave_a, wave_b = _households([2.0, 4.0, 6.0, 7.0, 9.0], [3.0, 5.0, 7.0, 9.0, 6.0])
    wave_b = wave_b.assign(household_id=wave_b["household_id"] + 10)
    row = panel_wave_difference(
        wave_a, wave_b, "y", weight_a="w", weight_b="w", strata="district"
    ).iloc[0]
    assert row["n_both"] == 0
    # se² = se_a² + se_b² − 2 Cov with Cov = Σ_h c_h (Σ_i z_ai z_bi − T_ah T_bh / n_h) and
    # Σ_i z_ai z_bi = 0: only the stratum-centring term is left.
    z_a = np.array([10, 20, 15, 30, 25]) * (np.array([2, 4, 6, 7, 9]) - 6.25) / 100
    mean_b = 724 / 110
    z_b = np.array([12, 18, 28, 30, 22]) * (np.array([3, 5, 7, 9, 6]) - mean_b) / 110
    t_a = np.array([z_a[:3].sum(), z_a[3:].sum()])  # strata S, T
    t_b = np.array([z_b[:2].sum(), z_b[2:].sum()])
    n_h = np.array([5, 5])  # PSUs: S has a1-a3, b11, b12; T has a4, a5, b14-b16
    cross_term = np.sum(n_h / (n_h - 1) * t_a * t_b / n_h)
    assert row["se"] ** 2 == pytest.approx(
        row["se_a"] ** 2 + row["se_b"] ** 2 + 2 * cross_term, rel=1e-12
    )


def test_panel_without_shared_households_and_balanced_strata_is_independent() -> None:
    # Every stratum's wave mean equals the overall wave mean (T_ah = 0): se² = se_a² + se_b².
    wave_a = pd.DataFrame(
        {"household_id": [1, 2, 3, 4], "district": ["S", "S", "T", "T"], "w": 1.0,
         "y": [4.0, 6.0, 3.0, 7.0]}
    )  # fmt: skip
    wave_b = pd.DataFrame(
        {"household_id": [5, 6, 7, 8], "district": ["S", "S", "T", "T"], "w": 2.0,
         "y": [5.0, 9.0, 8.0, 6.0]}
    )  # fmt: skip
    row = panel_wave_difference(
        wave_a, wave_b, "y", weight_a="w", weight_b="w", strata="district"
    ).iloc[0]
    assert row["se"] == pytest.approx(np.hypot(row["se_a"], row["se_b"]), rel=1e-12)
    assert row["difference"] == pytest.approx(5.0 - 7.0)


def test_panel_by_domain_uses_each_waves_value() -> None:
    wave_a, wave_b = _households([1.0, 0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 0.0, 0.0])
    wave_a["sex"] = [1, 2, 1, 2, 1]
    wave_b["sex"] = [1, 2, 1, 1, 1]  # household 4 recorded differently in wave b
    out = panel_wave_difference(
        wave_a, wave_b, "y", weight_a="w", weight_b="w", strata="district",
        statistic="proportion", by="sex",
    ).set_index("sex")  # fmt: skip
    for wave, column in ((wave_a, "estimate_a"), (wave_b, "estimate_b")):
        cross = SurveyDesign(wave, weights="w", strata="district", psu="household_id")
        expected = cross.proportion("y", "sex").set_index("sex")["estimate"]
        np.testing.assert_allclose(out[column], expected.loc[out.index], rtol=1e-14)
    assert out["n_both"].tolist() == [2, 1]  # sex 1: households 1, 5; sex 2: household 2


def test_panel_rejects_inconsistent_households() -> None:
    wave_a, wave_b = _households([2.0, 4.0, 6.0, 7.0, 9.0], [3.0, 5.0, 7.0, 9.0, 6.0])
    wave_b.loc[0, "district"] = "T"
    with pytest.raises(ValueError, match="changes 'district'"):
        panel_wave_difference(wave_a, wave_b, "y", weight_a="w", weight_b="w", strata="district")
    with pytest.raises(ValueError, match="'mean' or 'proportion'"):
        panel_wave_difference(
            wave_a, wave_b, "y", weight_a="w", weight_b="w", strata=None, statistic="total"
        )  # type: ignore[arg-type]


# ---- two raked waves: calibration-aware joint SE, golden ---------------------------------------
def _raked(frame: pd.DataFrame) -> SurveyDesign:
    """Rake a synthetic wave to 1.05 x the sample's totals by district and sex (the R script's)."""
    sample = pd.read_csv(GOLDEN / "seoul_sample.csv")
    margins = {
        "district": sample.groupby("district")["weight"].sum() * 1.05,
        "sex": sample.groupby("sex")["weight"].sum() * 1.05,
    }
    design = SurveyDesign(
        frame.reset_index(drop=True), weights="weight", strata="district", psu="household_id"
    )
    return design.rake(margins)


@pytest.mark.parametrize("case", _cases("panel_raked"))
def test_calibrated_wave_difference_matches_r_on_raked_waves(case: str) -> None:
    _, _, overlap, statistic, variable, *domain = case.split(":")
    wave_a, wave_b = _seoul_waves(overlap)
    by = "sex" if domain else None
    result = calibrated_wave_difference(
        _raked(wave_a), _raked(wave_b), variable, strata="district", statistic=statistic, by=by
    )
    if domain:
        result = result[result["sex"] == int(domain[0].split("=")[1])]
    _close(result, case)


def test_calibrated_wave_difference_without_calibration_is_the_plain_one() -> None:
    wave_a, wave_b = _seoul_waves("partial")
    plain = [
        SurveyDesign(w.reset_index(drop=True), weights="weight", strata="district",
                     psu="household_id")
        for w in (wave_a, wave_b)
    ]  # fmt: skip
    got = calibrated_wave_difference(*plain, "happiness", strata="district", by="sex")
    expected = panel_wave_difference(
        wave_a, wave_b, "happiness", weight_a="weight", weight_b="weight", strata="district",
        by="sex",
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)


def test_raking_each_wave_shrinks_the_se_of_the_change_in_an_item_tied_to_the_margins() -> None:
    wave_a, wave_b = _seoul_waves("partial")
    wave_a = wave_a.assign(man=(wave_a["sex"] == 1).astype(float))
    wave_b = wave_b.assign(man=(wave_b["sex"] == 1).astype(float))
    raked = calibrated_wave_difference(_raked(wave_a), _raked(wave_b), "man", strata="district")
    plain = panel_wave_difference(
        wave_a, wave_b, "man", weight_a="weight", weight_b="weight", strata="district"
    )
    # the share of men is fixed by the sex margin in both waves: no sampling error is left
    assert raked["se"].iloc[0] < 1e-8 < plain["se"].iloc[0]
