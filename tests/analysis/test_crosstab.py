"""Weighted two-way tables and Rao–Scott tests against R ``survey`` goldens.

The goldens (``tests/golden/crosstab_goldens.csv``) come from
``tests/golden/golden_crosstab.R``; a ``case`` is ``dataset:statistic:row+col`` with
statistic ``total`` / ``cell`` / ``row`` / ``col`` (one golden row per cell: estimate, se)
or ``F`` / ``Chisq`` (``svychisq``; ``col_level`` names the quantity).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import SurveyDesign
from analysis.estimation.crosstab import _cells, _covariance, crosstab, rao_scott
from tests.analysis.golden_designs import GOLDEN, design

RTOL = 1e-8
P_RTOL, P_ATOL = 1e-6, 1e-10
COLUMN = {"total": "total", "cell": "cell_pct", "row": "row_pct", "col": "col_pct"}


@cache
def goldens() -> pd.DataFrame:
    table = pd.read_csv(GOLDEN / "crosstab_goldens.csv", dtype={"row_level": str, "col_level": str})
    return table.fillna({"row_level": "", "col_level": ""})


@cache
def computed(dataset: str, row: str, col: str):  # noqa: ANN201 - a cached Crosstab
    return crosstab(design(dataset), row, col)


def _cases() -> list[str]:
    return list(goldens()["case"].unique())


@pytest.mark.parametrize("case", _cases())
def test_matches_r(case: str) -> None:
    expected = goldens()[goldens()["case"] == case]
    dataset, statistic, pair = case.split(":")
    row, col = pair.split("+")
    result = computed(dataset, row, col)
    if statistic in ("F", "Chisq"):
        test = result.f_test if statistic == "F" else result.chisq_test
        for quantity, value in zip(expected["col_level"], expected["estimate"], strict=True):
            rtol, atol = (P_RTOL, P_ATOL) if quantity == "p_value" else (RTOL, 0.0)
            np.testing.assert_allclose(test[quantity], value, rtol=rtol, atol=atol, err_msg=case)
        standalone = rao_scott(design(dataset), row, col, statistic=statistic)
        assert standalone == test
        return
    table = result.table.assign(
        row_level=result.table[row].astype(str), col_level=result.table[col].astype(str)
    ).set_index(["row_level", "col_level"])
    keys = list(zip(expected["row_level"], expected["col_level"], strict=True))
    assert sorted(table.index) == sorted(keys)
    table = table.loc[keys]
    name = COLUMN[statistic]
    for mine, theirs in [(name, "estimate"), (f"se_{name}", "se")]:
        np.testing.assert_allclose(
            table[mine].to_numpy(dtype=float),
            expected[theirs].to_numpy(dtype=float),
            rtol=RTOL,
            atol=1e-13,
            err_msg=f"{case} {mine}",
        )


@pytest.mark.parametrize(
    "dataset, row, col",
    [
        ("seoul", "age_group", "trust"),
        ("seoul", "trust", "satisfied"),
        ("apistrat", "stype", "api99_band"),
    ],
)
def test_proportions_sum_to_one(dataset: str, row: str, col: str) -> None:
    table = computed(dataset, row, col).table
    np.testing.assert_allclose(table.groupby(row)["row_pct"].sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(table.groupby(col)["col_pct"].sum(), 1.0, rtol=1e-12)
    assert table["cell_pct"].sum() == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(table["cell_pct"], table["total"] / table["total"].sum(), rtol=1e-12)


def test_missing_values_are_excluded() -> None:
    d = design("seoul")
    result = computed("seoul", "trust", "satisfied")
    complete = d.frame["trust"].notna() & d.frame["satisfied"].notna()
    assert result.n_complete == int(complete.sum())
    assert result.n_excluded == int((~complete).sum())
    assert result.table["n"].sum() == result.n_complete
    assert result.table["total"].sum() == pytest.approx(d.frame.loc[complete, "weight"].sum())
    assert list(result.row_levels) == [1, 2, 3, 4, 5]


def test_wide() -> None:
    result = computed("apistrat", "stype", "api99_band")
    wide = result.wide("row_pct")
    assert list(wide.index) == list(result.row_levels)
    assert list(wide.columns) == list(result.col_levels)
    np.testing.assert_allclose(wide.sum(axis=1), 1.0, rtol=1e-12)
    assert (
        wide.loc["E", 1] == result.table.query("stype == 'E' and api99_band == 1")["row_pct"].item()
    )
    with pytest.raises(ValueError, match="kind"):
        result.wide("percent")


def test_no_test_and_bad_arguments() -> None:
    d = design("apistrat")
    assert crosstab(d, "stype", "sch_wide", test=False).f_test is None
    with pytest.raises(ValueError, match="different"):
        crosstab(d, "stype", "stype")
    with pytest.raises(KeyError):
        crosstab(d, "stype", "nope")
    with pytest.raises(ValueError, match="statistic"):
        rao_scott(d, "stype", "sch_wide", statistic="Wald")  # type: ignore[arg-type]


@pytest.mark.parametrize("lonely", ["adjust", "average", "remove"])
def test_covariance_diagonal_is_domain_variance(lonely: str) -> None:
    frame = design("seoul").frame.copy()
    frame.loc[frame["district"] == frame["district"].iloc[0], "psu"] = frame["psu"].iloc[0]
    d = SurveyDesign(frame, weights="weight", strata="district", psu="psu", lonely_psu=lonely)
    cells = _cells(d, "age_group", "trust")
    z = cells.w[:, None] * (cells.cell[:, None] == np.arange(35)[None, :])
    cov = _covariance(d, z, cells.rows)
    variance, _ = d.domain_variance(z, np.zeros(cells.rows.size, dtype=np.int64), 1, cells.rows)
    np.testing.assert_allclose(np.diag(cov), variance[0], rtol=1e-10)
    np.testing.assert_allclose(cov, cov.T, rtol=1e-12)


@st.composite
def samples(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(8, 60))
    level = st.one_of(st.none(), st.integers(1, 3))
    a = draw(st.lists(level, min_size=n, max_size=n))
    b = draw(st.lists(st.one_of(st.none(), st.sampled_from(["x", "y"])), min_size=n, max_size=n))
    a[:3], b[:3] = [1, 2, 1], ["x", "y", "y"]  # both variables have two levels, complete
    weights = draw(st.lists(st.floats(0.1, 1000.0), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            "stratum": np.arange(n) % 2,
            "psu": np.arange(n) % 4,  # two PSUs in each stratum
            "w": weights,
            "a": pd.array(a, dtype="Int64"),
            "b": b,
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(samples())
def test_grand_total_is_weight_of_complete_rows(frame: pd.DataFrame) -> None:
    d = SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
    result = crosstab(d, "a", "b", test=False)
    complete = frame["a"].notna() & frame["b"].notna()
    assert result.table["total"].sum() == pytest.approx(frame.loc[complete, "w"].sum(), rel=1e-12)
    assert result.table["n"].sum() == int(complete.sum())
    assert (result.table["se_total"] >= 0).all()
