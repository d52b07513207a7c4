"""Survey quantiles and Woodruff intervals against R ``svyquantile`` goldens.

``tests/golden/quantile_goldens.csv`` comes from ``tests/golden/make_golden_replicates.R``:
one row per ``case`` (``dataset:variable[:by]``) × ``ci`` (``t``: R's default
``df = degf``; ``normal``: ``df = Inf``) × domain × probability.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from analysis import SurveyDesign
from analysis.estimation.quantiles import quantile
from tests.analysis.golden_designs import GOLDEN, design

RTOL = 1e-8
PROBS = (0.25, 0.5, 0.9)


@cache
def goldens() -> pd.DataFrame:
    table = pd.read_csv(GOLDEN / "quantile_goldens.csv", dtype={"domain": str})
    return table.fillna({"domain": ""})


def _groups() -> list[tuple[str, str]]:
    return sorted(goldens()[["case", "ci"]].drop_duplicates().itertuples(index=False, name=None))


@pytest.mark.parametrize(("case", "ci"), _groups())
def test_matches_r(case: str, ci: str) -> None:
    expected = goldens()[(goldens()["case"] == case) & (goldens()["ci"] == ci)]
    dataset, variable, *by = case.split(":")
    result = quantile(design(dataset), variable, PROBS, by or None, ci=ci)  # type: ignore[arg-type]
    result["domain"] = result[by].astype(str).agg("|".join, axis=1) if by else ""
    merged = expected.merge(result, on=["domain", "level"], suffixes=("_r", ""))
    assert len(merged) == len(expected) == len(result)
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(
            merged[column], merged[f"{column}_r"], rtol=RTOL, atol=1e-13, err_msg=column
        )
    assert result["deff"].isna().all()
    np.testing.assert_allclose(result["cv"], result["se"] / result["estimate"])


TOY = pd.DataFrame(
    {
        "x": [4.0, 1.0, 3.0, 2.0, np.nan, 5.0],
        "w": [1.0, 1.0, 1.0, 1.0, 1.0, 0.0],
        "g": ["a", "a", "a", "a", "b", "b"],
    }
)


def test_exact_tie_takes_the_lower_value_and_zero_weights_are_dropped() -> None:
    d = SurveyDesign(TOY, weights="w")
    out = quantile(d, "x", (0.5, 0.6, 0.0))
    # cumulative shares 0.25, 0.5, 0.75, 1: p = 0.5 hits 2 exactly; 0.6 gives the next value;
    # p = 0 has no share <= 0, so R's rule takes the second value.
    assert out["estimate"].tolist() == [2.0, 3.0, 2.0]
    assert out["n"].tolist() == [5, 5, 5]  # the zero-weight 5.0 is a respondent, not used
    assert out["n_missing"].tolist() == [1, 1, 1]


def test_domains_and_empty_domain() -> None:
    d = SurveyDesign(TOY, weights="w")
    out = quantile(d, "x", (0.5,), by="g")
    assert out["g"].tolist() == ["a", "b"]
    assert out["estimate"].iloc[0] == 2.0
    assert np.isnan(out["estimate"].iloc[1])
    assert list(out.columns) == ["g", "level", "estimate", "se", "ci_low", "ci_high", "cv"] + [
        "deff",
        "n",
        "n_missing",
    ]


def test_domain_estimates_equal_overall_estimates_on_the_subset() -> None:
    d = design("seoul")
    by_sex = quantile(d, "income", PROBS, by="sex")
    for sex, part in by_sex.groupby("sex"):
        frame = d.frame[d.frame["sex"] == sex]
        sub = SurveyDesign(frame, weights="weight", strata="district", psu="psu")
        np.testing.assert_array_equal(
            part["estimate"].to_numpy(), quantile(sub, "income", PROBS)["estimate"].to_numpy()
        )


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"ci": "logit"}, ValueError),
        ({"level": 1.5}, ValueError),
        ({"probs": (1.2,)}, ValueError),
        ({"probs": ()}, ValueError),
    ],
)
def test_rejects_bad_arguments(kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        quantile(SurveyDesign(TOY, weights="w"), "x", **kwargs)


def test_rejects_missing_and_non_numeric_variables() -> None:
    d = SurveyDesign(TOY, weights="w")
    with pytest.raises(KeyError, match="'y'"):
        quantile(d, "y")
    with pytest.raises(TypeError, match="must be numeric"):
        quantile(d, "g")
