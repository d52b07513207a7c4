"""A panel wave's report carries the wave's AAPOR dispositions and rates in its methodology."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from panel.outcomes import wave_rates
from panel.reports import RATE_SECTION, rate_section, survey_report
from surveys.opening import survey_by_code


def test_the_rate_section_gives_seoul_then_every_district_as_the_outcomes_say(demo_store):
    wave = survey_by_code(demo_store, "panel-2026-w3").survey_id
    section = rate_section(demo_store, wave)
    overall = wave_rates(demo_store, wave).iloc[0]
    seoul = section.iloc[0]
    assert seoul["구분"] == "서울 전체"
    assert seoul["조사 대상"] == overall["invited"] and seoul["완료(I)"] == overall["I"]
    assert seoul["RR1"] == pytest.approx(overall["RR1"])
    assert seoul["REF1"] == pytest.approx(overall["REF1"])
    districts = section.iloc[1:]
    assert districts["조사 대상"].sum() == overall["invited"]
    assert "종로구" in set(districts["구분"])


def test_a_wave_report_prints_its_aapor_rates_and_a_cross_section_report_does_not(demo_store):
    wave = survey_by_code(demo_store, "panel-2026-w1").survey_id
    report = survey_report(demo_store, wave)
    methodology = pd.read_excel(io.BytesIO(report.excel), sheet_name="방법론", header=None)
    text = methodology.astype(str).to_string()
    assert RATE_SECTION in text and "RR1" in text and "COOP1" in text
    seoul = survey_by_code(demo_store, "seoul-2026").survey_id
    cross = survey_report(demo_store, seoul)
    methodology = pd.read_excel(io.BytesIO(cross.excel), sheet_name="방법론", header=None)
    assert RATE_SECTION not in methodology.astype(str).to_string()
    assert cross.summary["kind"] == "cross_section"


def test_the_rate_section_says_it_counts_the_dispositions_recorded_when_the_report_is_made(
    demo_store,
):
    wave = survey_by_code(demo_store, "panel-2026-w3").survey_id
    section = rate_section(demo_store, wave)
    assert section["기준"].nunique() == 1
    assert section["기준"].iloc[0].startswith("응답 결과 기록, 보고서 작성 시점 ")
