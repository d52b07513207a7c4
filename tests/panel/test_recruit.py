"""Recruitment: sizes, disjointness, probabilities, strata, repeatability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from panel.recruit import recruit


def make_frame(n: int = 20_000, districts: int = 5, seed: int = 0) -> pd.DataFrame:
    """A frame in vectors: uneven districts, household types 1–5, head age bands 1–6."""
    rng = np.random.default_rng(seed)
    weights = np.arange(1, districts + 1, dtype=float)
    codes = np.array([f"11{100 + 10 * i}" for i in range(districts)])
    return pd.DataFrame(
        {
            "household_id": np.arange(1, n + 1, dtype=np.int64),
            "district_code": codes[rng.choice(districts, n, p=weights / weights.sum())],
            "household_type": rng.integers(1, 6, n).astype(np.int16),
            "head_age_band": rng.integers(1, 7, n).astype(np.int16),
        }
    )


FRAME = make_frame()


@pytest.mark.parametrize("method", ["proportional", "proportional_floor", "sqrt"])
def test_sizes_roles_and_probabilities(method):
    r = recruit(FRAME, target=1_000, reserve=2_000, allocation=method, floor=100, seed=3)
    assert len(r.panel) == 1_000 and len(r.reserve) == 2_000
    both = pd.concat([r.panel, r.reserve])
    assert both["household_id"].is_unique
    assert set(r.panel["role"]) == {"panel"} and set(r.reserve["role"]) == {"reserve"}
    table = r.allocation
    assert (table["n"] == table["n_panel"] + table["n_reserve"]).all()
    # probabilities sum to the sample sizes over the frame
    sizes = FRAME.groupby("district_code").size()
    assert np.isclose((table["pi_panel"] * sizes).sum(), 1_000)
    assert np.allclose(both.groupby("district_code")["pi"].first() * sizes, table["n"])
    assert np.allclose(r.panel["pi_panel"], r.panel["pi"] * (
        r.panel["district_code"].map(table["n_panel"] / table["n"])
    ))  # fmt: skip
    if method == "proportional_floor":
        assert (table["n_panel"] >= 100).all()


def test_disjoint_from_cross_sections():
    excluded = FRAME["household_id"].sample(5_000, random_state=1).to_numpy()
    r = recruit(FRAME, target=1_000, reserve=2_000, exclude_ids=excluded, seed=1)
    drawn = pd.concat([r.panel, r.reserve])["household_id"]
    assert not drawn.isin(excluded).any()
    remaining = FRAME[~FRAME["household_id"].isin(excluded)].groupby("district_code").size()
    assert (r.allocation["N_h"] == remaining).all()


def test_implicit_strata_spread_like_the_frame():
    r = recruit(FRAME, target=2_000, reserve=4_000, allocation="proportional", floor=0, seed=2)
    drawn = pd.concat([r.panel, r.reserve])
    share = drawn["household_type"].value_counts(normalize=True).sort_index()
    expected = FRAME["household_type"].value_counts(normalize=True).sort_index()
    assert (share - expected).abs().max() < 0.01  # systematic sampling on the sorted list
    # panel and reserve come from the same strata
    assert set(r.panel["district_code"]) == set(r.reserve["district_code"])


def test_seed_repeats_and_differs():
    a = recruit(FRAME, target=500, reserve=500, floor=50, seed=9)
    b = recruit(FRAME, target=500, reserve=500, floor=50, seed=9)
    c = recruit(FRAME, target=500, reserve=500, floor=50, seed=10)
    pd.testing.assert_frame_equal(a.panel, b.panel)
    pd.testing.assert_frame_equal(a.reserve, b.reserve)
    assert not a.panel["household_id"].equals(c.panel["household_id"])


def test_roster_starts_invited_and_reserve():
    roster = recruit(FRAME, target=100, reserve=200, floor=10, seed=1).roster()
    assert roster["status"].value_counts().to_dict() == {"reserve": 200, "invited": 100}


def test_too_small_frame_is_refused():
    with pytest.raises(ValueError, match="fewer than"):
        recruit(FRAME.head(100), target=100, reserve=100)
