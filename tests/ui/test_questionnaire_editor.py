"""Edit in place on the Questionnaires page: a version's survey sheet edited in its grid shows the
problem an upload would show, fixed shows none, and saved (with a note) is the next version,
audited as an upload; an uploaded workbook with a problem is fixed in the grids and stored.

AppTest does not type into a grid: an edit is given as the editor's own edit state
(``edited_rows`` by position), as the browser sends it.
"""

from __future__ import annotations

import hashlib
import json

from streamlit.testing.v1 import AppTest

from data.accounts import STATISTICIAN, SURVEY_MANAGER
from tests.surveys.test_upload_checks import (
    CLEAN_CHOICES,
    CLEAN_SETTINGS,
    CLEAN_SURVEY,
    workbook_bytes,
)

CAR = workbook_bytes(CLEAN_SURVEY, CLEAN_CHOICES, CLEAN_SETTINGS)
TYPO = "${household_sise} > 1"  # no such question
FIXED = "${household_size} > 1"


def _page_as(role: str) -> None:
    from tests.ui.conftest import act_as
    from ui import questionnaires_page

    act_as(role)
    questionnaires_page.render()


def _page(role: str = SURVEY_MANAGER) -> AppTest:
    at = AppTest.from_function(_page_as, args=(role,), default_timeout=60).run()
    assert not at.exception
    return at


def _edit(at: AppTest, key: str, rows: dict[int, dict[str, str]]) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    return at


def _problems(at: AppTest):
    return [frame.value for frame in at.dataframe if "위치" in frame.value.columns]


def _press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def _versions(questionnaire_id: str):
    from data.questionnaire_versions import list_versions
    from ui.context import get_store

    return list_versions(get_store(), questionnaire_id)


def test_a_cell_edited_in_the_grid_is_checked_fixed_and_saved_as_the_next_version(app):
    from data.audit import recent_events
    from data.questionnaire_versions import fetch_version
    from surveys.questionnaire.uploads import receive_upload, stored_questionnaire
    from ui.context import get_store

    receive_upload(get_store(), "car.xlsx", CAR, actor="manager", note="첫 판")
    at = _page()
    at.selectbox(key="qn_choose").select("car_form").run()
    grid = "qn_edit_survey_car_form_v1_1"
    survey = at.data_editor(key=grid).value
    assert "relevant" in survey.columns and survey["name"].tolist() == [
        "household_size",
        "owns_car",
    ]
    assert any("바꾼 것이 없습니다" in c.value for c in at.caption)

    at = _edit(at, grid, {1: {"relevant": TYPO}})  # the second row: survey row 3
    assert any("문제 1건" in e.value for e in at.error)
    (problems,) = _problems(at)
    assert problems["위치"].tolist() == ["survey 시트 3행"]
    assert problems["문항"].tolist() == ["owns_car"]
    assert "${household_sise}" in problems["문제와 고칠 방법"].iat[0]

    at = _edit(at, grid, {1: {"relevant": FIXED, "label::Korean (ko)": "자동차를 가지고 계십니까"}})
    assert _problems(at) == []
    assert any("문제가 없습니다" in s.value for s in at.success)

    at = _press(at, "qn_edit_save_car_form_v1_1")  # no note yet: refused, nothing stored
    assert any("메모를 적으세요" in e.value for e in at.error)
    assert _versions("car_form")["version_no"].tolist() == [1]

    at.text_input(key="qn_edit_note_car_form_v1_1").input("자동차 문항: 가구원이 둘 이상일 때만")
    at = _press(at, "qn_edit_save_car_form_v1_1")
    assert any("버전 2" in s.value for s in at.success), [s.value for s in at.success]
    versions = _versions("car_form")
    assert versions["version_no"].tolist() == [2, 1]  # newest first
    assert versions["note"].iat[0] == "자동차 문항: 가구원이 둘 이상일 때만"
    listed = next(f.value for f in at.dataframe if "메모" in f.value.columns)
    assert len(listed) == 2  # the page's version list, drawn again after the save

    edited = stored_questionnaire(fetch_version(get_store(), "car_form", 2))
    owns_car = edited.question("owns_car")
    assert owns_car.label.ko == "자동차를 가지고 계십니까" and owns_car.label.en == "Owns a car"
    assert owns_car.relevant is not None and "household_size" in owns_car.relevant.source
    saved = recent_events(get_store(), action="questionnaire_version_saved")
    assert saved["actor"].iat[0] == "manager"
    assert json.loads(saved["detail"].iat[0])["note"] == "자동차 문항: 가구원이 둘 이상일 때만"

    # the grids now open the new version, and download it (audited)
    assert at.data_editor(key="qn_edit_survey_car_form_v2_2").value["relevant"].iat[1] == FIXED
    at.download_button(key="qn_edit_download_car_form_v2_2").click().run()
    assert not at.exception
    download = recent_events(get_store(), action="download")
    assert json.loads(download["detail"].iat[0])["kind"] == "questionnaire:car_form:v2:edited"


def test_an_uploaded_workbook_with_a_problem_is_fixed_in_the_grids_and_stored(app):
    survey = [CLEAN_SURVEY[0] + ("relevant",), CLEAN_SURVEY[1] + ("",), CLEAN_SURVEY[2] + (TYPO,)]
    broken = workbook_bytes(survey, CLEAN_CHOICES, CLEAN_SETTINGS)
    at = _page()
    at.file_uploader(key="qn_file").upload("car.xlsx", broken)
    next(b for b in at.button if b.label == "검사하고 저장").click()
    at.run()
    assert any("아무것도 저장하지 않았습니다" in e.value for e in at.error)
    grid = f"upload_{hashlib.sha256(broken).hexdigest()[:12]}"
    assert any("표에서 고치기" in m.value and "car" in m.value for m in at.markdown)  # its grids
    survey_rows = at.data_editor(key=f"qn_edit_survey_{grid}").value
    assert survey_rows["relevant"].tolist() == ["", TYPO]

    at = _edit(at, f"qn_edit_survey_{grid}", {1: {"relevant": FIXED}})
    assert not any("문제 1건" in e.value for e in at.error)
    at.text_input(key=f"qn_edit_note_{grid}").input("표에서 고침")
    at = _press(at, f"qn_edit_save_{grid}")
    assert any("버전 1" in s.value for s in at.success)
    assert _versions("car_form")["note"].tolist() == ["표에서 고침"]
    assert not [e for e in at.data_editor if e.key and e.key.endswith(grid)]  # done with it


def test_the_editor_speaks_english_too(app):
    from surveys.questionnaire.uploads import receive_upload
    from ui.context import get_store

    receive_upload(get_store(), "car.xlsx", CAR, actor="manager")
    at = _page()
    at.session_state["lang"] = "en"
    at.selectbox(key="qn_choose").select("car_form").run()
    assert any(h.value == "Edit in place" for h in at.subheader)
    assert at.button(key="qn_edit_save_car_form_v1_1").label == "Save as a new version"
    at = _edit(at, "qn_edit_survey_car_form_v1_1", {1: {"relevant": TYPO}})
    problems = next(f.value for f in at.dataframe if "Where" in f.value.columns)
    assert problems["Where"].tolist() == ["survey sheet, row 3"]


def test_a_role_that_may_not_upload_sees_no_grid(app):
    at = _page(STATISTICIAN)
    assert not at.data_editor and at.error  # refused at the page's gate, as the upload is


def test_rows_added_and_deleted_in_the_grids_are_checked_by_their_grid_numbers(app):
    from surveys.questionnaire.uploads import receive_upload
    from ui.context import get_store

    receive_upload(get_store(), "car.xlsx", CAR, actor="manager")
    at = _page()
    at.selectbox(key="qn_choose").select("car_form").run()
    grid = "qn_edit_survey_car_form_v1_1"
    added = {"type": "integr", "name": "rooms", "label::Korean (ko)": "방 수"}  # a typo
    at.session_state[grid] = {"edited_rows": {}, "added_rows": [added], "deleted_rows": [0]}
    at.run()
    assert not at.exception
    (problems,) = _problems(at)
    assert problems["위치"].tolist() == ["survey 시트 4행"]  # rows 3 and 4 remain; 2 is gone
    assert problems["문항"].tolist() == ["rooms"]

    added["type"] = "integer"
    at.session_state[grid] = {"edited_rows": {}, "added_rows": [added], "deleted_rows": [0]}
    at.run()
    assert _problems(at) == [] and any("문제가 없습니다" in s.value for s in at.success)
