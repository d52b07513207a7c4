"""Calibration on margins no weights can meet: refused, naming the margins, never a silent
wrong weight (R's ``calibrate`` stops with "system is computationally singular"; R's ``rake``
reports success while missing a margin, and here it refuses)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import SurveyDesign
from analysis.estimation.calibration import calibrate, rake


@pytest.fixture
def design() -> SurveyDesign:
    rng = np.random.default_rng(7)
    n = 600
    frame = pd.DataFrame({"district": rng.integers(1, 7, n), "w": rng.uniform(1, 3, n)})
    frame["region"] = np.where(frame["district"] <= 3, 1, 2)
    frame["sex"] = rng.integers(1, 3, n)
    return SurveyDesign(frame, weights="w")


DISTRICTS = pd.Series([150.0, 160, 170, 180, 190, 150], index=range(1, 7))


def _regions(first: float) -> pd.Series:
    return pd.Series([first, 1000.0 - first], index=[1, 2])


def test_a_nested_margin_that_contradicts_is_refused_naming_both(design):
    for method in ("linear", "raking", "logit"):
        with pytest.raises(ValueError, match="contradict") as refused:
            bounds = (0.2, 5.0) if method == "logit" else None
            calibrate(
                design, {"district": DISTRICTS, "region": _regions(600.0)}, method=method,
                bounds=bounds,
            )  # fmt: skip
        assert "'district'" in str(refused.value) and "'region'" in str(refused.value)
    with pytest.raises(ValueError, match="contradict"):
        rake(design, {"district": DISTRICTS, "region": _regions(600.0)})


def test_consistent_nested_margins_are_singular_for_the_linear_calibration_as_in_r(design):
    margins = {"district": DISTRICTS, "region": _regions(480.0)}  # 150 + 160 + 170
    with pytest.raises(ValueError, match="singular"):
        calibrate(design, margins)
    raked = rake(design, margins)  # raking meets them: they only repeat each other
    by_district = raked.frame.assign(w=raked.weights).groupby("district")["w"].sum()
    np.testing.assert_allclose(by_district.to_numpy(), DISTRICTS.to_numpy(), rtol=1e-8)


def test_raking_that_cannot_meet_a_margin_refuses_with_the_largest_gap():
    frame = pd.DataFrame(  # a 2 × 2 table whose cell (a=2, b=2) has no sample units
        {"a": [1, 1, 2, 1, 1, 2], "b": [1, 2, 1, 1, 2, 1], "w": [1.0] * 6}
    )
    design = SurveyDesign(frame, weights="w")
    # a=2 lives only in cell (2, 1), so b=1 would need 250 there and -100 in (1, 1)
    margins = {
        "a": pd.Series([100.0, 250.0], index=[1, 2]),
        "b": pd.Series([150.0, 200.0], index=[1, 2]),
    }
    with pytest.raises(ValueError, match="largest gap"):
        rake(design, margins)


def test_possible_margins_still_calibrate(design):
    margins = {"district": DISTRICTS, "sex": pd.Series([480.0, 520.0], index=[1, 2])}
    for method in ("linear", "raking"):
        out = calibrate(design, margins, method=method)
        assert (out.weights > 0).all()
        assert out.weights.sum() == pytest.approx(1000.0)
