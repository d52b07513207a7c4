"""In real Chromium, a questionnaire from upload to report without a developer: a survey
manager uploads a KoBo-style XLSForm whose roster is counted with count(${member}) — with one
typo in a relevance, which the upload reports; she fixes it in the grid editor and saves it
with a note as version 1 — walks it in test mode at a phone's width (a refused screen, nothing
stored), opens a survey on that version and draws its sample from the panel households of one
district; codes are issued, a household answers the form on a phone from its letter's link
(stored under the uploaded version), and the manager makes the weights and downloads the
survey's Excel report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
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
    page.wait_for_function(  # a phone's width, once the page's style has applied
        "document.querySelector('.st-key-qn-preview-phone').getBoundingClientRect().width <= 400",
        timeout=30_000,
    )
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


def _choose_survey(page) -> None:
    page.locator(".st-key-sv_choose").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="housing-2027", exact=False).first.click()
    wait_idle(page)


def _sample_one_district(page) -> str:
    """The sample tab: five of the panel's households of the district with the most."""
    _choose_survey(page)
    page.get_by_text("시민패널 가구", exact=True).click()
    wait_idle(page)
    page.locator(".st-key-sv_panel_districts").get_by_test_id("stMultiSelect").click()
    options = page.get_by_role("option").filter(has_text="패널")  # not "Select all"
    expect(options.first).to_be_visible()  # the list has opened
    counts = [
        int(re.search(r"패널 ([\d,]+)가구", o)[1].replace(",", ""))
        for o in options.all_inner_texts()
    ]
    most = counts.index(max(counts))  # "노원구 (패널 N가구)": a district with 5 or more
    assert counts[most] >= 5, counts
    label = options.nth(most).inner_text()
    district = label.split(" (")[0]
    page.keyboard.type(district)  # the option by its name, as a keyboard user picks it
    expect(page.get_by_role("option").filter(has_text="패널")).to_have_count(1)
    page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")
    chosen = page.locator(".st-key-sv_panel_districts [data-tag]")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text(district)
    n = page.locator(".st-key-sv_panel_n input")
    n.fill("5")
    n.press("Tab")
    page.get_by_role("button", name="패널에서 표본 추출").click()
    wait_idle(page)
    errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
    assert not errors, errors
    expect(page.get_by_role("radio", name="시민패널 가구")).to_have_count(0, timeout=30_000)
    return district


def _weights_and_report(page, tmp_path) -> Path:
    """The Surveys page's weights tab makes the weights; the Reports page builds the report
    and the Excel file downloads."""
    page.get_by_role("link", name="조사 관리", exact=True).click()
    wait_idle(page)
    _choose_survey(page)
    page.get_by_role("tab", name="가중치").click()
    page.get_by_role("button", name="가중치 만들기").click()
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text(
        "가중치를 만들었습니다", timeout=60_000
    )
    page.get_by_role("link", name="보고서", exact=True).click()
    wait_idle(page)
    page.locator(".st-key-rp_survey").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="(housing-2027)", exact=False).first.click()
    wait_idle(page)
    page.get_by_role("button", name="보고서 만들기").click()
    excel = page.get_by_role("button", name="엑셀 (.xlsx) 내려받기")
    expect(excel).to_be_visible(timeout=180_000)
    with page.expect_download(timeout=60_000) as download:
        excel.click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    return target


def _field_it(database) -> tuple[str, object, int]:
    """Codes and in-field, as the Surveys page's next tabs do (tested on their own)."""
    from data.store import open_store
    from data.survey_tables import sample_households
    from surveys.fieldwork.invitations import issue_codes
    from surveys.opening import questionnaire_of, set_status, survey_by_code

    store = open_store(database)
    try:
        survey = survey_by_code(store, "housing-2027")
        sample = sample_households(store, survey.survey_id)
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
    district = _sample_one_district(page)
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
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1000}
        )
        page = context.new_page()
        sign_in(page, server.url, "manager", "demo-manager-2026", "조사표")
        report = _weights_and_report(page, tmp_path)
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
    sampled = con.execute(
        "SELECT d.name_ko, count(*) FROM survey_sample s JOIN districts d ON d.code = s.stratum"
        " WHERE s.survey_id = ? GROUP BY d.name_ko",
        [survey_id],
    ).fetchall()
    con.close()
    assert sampled == [(district, 5)]  # the panel households of the chosen district only
    assert versions == [(1, "자녀 문항의 표시 조건 오타 수정")]  # saved from the grid
    assert len(stored) == 1 and stored[0][1]
    answers = json.loads(stored[0][0])
    assert answers["children"] == 1 and [m["member_age"] for m in answers["member"]] == [34, 3]
    questions = pd.read_excel(report, sheet_name="문항별 결과", header=None, engine="openpyxl")
    said = " ".join(str(cell) for cell in questions.to_numpy().ravel())
    assert "Do you own or rent your home?" in said or "tenure" in said
