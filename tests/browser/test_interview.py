"""In real Chromium: a field interviewer does the whole job on the 면접 조사 / Interview page.

The interviewer signs in, opens the page, types the household's code from its letter,
enters the household part with its members roster and then each member's own part from
the household's member list. The database then holds one response per part, every one
recorded as an interview by that interviewer. The page also opens in English and at
phone size (it crashed for every role and language before).
"""

from __future__ import annotations

import duckdb
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DESKTOP, PHONE, open_sidebar, sign_in
from tests.browser.questionnaire_driver import Driver, wait_idle
from tests.browser.test_respond import COMPOSITION, ECONOMY, HOUSING, LIFE, MEMBERS, PERSON

pytestmark = pytest.mark.browser


def _open_interview(browser: Browser, url: str, size: dict):
    context = browser.new_context(**size)
    page = context.new_page()
    sign_in(page, url, "interviewer", "demo-field-2026", "면접 조사")
    open_sidebar(page)  # folded on a phone
    page.get_by_role("link", name="면접 조사", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="면접 조사")).to_be_visible()
    return context, page


def test_an_interviewer_enters_a_whole_household_and_its_members(field, browser: Browser):
    server, codes, questionnaire, survey_id = field
    context, page = _open_interview(browser, server.url, DESKTOP)
    driver = Driver(page, questionnaire)
    page.get_by_label("접속 코드").fill(codes["code_grouped"].iloc[7])
    page.get_by_role("button", name="시작하기").click()
    wait_idle(page)
    expect(page.get_by_text("1 / 5 단계")).to_be_visible()
    sections = {s.id: s for s in questionnaire.household.sections}
    driver.fill(sections["housing"], HOUSING)
    driver.next_screen()
    driver.fill(sections["household_composition"], COMPOSITION)
    driver.next_screen()
    for index, member in enumerate(MEMBERS):
        driver.fill(sections["members"], member, page.locator(f".st-key-member-{index + 1}"))
    driver.next_screen()
    driver.fill(sections["household_economy"], ECONOMY)
    driver.next_screen()
    driver.fill(sections["household_life"], LIFE)
    driver.press("제출하기")
    expect(page.get_by_text("제출되었습니다")).to_be_visible()
    for number in (1, 2):
        driver.press(f"{number}번 가구원: 이 기기에서 지금 응답하기")
        for section in questionnaire.person.sections:
            expect(page.get_by_role("heading", name=section.title.ko)).to_be_visible()
            driver.fill(section, PERSON)
            if section is questionnaire.person.sections[-1]:
                driver.press("제출하기")
            else:
                driver.next_screen()
        expect(page.get_by_text("제출되었습니다")).to_be_visible()
        driver.press("가구원 목록으로")
    expect(page.get_by_text("가구의 모든 응답이 끝났습니다")).to_be_visible()
    context.close()

    server.stop()
    con = duckdb.connect(str(server.database), read_only=True)
    stored = con.execute(
        "SELECT member_no, mode, interviewer FROM responses WHERE survey_id = ? ORDER BY member_no",
        [survey_id],
    ).fetchall()
    audited = con.execute(
        "SELECT count(*) FROM audit_log WHERE actor = 'interviewer' AND action = 'login'"
    ).fetchone()[0]
    con.close()
    assert stored == [(0, "interviewer", "interviewer"), (1, "interviewer", "interviewer"),
                      (2, "interviewer", "interviewer")]  # fmt: skip
    assert audited >= 1


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_interview_page_opens_in_english_and_at_any_size(field, browser: Browser, size):
    server, codes, questionnaire, _ = field
    context, page = _open_interview(browser, server.url, PHONE if size == "phone" else DESKTOP)
    open_sidebar(page)
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Interview")).to_be_visible()
    if size == "phone":  # fold the sidebar again to reach the page
        page.get_by_test_id("stSidebarCollapseButton").click()
    page.get_by_label("Access code").fill(codes["code"].iloc[8])
    page.get_by_role("button", name="Start").click()
    wait_idle(page)
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    tenure = questionnaire.question("tenure").label.en
    expect(page.get_by_role("radiogroup", name=tenure)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    context.close()
