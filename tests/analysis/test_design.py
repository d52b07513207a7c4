"""The design object: validation messages, lonely PSUs, and the vectorized variance.

The golden tests pin the numbers to R; these pin the behaviour around them —
clear errors naming the problem, R's ``survey.lonely.psu`` choices, domain
totals that add up, and the grouped-sum variance equal to a plain per-domain
loop written the way R's ``onestrat`` reads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import SurveyDesign

# Three strata; stratum 3 has a single PSU (ids 6). Numbers from R survey 4.1-1:
# svydesign(id=~psu, strata=~st, weights=~w) with options(survey.lonely.psu=...).
LONELY = pd.DataFrame(
    {
        "st": [1, 1, 1, 1, 2, 2, 2, 3, 3],
        "psu": [1, 1, 2, 3, 4, 5, 5, 6, 6],
        "w": [10, 12, 9, 11, 20, 18, 22, 30, 25],
        "y": [3, 5, 2, 8, 1, 4, 6, 7, 9],
    }
)
R_LONELY = {  # option: (mean, se of mean, total, se of total)
    "remove": (5.4458598726114644, 0.60631822135203928, 855, 197.23082923316019),
    "certainty": (5.4458598726114644, 0.60631822135203928, 855, 197.23082923316019),
    "adjust": (5.4458598726114644, 1.0546301031409595, 855, 477.62432936356998),
    "average": (5.4458598726114644, 0.74258513203218035, 855, 241.55744658362326),
}


def test_lonely_psu_fails_by_default_naming_the_stratum() -> None:
    with pytest.raises(ValueError, match=r"Stratum 3 has only one PSU"):
        SurveyDesign(LONELY, weights="w", strata="st", psu="psu")


@pytest.mark.parametrize("option", sorted(R_LONELY))
def test_lonely_psu_options_match_r(option: str) -> None:
    design = SurveyDesign(LONELY, weights="w", strata="st", psu="psu", lonely_psu=option)
    mean, total = design.mean("y"), design.total("y")
    got = (mean.estimate[0], mean.se[0], total.estimate[0], total.se[0])
    np.testing.assert_allclose(got, R_LONELY[option], rtol=1e-12)


def test_certainty_stratum_with_fpc_is_not_lonely() -> None:
    frame = LONELY.assign(fpc=np.where(LONELY.st == 3, 1, 100))
    design = SurveyDesign(frame, weights="w", strata="st", psu="psu", fpc="fpc")
    assert design.mean("y").se[0] > 0


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        ({"w": [-1.0] + [1.0] * 8}, {}, r"weights column 'w' has 1 negative values"),
        ({"w": [np.nan] + [1.0] * 8}, {}, r"weights column 'w' has 1 missing values"),
        ({"st": [np.nan] + [1.0] * 8}, {}, r"strata column 'st' has 1 missing values"),
        ({"psu": [np.nan] + [1.0] * 8}, {}, r"psu column 'psu' has 1 missing values"),
        ({"psu": [1, 1, 2, 3, 4, 5, 1, 6, 6]}, {}, r"PSU 1 appears in more than one stratum"),
        ({}, {"lonely_psu": "drop"}, r"lonely_psu must be one of"),
        (
            {"f": [100] * 4 + [50] * 3 + [7, 8]},
            {"fpc": "f"},
            r"fpc column 'f' varies within stratum 3",
        ),
        (
            {"f": [2] * 4 + [50] * 5},
            {"fpc": "f"},
            r"fewer population PSUs than sampled PSUs in stratum 1",
        ),
    ],
)
def test_bad_designs_are_refused_naming_the_problem(change, kwargs, message) -> None:
    frame = LONELY.assign(**change)
    options = {"lonely_psu": "remove", **kwargs}
    with pytest.raises(ValueError, match=message):
        SurveyDesign(frame, weights="w", strata="st", psu="psu", **options)


def test_unknown_columns_and_methods_are_named() -> None:
    design = SurveyDesign(LONELY, weights="w", strata="st", psu="psu", lonely_psu="remove")
    with pytest.raises(KeyError, match="weights column 'weight'"):
        SurveyDesign(LONELY, weights="weight")
    with pytest.raises(KeyError, match="variable 'z'"):
        design.mean("z")
    with pytest.raises(KeyError, match=r"by column\(s\) \['region'\]"):
        design.mean("y", by="region")
    with pytest.raises(ValueError, match="only defined for proportions"):
        design.mean("y", ci="logit")
    with pytest.raises(ValueError, match="ci must be one of"):
        design.mean("y", ci="wilson")
    with pytest.raises(TypeError, match="variable 'name' must be numeric"):
        SurveyDesign(LONELY.assign(name="a"), weights="w").mean("name")
    with pytest.raises(ValueError, match="not a 0/1 item"):
        design.proportion("y", categorical=False)


def test_missing_values_are_counted_and_left_out() -> None:
    frame = LONELY.assign(y=[3, 5, np.nan, 8, 1, 4, np.nan, 7, 9], g=[1, 1, 1, 2, 2, 2, 2, 1, 1])
    design = SurveyDesign(frame, weights="w", strata="st", psu="psu", lonely_psu="remove")
    table = design.mean("y", by="g")
    assert list(table.columns) == [
        "g",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "cv",
        "deff",
        "n",
        "n_missing",
    ]
    assert table.n.tolist() == [4, 3] and table.n_missing.tolist() == [1, 1]
    answered = frame.dropna()
    expected = [np.average(part.y, weights=part.w) for _, part in answered.groupby("g")]
    np.testing.assert_allclose(table.estimate, expected)


# ---- vectorized variance against a plain loop over domains ---------------------------------
def _loop_variance(frame: pd.DataFrame, z: np.ndarray, in_domain: np.ndarray) -> float:
    """R's onestrat for one domain: PSU totals of z (zero outside), centred within strata."""
    total = 0.0
    for _, stratum in frame.assign(z=np.where(in_domain, z, 0.0)).groupby("st"):
        psu_totals = stratum.groupby("psu")["z"].sum().to_numpy()
        n_h = psu_totals.size
        total += n_h / (n_h - 1) * ((psu_totals - psu_totals.mean()) ** 2).sum()
    return total


designs = st.integers(min_value=0, max_value=10_000).map(np.random.default_rng)


def _random_frame(rng: np.random.Generator) -> pd.DataFrame:
    n_strata = int(rng.integers(1, 5))
    psus = rng.integers(2, 6, size=n_strata)
    psu_stratum = np.repeat(np.arange(n_strata), psus)
    sizes = rng.integers(1, 6, size=psu_stratum.size)
    n = int(sizes.sum())
    return pd.DataFrame(
        {
            "st": np.repeat(psu_stratum, sizes),
            "psu": np.repeat(np.arange(psu_stratum.size), sizes),
            "w": rng.uniform(0.5, 20.0, n),
            "y": rng.normal(10.0, 3.0, n),
            "g": rng.integers(0, 4, n),
            "h": rng.integers(0, 2, n),
        }
    )


@settings(max_examples=60, deadline=None)
@given(designs)
def test_domain_totals_add_up_to_the_total(rng: np.random.Generator) -> None:
    frame = _random_frame(rng)
    design = SurveyDesign(frame, weights="w", strata="st", psu="psu")
    whole = design.total("y")
    parts = design.total("y", by=["g", "h"])
    assert np.isclose(parts.estimate.sum(), whole.estimate[0], rtol=1e-12)
    assert parts.n.sum() == whole.n[0]
    counts = design.count("g")
    assert np.isclose(counts.estimate.sum(), frame.w.sum(), rtol=1e-12)
    shares = design.proportion("g", by="h", categorical=True)  # g may happen to hold only 0/1
    assert np.allclose(shares.groupby("h").estimate.sum(), 1.0)


@settings(max_examples=60, deadline=None)
@given(designs)
def test_grouped_variance_equals_a_loop_over_domains(rng: np.random.Generator) -> None:
    frame = _random_frame(rng)
    design = SurveyDesign(frame, weights="w", strata="st", psu="psu")
    table = design.total("y", by="g")
    for row in table.itertuples():
        in_domain = (frame.g == row.g).to_numpy()
        expected = _loop_variance(frame, (frame.w * frame.y).to_numpy(), in_domain)
        assert np.isclose(row.se**2, expected, rtol=1e-10, atol=1e-12)
    means = design.mean("y", by="g")
    for row in means.itertuples():
        in_domain = (frame.g == row.g).to_numpy()
        w = frame.w.to_numpy() * in_domain
        z = w * (frame.y.to_numpy() - row.estimate) / w.sum()
        assert np.isclose(row.se**2, _loop_variance(frame, z, in_domain), rtol=1e-10, atol=1e-14)
