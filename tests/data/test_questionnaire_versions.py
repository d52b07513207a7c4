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


def test_the_demo_stores_each_shipped_definition_as_version_1_once(demo_store):
    from demo.questionnaires import seed_questionnaires

    for questionnaire_id in ("seoul_survey_2026", "panel_policy_demand", "panel_seoul_parallel"):
        versions = list_versions(demo_store, questionnaire_id)
        assert versions["version_no"].tolist() == [1], questionnaire_id
        assert versions["uploaded_by"].tolist() == ["demo-seed"]
        assert versions["format"].tolist() == ["yaml"]
    again = seed_questionnaires(demo_store, 1000, progress=lambda _: None)
    assert again["stored"] == [] and len(again["unchanged"]) == 3
    assert list_versions(demo_store, "seoul_survey_2026")["version_no"].tolist() == [1]


def test_0013_numbers_the_files_stored_before_it(db_path):
    from data.migrate import available_migrations
    from data.store import open_store

    store = open_store(db_path)
    try:
        _ensure = available_migrations()
        for migration in _ensure[:12]:
            store.write(lambda cur, m=migration: cur.execute(m.sql()))
        for n, name in enumerate(("a.yaml", "b.xlsx", "c.yaml")):
            store.execute(
                "INSERT INTO questionnaire_versions (source_hash, questionnaire_id, version,"
                " title_ko, file_name, definition, loaded_at)"
                " VALUES (?, ?, '1', '설문', ?, 'x', TIMESTAMP '2026-01-01' + to_days(?))",
                [f"{n}" * 64, "q" if n < 2 else "r", name, n],
            )
        store.write(lambda cur: cur.execute(_ensure[12].sql()))
        rows = store.rows(
            "SELECT questionnaire_id, version_no, format, uploaded_by FROM questionnaire_versions"
            " ORDER BY questionnaire_id, version_no"
        )
    finally:
        store.close()
    assert rows == [("q", 1, "yaml", None), ("q", 2, "xlsx", None), ("r", 1, "yaml", None)]
