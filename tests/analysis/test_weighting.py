"""Base weights and nonresponse adjustment keep what they promise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.weights.weighting import adjust_by_class, adjust_by_propensity, base_weights


def test_base_weights_are_the_scaled_inverse_probabilities():
    weights = base_weights(pd.Series([0.5, 0.1, 1.0]), scale_factor=20)
    assert weights.tolist() == [40.0, 200.0, 20.0]


def test_impossible_probabilities_are_refused_with_the_row():
    with pytest.raises(ValueError, match="row 1"):
        base_weights(pd.Series([0.5, 0.0]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(1, 100), st.booleans(), st.sampled_from("abc")), min_size=3, max_size=60
    )
)
def test_respondents_carry_their_class_sampled_weight(rows):
    frame = pd.DataFrame(rows, columns=["w", "r", "c"])
    if set(frame["c"]) - set(frame.loc[frame["r"], "c"]):  # a class nobody answered in
        with pytest.raises(ValueError, match="collapse"):
            adjust_by_class(frame["w"], frame["r"], frame["c"])
        return
    result = adjust_by_class(frame["w"], frame["r"], frame["c"])
    adjusted = result.weights.groupby(frame.loc[frame["r"], "c"]).sum()
    sampled = frame.groupby("c")["w"].sum()
    assert np.allclose(adjusted.sort_index(), sampled.sort_index())
    assert (result.weights > 0).all()


def test_a_class_without_respondents_is_named():
    frame = pd.DataFrame({"w": [1.0, 2.0, 3.0], "r": [True, False, False], "c": ["a", "b", "b"]})
    with pytest.raises(ValueError, match="'b'"):
        adjust_by_class(frame["w"], frame["r"], frame["c"])


def test_propensity_classes_group_similar_response_chances():
    rng = np.random.default_rng(3)
    n = 4000
    frame = pd.DataFrame({"young": rng.integers(0, 2, n), "district": rng.integers(1, 4, n)})
    chance = np.where(frame["young"] == 1, 0.5, 0.85)
    responded = pd.Series(rng.random(n) < chance)
    weights = pd.Series(np.full(n, 10.0))
    result, propensity = adjust_by_propensity(frame, weights, responded, ["young", "district"])
    assert propensity[frame["young"] == 1].mean() < propensity[frame["young"] == 0].mean() - 0.2
    assert result.weights.sum() == pytest.approx(weights.sum())
    assert len(result.classes) == 5
