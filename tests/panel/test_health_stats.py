"""Panel health statistics: Duncan's D, the composition test, R-indicators, attrition."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from panel.health_stats import (
    LEAVING,
    attrition_table,
    composition_test,
    dissimilarity_index,
    r_indicator,
    r_indicator_by,
)

counts = st.dictionaries(
    st.sampled_from(["11110", "11140", "11170", "11200", "11215", "11230"]),
    st.integers(0, 1_000),
    min_size=1,
).filter(lambda d: sum(d.values()) > 0)


def cells_frame(cells: list[tuple[str, list[int], list[float]]]) -> pd.DataFrame:
    """One row per unit: district, responded (0/1), design weight."""
    rows = [(c, y, w) for c, ys, ws in cells for y, w in zip(ys, ws, strict=True)]
    return pd.DataFrame(rows, columns=["district_code", "responded", "weight"])


# ---------------------------------------------------------------- Duncan's D


def test_dissimilarity_hand_computed_three_categories():
    observed = pd.Series({"a": 50, "b": 30, "c": 20})
    expected = pd.Series({"a": 400, "b": 400, "c": 200})
    # shares .5/.3/.2 vs .4/.4/.2 → ½ (.1 + .1 + 0) = .1
    assert dissimilarity_index(observed, expected) == pytest.approx(0.1)


def test_dissimilarity_counts_a_missing_category_as_zero():
    assert dissimilarity_index(pd.Series({"a": 3}), pd.Series({"b": 7})) == pytest.approx(1.0)


@given(counts, counts)
def test_dissimilarity_lies_in_unit_interval(p, q):
    d = dissimilarity_index(pd.Series(p, dtype=float), pd.Series(q, dtype=float))
    assert 0.0 <= d <= 1.0


@given(counts, st.integers(1, 50))
def test_dissimilarity_is_zero_for_equal_shares(p, factor):
    observed = pd.Series(p, dtype=float)
    assert dissimilarity_index(observed, observed * factor) == pytest.approx(0.0, abs=1e-12)


@given(counts, counts)
def test_dissimilarity_is_symmetric(p, q):
    a, b = pd.Series(p, dtype=float), pd.Series(q, dtype=float)
    assert dissimilarity_index(a, b) == pytest.approx(dissimilarity_index(b, a))


def test_dissimilarity_refuses_an_empty_distribution():
    with pytest.raises(ValueError, match="total is 0"):
        dissimilarity_index(pd.Series({"a": 0}), pd.Series({"a": 1}))


# ---------------------------------------------------------------- composition test


PANEL = pd.Series({"11110": 30, "11140": 50, "11170": 20})
POPULATION = pd.Series({"11110": 2_000, "11140": 5_000, "11170": 2_000, "11200": 1_000})


def test_chi_square_equals_hand_computed_statistic_and_scipy_p():
    result = composition_test(PANEL, POPULATION)
    observed = np.array([30, 50, 20, 0])
    expected = 100 * np.array([0.2, 0.5, 0.2, 0.1])
    by_hand = ((observed - expected) ** 2 / expected).sum()  # 5 + 0 + 0 + 10 = 15
    assert result.chi2 == pytest.approx(by_hand) == pytest.approx(15.0)
    assert result.df == 3
    assert result.p_value == pytest.approx(stats.chi2.sf(15.0, 3))
    assert result.p_value == pytest.approx(stats.chisquare(observed, expected).pvalue)


def test_composition_keeps_population_categories_without_panel_households():
    table = composition_test(PANEL, POPULATION).table.set_index("category")
    assert table.loc["11200", "panel_n"] == 0
    assert table.loc["11200", "expected_n"] == pytest.approx(10.0)
    assert table.loc["11110", "difference"] == pytest.approx(10.0)  # 30 % − 20 %


def test_composition_dissimilarity_matches_the_index():
    result = composition_test(PANEL, POPULATION)
    assert result.dissimilarity == pytest.approx(dissimilarity_index(PANEL, POPULATION))


def test_composition_refuses_an_empty_panel():
    with pytest.raises(ValueError, match="패널에 가구가 없습니다 / the panel has no households"):
        composition_test(pd.Series({"11110": 0}), POPULATION)


# ---------------------------------------------------------------- R-indicator


def test_r_indicator_single_auxiliary_equals_weighted_sd_of_cell_rates():
    frame = cells_frame(
        [
            ("A", [1, 1, 0, 1], [1, 2, 3, 4]),  # rate (1+2+4)/10 = .7
            ("B", [0, 0, 1], [2, 2, 6]),  # rate 6/10 = .6
            ("C", [1, 0], [5, 5]),  # rate 5/10 = .5
        ]
    )
    result = r_indicator(frame, "responded", ["district_code"], weight="weight")
    # ρ̄ = .6; Σ d (ρ − ρ̄)² = 10·.01 + 0 + 10·.01 = .2; Σ d − 1 = 29
    sd = math.sqrt(0.2 / 29)
    assert result.propensity_sd == pytest.approx(sd, rel=1e-6)
    assert result.r == pytest.approx(1 - 2 * sd, rel=1e-6)
    assert result.mean_propensity == pytest.approx(0.6)
    rates = frame["district_code"].map({"A": 0.7, "B": 0.6, "C": 0.5})
    np.testing.assert_allclose(result.propensities, rates, atol=1e-7)


def test_r_indicator_is_one_when_response_is_equal_in_every_cell():
    frame = cells_frame([(c, [1, 0, 0, 1], [1.0] * 4) for c in "ABC"])
    result = r_indicator(frame, "responded", ["district_code"])
    assert result.r == pytest.approx(1.0)
    assert result.mean_propensity == pytest.approx(0.5)


@pytest.mark.parametrize("value", [0, 1])
def test_r_indicator_is_one_when_all_or_none_responded(value):
    frame = cells_frame([(c, [value] * 3, [1.0, 2.0, 3.0]) for c in "AB"])
    result = r_indicator(frame, "responded", ["district_code"], weight="weight")
    assert (result.r, result.propensity_sd, result.mean_propensity) == (1.0, 0.0, value)
    assert (result.propensities == value).all()


def test_weighted_and_unweighted_r_indicators_differ_when_weights_differ():
    frame = cells_frame([("A", [1, 1, 0, 0], [1, 1, 9, 9]), ("B", [1, 0, 0, 0], [9, 9, 1, 1])])
    weighted = r_indicator(frame, "responded", ["district_code"], weight="weight")
    unweighted = r_indicator(frame, "responded", ["district_code"])
    assert weighted.r != pytest.approx(unweighted.r)
    assert unweighted.mean_propensity == pytest.approx(3 / 8)
    assert weighted.mean_propensity == pytest.approx((1 + 1 + 9) / 40)


def test_r_indicator_gives_a_separated_level_its_rate():
    frame = cells_frame([("A", [1, 1, 1], [1.0] * 3), ("B", [1, 0, 0], [1.0] * 3)])
    frame["household_type"] = [1, 2, 1, 2, 1, 2]
    result = r_indicator(frame, "responded", ["district_code", "household_type"])
    assert (result.propensities[:3] == 1.0).all()
    assert math.isfinite(result.r)


def test_r_indicator_survives_separation_by_a_combination_of_levels():
    rows = [("a1", "b1", [1, 1, 1]), ("a1", "b2", [1, 0, 0, 1])]
    rows += [("a2", "b1", [0, 1, 1, 0]), ("a2", "b2", [0, 0, 0])]
    frame = pd.DataFrame(
        [(a, b, y) for a, b, ys in rows for y in ys], columns=["a", "b", "responded"]
    )
    result = r_indicator(frame, "responded", ["a", "b"])
    assert np.isfinite(result.propensities).all() and 0.0 <= result.r <= 1.0
    assert result.model_terms == ("const", "a[T.a2]", "b[T.b2]")


cell = st.tuples(
    st.lists(st.floats(1, 10), min_size=1, max_size=4),  # respondents' weights
    st.lists(st.floats(1, 10), min_size=1, max_size=4),  # nonrespondents' weights
)


@settings(max_examples=40, deadline=None)
@given(st.lists(cell, min_size=1, max_size=5), st.booleans())
def test_r_indicator_lies_in_unit_interval(cells, weighted):
    frame = cells_frame(
        [(f"c{i}", [1] * len(r) + [0] * len(n), r + n) for i, (r, n) in enumerate(cells)]
    )
    result = r_indicator(frame, "responded", ["district_code"], "weight" if weighted else None)
    assert 0.0 <= result.r <= 1.0 + 1e-12


def test_r_indicator_by_gives_one_row_per_wave():
    wave1 = cells_frame([("A", [1, 1], [1.0, 1.0]), ("B", [0, 1], [1.0, 1.0])]).assign(wave=1)
    wave2 = cells_frame([("A", [1, 0], [1.0, 1.0]), ("B", [1, 0], [1.0, 1.0])]).assign(wave=2)
    table = r_indicator_by(pd.concat([wave1, wave2]), "responded", ["district_code"], "wave")
    assert list(table.columns) == ["wave", "r", "propensity_sd", "mean_propensity", "n"]
    assert table["wave"].tolist() == [1, 2] and table["n"].tolist() == [4, 4]
    assert table["mean_propensity"].tolist() == pytest.approx([0.75, 0.5])
    assert table["r"].iloc[1] == pytest.approx(1.0) and table["r"].iloc[0] < 1.0


# ---------------------------------------------------------------- attrition


HISTORY = pd.DataFrame(
    {
        "household_id": [1, 2, 3, 3, 4, 5, 6, 7],
        "status": [
            "dropped",
            "refused",
            "active",
            "moved_out",
            "invited",
            "dropped",
            "deceased",
            "dropped",
        ],  # fmt: skip
        "wave": [1, 1, 1, 2, 2, 2, 2, 2],
        "district_code": ["11110", "11110", "11140", "11140", "11110", "11110", "11140", "11140"],
        "household_type": [1, 2, 1, 1, 2, 1, 2, 1],
    }
)


def test_attrition_table_counts_leavers_per_group_and_status():
    table = attrition_table(HISTORY, ["wave", "district_code"]).set_index(["wave", "district_code"])
    assert list(table.columns) == [*LEAVING, "total"]
    assert (table.dtypes == np.int64).all()
    assert table.loc[(1, "11110"), ["dropped", "refused", "total"]].tolist() == [1, 1, 2]
    wave2 = table.loc[(2, "11140")]
    assert wave2[["moved_out", "deceased", "dropped", "total"]].tolist() == [1, 1, 1, 3]
    assert table.loc[(2, "11110"), "total"] == 1  # household 4 ('invited') did not leave
    assert (1, "11140") not in table.index  # household 3 was still active in wave 1


def test_attrition_table_without_groups_sums_everything():
    table = attrition_table(HISTORY, [])
    assert table.loc[0, "total"] == 6 and table.loc[0, "dropped"] == 3
