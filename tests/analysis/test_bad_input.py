"""Bad input to the statistics never gives a silent wrong number: the results R gives
(``tests/golden/bad_input_goldens.csv``, made by ``golden_bad_input.R``), R's refusals
as refusals, and NA where nothing was observed."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import SurveyDesign
from analysis.estimation.calibration import calibrate
from analysis.estimation.crosstab import crosstab
from analysis.estimation.regression import svyglm

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture(scope="module")
def golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "bad_input_goldens.csv", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def apistrat() -> pd.DataFrame:
    frame = pd.read_csv(GOLDEN / "apistrat.csv")
    frame["stype4"] = pd.Categorical(frame["stype"], categories=["E", "H", "M", "X"])
    frame["api00b"] = 2 * frame["api00"]
    return frame


def _case(golden: pd.DataFrame, case: str) -> pd.DataFrame:
    return golden[golden["case"] == case].set_index("term")


def test_an_unused_level_is_estimated_as_zero_with_se_zero_as_in_r(golden, apistrat):
    design = SurveyDesign(apistrat, weights="pw", strata="stype", fpc="fpc")
    ours = design.proportion("stype4").set_index("level")
    expected = _case(golden, "unused_level:proportion")
    assert list(ours.index) == list(expected.index)  # X is there, at 0
    np.testing.assert_allclose(ours["estimate"], expected["estimate"], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ours["se"], expected["se"], atol=1e-12)


def test_the_chi_square_with_an_unused_level_is_na_as_in_r(golden, apistrat):
    design = SurveyDesign(apistrat, weights="pw", strata="stype", fpc="fpc")
    result = crosstab(design, "stype4", "sch_wide")
    assert _case(golden, "unused_level:chisq_F")["estimate"].isna().all()
    assert np.isnan(result.f_test["statistic"]) and np.isnan(result.f_test["p_value"])
    assert np.isnan(result.chisq_test["statistic"]) and np.isnan(result.chisq_test["p_value"])


def test_an_aliased_term_is_na_with_a_warning_and_the_rest_as_in_r(golden, apistrat):
    design = SurveyDesign(apistrat, weights="pw", strata="stype", fpc="fpc")
    with pytest.warns(UserWarning, match="api00b"):
        fit = svyglm(design, "api99 ~ api00 + api00b", "gaussian")
    ours = fit.coefficients.set_index("term")
    expected = _case(golden, "aliased:svyglm")
    np.testing.assert_allclose(ours["estimate"], expected["estimate"], rtol=1e-9)
    np.testing.assert_allclose(ours["se"], expected["se"], rtol=1e-9)
    assert fit.aliased == ("api00b",)


def test_perfect_separation_is_named(apistrat):
    frame = apistrat.assign(high=(apistrat["api00"] > 700).astype(int))
    design = SurveyDesign(frame, weights="pw", strata="stype", fpc="fpc")
    with pytest.raises(ValueError, match="separate"):
        svyglm(design, "high ~ api00", "quasibinomial")


def test_nested_margins_are_refused_where_r_stops(golden, apistrat):
    assert set(golden.loc[golden["case"].str.startswith("nested:"), "outcome"]) == {"error"}
    frame = apistrat.assign(district=np.resize(np.arange(1, 7), len(apistrat)))
    frame["region"] = np.where(frame["district"] <= 3, 1, 2)
    design = SurveyDesign(frame, weights="pw")
    districts = pd.Series([1000.0] * 6, index=range(1, 7))
    for region_2, message in ((3000.0, "singular"), (3500.0, "contradict")):
        regions = pd.Series([6000.0 - region_2, region_2], index=[1, 2])
        with pytest.raises(ValueError, match=message):
            calibrate(design, {"district": districts, "region": regions})


def test_an_outcome_nobody_answered_gives_na_not_a_numpy_error(apistrat):
    design = SurveyDesign(apistrat.assign(nothing=np.nan), weights="pw")
    for result in (
        design.mean("nothing"),
        design.total("nothing"),
        design.quantile("nothing", [0.5]),
        design.mean("nothing", by="stype"),
    ):
        assert result["estimate"].isna().all() and result["se"].isna().all()
        assert (result["n"] == 0).all()  # fmt: skip


def test_all_weights_zero_give_na_means_and_quantiles(apistrat):
    design = SurveyDesign(apistrat.assign(zero=0.0), weights="zero")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0 / 0, as R's NaN
        assert design.mean("api00")["estimate"].isna().all()
        assert design.quantile("api00", [0.5])["estimate"].isna().all()
