"""In real Chromium: a panel operator runs a wave end to end, a household answers on its phone.

The demo's wave 4 is closed first (through the domain); then the operator
creates wave 5 with the Seoul Survey parallel questionnaire,
sends the invitations and downloads the list; one household opens its link
and answers; the operator records another household's refusal, previews and
applies the attrition, replaces the leavers, and the health page shows the
new counts. The database is checked after each step.
"""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from data.store import open_store
from panel.attrition import apply_attrition, replace_leavers
from panel.health import panel_size
from panel.waves import list_waves
from surveys.questionnaire.loader import load_questionnaire
from tests.browser.conftest import AppServer, choose, sign_in
from tests.browser.questionnaire_driver import Driver, wait_idle
from tests.browser.test_respond import PHONE
from tests.panel.wave_helpers import PARALLEL

pytestmark = pytest.mark.browser

ANSWERS = {
    "sex": 2, "birth_year": 1985, "household_change": 1, "household_size": 3, "income": 5,
    "happy_health": 7, "happy_finance": 5, "happy_relations": 8, "happy_family": 8,
    "happy_social": 6, "life_satisfaction": 7, "trust_neighbours": 3, "commutes": 2,
}  # fmt: skip


@pytest.fixture
def wave_five(demo_template, tmp_path):
    database = tmp_path / "panel.duckdb"
    shutil.copy(demo_template, database)
    store = open_store(database)
    try:  # the demo's wave 4 is in the field: close it so the operator can open wave 5
        wave = list_waves(store)[-1]
        apply_attrition(store, wave.survey_id, actor="test")
        replace_leavers(store, wave.survey_id, seed=4, actor="test")
    finally:
        store.close()
    server = AppServer(database, tmp_path)
    yield server
    server.stop()


def _sign_in(page: Page, url: str) -> None:
    sign_in(page, url, "operator", "demo-operator-2026", "패널 운영")


def _create_wave(page: Page) -> None:
    page.get_by_role("link", name="패널 운영", exact=True).click()
    wait_idle(page)
    page.get_by_text("새 차수", exact=True).click()
    wait_idle(page)
    form = page.get_by_test_id("stForm").filter(has_text="차수 만들기")
    choose(page, "pn_new_q", "panel_seoul_parallel_2026.yaml")
    form.get_by_label("차수 코드").fill("panel-2026-w5")
    form.get_by_label("제목 (한국어)").fill("서울시민패널 5차: 병행조사")
    form.get_by_role("button", name="차수 만들기").click()
    wait_idle(page)
    expect(page.get_by_text("5차 (panel-2026-w5)를 만들었습니다.")).to_be_visible()


def _send_invitations(page: Page) -> pd.DataFrame:
    page.get_by_role("button", name="초대장 발송").first.click()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="명단 파일 (CSV) 내려받기").click()
    return pd.read_csv(io.BytesIO(open(download.value.path(), "rb").read()), encoding="utf-8-sig")


def _answer_on_a_phone(browser: Browser, url: str, token: str) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    driver = Driver(page, load_questionnaire(PARALLEL))
    page.goto(f"{url}/respond?t={token}")
    wait_idle(page)
    sections = driver.q.household.sections
    for section in sections:
        expect(page.get_by_role("heading", name=section.title.ko)).to_be_visible()
        # a screen reader reads each question's words, never a markdown escape ("0\\~10")
        names = page.locator("[aria-label]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"
        )
        assert not [name for name in names if "\\" in name], names
        driver.fill(section, ANSWERS)
        if section is sections[-1]:
            driver.press("제출하기")
        else:
            driver.next_screen()
    expect(page.get_by_text("제출되었습니다")).to_be_visible()
    context.close()


def _record_refusal(page: Page, household_id: int) -> None:
    form = page.get_by_test_id("stForm").filter(has_text="한 가구의 결과 기록")
    form.get_by_label("가구 번호").fill(str(household_id))
    # the outcome select starts at 거절 (refused), the first recorded outcome
    form.get_by_role("button", name="기록").click()
    wait_idle(page)
    expect(page.get_by_text("1가구의 결과를 기록했습니다.")).to_be_visible()


def test_operator_runs_a_wave_and_the_health_page_shows_the_new_counts(wave_five, browser: Browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _sign_in(page, wave_five.url)
    _create_wave(page)
    invitations = _send_invitations(page)
    assert len(invitations) == 400 and invitations["household_id"].is_unique
    assert invitations["link"].str.contains("/respond\\?t=").all()

    answering, refusing = invitations["household_id"].iloc[0], invitations["household_id"].iloc[1]
    token = invitations["link"].iloc[0].split("t=")[1]
    _answer_on_a_phone(browser, wave_five.url, token)

    page.get_by_role("link", name="패널 운영", exact=True).click()  # the same session
    wait_idle(page)
    _record_refusal(page, int(refusing))
    page.get_by_role("button", name="미리보기").click()
    wait_idle(page)
    page.get_by_role("button", name="적용", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="대체", exact=True).click()
    wait_idle(page)

    page.get_by_role("link", name="패널 현황", exact=True).click()
    wait_idle(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="패널 가구")).to_be_visible()
    in_panel = page.get_by_test_id("stMetric").filter(has_text="패널 가구").first.inner_text()
    active = page.get_by_test_id("stMetric").filter(has_text="참여 가구").first.inner_text()
    context.close()
    wave_five.stop()  # the app holds the database file until it stops

    store = open_store(wave_five.database, read_only=True)
    try:
        answered = store.query(
            "SELECT household_id FROM responses JOIN surveys USING (survey_id)"
            " WHERE code = 'panel-2026-w5'"
        )
        roster = store.query("SELECT household_id, status, replaces FROM panel_households")
        size = panel_size(store)
    finally:
        store.close()
    assert answered["household_id"].tolist() == [answering]
    status = roster.set_index("household_id")["status"]
    assert status.loc[answering] == "active" and status.loc[refusing] == "refused"
    assert int(refusing) in set(roster["replaces"].dropna().astype(int))
    assert size["in_panel"] == size["target"] == 400
    assert f"{size['in_panel']:,}" in in_panel and f"{size['active']:,}" in active
