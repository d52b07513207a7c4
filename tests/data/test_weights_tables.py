"""The weights tables: numbered versions with their rows, written in one transaction."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from data import weights_tables as wt


def _rows(*household_ids: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "household_id": list(household_ids),
            "member_no": 0,
            "base_weight": 10.0,
            "adjusted_weight": 12.0,
            "weight": [11.0 + i for i in range(len(household_ids))],
        }
    )


def test_versions_are_numbered_per_survey_and_unit_and_read_back(store):
    first = wt.store_weights_version(store, 7, "household", _rows(1, 2), {"a": 1}, actor="t")
    person = wt.store_weights_version(store, 7, "person", _rows(1), {"p": 1}, actor="t")
    second = wt.store_weights_version(store, 7, "household", _rows(1, 2, 3), {"a": 2}, actor="t")
    assert wt.newest_version(store, 7, "household") == (second, {"a": 2})
    assert wt.newest_version(store, 8, "household") is None
    assert wt.newest_version_ids(store, 7) == {"household": second, "person": person}
    assert [(v[0], v[1], v[2], v[4]) for v in wt.versions_of(store, 7)] == [
        (first, "household", 1, {"a": 1}),
        (person, "person", 1, {"p": 1}),
        (second, "household", 2, {"a": 2}),
    ]
    assert wt.version_ids(store, 7) == (first, person, second)
    assert wt.version_owner(store, person) == (7, "person")
    assert wt.version_owner(store, 10_000) is None
    assert wt.units_weighted(store, 7) == {"household", "person"}
    assert wt.units_weighted(store, 8) == set()
    assert sorted(map(tuple, wt.weighted_units(store).to_numpy().tolist())) == [
        (7, "household"),
        (7, "person"),
    ]
    rows = wt.weights_rows(store, second)
    assert list(rows.columns) == wt.WEIGHT_COLUMNS
    pd.testing.assert_frame_equal(rows, _rows(1, 2, 3), check_dtype=False)
    events = store.rows("SELECT action, target FROM audit_log WHERE action = 'weights_stored'")
    assert events == [("weights_stored", "survey:7")] * 3


def test_a_version_whose_rows_fail_leaves_nothing_behind(store):
    with pytest.raises(duckdb.Error):  # the same household twice: the rows cannot go in
        wt.store_weights_version(store, 7, "household", _rows(1, 1), {}, actor="t")
    assert wt.version_ids(store, 7) == ()
    assert store.scalar("SELECT count(*) FROM weights") == 0
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'weights_stored'") == 0
