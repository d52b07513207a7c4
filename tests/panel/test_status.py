"""The status machine: every allowed and refused move, batches, movers."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from panel.status import (
    LEFT,
    STATUSES,
    TRANSITIONS,
    StatusError,
    apply_changes,
    move_within_seoul,
    transition,
)

AT = datetime(2026, 3, 1)
ALL_PAIRS = [(a, b) for a in STATUSES for b in STATUSES]


def roster(*statuses: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "household_id": range(1, len(statuses) + 1),
            "district_code": "11110",
            "status": list(statuses),
        }
    )


def test_the_table_matches_the_issue():
    assert ("reserve", "invited") in TRANSITIONS and ("invited", "active") in TRANSITIONS
    assert ("active", "nonresponding") in TRANSITIONS
    assert ("nonresponding", "active") in TRANSITIONS
    for end in LEFT:
        assert ("active", end) in TRANSITIONS and ("nonresponding", end) in TRANSITIONS
        assert not any(a == end for a, _ in TRANSITIONS)  # leaving is final
    assert ("reserve", "active") not in TRANSITIONS


@pytest.mark.parametrize(("current", "new"), ALL_PAIRS)
def test_every_move(current, new):
    if (current, new) in TRANSITIONS:
        change = transition(current, new, who="kim", why="wave 1", at=AT, household_id=7)
        assert (change.previous, change.status, change.who, change.why, change.at) == (
            current, new, "kim", "wave 1", AT,
        )  # fmt: skip
        assert change.as_row()["household_id"] == 7
    else:
        with pytest.raises(StatusError) as error:
            transition(current, new, who="kim", why="wave 1", at=AT)
        message = str(error.value)
        assert " / " in message and any("\uac00" <= ch <= "\ud7a3" for ch in message)
        if current in LEFT and current != new:
            assert "left the panel" in message


def test_unknown_status_and_missing_who():
    with pytest.raises(StatusError, match="unknown status"):
        transition("active", "sleeping", who="kim", why="x", at=AT)
    with pytest.raises(StatusError, match="who and why"):
        transition("active", "dropped", who="", why="x", at=AT)


@pytest.mark.parametrize(("current", "new"), ALL_PAIRS)
def test_batch_agrees_with_the_table(current, new):
    changes = pd.DataFrame(
        {"household_id": [1], "status": [new], "who": ["kim"], "why": ["w"], "at": [AT]}
    )
    if (current, new) in TRANSITIONS:
        after, history = apply_changes(roster(current), changes)
        assert after["status"].tolist() == [new]
        row = history.iloc[0]
        assert (row["previous"], row["status"], row["who"], row["why"]) == (
            current,
            new,
            "kim",
            "w",
        )
    else:
        with pytest.raises(StatusError, match="refused"):
            apply_changes(roster(current), changes)


def test_batch_is_all_or_nothing_and_ordered():
    start = roster("invited", "active", "dropped")
    ok = pd.DataFrame(
        {
            "household_id": [1, 2, 1, 2],
            "status": ["active", "nonresponding", "nonresponding", "active"],
            "who": "kim",
            "why": "wave",
            "at": AT,
        }
    )
    after, history = apply_changes(start, ok)
    assert after["status"].tolist() == ["nonresponding", "active", "dropped"]
    assert history["previous"].tolist() == ["invited", "active", "active", "nonresponding"]
    bad = pd.concat([ok, ok.head(1).assign(household_id=3, status="invited")])
    with pytest.raises(StatusError, match="household 3"):
        apply_changes(start, bad)
    assert start["status"].tolist() == ["invited", "active", "dropped"]  # untouched
    with pytest.raises(StatusError, match="not in the roster"):
        apply_changes(start, ok.assign(household_id=99))


def test_mover_within_seoul_is_tracked_not_dropped():
    start = roster("active", "nonresponding", "moved_out")
    after, history = move_within_seoul(
        start, 1, "11680", "lee", AT, districts=frozenset({"11110", "11680"})
    )
    assert after.loc[0, ["status", "district_code"]].tolist() == ["active", "11680"]
    row = history.iloc[0]
    assert (row["previous"], row["status"]) == ("active", "active")
    assert (row["previous_district"], row["district_code"], row["who"]) == ("11110", "11680", "lee")
    assert start.loc[0, "district_code"] == "11110"
    after, _ = move_within_seoul(start, 2, "11680", "lee", AT)
    assert after.loc[1, "status"] == "nonresponding"
    with pytest.raises(StatusError, match="has left the panel"):
        move_within_seoul(start, 3, "11680", "lee", AT)
    with pytest.raises(StatusError, match="not a Seoul district"):
        move_within_seoul(start, 1, "41110", "lee", AT, districts=frozenset({"11110"}))
    with pytest.raises(StatusError, match="not in the roster"):
        move_within_seoul(start, 42, "11680", "lee", AT)
