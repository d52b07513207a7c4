"""The Questionnaires page: a clean upload becomes version 1, the same file again is unchanged,
a broken file lists its problems and stores nothing, a file that is no questionnaire is
refused calmly; versions are listed, compared in words and downloaded (audited)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from data.accounts import SURVEY_MANAGER

SMALL = Path(__file__).resolve().parents[1] / "surveys" / "fixtures" / "small_survey.yaml"


def _page_as(role: str) -> None:
    from tests.ui.conftest import act_as
    from ui import questionnaires_page

    act_as(role)
    questionnaires_page.render()


def _page() -> AppTest:
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    assert not at.exception
    return at


def _upload(at: AppTest, name: str, content: bytes, note: str = "") -> AppTest:
    at.file_uploader(key="qn_file").upload(name, content)
    if note:
        at.text_input(key="qn_note").input(note)
    next(b for b in at.button if b.label in ("검사하고 저장", "Check and store")).click()
    at.run()
    assert not at.exception
    return at


def _versions(questionnaire_id: str):
    from data.questionnaire_versions import list_versions
    from ui.context import get_store

    return list_versions(get_store(), questionnaire_id)


def test_a_clean_upload_is_version_1_and_the_same_file_again_is_unchanged(app):
    at = _upload(_page(), "small_survey.yaml", SMALL.read_bytes(), note="첫 판")
    assert any("버전 1" in s.value for s in at.success), [s.value for s in at.success]
    assert _versions("small_survey")["note"].tolist() == ["첫 판"]
    at = _upload(at, "small_survey.yaml", SMALL.read_bytes())
    assert any("바뀐 것이 없습니다" in i.value for i in at.info)
    assert _versions("small_survey")["version_no"].tolist() == [1]

    changed = SMALL.read_text(encoding="utf-8").replace('"가구원 수"', '"함께 사는 가구원 수"')
    at = _upload(at, "small_survey_v2.yaml", changed.encode(), note="문구 수정")
    assert any("버전 2" in s.value for s in at.success)
    at.selectbox(key="qn_choose").select("small_survey").run()
    assert not at.exception
    difference = next(
        frame.value for frame in at.dataframe if "내용" in frame.value.columns
    )  # the table of changes
    assert difference["문항"].tolist() == ["household_size"]
    assert "함께 사는 가구원 수" in difference["내용"].iat[0]

    at.download_button(key="qn_download").click().run()
    assert not at.exception
    from data.audit import recent_events
    from ui.context import get_store

    events = recent_events(get_store())
    download = json.loads(events[events["action"] == "download"]["detail"].iat[0])
    assert download["kind"] == "questionnaire:small_survey:v2" and download["format"] == "yaml"
    saved = events[events["target"] == "questionnaire:small_survey"]
    assert saved["actor"].tolist() == ["manager"] * 3  # newest first: v2, unchanged, v1
    assert saved["action"].tolist() == [
        "questionnaire_version_saved",
        "questionnaire_version_unchanged",
        "questionnaire_version_saved",
    ]


def test_a_broken_questionnaire_lists_every_problem_and_stores_nothing(app):
    broken = SMALL.read_text(encoding="utf-8").replace("type: integer", "type: integr", 1)
    broken = broken.replace("choices: tenure", "choices: no_such_list", 1)
    at = _upload(_page(), "broken.yaml", broken.encode())
    assert any("아무것도 저장하지 않았습니다" in e.value for e in at.error)
    problems = next(frame.value for frame in at.dataframe if "위치" in frame.value.columns)
    assert len(problems) >= 2
    assert all(place.endswith("번째 줄") for place in problems["위치"])
    assert {"household_size", "tenure"} <= set(problems["문항"])
    assert _versions("small_survey").empty


def test_a_file_that_is_no_questionnaire_is_refused_calmly_in_english_too(app):
    at = _page()
    at.session_state["lang"] = "en"
    at.run()
    at = _upload(at, "budget.xlsx", b"district,households\n\xec\xa2\x85\xeb\xa1\x9c,70000\n")
    assert [e.value for e in at.error][0].startswith("This file cannot be accepted")
    assert "CSV" in at.error[0].value
    at = _upload(at, "macro.xlsm", b"PK\x03\x04")
    assert "macros" in at.error[0].value
    from data.audit import recent_events
    from ui.context import get_store

    refused = recent_events(get_store(), action="questionnaire_upload_refused")
    reasons = [json.loads(detail)["reason"] for detail in refused["detail"]]
    assert reasons == ["macros", "not_a_workbook"] and set(refused["actor"]) == {"manager"}


def test_a_file_over_the_size_setting_is_refused_before_it_is_read(app, monkeypatch):
    monkeypatch.setenv("SEOUL_QUESTIONNAIRE_MAX_MB", "0.001")  # about 1 KB
    at = _upload(_page(), "small_survey.yaml", SMALL.read_bytes())
    assert "너무 큽니다" in at.error[0].value
    assert _versions("small_survey").empty


def test_the_demo_questionnaires_are_listed_as_version_1(app):
    at = _page()
    listed = at.dataframe[0].value
    assert {"seoul_survey_2026", "panel_policy_demand", "panel_seoul_parallel"} <= set(
        listed["조사표"]
    )


def test_a_hostile_file_name_is_shown_as_written_never_as_markdown(app):
    name = "![x](http://evil.example/x.png) **굵게**.yaml"
    at = _upload(_page(), name, b"id: [unclosed\n")
    shown = at.error[0].value
    assert "evil" in shown and "![x](" not in shown and "**굵게**" not in shown


def test_an_xlsform_upload_is_stored_and_a_plain_spreadsheet_lists_its_problems(app):
    from tests.surveys.test_upload_checks import (
        CLEAN_CHOICES,
        CLEAN_SETTINGS,
        CLEAN_SURVEY,
        workbook_bytes,
    )

    at = _upload(_page(), "car.xlsx", workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES, CLEAN_SETTINGS))
    assert any("car" in s.value and "버전 1" in s.value for s in at.success)  # car\_form: escaped
    assert _versions("car_form")["format"].tolist() == ["xlsx"]
    at = _upload(at, "budget.xlsx", workbook_bytes([("district", "households"), ("종로구", 1)]))
    assert any("아무것도 저장하지 않았습니다" in e.value for e in at.error)
    problems = next(frame.value for frame in at.dataframe if "위치" in frame.value.columns)
    assert all(" 시트" in place or place == "통합 문서 전체" for place in problems["위치"])


def test_every_kind_of_version_change_has_a_name_on_the_page():
    from surveys.questionnaire.version_diff import KINDS
    from ui.i18n import TEXT

    missing = [kind for kind in KINDS if f"qn_kind_{kind}" not in TEXT]
    assert missing == [], f"the page would crash on these changes: {missing}"


def test_a_version_downloads_as_an_xlsform_that_reads_back_as_the_same_questionnaire(
    app, monkeypatch
):
    from data.audit import recent_events
    from data.questionnaire_versions import fetch_version
    from surveys.questionnaire.uploads import stored_questionnaire
    from tests.surveys.test_xlsform_export import comparable, read_back
    from ui import questionnaires_page
    from ui.context import get_store

    handed: dict[str, bytes] = {}  # what the page gives each download button
    offer = questionnaires_page.audited_download

    def recording(where, label, data, **kwargs):
        handed[kwargs["key"]] = data
        offer(where, label, data, **kwargs)

    monkeypatch.setattr(questionnaires_page, "audited_download", recording)
    at = _page()
    at.selectbox(key="qn_choose").select("seoul_survey_2026").run()
    assert not at.exception and not at.error
    button = at.download_button(key="qn_download_xlsform")
    assert button.label == "XLSForm으로 내려받기"

    shown = stored_questionnaire(fetch_version(get_store(), "seoul_survey_2026", 1))
    back = read_back(handed["qn_download_xlsform"])
    assert comparable(back) == comparable(shown)

    button.click().run()
    assert not at.exception
    download = json.loads(recent_events(get_store(), action="download")["detail"].iat[0])
    assert download["kind"] == "questionnaire:seoul_survey_2026:v1"
    assert download["format"] == "xlsform" and download["file"].endswith("_xlsform.xlsx")
    at.session_state["lang"] = "en"
    at.run()
    assert at.download_button(key="qn_download_xlsform").label == "Download as XLSForm"
