"""In real Chromium: a statistician explores an indicator, then excludes a flagged speeder.

The first test picks an indicator on the explorer and sees its chart, its table and the
Seoul-wide estimate. The second excludes a speeder on the fieldwork page and sees the
explorer's estimate change to exactly the value computed independently, on another copy of
the database, by excluding the same response through the domain functions.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Browser, Page, expect

from analysis.exclusions import exclude
from analysis.tables import indicator_table
from data.store import open_store
from surveys.fieldwork.quality import quality_flags
from surveys.opening import survey_by_code
from tests.browser.conftest import choose, sign_in
from tests.browser.questionnaire_driver import wait_idle

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1400, "height": 1000}}


def _seoul(table, indicator: str) -> float:
    row = table[(table["indicator"] == indicator) & (table["domain"] == "seoul")]
    return float(row["estimate"].iloc[0])


def _sign_in(page: Page, url: str) -> None:
    sign_in(page, url, "statistician", "demo-stat-2026", "탐색")


def _seoul_metric(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="서울 전체").first
    expect(metric).to_be_visible(timeout=30_000)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_a_statistician_picks_an_indicator_and_sees_chart_table_and_estimate(
    served, demo_template, browser: Browser
):
    store = open_store(demo_template, read_only=True)
    try:
        table = indicator_table(store, survey_by_code(store, "seoul-2026").survey_id)
    finally:
        store.close()
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    _sign_in(page, served.url)
    page.get_by_role("link", name="탐색", exact=True).click()
    wait_idle(page)
    assert _seoul_metric(page) == f"{_seoul(table, 'happiness_index'):.3f}"  # the default
    indicators = page.locator(".st-key-ex_indicators")
    indicators.get_by_role("button", name="Clear all").click(timeout=5_000)  # start afresh
    wait_idle(page)
    indicators.locator("input").fill("삶의 만족도")
    page.get_by_role("option").filter(has_text="삶의 만족도").first.click()
    wait_idle(page)
    assert _seoul_metric(page) == f"{_seoul(table, 'life_satisfaction'):.3f}"
    expect(page.locator("[data-testid=stVegaLiteChart]").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    context.close()


def test_an_excluded_speeder_changes_the_estimate_exactly_as_computed_independently(
    served, demo_template, tmp_path, browser: Browser
):
    # independently, on another copy: the same exclusion through the domain functions
    copy = tmp_path / "expected.duckdb"
    shutil.copy(demo_template, copy)
    store = open_store(copy)
    try:
        survey_id = survey_by_code(store, "seoul-2026").survey_id
        before = _seoul(indicator_table(store, survey_id), "happiness_index")
        flags = quality_flags(store, survey_id)
        speeder = flags[flags["speeder"] & (flags["member_no"] > 0)].iloc[0]
        household, member = int(speeder["household_id"]), int(speeder["member_no"])
        exclude(store, survey_id, household, member, reason="speeder", actor="test")
        expected = _seoul(indicator_table(store, survey_id), "happiness_index")
    finally:
        store.close()
    assert f"{expected:.3f}" != f"{before:.3f}"

    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    _sign_in(page, served.url)
    page.get_by_role("link", name="탐색", exact=True).click()
    wait_idle(page)
    assert _seoul_metric(page) == f"{before:.3f}"

    page.get_by_role("link", name="현장 점검", exact=True).click()
    wait_idle(page)
    choose(page, "fw_survey", "seoul-2026")
    choose(page, "fw_flag", "과속 응답")
    choose(page, "fw_ex_part", f"{household}-{member} (")
    page.locator(".st-key-fw_ex_reason input").fill("응답 시간이 중앙값의 1/3 미만")
    page.get_by_role("button", name="제외", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("추정에서").first).to_be_visible()

    page.get_by_role("link", name="탐색", exact=True).click()
    wait_idle(page)
    assert _seoul_metric(page) == f"{expected:.3f}"
    context.close()
