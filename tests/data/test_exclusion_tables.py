"""The exclusions table refuses what cannot be excluded or restored, and writes nothing then."""

from __future__ import annotations

import pytest

from data.exclusion_tables import (
    ACTIVE_COLUMNS,
    ExclusionRefused,
    active_exclusions,
    add_exclusion,
    exclusion_history,
    restore_exclusion,
)


def test_a_part_never_submitted_is_refused_and_nothing_is_written(store):
    with pytest.raises(ExclusionRefused) as refused:
        add_exclusion(store, 1, 10, 0, flag=None, reason="why", actor="t")
    assert refused.value.reason == "no_response"
    assert exclusion_history(store, 1).empty
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'response_excluded'") == 0


def test_restoring_an_exclusion_not_in_force_is_refused(store):
    with pytest.raises(ExclusionRefused) as refused:
        restore_exclusion(store, 99, reason="back", actor="t")
    assert (refused.value.reason, refused.value.exclusion_id) == ("not_active", 99)


def test_no_exclusions_give_the_columns_of_the_active_ones(store):
    assert list(active_exclusions(store, 1).columns) == ACTIVE_COLUMNS
    assert active_exclusions(store, 1).empty
