"""In real Chromium: an admin signs in and sees the home page with the seeded counts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in, wait_idle

pytestmark = pytest.mark.browser


def test_admin_signs_in_and_sees_seeded_counts(page: Page, app_url: str, demo_store_counts):
    page.goto(app_url)
    wait_idle(page)
    expect(page.get_by_text("직원 로그인")).to_be_visible()
    page.get_by_label("사용자 이름").fill("admin")
    page.get_by_label("비밀번호").fill("demo-admin-2026")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="데이터 현황")).to_be_visible(timeout=30_000)
    wait_idle(page)
    households = page.get_by_test_id("stMetric").filter(has_text="표본틀 가구").first
    expect(households).to_contain_text(f"{demo_store_counts['households']:,}")
    expect(page.get_by_role("link", name="관리", exact=True)).to_be_visible()


def test_statistician_has_no_admin_page(page: Page, app_url: str):
    page.goto(app_url)
    wait_idle(page)
    page.get_by_label("사용자 이름").fill("statistician")
    page.get_by_label("비밀번호").fill("demo-stat-2026")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="데이터 현황")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="홈", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="관리", exact=True)).to_have_count(0)


def test_logged_out_visitor_opening_the_admin_address_gets_the_sign_in(page: Page, app_url: str):
    page.goto(app_url + "/admin")
    wait_idle(page)
    expect(page.get_by_text("직원 로그인")).to_be_visible()
    expect(page.get_by_role("tab", name="격리 보관함")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)


def test_the_file_uploader_speaks_korean_on_the_korean_pages(page: Page, app_url: str):
    sign_in(page, app_url, "admin", "demo-admin-2026", "관리")
    page.get_by_role("link", name="관리", exact=True).click()
    wait_idle(page)
    button = page.get_by_test_id("stFileUploaderDropzone").first.locator("button p")
    expect(button).to_be_visible()
    shown = button.evaluate("p => getComputedStyle(p, '::after').content")
    assert shown == '"파일 선택"'
    assert button.evaluate("p => getComputedStyle(p).fontSize") == "0px"  # "Upload" hidden
