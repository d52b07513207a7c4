"""The 25-district tile grid: every district once, one per tile, in a plausible Seoul arrangement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.reports.tile_map import short_name, tile_chart, tiles
from data.reference import shipped_csv
from tests.analysis.svg_text import svg_marks, svg_texts


@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    return tiles()


@pytest.fixture(scope="module")
def districts() -> pd.DataFrame:
    return shipped_csv("districts")


def _place(grid: pd.DataFrame, districts: pd.DataFrame, name_ko: str) -> tuple[int, int]:
    code = districts.loc[districts["name_ko"] == name_ko, "code"].iloc[0]
    row = grid[grid["code"] == str(code)].iloc[0]
    return int(row["row"]), int(row["col"])


def test_every_district_once_and_only_districts(grid, districts):
    assert len(grid) == 25
    assert grid["code"].is_unique
    assert set(grid["code"]) == set(districts["code"].astype(str))


def test_no_two_districts_share_a_tile(grid):
    assert not grid.duplicated(["row", "col"]).any()
    assert (grid[["row", "col"]] >= 0).all().all()


def test_the_grid_is_connected(grid):
    tiles_ = set(zip(grid["row"], grid["col"], strict=True))
    seen, todo = set(), [next(iter(tiles_))]
    while todo:
        r, c = todo.pop()
        if (r, c) in seen:
            continue
        seen.add((r, c))
        todo += [n for n in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)) if n in tiles_]
    assert seen == tiles_


@pytest.mark.parametrize(
    ("a", "relation", "b"),
    [
        ("강남구", "south-east of", "종로구"),
        ("도봉구", "north of", "강남구"),
        ("노원구", "east of", "은평구"),
        ("강서구", "west of", "강동구"),
        ("관악구", "south of", "용산구"),
        ("송파구", "east of", "서초구"),
        ("금천구", "south of", "영등포구"),
        ("은평구", "north-west of", "중구"),
    ],
)
def test_geographic_arrangement(grid, districts, a, relation, b):
    (ra, ca), (rb, cb) = _place(grid, districts, a), _place(grid, districts, b)
    checks = {
        "south-east of": ra > rb and ca > cb,
        "north-west of": ra < rb and ca < cb,
        "north of": ra < rb,
        "south of": ra > rb,
        "east of": ca > cb,
        "west of": ca < cb,
    }
    assert checks[relation], f"{a} should be {relation} {b}: {(ra, ca)} vs {(rb, cb)}"


def test_short_names():
    assert short_name("종로구") == "종로"
    assert short_name("중구") == "중구"
    assert short_name("동대문구") == "동대문"


def _grid(districts: pd.DataFrame) -> pd.DataFrame:
    """The tiles with the districts' short names and values 6.0 … 7.2, 종로구 suppressed."""
    values = pd.DataFrame(
        {"code": districts["code"].astype(str), "name_ko": districts["name_ko"]}
    ).assign(estimate=np.linspace(6.0, 7.2, 25))
    values.loc[values["name_ko"] == "종로구", "estimate"] = np.nan
    grid = tiles().merge(values, on="code")
    return grid.assign(label=grid["name_ko"].map(short_name))


def _layer_data(spec: dict, layer: int) -> list[dict]:
    """The rows a layer of the chart draws (altair puts the data in ``datasets``)."""
    name = spec["layer"][layer].get("data", spec.get("data"))["name"]
    return spec["datasets"][name]


def test_tile_chart_draws_every_district_with_its_value(districts):
    grid = _grid(districts)
    chart = tile_chart(grid, "행복지수", legend="행복지수, 점 (0~10)")
    spec = chart.to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "rect", "text", "text"]  # grey tiles, coloured tiles, names, values
    rows = _layer_data(spec, 0)
    assert len(rows) == 25
    assert {(r["row"], r["col"]) for r in rows} == set(
        zip(tiles()["row"], tiles()["col"], strict=True)
    )
    labels = {r["label"]: r["shown"] for r in rows}
    assert labels["종로"] == "–"  # the suppressed district: a grey tile with a dash
    assert labels["강남"] == f"{grid.set_index('label').loc['강남', 'estimate']:.2f}"
    assert spec["layer"][2]["encoding"]["text"]["field"] == "label"
    assert spec["layer"][3]["encoding"]["text"]["field"] == "shown"
    assert spec["layer"][1]["transform"] == [{"filter": "isValid(datum.estimate)"}]


def test_tile_chart_has_a_colour_legend_with_its_title_and_range(districts):
    grid = _grid(districts)
    chart = tile_chart(grid, "행복지수", legend="행복지수, 점 (0~10)")
    colour = chart.to_dict()["layer"][1]["encoding"]["color"]
    shown = grid["estimate"].dropna()
    assert colour["legend"]["title"] == "행복지수, 점 (0~10)"
    assert colour["scale"]["domain"] == [shown.min(), shown.max()]
    ends = colour["legend"]["values"]
    assert (ends[0], ends[-1]) == (shown.min(), shown.max())
    assert colour["legend"]["format"] == ".2f"


def test_tile_chart_names_and_values_are_in_the_exported_picture(districts):
    from analysis.reports import vega

    grid = _grid(districts)
    svg = vega.svg(tile_chart(grid, "행복지수", legend="행복지수, 점 (0~10)"))
    texts = svg_texts(svg)
    assert {"종로", "강남", "동대문", "–", "7.20"} <= set(texts["mark-text role-mark"])
    assert len(svg_marks(svg, "layer_0_marks")) == 25  # every district's tile
    assert len(svg_marks(svg, "layer_1_marks")) == 24  # coloured: all but the suppressed one
    legend = texts["mark-text role-legend-label"]
    shown = grid["estimate"].dropna()
    assert (legend[0], legend[-1]) == (f"{shown.min():.2f}", f"{shown.max():.2f}")
    assert texts["mark-text role-legend-title"] == ["행복지수, 점 (0~10)"]
