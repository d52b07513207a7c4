"""Reference data: the shipped files, and an admin's CSV upload (validated before it replaces)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data.reference import (
    REFERENCE_DIR,
    import_reference_csv,
    load_manifest,
    reference_status,
    reference_template,
    shipped_csv,
    stored_table,
)
from data.schemas import REFERENCE_TABLES


def _upload(store, table, content, **kw):
    return import_reference_csv(
        store,
        table,
        content,
        filename=f"{table}.csv",
        source=kw.pop("source", "test upload"),
        reference_date=kw.pop("reference_date", "2026-06-30"),
        actor="tester",
        **kw,
    )


def _margins_csv() -> str:
    return (REFERENCE_DIR / "population_margins.csv").read_text(encoding="utf-8")


def test_shipped_reference_has_25_districts_and_every_margin_cell(store):
    assert len(stored_table(store, "districts")) == 25
    assert len(stored_table(store, "population_margins")) == 25 * 2 * 7
    assert len(stored_table(store, "household_margins")) == 25 * 5
    status = reference_status(store)
    assert set(status["table_name"]) == set(REFERENCE_TABLES)
    assert status["source"].str.len().min() > 0


def test_manifest_documents_every_column_of_every_file():
    manifest = load_manifest()
    for table in REFERENCE_TABLES:
        columns = [c["name"] for c in manifest[table]["columns"]]
        assert columns == list(shipped_csv(table).columns), table
        assert manifest[table]["source"] and manifest[table]["reference_date"]


def test_seoul_margins_are_the_size_of_seoul(store):
    adults = stored_table(store, "population_margins")["population"].sum()
    households = stored_table(store, "household_margins")["households"].sum()
    assert 8_000_000 < adults < 9_000_000
    assert 4_000_000 < households < 5_000_000


def test_valid_upload_replaces_the_table_and_records_its_source(store):
    changed = _margins_csv().replace("11110,1,1,", "11110,1,1,1")  # a different first count
    report = _upload(store, "population_margins", changed, source="서울시 주민등록인구 2026.06")
    assert report.accepted and report.invalid_rows == 0
    status = reference_status(store).set_index("table_name")
    assert status.loc["population_margins", "source"] == "서울시 주민등록인구 2026.06"
    assert status.loc["population_margins", "reference_date"] == "2026-06-30"
    first = stored_table(store, "population_margins").query(
        "district_code == '11110' and sex == 1 and age_group == 1"
    )
    assert str(first["population"].iloc[0]).startswith("1")


def test_invalid_upload_replaces_nothing_and_quarantines_the_bad_rows(store):
    before = stored_table(store, "population_margins")
    bad = (
        _margins_csv()
        .replace("11110,1,1,", "11110,1,1,-", 1)
        .replace("11140,2,3,", "11999,2,3,", 1)
    )
    report = _upload(store, "population_margins", bad)
    assert not report.accepted
    assert report.invalid_rows >= 2
    assert {"out_of_range", "invalid_code"} <= set(report.reason_counts)
    pd.testing.assert_frame_equal(stored_table(store, "population_margins"), before)
    held = store.query(
        "SELECT row_number, raw_record, reasons FROM quarantine WHERE batch_id = ?",
        [report.batch_id],
    )
    reasons = {r["code"] for text in held["reasons"] for r in json.loads(text)}
    assert {"out_of_range", "invalid_code"} <= reasons
    assert held["row_number"].min() == 2  # the first data line of the file
    kept = store.query("SELECT status, content FROM uploads WHERE batch_id = ?", [report.batch_id])
    assert kept["status"].iloc[0] == "rejected" and kept["content"].iloc[0] == bad


def test_incomplete_margins_are_refused(store):
    lines = _margins_csv().splitlines()
    report = _upload(store, "population_margins", "\n".join(lines[:-1]))
    assert not report.accepted
    assert "incomplete" in report.summary("en") or report.reason_counts.get("rule")
    assert any("350" in message for _, message, _ in report.first_reasons)


def test_upload_saved_by_korean_excel_in_cp949_is_read(store):
    text = (REFERENCE_DIR / "districts.csv").read_text(encoding="utf-8")
    report = _upload(store, "districts", text.encode("cp949"))
    assert report.accepted
    assert "종로구" in stored_table(store, "districts")["name_ko"].tolist()


def test_a_district_still_in_use_cannot_be_removed(store):
    lines = (REFERENCE_DIR / "districts.csv").read_text(encoding="utf-8").splitlines()
    report = _upload(store, "districts", "\n".join(line for line in lines if "11110" not in line))
    assert not report.accepted
    assert any("11110" in ko for _, ko, _ in report.first_reasons)
    assert len(stored_table(store, "districts")) == 25


def test_upload_without_source_is_refused_before_anything_is_stored(store):
    with pytest.raises(ValueError, match="출처"):
        _upload(store, "sex", "code,label_ko,label_en\n1,남자,Male\n2,여자,Female\n", source=" ")


def test_every_upload_is_in_the_audit_log(store):
    _upload(store, "sex", "code,label_ko,label_en\n1,남자,Male\n2,여자,Female\n")
    events = store.query("SELECT actor, detail FROM audit_log WHERE action = 'reference_upload'")
    assert events["actor"].tolist() == ["tester"]
    assert json.loads(events["detail"].iloc[0])["accepted"] is True


HOSTILE_LABEL = '=HYPERLINK("http://evil","click")'


def _hostile_sex_table(store) -> pd.DataFrame:
    table = pd.DataFrame(
        {"code": ["1", "2"], "label_ko": [HOSTILE_LABEL, "여자"], "label_en": ["-Male", "Female"]}
    )
    assert _upload(store, "sex", table.to_csv(index=False)).accepted
    return table


def test_the_template_shows_a_label_that_could_be_a_formula_as_text(store):
    _hostile_sex_table(store)
    template = pd.read_csv(io.StringIO(reference_template(store, "sex")), dtype=str)
    assert template["label_ko"].tolist() == ["'" + HOSTILE_LABEL, "여자"]
    assert template["label_en"].tolist() == ["'-Male", "Female"]


def test_a_downloaded_template_uploads_back_unchanged(store):
    table = _hostile_sex_table(store)
    assert _upload(store, "sex", reference_template(store, "sex")).accepted
    stored = stored_table(store, "sex")
    assert stored["label_ko"].tolist() == table["label_ko"].tolist()
    assert stored["label_en"].tolist() == table["label_en"].tolist()


bad_cell = st.one_of(
    st.text(max_size=6),
    st.integers(-(10**6), 10**12).map(str),
    st.just(""),
    st.just("11999"),
    st.just("3"),
    st.just("-1"),
    st.just("1.5"),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    row=st.integers(0, 349),
    column=st.sampled_from(["district_code", "sex", "age_group", "population"]),
    value=bad_cell,
)
@example(row=0, column="population", value="²")  # a digit to str.isdigit, not to a CSV reader
def test_any_corrupted_cell_is_refused_with_a_reason_or_accepted_if_still_valid(
    store, row, column, value
):
    frame = pd.read_csv(REFERENCE_DIR / "population_margins.csv", dtype=str)
    original = frame.at[row, column]
    frame.at[row, column] = value
    report = _upload(store, "population_margins", frame.to_csv(index=False))
    still_valid = value.strip() == original or (
        column == "population"
        and value.strip().isascii()
        and value.strip().isdigit()
        and int(value) <= 2_000_000
    )
    if still_valid:
        assert report.accepted
    else:
        assert not report.accepted
        assert report.first_reasons, "a refused upload must say why"
