"""In real Chromium, a questionnaire from upload to answers without a developer: a survey
manager uploads a KoBo-style XLSForm whose roster is counted with count(${member}) — with one
typo in a relevance, which the upload reports; she fixes it in the grid editor and saves it
with a note as version 1 — walks it in test mode at a phone's width (a refused screen, nothing stored), and opens a survey on that
version; its sample and codes are drawn; a household answers the form on a phone from its
letter's link, and the answers are stored under the uploaded version."""

from __future__ import annotations

import json

import duckdb
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import PHONE, AppServer, sign_in
from tests.browser.questionnaire_driver import Driver, wait_idle
from tests.surveys.test_survey_on_uploaded_version import CHOICES, SURVEY
from tests.surveys.test_xlsform import write_workbook

pytestmark = pytest.mark.browser

SETTINGS = [("form_id", "form_title"), ("district_housing", "District housing survey")]
TYPO = "count(${membr}) > 1"  # the fault: no question is called membr
FIXED = "count(${member}) > 1"


def _broken(survey: list[tuple]) -> list[tuple]:
    return [row if row[1] != "children" else (*row[:3], TYPO, *row[4:]) for row in survey]


def _fix_in_grid(page, tmp_path) -> None:
    """The upload's one problem fixed in the survey grid: select the cell with the keyboard
    (the grid is a canvas), type the rule again, save with a note."""
    errors = page.get_by_test_id("stAlertContentError")
    expect(errors.first).to_contain_text("문제 1건", timeout=30_000)
    grid = page.locator("[class*='st-key-qn_edit_survey_upload_'] [data-testid=stDataFrame]")
    expect(grid).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)  # the canvas settles
    try:
        # the first data row's number (row 2), right of the row-selection boxes
        grid.click(position={"x": 30 + 12, "y": 35 + 17})
        for key in ["ArrowRight"] * 4 + ["ArrowDown"] * 5:  # relevant, survey row 7 (children)
            page.keyboard.press(key)
        page.keyboard.press("Enter")  # opens the cell's editor over the grid
        editor = page.get_by_test_id("portal").locator("textarea")
        expect(editor).to_be_visible(timeout=10_000)
        expect(editor).to_have_value(TYPO)  # the cell the problem names
        editor.fill(FIXED)
        editor.press("Enter")
        wait_idle(page)
        expect(
            page.locator(".st-key-qn_edit_upload").get_by_test_id("stAlertContentSuccess")
        ).to_contain_text("문제가 없습니다", timeout=30_000)
    except AssertionError:  # what the grid showed, beside the test's files
        page.locator(".st-key-qn_edit_upload").screenshot(path=str(tmp_path / "grid.png"))
        raise
    upload = page.locator(".st-key-qn_edit_upload")  # the upload's grids, not a version's
    note = upload.get_by_label("메모 (무엇을 바꿨는지, 필수)")
    note.fill("자녀 문항의 표시 조건 오타 수정")
    note.press("Tab")
    wait_idle(page)
    upload.get_by_role("button", name="새 버전으로 저장").click()
    wait_idle(page)


def _upload_and_preview(page, form, tmp_path) -> None:
    page.get_by_role("link", name="조사표", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="조사표 올리기")).to_be_visible(timeout=30_000)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(form))
    remove = page.get_by_role("button", name=f"Remove {form.name}")  # the name shows shortened
    expect(remove).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="검사하고 저장").click()
    wait_idle(page)
    _fix_in_grid(page, tmp_path)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text(
        "버전 1", timeout=30_000
    )
    page.locator(".st-key-qn_choose").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="district_housing").click()
    wait_idle(page)
    page.get_by_role("button", name="버전 1 시험 응답 시작").click()
    wait_idle(page)
    frame = page.locator(".st-key-qn-preview-phone")
    expect(frame).to_be_visible(timeout=30_000)
    assert frame.bounding_box()["width"] <= 400  # a phone's width
    frame.get_by_role("button", name="다음", exact=True).click()  # tenure may stay empty
    wait_idle(page)
    expect(frame.get_by_text("2 / 4 단계")).to_be_visible(timeout=30_000)
    frame.get_by_role("button", name="다음", exact=True).click()  # how many members: required
    wait_idle(page)
    expect(frame.locator(".error-summary")).to_be_visible(timeout=30_000)  # refused, as live


def _open_survey(page) -> None:
    page.get_by_role("link", name="조사 관리", exact=True).click()
    wait_idle(page)
    page.locator("[data-testid=stExpander] summary").first.click()
    page.locator(".st-key-sv_source").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="district_housing 버전 1", exact=False).first.click()
    page.get_by_label("조사 코드").fill("housing-2027")
    page.get_by_label("제목 (한국어)").fill("자치구 주거 조사")
    page.get_by_test_id("stFormSubmitButton").first.click()
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def _field_it(database) -> tuple[str, object, int]:
    """Sample, codes and in-field, as the Surveys page's next tabs do (tested on their own)."""
    from data.store import open_store
    from surveys.fieldwork.invitations import issue_codes
    from surveys.fieldwork.sampling import TwoStageDesign
    from surveys.opening import draw_sample, questionnaire_of, set_status, survey_by_code

    store = open_store(database)
    try:
        survey = survey_by_code(store, "housing-2027")
        design = TwoStageDesign(n_households=20, per_area=5, seed=4)
        sample = draw_sample(store, survey.survey_id, design, actor="manager")
        set_status(store, survey.survey_id, "in_field", actor="manager")
        codes = issue_codes(store, survey.survey_id, sample["household_id"], actor="manager")
        return (
            str(codes["code"].iloc[0]),
            questionnaire_of(store, survey.survey_id),
            survey.survey_id,
        )
    finally:
        store.close()


def test_an_uploaded_xlsform_is_previewed_opened_and_answered(served, browser: Browser, tmp_path):
    form = write_workbook(tmp_path / "district_housing.xlsx", _broken(SURVEY), CHOICES, SETTINGS)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, served.url, "manager", "demo-manager-2026", "조사표")
    _upload_and_preview(page, form, tmp_path)
    _open_survey(page)
    context.close()
    served.stop()

    code, questionnaire, survey_id = _field_it(served.database)
    server = AppServer(served.database, tmp_path)
    try:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        driver = Driver(page, questionnaire)
        page.goto(f"{server.url}/respond?t={code}")
        wait_idle(page)
        sections = {s.id: s for s in questionnaire.household.sections}
        order = [s.id for s in questionnaire.household.sections]
        plan = {"tenure": 2, "member_count": 2, "children": 1}
        members = [
            {"member_name": "Ana", "member_age": 34},
            {"member_name": "Ben", "member_age": 3},
        ]
        for number, section_id in enumerate(order):
            section = sections[section_id]
            if section.roster:
                for index, member in enumerate(members):
                    scope = page.locator(f".st-key-member-{index + 1}")
                    driver.fill(section, member, scope)
            else:
                driver.fill(section, plan)
            if number < len(order) - 1:
                driver.next_screen()
        driver.press("제출하기")
        expect(page.get_by_text("제출되었습니다")).to_be_visible(timeout=30_000)
        context.close()
    finally:
        server.stop()

    con = duckdb.connect(str(served.database), read_only=True)
    stored = con.execute(
        "SELECT r.answers, r.questionnaire_hash = s.questionnaire_hash FROM responses r"
        " JOIN surveys s USING (survey_id) WHERE r.survey_id = ?",
        [survey_id],
    ).fetchall()
    versions = con.execute(
        "SELECT version_no, note FROM questionnaire_versions WHERE questionnaire_id = ?",
        ["district_housing"],
    ).fetchall()
    con.close()
    assert versions == [(1, "자녀 문항의 표시 조건 오타 수정")]  # saved from the grid
    assert len(stored) == 1 and stored[0][1]
    answers = json.loads(stored[0][0])
    assert answers["children"] == 1 and [m["member_age"] for m in answers["member"]] == [34, 3]
