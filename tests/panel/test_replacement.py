"""Matched replacement: property tests over random frames and attrition patterns."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.recruit import recruit
from panel.replacement import replace
from panel.status import MEMBERS, StatusError, apply_changes
from tests.panel.test_recruit import make_frame

AT = datetime(2026, 6, 1)


def run(frame_seed: int, target: int, reserve: int, drop_share: float, seed: int):
    frame = make_frame(n=3_000, districts=3, seed=frame_seed)
    rec = recruit(frame, target=target, reserve=reserve, floor=5, seed=seed)
    roster = rec.roster()
    rng = np.random.default_rng(seed)
    panel_ids = rec.panel["household_id"].to_numpy()
    dropped = rng.choice(panel_ids, int(len(panel_ids) * drop_share), replace=False)
    first = pd.DataFrame(
        {"household_id": panel_ids, "status": "active", "who": "t", "why": "w1", "at": AT}
    )
    roster, _ = apply_changes(roster, first)
    second = pd.DataFrame(
        {"household_id": dropped, "status": "dropped", "who": "t", "why": "attrition", "at": AT}
    )
    roster, _ = apply_changes(roster, second)
    return rec, roster, dropped, replace(roster, dropped, rec.reserve, seed=seed, at=AT)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frame_seed=st.integers(0, 5),
    target=st.integers(30, 150),
    reserve=st.integers(0, 120),
    drop_share=st.floats(0.0, 0.9),
    seed=st.integers(0, 1000),
)
def test_replacement_properties(frame_seed, target, reserve, drop_share, seed):
    rec, before, dropped, out = run(frame_seed, target, reserve, drop_share, seed)
    roster = out.roster
    members = roster["status"].isin(MEMBERS).sum()
    # back to target whenever the reserve allows; shortfall reported otherwise
    assert out.shortfall == max(0, len(dropped) - reserve)
    assert members == target - out.shortfall
    # no household holds two roles; each reserve household used at most once
    assert roster["household_id"].is_unique
    assert out.replacements["household_id"].is_unique and out.replacements["replaces"].is_unique
    assert set(out.replacements["household_id"]) <= set(rec.reserve["household_id"])
    assert set(out.replacements["replaces"]) <= set(dropped)
    assert not roster.loc[roster["household_id"].isin(dropped), "status"].isin(MEMBERS).any()
    # same cell, or the widening flag
    cells = before.set_index("household_id")[["district_code", "household_type", "head_age_band"]]
    made = out.replacements
    same = (
        made[["district_code", "household_type", "head_age_band"]].to_numpy()
        == cells.loc[made["replaces"]].to_numpy()
    ).all(axis=1)
    assert (same | (made["match_level"] > 0)).all()
    assert (made.loc[made["match_level"] == 0, "match_flag"] == "same cell").all()
    assert (made.loc[made["match_level"] > 0, "match_flag"] != "same cell").all()
    # idempotent: a second run changes nothing
    again = replace(roster, dropped, rec.reserve, seed=seed, at=AT)
    assert again.replacements.empty and again.shortfall == out.shortfall
    pd.testing.assert_frame_equal(again.roster, roster)
    # a seed makes the whole run repeatable
    pd.testing.assert_frame_equal(
        run(frame_seed, target, reserve, drop_share, seed)[3].roster, roster
    )


def test_widening_order_and_flags():
    roster = pd.DataFrame(
        {
            "household_id": [1, 2, 3, 4],
            "district_code": ["A", "A", "A", "A"],
            "household_type": [1, 1, 1, 1],
            "head_age_band": [3, 3, 3, 3],
            "status": "dropped",
        }
    )
    reserve = pd.DataFrame(
        {
            "household_id": [10, 11, 12, 13],
            "district_code": ["B", "A", "A", "A"],
            "household_type": [1, 2, 1, 1],
            "head_age_band": [3, 3, 4, 3],
            "pi_reserve": 0.1,
        }
    )
    out = replace(roster, [1, 2, 3, 4], reserve, seed=0, at=AT)
    got = dict(zip(out.replacements["household_id"], out.replacements["match_level"], strict=True))
    assert got == {13: 0, 12: 1, 11: 2, 10: 3}
    flags = dict(zip(out.replacements["match_level"], out.replacements["match_flag"], strict=True))
    assert flags[3] == "neighbouring age band + other household type + other district"
    assert out.history["previous"].eq("reserve").all() and out.history["status"].eq("invited").all()
    assert out.roster.set_index("household_id").loc[13, "replaces"] == 1
    assert out.replacements["pi_reserve"].eq(0.1).all()


def test_only_households_that_left_are_replaced():
    roster = pd.DataFrame(
        {
            "household_id": [1],
            "district_code": "A",
            "household_type": 1,
            "head_age_band": 1,
            "status": "active",
        }
    )
    reserve = roster.assign(household_id=2).drop(columns="status")
    with pytest.raises(StatusError, match="have not left"):
        replace(roster, [1], reserve, seed=0)
    with pytest.raises(StatusError, match="not in the roster"):
        replace(roster, [5], reserve, seed=0)
