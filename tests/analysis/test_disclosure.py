"""Disclosure control: recodes, the risk report and local suppression to k-anonymity."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.disclosure.control import (
    apply_recodes,
    load_rules,
    local_suppression,
    parse_rules,
    risk_report,
    suppress_within_groups,
)

KEYS = ["a", "b", "c"]


def compatible_counts(frame: pd.DataFrame, keys: list[str]) -> list[int]:
    """Brute force, record by record: records equal on every key, missing matching anything."""
    rows = frame[keys].astype(object).where(frame[keys].notna(), None).to_numpy().tolist()
    return [
        sum(all(x is None or y is None or x == y for x, y in zip(r, s, strict=True)) for s in rows)
        for r in rows
    ]


def small_frames(min_size: int = 3):
    values = st.one_of(st.none(), st.integers(0, 3))
    row = st.tuples(values, values, st.integers(0, 2))
    return st.lists(row, min_size=min_size, max_size=40).map(
        lambda rows: pd.DataFrame(rows, columns=KEYS).astype("Int64")
    )


@settings(max_examples=150, deadline=None)
@given(frame=small_frames(), k=st.integers(2, 5))
def test_after_local_suppression_every_record_has_k_compatible_records(frame, k):
    if len(frame) < k:
        with pytest.raises(ValueError):
            local_suppression(frame, KEYS, k)
        return
    out, suppressed = local_suppression(frame, KEYS, k)
    assert min(compatible_counts(out, KEYS)) >= k
    # only blanks: no value changed, and the count of blanks is what was reported
    kept = out[KEYS].notna()
    assert (out[KEYS][kept] == frame[KEYS][kept]).all().all()
    blanked = (frame[KEYS].notna() & out[KEYS].isna()).sum()
    assert blanked.to_dict() == suppressed
    # records that were k-anonymous already keep every value
    safe = np.array(compatible_counts(frame, KEYS)) >= k
    assert out[KEYS][safe].equals(frame[KEYS][safe])


def test_suppression_blanks_the_least_important_key_when_that_suffices():
    frame = pd.DataFrame({"a": [1, 1, 1, 1], "b": [1, 1, 1, 2], "c": [1, 1, 1, 1]}, dtype="Int64")
    out, suppressed = local_suppression(frame, ["a", "b", "c"], 3, importance=["b", "a", "c"])
    # blanking c (least important) does not help; a next does not either; b does
    assert suppressed == {"a": 0, "b": 1, "c": 0}
    assert pd.isna(out.loc[3, "b"])


def test_the_risk_report_counts_violations_and_expected_reidentifications():
    frame = pd.DataFrame({"a": [1, 1, 1, 2, 3], "w": [10.0, 20.0, 30.0, 40.0, 50.0]})
    report = risk_report(frame, ["a"], "w", k=2)
    assert report.violating == 2  # a = 2 and a = 3 are unique
    assert report.expected_reidentifications == pytest.approx(3 / 60 + 1 / 40 + 1 / 50)
    assert report.riskiest["a"].tolist()[:2] == [2, 3]  # f_k = 1 first, smaller F_k first
    assert report.riskiest["f_k"].tolist() == [1, 1, 3]


def test_suppressing_within_groups_blanks_every_member():
    frame = pd.DataFrame({"h": ["x", "x", "y"], "d": pd.array([1, None, 2], dtype="Int64")})
    out, added = suppress_within_groups(frame, "h", ["d"])
    assert out["d"].isna().tolist() == [True, True, False]
    assert added == {"d": 1}


def test_recodes_top_code_merge_rare_categories_and_band_ages():
    rules = parse_rules(
        {
            "keys": ["age_group"],
            "recodes": {
                "age_bands": {"source": "age", "target": "age_group", "breaks": [15, 40, 65]},
                "top_code": {"size": {"at": 5, "label_ko": "5인 이상", "label_en": "5+"}},
                "rare_categories": {"min_count": 2, "code": 90, "variables": ["job"]},
            },
        }
    )
    frame = pd.DataFrame({"age": [15, 39, 40, 80], "size": [1, 5, 7, 2], "job": [1, 1, 2, 3]})
    recoded = apply_recodes(frame, rules)
    assert recoded.frame["age_group"].tolist() == [1, 1, 2, 3]
    assert recoded.frame["size"].tolist() == [1, 5, 5, 2]
    assert recoded.frame["job"].tolist() == [1, 1, 90, 90]
    labels = recoded.relabel({"job": {1: ("a", "a"), 2: ("b", "b"), 3: ("c", "c")}})
    assert labels["job"] == {1: ("a", "a"), 90: ("기타(통합)", "Other (merged)")}
    assert labels["age_group"][3] == ("65세 이상", "65 and over")
    assert labels["size"] == {5: ("5인 이상", "5+")}


def test_the_shipped_rules_raise_k_for_sensitive_variables():
    rules = load_rules()
    assert rules.k == 3 and rules.sensitive_k == 5
    assert rules.k_for(["sex", "income"]) == 3
    assert rules.k_for(["sex", "care_need"]) == 5
    assert len(rules.sha256) == 64


def test_the_shipped_rules_drop_ids_text_and_paradata():
    rules = load_rules()
    types = {"tenure_other": "text", "birth_date": "date", "sex": "single"}
    columns = ["household_id", "member_no", "tenure_other", "submitted_at", "interviewer_id", "sex"]
    assert rules.dropped([*columns, "birth_date"], types) == [*columns[:-1], "birth_date"]


def test_brute_force_and_vectorized_frequencies_agree():
    from analysis.disclosure.control import key_frequencies

    frame = pd.DataFrame(
        list(itertools.product([1, 2, None], [1, None], [1, 2])), columns=KEYS
    ).astype("Int64")
    f, big_f = key_frequencies(frame, KEYS)
    assert f.tolist() == compatible_counts(frame, KEYS) == big_f.tolist()
