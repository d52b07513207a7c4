"""In real Chromium: a survey manager builds the Seoul Survey 2026 report and downloads it.

The manager signs in, opens the reports page, builds the report (progress
bar) and downloads the Excel workbook and the PDF. The workbook is read back
(the Seoul-wide sheet's happiness index equals the published indicator
table's) and the PDF's text (``pdftotext``) carries the Korean headings and
the same estimate as printed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from analysis.reports.findings import format_value
from analysis.tables import indicator_table
from data.store import open_store
from surveys.opening import survey_by_code
from tests.browser.conftest import sign_in, wait_idle

pytestmark = pytest.mark.browser

EXCEL, PDF = "엑셀 (.xlsx) 내려받기", "PDF 내려받기"


def _sign_in(page: Page, url: str) -> None:
    sign_in(page, url, "manager", "demo-manager-2026", "보고서")


def _download(page: Page, label: str, folder: Path) -> Path:
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=label).click()
    target = folder / download.value.suggested_filename
    download.value.save_as(target)
    return target


def _seoul_happiness(database: Path) -> pd.Series:
    store = open_store(database, read_only=True)
    try:
        table = indicator_table(store, survey_by_code(store, "seoul-2026").survey_id)
    finally:
        store.close()
    happiness = table[(table["indicator"] == "happiness_index") & (table["domain"] == "seoul")]
    return happiness.iloc[0]


def test_manager_builds_and_downloads_the_report(served, browser: Browser, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _sign_in(page, served.url)
    page.get_by_role("link", name="보고서", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="보고서")).to_be_visible()
    survey = page.get_by_role("combobox", name="조사", exact=True)
    expect(survey).to_have_value(re.compile("seoul-2026"))  # the newest cross-section first
    expect(page.get_by_text("추정에서 제외된", exact=False)).to_be_visible()
    page.get_by_role("button", name="보고서 만들기").click()
    expect(page.get_by_role("button", name=EXCEL)).to_be_visible(timeout=240_000)
    wait_idle(page)
    expect(page.get_by_test_id("stProgress")).to_contain_text("완료")  # the bar reached the end
    happiness_shown = (
        page.get_by_test_id("stMetric").filter(has_text="서울 행복지수").first.inner_text()
    )
    excel = _download(page, EXCEL, tmp_path)
    pdf = _download(page, PDF, tmp_path)
    context.close()
    served.stop()  # the app holds the database file until it stops

    assert excel.name == "seoul-2026_report.xlsx" and pdf.name == "seoul-2026_report.pdf"
    expected = _seoul_happiness(served.database)
    printed = format_value(expected["estimate"], expected["unit"])
    assert printed in happiness_shown

    sheet = pd.read_excel(io.BytesIO(excel.read_bytes()), sheet_name="서울 전체")
    row = sheet[sheet["지표 ID"] == "happiness_index"].iloc[0]
    assert row["추정값"] == pytest.approx(expected["estimate"], rel=1e-12)
    assert row["표준오차"] == pytest.approx(expected["se"], rel=1e-12)

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    )
    text = done.stdout.decode("utf-8")
    for heading in ("주요 결과", "방법론", "2026 서울서베이"):
        assert heading in text
    assert f"행복지수는 {printed}점" in text
