"""In real Chromium, at phone and desktop sizes: where a respondent lands on each screen.

Each new screen starts at its title (scrolled to the top, the keyboard focus on the title);
a refused screen shows, at its top, every refused answer as a link to its question, with the
focus on that summary; a letter's link that does not work shows the code field with the
reason; a grid's question stem stands above the grid, and a 0–10 scale keeps its eleven
points on one row at 390 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from data.store import open_store
from surveys.fieldwork.invitations import issue_codes
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import submit
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.questionnaire_driver import Driver, wait_idle
from tests.browser.test_respond import HOUSING
from tests.surveys.conftest import household_answers

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": DESKTOP}
MAIN = "document.querySelector('[data-testid=stMain]')"


def _open(browser: Browser, size: str, url: str) -> Page:
    page = browser.new_context(**SIZES[size]).new_page()
    page.goto(url)
    wait_idle(page)
    return page


def _wait_focus_on(page: Page, text: str) -> None:
    """Wait until the focused element's text contains ``text`` (fails after 10 s)."""
    page.wait_for_function(
        "t => (document.activeElement?.innerText || '').includes(t)", arg=text, timeout=10_000
    )


def _wait_focus_inside(page: Page, key: str) -> None:
    """Wait until the focus is inside the container with widget key ``key``."""
    page.wait_for_function(
        "k => !!document.activeElement?.closest('.st-key-' + k)", arg=key, timeout=10_000
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_next_screen_starts_at_its_title(field, browser: Browser, size: str):
    server, codes, questionnaire, _ = field
    page = _open(browser, size, f"{server.url}/respond?t={codes['code'].iloc[3]}")
    driver = Driver(page, questionnaire)
    driver.fill(questionnaire.household.sections[0], HOUSING)
    page.get_by_role("button", name="다음", exact=True).scroll_into_view_if_needed()
    assert page.evaluate(f"{MAIN}.scrollTop") > 0 or size == "desktop"
    driver.next_screen()
    title = questionnaire.household.sections[1].title.ko
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.wait_for_function(f"{MAIN}.scrollTop === 0 && window.scrollY === 0", timeout=10_000)
    _wait_focus_on(page, title)
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_refused_answers_are_listed_at_the_top_with_the_focus_there(
    field, browser: Browser, size: str
):
    server, codes, questionnaire, _ = field
    page = _open(browser, size, f"{server.url}/respond?t={codes['code'].iloc[4]}")
    driver = Driver(page, questionnaire)
    driver.fill(questionnaire.household.sections[0], {"housing_type": 2})
    page.get_by_role("button", name="다음", exact=True).click()
    wait_idle(page)
    summary = page.get_by_role("alert").filter(has_text="확인이 필요한 답변")
    expect(summary).to_be_visible()
    _wait_focus_on(page, "확인이 필요한 답변")
    top = page.evaluate(f"{MAIN}.getBoundingClientRect().top")
    box = summary.bounding_box()
    assert top - 1 <= box["y"] < top + SIZES[size]["viewport"]["height"] / 2  # in sight, high
    tenure = questionnaire.question("tenure").label.ko
    expect(summary.get_by_role("link", name=tenure)).to_be_visible()
    assert summary.get_by_role("link").count() >= 5  # every required answer left empty
    summary.get_by_role("link", name=tenure).click()
    _wait_focus_inside(page, "q-tenure")
    expect(page.get_by_text("1 / 5 단계")).to_be_visible()  # still the same screen
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_letter_link_that_does_not_work_shows_the_code_field(field, browser: Browser, size):
    server, codes, _, _ = field
    page = _open(browser, size, f"{server.url}/respond?t=NOT-A-REAL-CODE")
    expect(page.get_by_test_id("stAlertContentError")).to_be_visible()
    field_box = page.get_by_label("접속 코드")
    expect(field_box).to_be_visible()
    placeholder = field_box.get_attribute("placeholder")
    assert len(placeholder.replace("-", "")) == len(codes["code"].iloc[0])  # as long as a code
    field_box.fill(codes["code_grouped"].iloc[5])
    page.get_by_role("button", name="시작하기").click()
    wait_idle(page)
    expect(page.get_by_text("1 / 5 단계")).to_be_visible()
    page.context.close()


def _member_code(server, questionnaire, survey_id: int, household_id: int) -> str:
    """Store a household's part (head and spouse 15+) and give member 1 a personal code."""
    server.stop()
    store = open_store(server.database)
    try:
        session = open_session(store, survey_id, household_id, 0)
        submit(store, questionnaire, session.submission_id, household_answers(size=3))
        codes = issue_codes(store, survey_id, [household_id], member_no=1, actor="tester")
    finally:
        store.close()
    return str(codes["code"].iloc[0])


def test_a_grid_stem_stands_above_the_grid_and_a_scale_keeps_one_row_on_a_phone(
    field, browser: Browser, demo_template, tmp_path
):
    from tests.browser.conftest import AppServer

    server, codes, questionnaire, survey_id = field
    code = _member_code(server, questionnaire, survey_id, int(codes["household_id"].iloc[6]))
    served = AppServer(server.database, tmp_path)
    try:
        page = _open(browser, "phone", f"{served.url}/respond?t={code}")
        page.screenshot(path=str(tmp_path / "grid.png"), full_page=True)
        grid = [q for q in questionnaire.person.sections[0].questions if q.grid == "happiness"]
        stem = page.get_by_text(grid[0].help.ko, exact=True)
        expect(stem).to_have_count(1)
        first = page.get_by_role("radiogroup", name=grid[0].label.ko, exact=True)
        assert stem.bounding_box()["y"] < first.bounding_box()["y"]
        for question in grid:
            options = page.get_by_role("radiogroup", name=question.label.ko, exact=True).locator(
                "[data-testid=stRadioOption]"
            )
            expect(options).to_have_count(11)
            boxes = [options.nth(i).bounding_box() for i in range(11)]
            spread = max(b["y"] for b in boxes) - min(b["y"] for b in boxes)
            assert spread < boxes[0]["height"] / 2, f"{question.name}: 0–10 wraps onto 2 rows"
            right = options.nth(10).bounding_box()
            assert right["x"] + right["width"] <= PHONE["viewport"]["width"]
        page.context.close()
    finally:
        served.stop()
