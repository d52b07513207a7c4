"""Quantiles, calibration and replicate weights are verbs on the design, as in R's survey."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import SurveyDesign
from analysis.estimation.calibration import rake
from analysis.estimation.quantiles import quantile
from analysis.estimation.replicates import to_replicates

GOLDEN = pd.read_csv(
    __import__("pathlib").Path(__file__).resolve().parents[1] / "golden" / "seoul_sample.csv"
)


@pytest.fixture(scope="module")
def design():
    return SurveyDesign(GOLDEN, weights="weight", strata="district", psu="psu")


def test_design_verbs_give_what_the_functions_give(design):
    pd.testing.assert_frame_equal(
        design.quantile("income", (0.5,)), quantile(design, "income", (0.5,))
    )
    margins = {"sex": design.frame.groupby("sex")["weight"].sum() * 1.02}
    raked = design.rake(margins)
    assert raked.mean("happiness")["estimate"].iloc[0] == pytest.approx(
        rake(design, margins).mean("happiness")["estimate"].iloc[0], rel=1e-12
    )
    assert raked.total("satisfied")["n"].iloc[0] > 0
    replicated = design.to_replicates("JKn")
    pd.testing.assert_frame_equal(
        replicated.mean("happiness"), to_replicates(design, "JKn").mean("happiness")
    )


def test_calibrated_weights_hit_the_margins(design):
    margins = {"district": design.frame.groupby("district")["weight"].sum() * 1.05}
    calibrated = design.calibrate(margins, method="raking")
    totals = calibrated.count("district")
    assert totals["estimate"].to_numpy() == pytest.approx(margins["district"].to_numpy(), rel=1e-6)
