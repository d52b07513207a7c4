"""Sampling: allocation with a floor, PPS selection, recorded inclusion probabilities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.fieldwork.sampling import (
    TwoStageDesign,
    allocate,
    area_allocation,
    draw_two_stage,
    frame_inclusion_probabilities,
    pps_probabilities,
    pps_systematic,
)


def make_frame(seed: int = 0, strata: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    hid = 0
    for h in range(strata):
        for a in range(rng.integers(8, 20)):
            size = int(rng.integers(6, 60))
            for _ in range(size):
                hid += 1
                rows.append((hid, f"1{h:04d}", f"1{h:04d}-{a:04d}"))
    return pd.DataFrame(rows, columns=["household_id", "district_code", "ea_id"])


def test_floor_gives_small_strata_enough_and_the_total_is_kept():
    sizes = pd.Series({"big": 10_000, "mid": 3_000, "small": 100})
    n = allocate(sizes, 300, floor=40)
    assert n.sum() == 300 and n["small"] == 40
    assert n["big"] / n["mid"] == pytest.approx(10_000 / 3_000, rel=0.02)


def test_square_root_allocation_favours_small_strata():
    sizes = pd.Series({"a": 10_000, "b": 100})
    n = allocate(sizes, 110, method="sqrt")
    assert n.tolist() == [100, 10]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(1, 5_000), min_size=2, max_size=25),
    st.integers(0, 5),
    st.sampled_from(["proportional", "proportional_floor", "sqrt"]),
)
def test_allocation_always_sums_to_n_within_capacity(sizes, floor, method):
    sizes = pd.Series(sizes, index=[f"s{i}" for i in range(len(sizes))])
    n = min(int(sizes.sum()), max(floor * len(sizes), int(sizes.sum() * 0.1)))
    result = allocate(sizes, n, method=method, floor=floor)
    assert result.sum() == n
    assert (result <= sizes).all() and (result >= 0).all()
    if method != "proportional":
        assert (result >= np.minimum(floor, sizes)).all()


def test_pps_probabilities_cap_large_units_at_certainty():
    pi = pps_probabilities(np.array([1000, 10, 10, 10, 10]), 3)
    assert pi[0] == 1.0
    assert pi.sum() == pytest.approx(3)
    assert np.allclose(pi[1:], 0.5)


def test_systematic_pps_selects_each_unit_with_its_probability():
    sizes = np.array([5, 10, 20, 40, 80, 15, 30])
    rng = np.random.default_rng(7)
    draws = 6000
    counts = np.zeros(len(sizes))
    for _ in range(draws):
        chosen, pi = pps_systematic(sizes, 3, rng)
        assert len(set(chosen)) == 3
        counts[chosen] += 1
    se = np.sqrt(pi * (1 - pi) / draws)
    assert np.all(np.abs(counts / draws - pi) < 4 * se + 1e-9)


def test_inclusion_probabilities_sum_to_the_sample_size_per_stratum():
    frame = make_frame()
    design = TwoStageDesign(n_households=200, per_area=5, floor=20, seed=11)
    pi = frame_inclusion_probabilities(frame, design)
    sums = pi.groupby(frame["district_code"]).sum()
    expected = area_allocation(frame, design, np.random.default_rng(11))["n_households"]
    assert np.allclose(sums.sort_index(), expected.sort_index())


def test_drawn_sample_records_the_probabilities_of_the_design():
    frame = make_frame(1)
    design = TwoStageDesign(n_households=150, per_area=5, floor=15, seed=3)
    sample = draw_two_stage(frame, design)
    assert len(sample) == 150 and sample["household_id"].is_unique
    pi = frame_inclusion_probabilities(frame, design).set_axis(frame["household_id"])
    assert np.allclose(sample["pi"], pi.loc[sample["household_id"]].to_numpy())
    assert np.allclose(sample["design_weight"], 1 / sample["pi"])
    strata = frame.set_index("household_id").loc[sample["household_id"], "district_code"]
    assert (strata.to_numpy() == sample["stratum"].to_numpy()).all()


def test_the_same_seed_draws_the_same_sample():
    frame = make_frame(2)
    design = TwoStageDesign(n_households=100, per_area=5, seed=5)
    pd.testing.assert_frame_equal(draw_two_stage(frame, design), draw_two_stage(frame, design))
    other = draw_two_stage(frame, TwoStageDesign(n_households=100, per_area=5, seed=6))
    assert set(other["household_id"]) != set(draw_two_stage(frame, design)["household_id"])
