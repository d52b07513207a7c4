"""The report's charts: the explorer's tile map and district bars, exported for the PDF with
their Korean text drawn in NanumGothic; the tile map says what its colours mean."""

from __future__ import annotations

import io
from types import SimpleNamespace

import altair as alt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from analysis.reports import charts, vega
from analysis.reports.fonts import FAMILY
from analysis.reports.tile_map import short_name
from data.reference import shipped_csv
from tests.analysis.svg_text import svg_fonts, svg_marks, svg_texts


@pytest.fixture(scope="module")
def content() -> SimpleNamespace:
    districts = shipped_csv("districts")
    estimate = np.linspace(5.9, 7.3, len(districts))
    by_district = pd.DataFrame(
        {
            "district_code": districts["code"].astype(str),
            "name_ko": districts["name_ko"],
            "estimate": estimate,
            "ci_low": estimate - 0.25,
            "ci_high": estimate + 0.25,
        }
    )
    by_district.loc[by_district["name_ko"] == "중구", ["estimate", "ci_low", "ci_high"]] = np.nan
    seoul = pd.Series({"estimate": 6.7, "unit": "점 (0~10)"})
    return SimpleNamespace(happiness_by_district=by_district, happiness_seoul=seoul)


def _ink(png: bytes) -> int:
    """How many pixels are dark: a picture whose text or marks did not draw has few or none."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return int((grey < 128).sum())


def test_the_reports_tile_map_has_a_legend_with_the_index_and_its_unit(content):
    colour = charts.happiness_tile_chart(content).to_dict()["layer"][1]["encoding"]["color"]
    assert colour["legend"]["title"] == "행복지수, 점 (0~10)"
    svg = vega.svg(charts.happiness_tile_chart(content))
    texts = svg_texts(svg)
    assert texts["mark-text role-legend-title"] == ["행복지수, 점 (0~10)"]
    legend = texts["mark-text role-legend-label"]
    assert (legend[0], legend[-1]) == ("5.90", "7.30")


def test_the_reports_tile_map_shows_every_district_and_the_suppressed_one_grey(content):
    svg = vega.svg(charts.happiness_tile_chart(content))
    texts = svg_texts(svg)
    tiles = texts["mark-text role-mark"]
    assert {"종로", "강남", "중구", "–", "7.30"} <= set(tiles)
    assert len(svg_marks(svg, "layer_0_marks")) == 25
    assert len(svg_marks(svg, "layer_1_marks")) == 24  # 중구 is suppressed: grey, '–'
    assert texts["mark-text role-title-text"] == ["자치구별 행복지수 (0~10점)"]
    assert texts["mark-text role-title-subtitle"] == [
        "서울 평균 6.70점 · 회색(–): 공표하지 않는 추정값"
    ]


def test_the_district_bars_are_sorted_with_the_seoul_average_marked(content):
    chart = charts.happiness_bar_chart(content)
    spec = chart.to_dict()
    bars, errors, average = spec["layer"]
    order = bars["encoding"]["y"]["sort"]
    shown = content.happiness_by_district.dropna(subset=["estimate"])
    expected = shown.sort_values("estimate", ascending=False)["name_ko"].map(short_name).tolist()
    assert order == expected and "중구" not in order  # highest first; the suppressed left out
    assert (average["mark"]["type"], average["mark"]["strokeDash"]) == ("rule", [5, 4])
    assert spec["datasets"][average["data"]["name"]] == [{"seoul": 6.7}]
    svg = vega.svg(chart)
    texts = svg_texts(svg)
    assert texts["mark-text role-title-text"] == ["자치구별 행복지수 (높은 순)"]
    assert texts["mark-text role-title-subtitle"] == ["빨간 점선: 서울 평균 6.70점"]
    assert texts["mark-text role-axis-title"] == ["행복지수 (점, 검은 선: 95% 신뢰구간)"]
    assert texts["mark-text role-axis-label"][-len(expected) :] == expected  # top to bottom
    assert len(svg_marks(svg, "layer_0_marks")) == 24


@pytest.mark.parametrize("chart", ["happiness_tile_chart", "happiness_bar_chart"])
def test_exported_charts_draw_their_korean_text_in_nanum_gothic(content, chart):
    drawn = getattr(charts, chart)(content)
    assert svg_fonts(vega.svg(drawn)) == {FAMILY}  # every text: titles, labels, legend
    png = vega.png(drawn)
    assert png.startswith(b"\x89PNG")
    picture = Image.open(io.BytesIO(png))
    assert picture.width > 800 and picture.height > 500
    colours = np.unique(np.asarray(picture.convert("RGB")).reshape(-1, 3), axis=0)
    assert len(colours) > 20  # colours, not a blank page
    assert _ink(png) > 1000


def test_hangul_is_drawn_in_the_found_font_not_left_out():
    """vl-convert draws nothing for a font it does not have: the ink is NanumGothic's glyphs."""
    words = alt.Chart(pd.DataFrame({"x": [0]})).mark_text(text="서울 행복지수", fontSize=30)
    words = words.properties(width=300, height=60)
    assert _ink(vega.png(words, scale=1)) > 500
    unknown = words.mark_text(text="서울 행복지수", fontSize=30, font="NoSuchFont")
    assert _ink(vega.png(unknown, scale=1)) == 0
