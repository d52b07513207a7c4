"""Row-level validation: each bad record gets a reason, valid neighbours are kept."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from data.validation import ReasonCode, validate_frame

SCHEMA = pa.DataFrameSchema(
    {
        "district_code": pa.Column("string", pa.Check.isin(["11110", "11140"])),
        "sex": pa.Column("Int64", pa.Check.isin([1, 2])),
        "population": pa.Column("Int64", pa.Check.ge(0)),
    },
    unique=["district_code", "sex"],
    strict=True,
)


def _codes(result, index):
    return {r.code for r in result.reasons[index]}


def test_valid_rows_survive_invalid_neighbours():
    raw = pd.DataFrame(
        {"district_code": ["11110", "99999"], "sex": ["1", "2"], "population": ["5", "7"]}
    )
    result = validate_frame(raw, SCHEMA)
    assert result.valid["district_code"].tolist() == ["11110"]
    assert result.valid["population"].tolist() == [5]
    assert result.invalid.index.tolist() == [1]
    assert _codes(result, 1) == {ReasonCode.INVALID_CODE}


def test_text_in_a_number_column_is_a_type_error_not_a_crash():
    raw = pd.DataFrame({"district_code": ["11110"], "sex": ["x"], "population": ["1.5"]})
    result = validate_frame(raw, SCHEMA)
    assert _codes(result, 0) == {ReasonCode.WRONG_TYPE}
    assert len(result.reasons[0]) == 2


def test_empty_cell_is_reported_missing():
    raw = pd.DataFrame({"district_code": ["11110"], "sex": ["1"], "population": [" "]})
    result = validate_frame(raw, SCHEMA)
    assert _codes(result, 0) == {ReasonCode.MISSING}


def test_duplicate_key_rows_are_both_held_with_one_reason_each():
    raw = pd.DataFrame(
        {"district_code": ["11110", "11110"], "sex": ["1", "1"], "population": ["1", "2"]}
    )
    result = validate_frame(raw, SCHEMA)
    assert [len(result.reasons[i]) for i in (0, 1)] == [1, 1]
    assert result.reasons[0][0].code is ReasonCode.DUPLICATE
    assert "district_code, sex" in result.reasons[0][0].message_en


def test_missing_column_concerns_the_whole_batch():
    raw = pd.DataFrame({"district_code": ["11110"], "sex": ["1"]})
    result = validate_frame(raw, SCHEMA)
    assert result.valid.empty and len(result.invalid) == 1
    assert [r.code for r in result.batch_reasons] == [ReasonCode.MISSING_COLUMN]
    assert "population" in result.batch_reasons[0].message_ko


def test_messages_exist_in_korean_and_english():
    raw = pd.DataFrame({"district_code": ["11110"], "sex": ["3"], "population": ["-1"]})
    result = validate_frame(raw, SCHEMA)
    for reason in result.reasons[0]:
        assert reason.message_ko and reason.message_en and reason.message_ko != reason.message_en


cells = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["11110", "11140", "1", "2", "0", "", " 7 ", "1e3", "NaN"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=12))
def test_any_records_are_split_without_crashing(rows):
    raw = pd.DataFrame(rows, columns=["district_code", "sex", "population"])
    result = validate_frame(raw, SCHEMA)
    assert len(result.valid) + len(result.invalid) == len(raw)
    for index in result.invalid.index:
        assert result.reasons.get(index) or result.batch_reasons
    for _, row in result.valid.iterrows():
        assert row["district_code"] in ("11110", "11140") and row["sex"] in (1, 2)
        assert row["population"] >= 0
