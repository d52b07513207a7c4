"""``analysis.estimation.regression.svyglm`` against R ``survey::svyglm`` goldens, and its behaviour.

The goldens (``tests/golden/regression_goldens.csv``) come from
``tests/golden/golden_regression.R``: one row per (case, term) with R's coefficient,
SE, t, p-value, Wald interval and residual df. Estimates, SEs, t and intervals must
agree to 1e-8 relative, p-values to 1e-6.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis import SurveyDesign
from analysis.estimation.regression import Regression, parse_formula, svyglm, term_parts
from tests.analysis.golden_designs import GOLDEN, design

RTOL = 1e-8
P_RTOL = 1e-6


@cache
def goldens() -> pd.DataFrame:
    table = pd.read_csv(GOLDEN / "regression_goldens.csv", keep_default_na=False, na_values=[])
    return table


def _domain(d: SurveyDesign, subset: str) -> np.ndarray | None:
    """R's subset expression (``sex == 2``, ``awards == "Yes"``) as a boolean mask."""
    return d.frame.eval(subset).to_numpy() if subset else None


@cache
def _fit(case: str) -> tuple[Regression, pd.DataFrame]:
    expected = goldens()[goldens()["case"] == case]
    first = expected.iloc[0]
    d = design(first["dataset"])
    result = svyglm(d, first["formula"], first["family"], domain=_domain(d, first["subset"]))
    return result, expected.reset_index(drop=True)


CASES = sorted(goldens()["case"].unique())


def test_goldens_cover_the_required_models() -> None:
    table = goldens()
    assert {"seoul", "apistrat", "apiclus1", "apiclus2"} <= set(table["dataset"])
    assert {"gaussian", "quasibinomial"} == set(table["family"])
    assert (table["subset"] != "").any()


@pytest.mark.parametrize("case", CASES)
def test_matches_r_svyglm(case: str) -> None:
    result, expected = _fit(case)
    got = result.coefficients
    assert got["term"].tolist() == expected["term"].tolist()
    assert result.n == expected["n"].iloc[0]
    assert (got["df"] == expected["df"]).all() and result.df == expected["df"].iloc[0]
    for ours, theirs in [
        ("estimate", "estimate"),
        ("se", "se"),
        ("t", "t"),
        ("ci_low", "ci_low"),
        ("ci_high", "ci_high"),
    ]:
        np.testing.assert_allclose(
            got[ours], expected[theirs].astype(float), rtol=RTOL, atol=0, err_msg=f"{case} {ours}"
        )
    np.testing.assert_allclose(
        got["p_value"], expected["p"].astype(float), rtol=P_RTOL, atol=1e-300, err_msg=case
    )


# ---- behaviour ---------------------------------------------------------------------------
def _simple(n: int = 200, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    g = rng.choice(["a", "b", "c"], size=n)
    y = 1 + 2 * x + (g == "b") * 0.5 - (g == "c") * 1.0 + rng.normal(size=n)
    return pd.DataFrame({"y": y, "x": x, "g": g, "w": 3.0, "id": np.arange(n)})


def test_equal_weights_one_psu_per_unit_is_ordinary_least_squares() -> None:
    frame = _simple()
    result = svyglm(SurveyDesign(frame, weights="w", psu="id"), "y ~ x + C(g)")
    x = np.column_stack([np.ones(len(frame)), frame.x, frame.g == "b", frame.g == "c"]).astype(
        float
    )
    beta, *_ = np.linalg.lstsq(x, frame.y.to_numpy(), rcond=None)
    np.testing.assert_allclose(result.coefficients.estimate, beta, rtol=1e-10)
    assert result.coefficients.term.tolist() == ["(Intercept)", "x", "C(g)b", "C(g)c"]
    # The SE is the sandwich (HC0) scaled by n/(n-1), the with-replacement PSU variance.
    n = len(frame)
    e = frame.y.to_numpy() - x @ beta
    bread = np.linalg.inv(x.T @ x)
    hc0 = bread @ (x.T * e**2) @ x @ bread
    np.testing.assert_allclose(result.coefficients.se, np.sqrt(np.diag(hc0) * n / (n - 1)))
    assert result.df == n - 1 - 4 + 1 and result.n == n


def test_quasibinomial_equal_weights_is_logistic_regression() -> None:
    frame = _simple()
    frame["s"] = (frame.y > 1).astype(int)
    result = svyglm(SurveyDesign(frame, weights="w", psu="id"), "s ~ x", "quasibinomial")
    ref = sm.GLM(frame.s, sm.add_constant(frame.x), family=sm.families.Binomial()).fit(tol=1e-12)
    np.testing.assert_allclose(result.coefficients.estimate, ref.params, rtol=1e-6)


def test_factor_and_c_are_the_same_with_r_names() -> None:
    d = design("seoul")
    a = svyglm(d, "happiness ~ income + C(sex)").coefficients
    b = svyglm(d, "happiness ~ income + factor(sex)").coefficients
    np.testing.assert_array_equal(a.estimate, b.estimate)
    assert b.term.tolist() == ["(Intercept)", "income", "factor(sex)2"]


def test_unknown_family_raises_in_korean_and_english() -> None:
    with pytest.raises(ValueError, match=r"지원하지 않는 family.*unknown family 'poisson'"):
        svyglm(design("apistrat"), "api00 ~ api99", "poisson")  # type: ignore[arg-type]


def test_an_aliased_term_is_na_with_a_warning_naming_it() -> None:
    frame = _simple().assign(x2=lambda f: 2 * f.x)
    with pytest.warns(UserWarning, match=r"not estimable.*x2"):
        fit = svyglm(SurveyDesign(frame, weights="w", psu="id"), "y ~ x + x2")
    row = fit.coefficients.set_index("term").loc["x2"]
    assert np.isnan(row["estimate"]) and np.isnan(row["se"]) and fit.aliased == ("x2",)


def test_perfect_separation_is_a_clear_error() -> None:
    frame = _simple()
    frame["s"] = (frame.x > 0).astype(int)
    with pytest.raises(ValueError, match=r"완전 분리.*separate the outcome perfectly"):
        svyglm(SurveyDesign(frame, weights="w", psu="id"), "s ~ x", "quasibinomial")


def test_domain_keeps_psus_and_differs_from_a_subset_frame() -> None:
    d = design("apiclus1")
    mask = (d.frame.stype == "E").to_numpy()
    domain = svyglm(d, "api00 ~ api99", domain=mask)
    sub = SurveyDesign(d.frame[mask], weights="pw", psu="dnum", fpc="fpc")
    alone = svyglm(sub, "api00 ~ api99")
    np.testing.assert_allclose(domain.coefficients.estimate, alone.coefficients.estimate)
    assert domain.n == int(mask.sum())


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("api00 api99", "response ~ terms"),
        ("api00 ~ log(api99)", "unsupported term"),
        ("api00 ~ api99:enroll", "needs its margin"),
        ("api00 ~ api99 - enroll", "only '- 1'"),
    ],
)
def test_formula_errors(formula: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        svyglm(design("apistrat"), formula)


def test_missing_column_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="nosuch"):
        svyglm(design("apistrat"), "api00 ~ nosuch")


def test_no_intercept_codes_the_first_factor_fully() -> None:
    spec = parse_formula("y ~ 0 + C(g) + x", _simple())
    assert not spec.intercept
    result = svyglm(SurveyDesign(_simple(), weights="w", psu="id"), "y ~ C(g) + x - 1")
    assert result.coefficients.term.tolist() == ["C(g)a", "C(g)b", "C(g)c", "x"]


@pytest.mark.parametrize(
    ("term", "parts"),
    [
        ("(Intercept)", ()),
        ("income", (("income", None),)),
        ("C(sex)2", (("sex", "2"),)),
        ("factor(sex)2", (("sex", "2"),)),
        ("C(sex)[T.2]", (("sex", "2"),)),  # patsy's spelling
        ("C(district_code)11110", (("district_code", "11110"),)),
        ("income:C(sex)2", (("income", None), ("sex", "2"))),
    ],
)
def test_a_coefficient_name_reads_as_variable_and_level(term: str, parts: tuple) -> None:
    assert term_parts(term) == parts


def test_each_categorical_predictor_names_its_reference_level() -> None:
    d = design("seoul")
    assert svyglm(d, "happiness ~ income + C(sex)").reference_levels == {"sex": "1"}
    full = svyglm(SurveyDesign(_simple(), weights="w", psu="id"), "y ~ C(g) + x - 1")
    assert full.reference_levels == {}  # coded in full: no level left out
