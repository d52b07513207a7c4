"""Public-use microdata: no identifiers, k-anonymous, labelled exports, audited releases."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pyreadstat
import pytest
from openpyxl import load_workbook

from analysis.disclosure.control import key_frequencies, load_rules
from analysis.disclosure.microdata import build_public_file, export, export_codebook, release
from data.accounts import STATISTICIAN, SURVEY_MANAGER
from data.audit import recent_events
from surveys.frames import person_frame
from surveys.opening import questionnaire_of, survey_by_code


@pytest.fixture
def survey_id(demo_store):
    return survey_by_code(demo_store, "seoul-2026").survey_id


@pytest.fixture
def key_path(tmp_path):
    return tmp_path / "keys" / "pseudonym.key"


@pytest.fixture
def public_file(demo_store, survey_id, key_path):
    return build_public_file(demo_store, survey_id, key_path=key_path)


def test_no_direct_identifier_survives(demo_store, survey_id, public_file):
    columns = set(public_file.data.columns)
    identifiers = {"household_id", "member_no", "ea_id", "birth_year", "age", "pi"}
    paradata = {"submitted_at", "started_at", "interviewer", "mode", "language", "design_weight"}
    assert not columns & (identifiers | paradata)
    questionnaire = questionnaire_of(demo_store, survey_id)
    free_text = {q.name for _, _, q in questionnaire.all_questions() if q.type in ("text", "date")}
    assert free_text and not columns & free_text
    assert all(public_file.data[c].dtype.kind != "M" for c in columns)  # no timestamps


def test_no_raw_id_appears_and_pseudonyms_follow_the_key(
    demo_store, survey_id, public_file, key_path, tmp_path
):
    persons = person_frame(demo_store, survey_id)
    raw = set(persons["household_id"].astype(str)) | {
        f"{h}-{m}" for h, m in zip(persons["household_id"], persons["member_no"], strict=True)
    }
    data = public_file.data
    for column in ("household_pseudonym", "person_pseudonym"):
        assert not set(data[column]) & raw
        assert not any(r in value for value in data[column] for r in raw if len(r) > 4)
    for column in data.columns:  # no column carries the household ids as numbers
        assert not data[column].astype(str).isin(persons["household_id"].astype(str)).all()
    assert data["person_pseudonym"].is_unique
    again = build_public_file(demo_store, survey_id, key_path=key_path)
    assert again.data["person_pseudonym"].tolist() == data["person_pseudonym"].tolist()
    other = build_public_file(demo_store, survey_id, key_path=tmp_path / "other.key")
    assert not set(other.data["person_pseudonym"]) & set(data["person_pseudonym"])
    assert not set(other.data["household_pseudonym"]) & set(data["household_pseudonym"])


def test_k_anonymity_holds_on_the_configured_keys(public_file):
    rules = load_rules()
    assert public_file.k == rules.k == 3
    f, _ = key_frequencies(public_file.data, list(rules.keys))
    assert f.min() >= public_file.k
    assert public_file.suppressed_cells > 0
    # a household-level key blanked for one member is blanked for every member
    for key in ("district_code", "household_size", "income"):
        per_household = public_file.data.groupby("household_pseudonym")[key]
        assert (per_household.apply(lambda s: s.isna().all() or s.notna().all())).all()


def test_the_risk_report_shows_violations_before_and_none_after(public_file):
    assert public_file.risk_before.violating > 0
    assert public_file.risk_after.violating == 0
    before = public_file.risk_before.expected_reidentifications
    assert 0 < public_file.risk_after.expected_reidentifications < before
    assert public_file.risk_before.riskiest["f_k"].iloc[0] == 1


def test_sensitive_variables_raise_k(demo_store, survey_id, key_path):
    rules = load_rules()
    rules = replace(rules, household_context=(*rules.household_context, "care_need"))
    sensitive = build_public_file(demo_store, survey_id, rules=rules, key_path=key_path)
    assert "care_need" in sensitive.data.columns and sensitive.k == 5
    f, _ = key_frequencies(sensitive.data, list(rules.keys))
    assert f.min() >= 5


def test_sav_and_dta_read_back_with_their_labels(public_file, tmp_path):
    for fmt, reader in (("sav", pyreadstat.read_sav), ("dta", pyreadstat.read_dta)):
        path = export(public_file, fmt, tmp_path / f"public.{fmt}")
        data, meta = reader(path)
        assert list(data.columns) == list(public_file.data.columns)
        assert len(data) == len(public_file.data)
        labels = meta.column_names_to_labels
        assert labels["sex"] == "이분의 성별은 무엇입니까?"
        assert labels["age_group"] == "연령대"
        values = meta.variable_value_labels
        assert values["sex"] == {1: "남자", 2: "여자"}
        assert values["district_code"][11110] == "종로구"
        assert values["income"][7] == "600만원 이상" and 8 not in values["income"]
        assert values["urban_risks_1"] == {0: "선택 안 함", 1: "선택"}
        assert data["sex"].isna().sum() == public_file.data["sex"].isna().sum()


def test_csv_and_parquet_round_trip(public_file, tmp_path):
    expected = public_file.data
    parquet = pd.read_parquet(export(public_file, "parquet", tmp_path / "public.parquet"))
    pd.testing.assert_frame_equal(parquet, expected)
    text = {"household_pseudonym": str, "person_pseudonym": str}
    csv = pd.read_csv(export(public_file, "csv", tmp_path / "public.csv"), dtype=text)
    assert list(csv.columns) == list(expected.columns)
    for column in expected.columns:
        if column in text:
            assert csv[column].tolist() == expected[column].tolist()
        else:
            pd.testing.assert_series_equal(
                csv[column].astype(float), expected[column].astype(float), check_names=False
            )


HOSTILE = '=HYPERLINK("http://evil","click")'


def test_the_codebook_shows_a_hostile_label_as_text_in_csv_and_excel(public_file, tmp_path):
    codebook = public_file.codebook.copy()
    codebook.loc[0, "label_ko"] = HOSTILE
    hostile = replace(public_file, codebook=codebook)
    back = pd.read_csv(export_codebook(hostile, tmp_path / "c.csv"), encoding="utf-8-sig")
    assert back["label_ko"].iloc[0] == "'" + HOSTILE
    assert back["variable"].tolist() == codebook["variable"].tolist()  # ordinary text as it was
    book = load_workbook(export_codebook(hostile, tmp_path / "c.xlsx"))
    column = codebook.columns.get_loc("label_ko") + 1
    cell = book["codebook"].cell(row=2, column=column)
    assert cell.data_type == "s" and cell.value == "'" + HOSTILE
    assert book["risk"]["A2"].value == "before"


def test_a_text_column_of_the_public_csv_that_could_be_a_formula_is_shown_as_text(
    public_file, tmp_path
):
    data = public_file.data.assign(note=HOSTILE)
    out = export(replace(public_file, data=data), "csv", tmp_path / "public.csv")
    back = pd.read_csv(out, encoding="utf-8-sig", usecols=["note"])
    assert set(back["note"]) == {"'" + HOSTILE}


def test_a_survey_manager_is_refused_and_a_statistician_is_audited(
    demo_store, survey_id, key_path, tmp_path
):
    def releases() -> pd.DataFrame:
        return recent_events(demo_store, action="microdata_released")

    with pytest.raises(PermissionError, match="통계 분석가"):
        release(
            demo_store,
            survey_id,
            "csv",
            tmp_path / "out",
            actor="sm",
            role=SURVEY_MANAGER,
            key_path=key_path,
        )
    assert releases().empty
    paths = release(
        demo_store,
        survey_id,
        "dta",
        tmp_path / "out",
        actor="stat",
        role=STATISTICIAN,
        key_path=key_path,
    )
    assert [p.suffix for p in paths] == [".dta", ".csv"] and all(p.exists() for p in paths)
    events = releases()
    assert len(events) == 1 and events["actor"].iloc[0] == "stat"
    detail = json.loads(events["detail"].iloc[0])
    assert detail["format"] == "dta" and detail["k"] == 3 and detail["rows"] > 0
    assert detail["suppressed_cells"] > 0
    assert key_path.read_bytes().hex() not in events["detail"].iloc[0]


def test_the_command_line_writes_the_public_file_and_audits_it(demo_path, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SEOUL_DB": str(demo_path),
           "SEOUL_PSEUDONYM_KEY_FILE": str(tmp_path / "key" / "pseudonym.key")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "release", "--survey", "seoul-2026", "--format", "sav",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "seoul-2026_public.sav").exists()
    from data.store import open_store

    store = open_store(demo_path)
    try:
        actors = store.query("SELECT actor FROM audit_log WHERE action = 'microdata_released'")
    finally:
        store.close()
    assert actors["actor"].tolist() == ["cli"]


def test_a_form_without_a_person_part_releases_one_record_per_household(
    demo_store, key_path, tmp_path
):
    from analysis.weights.survey_weights import latest_weights
    from tests.surveys.test_uploaded_survey_outputs import commuting_survey

    survey = commuting_survey(demo_store, tmp_path)
    released = build_public_file(demo_store, survey, key_path=key_path)
    data = released.data
    _, weights, _ = latest_weights(demo_store, survey, "household")
    assert len(data) == len(weights) and data["household_pseudonym"].is_unique
    assert "person_pseudonym" not in data.columns and "household_id" not in data.columns
    assert data["weight"].sum() == pytest.approx(weights["weight"].sum())
    assert released.variable_labels["weight"][1] == "Final weight (households)"
