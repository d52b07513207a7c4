"""In real Chromium: a survey manager uploads a questionnaire, sees a broken one refused with its
problems, and downloads the stored version's file byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in, wait_idle

pytestmark = pytest.mark.browser

SMALL = Path(__file__).resolve().parents[1] / "surveys" / "fixtures" / "small_survey.yaml"


def _upload(page: Page, path: Path) -> None:
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    expect(page.get_by_text(path.name)).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="검사하고 저장").click()
    wait_idle(page)


def test_manager_uploads_a_questionnaire_and_downloads_its_version(
    served, browser: Browser, tmp_path
):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SMALL.read_text(encoding="utf-8").replace("type: integer", "type: integr", 1),
        encoding="utf-8",
    )
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, served.url, "manager", "demo-manager-2026", "조사표")
    page.get_by_role("link", name="조사표", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="조사표 올리기")).to_be_visible(timeout=30_000)

    _upload(page, broken)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("아무것도 저장하지 않았습니다", timeout=30_000)

    _upload(page, SMALL)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("버전 1", timeout=30_000)

    page.locator(".st-key-qn_choose").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="small_survey").click()
    wait_idle(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="버전 1 파일 (small_survey.yaml)").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.read_bytes() == SMALL.read_bytes()
    context.close()
