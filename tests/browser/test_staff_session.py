"""In real Chromium: a staff sign-in survives reloads, new tabs and typed addresses, and ends
everywhere at once.

The browser keeps only an HttpOnly, SameSite=Strict cookie that page scripts cannot read; a
bookmark opened signed out shows the sign-in in Korean (no "Page not found") and then the page
asked for; a page the role may not open says so; signing out in one tab signs out the others;
an idle sign-in ends by itself.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    AppServer,
    sign_in,
    wait_for_session_cookie,
    wait_idle,
)

pytestmark = pytest.mark.browser


def _signed_in_home(page: Page) -> None:
    expect(page.get_by_role("heading", name="데이터 현황")).to_be_visible()
    expect(page.get_by_label("비밀번호")).to_have_count(0)


def _no_page_not_found(page: Page) -> None:
    expect(page.get_by_text("Page not found")).to_have_count(0)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_reload_and_a_new_tab_stay_signed_in(browser: Browser, app_url: str, size: str):
    context = browser.new_context(**(PHONE if size == "phone" else DESKTOP))
    page = context.new_page()
    sign_in(page, app_url, "manager", "demo-manager-2026", "조사 관리")
    cookie = wait_for_session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "seoul_session" not in page.evaluate("document.cookie")  # out of scripts' reach
    page.reload()
    wait_idle(page)
    _signed_in_home(page)
    other = context.new_page()
    other.goto(app_url + "/surveys")
    wait_idle(other)
    expect(other.get_by_role("heading", name="조사 관리")).to_be_visible()
    expect(other.get_by_role("link", name="조사 관리", exact=True)).to_be_visible()
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_bookmarked_page_asks_for_sign_in_then_opens(browser: Browser, app_url: str, size):
    context = browser.new_context(**(PHONE if size == "phone" else DESKTOP))
    page = context.new_page()
    page.goto(app_url + "/explore")
    wait_idle(page)
    expect(page.get_by_text("직원 로그인")).to_be_visible()
    expect(page.get_by_text("'탐색' 화면을 보려면 로그인하세요")).to_be_visible()
    _no_page_not_found(page)
    page.get_by_label("사용자 이름").fill("statistician")
    page.get_by_label("비밀번호").fill("demo-stat-2026")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="탐색")).to_be_visible()
    assert page.url.rstrip("/").endswith("/explore")
    context.close()


def test_a_page_the_role_may_not_open_says_so_in_korean(browser: Browser, app_url: str):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, app_url, "statistician", "demo-stat-2026", "탐색")
    page.goto(app_url + "/admin")
    wait_idle(page)
    expect(page.get_by_text("이 화면을 볼 권한이 없습니다")).to_be_visible()
    expect(page.get_by_role("tab", name="사용자")).to_have_count(0)
    _no_page_not_found(page)
    context.close()


def test_signing_out_in_one_tab_signs_out_every_tab(browser: Browser, app_url: str):
    context = browser.new_context()
    first = context.new_page()
    sign_in(first, app_url, "operator", "demo-operator-2026", "패널 운영")
    second = context.new_page()
    second.goto(app_url)
    wait_idle(second)
    _signed_in_home(second)
    first.get_by_role("button", name="로그아웃").click()
    wait_idle(first)
    expect(first.get_by_label("비밀번호")).to_be_visible()
    second.get_by_role("link", name="패널 현황", exact=True).click()  # the next click there
    wait_idle(second)
    expect(second.get_by_label("비밀번호")).to_be_visible()
    expect(second.get_by_text("로그아웃되었습니다")).to_be_visible()
    first.reload()
    wait_idle(first)
    expect(first.get_by_label("비밀번호")).to_be_visible()  # the cookie no longer signs in
    context.close()


def test_an_idle_sign_in_ends_by_itself(browser: Browser, demo_template, tmp_path):
    database = tmp_path / "idle.duckdb"
    shutil.copy(demo_template, database)
    server = AppServer(database, tmp_path, env={"SEOUL_SESSION_IDLE_MINUTES": "0.05"})  # 3 s
    try:
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, server.url, "admin", "demo-admin-2026", "관리")
        page.wait_for_timeout(4_000)
        page.get_by_role("link", name="관리", exact=True).click()
        wait_idle(page)
        expect(page.get_by_label("비밀번호")).to_be_visible()
        expect(page.get_by_text("한동안 사용하지 않아 로그인이 끝났습니다")).to_be_visible()
        context.close()
    finally:
        server.stop()
