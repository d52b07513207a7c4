"""Numbered questionnaire versions on a real DuckDB file: saved once per distinct file, listed,
fetched byte for byte, every save audited; migration 0013 numbers the files stored before it."""

from __future__ import annotations

import json

from data.audit import recent_events, verify_chain
from data.questionnaire_versions import (
    fetch_version,
    list_questionnaires,
    list_versions,
    save_version,
)
from data.survey_tables import save_questionnaire_version

V1 = b"id: q\nversion: '1'\n"
V2 = "id: q\nversion: '2'  # 한국어 주석\n".encode()
WORKBOOK = b"PK\x03\x04 not really a workbook, kept as bytes"


def _save(store, content: bytes, name: str = "q.yaml", actor: str = "manager", note=None):
    return save_version(
        store,
        questionnaire_id="q",
        version="1",
        title_ko="설문",
        title_en="Survey",
        file_name=name,
        content=content,
        actor=actor,
        note=note,
    )


def test_versions_are_numbered_and_the_same_bytes_are_unchanged(store):
    first = _save(store, V1, note="첫 판")
    assert (first.version_no, first.created) == (1, True)
    again = _save(store, V1, actor="someone_else")
    assert (again.version_no, again.created, again.source_hash) == (1, False, first.source_hash)
    second = _save(store, V2)
    assert (second.version_no, second.created) == (2, True)
    versions = list_versions(store, "q")
    assert versions["version_no"].tolist() == [2, 1]
    assert versions["uploaded_by"].tolist() == ["manager", "manager"]
    assert versions["note"].tolist()[1] == "첫 판"
    listed = list_questionnaires(store)
    assert listed["questionnaire_id"].tolist() == ["q"] and listed["versions"].tolist() == [2]


def test_a_version_comes_back_byte_for_byte_yaml_and_workbook(store):
    _save(store, V2)
    _save(store, WORKBOOK, name="q.xlsx")
    yaml_version = fetch_version(store, "q", 1)
    workbook_version = fetch_version(store, "q", 2)
    assert yaml_version is not None and yaml_version.content == V2
    assert yaml_version.format == "yaml"
    assert workbook_version is not None and workbook_version.content == WORKBOOK
    assert workbook_version.format == "xlsx" and workbook_version.file_name == "q.xlsx"
    assert fetch_version(store, "q", 3) is None
    assert fetch_version(store, "other", 1) is None


def test_every_save_is_audited_in_the_chain(store):
    _save(store, V1)
    _save(store, V1)
    events = recent_events(store)
    saved = events[events["action"].str.startswith("questionnaire_version")]
    assert sorted(saved["action"]) == [
        "questionnaire_version_saved",
        "questionnaire_version_unchanged",
    ]
    assert set(saved["target"]) == {"questionnaire:q"}
    detail = json.loads(saved[saved["action"] == "questionnaire_version_saved"]["detail"].iat[0])
    assert detail["version_no"] == 1 and detail["format"] == "yaml" and len(detail["sha256"]) == 64
    assert verify_chain(store).ok


def test_files_stored_when_surveys_open_get_the_next_number(store):
    _save(store, V1)
    save_questionnaire_version(
        store,
        source_hash="f" * 64,
        questionnaire_id="q",
        version="9",
        title_ko="설문",
        title_en=None,
        file_name="q.yaml",
        definition=V2.decode(),
    )
    versions = list_versions(store, "q")
    assert versions["version_no"].tolist() == [2, 1]
    assert versions["uploaded_by"].isna().tolist() == [True, False]  # stored by a survey opening


def test_demo_files_opened_before_0013_are_numbered_by_it(demo_store):
    versions = list_versions(demo_store, "seoul_survey_2026")
    assert versions["version_no"].tolist() == [1]
    assert versions["format"].tolist() == ["yaml"]
