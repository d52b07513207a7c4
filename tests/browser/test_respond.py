"""In real Chromium at phone size: a household answers the Seoul Survey with its access code.

One household with two members aged 15+ goes through skip logic, closes the
browser half-way and resumes from the link on a new "device", submits
(double-clicking), and both members answer: one on the same phone, one with
the member code shown to the household, typed on another phone. Afterwards
the database holds exactly one response per part. A second test types an
out-of-range answer: it is refused with the Korean message and quarantined.
"""

from __future__ import annotations

import json

import duckdb
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import PHONE
from tests.browser.questionnaire_driver import Driver, wait_idle
from tests.surveys.conftest import household_answers, person_answers

pytestmark = pytest.mark.browser

HOUSING = {
    "housing_type": 2,
    "tenure": 2,
    "deposit": 30000,
    "years_at_address": 5,
    "housing_satisfaction": 7,
    "housing_cost_burden": 2,
    "move_plan": 2,
}
COMPOSITION = {"hh_respondent": 1, "household_size": 2}
_EXAMPLE = household_answers(size=3)["members"]
MEMBERS = [_EXAMPLE[0], _EXAMPLE[2]]  # the head (1970) and the spouse (1972): both answer
ECONOMY = {"income": 5, "debt": 2, "cars": 0}
LIFE = {"pets": [99], "care_need": 2, "family_meals": 1}
PERSON = {  # an employed adult who commutes by subway
    **person_answers(),
    "commutes": 1, "commute_purpose": 1, "commute_mode": 4, "commute_minutes": 40,
    "commute_satisfaction": 3, "urban_risks": [1, 7], "smoking": 4,
}  # fmt: skip


def _phone(browser: Browser):
    context = browser.new_context(**PHONE)
    return context, context.new_page()


def _screen(driver: Driver, section_id: str):
    return next(s for p in driver.q.parts for s in p.sections if s.id == section_id)


def _person_part(driver: Driver) -> None:
    for section in driver.q.person.sections:
        expect(driver.page.get_by_role("heading", name=section.title.ko)).to_be_visible()
        driver.fill(section, PERSON)
        if section is driver.q.person.sections[-1]:
            driver.press("제출하기")
        else:
            driver.next_screen()
    expect(driver.page.get_by_text("제출되었습니다")).to_be_visible()


def test_household_answers_resumes_and_members_answer_on_phones(field, browser: Browser):
    server, codes, questionnaire, survey_id = field
    code = codes["code"].iloc[0]
    link = f"{server.url}/respond?t={code}"

    context, page = _phone(browser)
    driver = Driver(page, questionnaire)
    page.goto(link)
    wait_idle(page)
    expect(page.get_by_text("1 / 5 단계")).to_be_visible()
    assert not driver.visible("deposit")  # asked only of 전세 and 보증금 있는 월세
    driver.fill(_screen(driver, "housing"), HOUSING)
    assert driver.visible("deposit") and not driver.visible("monthly_rent")
    driver.next_screen()
    driver.fill(_screen(driver, "household_composition"), COMPOSITION)
    driver.next_screen()
    expect(page.get_by_text("3 / 5 단계")).to_be_visible()
    context.close()  # the browser is closed half-way

    context, page = _phone(browser)  # another phone, the same link
    driver = Driver(page, questionnaire)
    page.goto(link)
    wait_idle(page)
    expect(page.get_by_text("3 / 5 단계")).to_be_visible()
    expect(page.locator("[class*='st-key-member-']")).to_have_count(2)  # household_size 2
    for index, member in enumerate(MEMBERS):
        scope = page.locator(f".st-key-member-{index + 1}")
        assert not driver.visible("marital_status", scope)  # asked from age 15, once born is known
        driver.fill(_screen(driver, "members"), member, scope)
        assert driver.visible("marital_status", scope)
    driver.next_screen()
    driver.fill(_screen(driver, "household_economy"), ECONOMY)
    assert not driver.visible("eco_cars")  # no cars, no question about electric cars
    driver.next_screen()
    driver.fill(_screen(driver, "household_life"), LIFE)
    page.get_by_role("button", name="제출하기", exact=True).dblclick()
    wait_idle(page)
    expect(page.get_by_text("제출되었습니다")).to_be_visible()
    expect(page.get_by_text("1번 가구원 (1970년생)")).to_be_visible()

    driver.press("1번 가구원: 이 기기에서 지금 응답하기")
    _person_part(driver)
    driver.press("가구원 목록으로")
    driver.press("가구원별 개인 접속 코드 받기")
    member_code = page.locator("code").first.inner_text()
    context.close()

    context, page = _phone(browser)  # member 2 types her code on her own phone
    driver = Driver(page, questionnaire)
    page.goto(f"{server.url}/respond")
    wait_idle(page)
    page.get_by_label("접속 코드").fill(member_code.lower())
    page.get_by_role("button", name="시작하기").click()
    wait_idle(page)
    expect(page.get_by_text("2번 가구원 본인의 응답입니다.")).to_be_visible()
    _person_part(driver)
    context.close()

    server.stop()
    con = duckdb.connect(str(server.database), read_only=True)
    parts = con.execute(
        "SELECT member_no, count(*), any_value(answers) FROM responses WHERE survey_id = ?"
        " GROUP BY member_no ORDER BY member_no",
        [survey_id],
    ).fetchall()
    con.close()
    assert [(m, n) for m, n, _ in parts] == [(0, 1), (1, 1), (2, 1)]
    household = json.loads(parts[0][2])
    assert household["deposit"] == 30000 and "monthly_rent" not in household
    assert [m["birth_year"] for m in household["members"]] == [1970, 1972]
    assert json.loads(parts[1][2])["commute_minutes"] == 40


def test_out_of_range_answer_is_refused_in_korean_and_quarantined(field, browser: Browser):
    server, codes, questionnaire, survey_id = field
    context, page = _phone(browser)
    driver = Driver(page, questionnaire)
    page.goto(f"{server.url}/respond?t={codes['code'].iloc[1]}")
    wait_idle(page)
    driver.fill(_screen(driver, "housing"), {**HOUSING, "years_at_address": 150})
    driver.press("다음")
    message = questionnaire.question("years_at_address").constraint_message.ko
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(message)
    expect(page.get_by_text("1 / 5 단계")).to_be_visible()  # still on the same screen
    context.close()
    server.stop()
    con = duckdb.connect(str(server.database), read_only=True)
    held = con.execute("SELECT source, raw_record, reasons FROM quarantine").fetchall()
    con.close()
    assert held and held[0][0] == "screen:browser-2026"  # the survey's code
    assert '"years_at_address":150' in json.loads(held[0][1])["answers"]
    assert message in held[0][2] and "out_of_range" in held[0][2]


def test_switching_language_mid_screen_keeps_the_answers(field, browser: Browser):
    server, codes, questionnaire, _ = field
    context, page = _phone(browser)
    driver = Driver(page, questionnaire)
    page.goto(f"{server.url}/respond?t={codes['code'].iloc[2]}")
    wait_idle(page)
    driver.fill(_screen(driver, "housing"), {"housing_type": 2, "tenure": 1})
    selected = page.locator("[data-testid=stRadioOption][data-selected=true]")
    expect(selected).to_have_count(3)  # 한국어 and the two answers
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    expect(
        page.get_by_role("radiogroup", name=questionnaire.question("tenure").label.en)
    ).to_be_visible()
    expect(selected).to_have_count(3)
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    context.close()
