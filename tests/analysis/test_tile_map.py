"""The 25-district tile grid: every district once, one per tile, in a plausible Seoul arrangement."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from analysis.reports.tile_map import short_name, tile_chart, tiles
from data.reference import shipped_csv


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


def test_tile_chart_draws_every_district_with_its_value(districts):
    values = pd.Series(np.linspace(6.0, 7.2, 25), index=districts["code"].astype(str))
    values.iloc[0] = np.nan  # a suppressed district
    names = dict(zip(districts["code"].astype(str), districts["name_ko"], strict=True))
    figure = tile_chart(values, "행복지수", names=names)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "종로" in texts and "강남" in texts
    assert "–" in texts  # the missing value
    assert f"{values.iloc[-1]:.2f}" in texts
    assert len(figure.axes[0].patches) == 25
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_tile_chart_has_a_colour_legend_with_its_title_and_range(districts):
    values = pd.Series(np.linspace(6.0, 7.2, 25), index=districts["code"].astype(str))
    values.iloc[0] = np.nan  # a suppressed district is not part of the colour scale
    figure = tile_chart(values, "행복지수", legend="행복지수, 점 (0~10)")
    legend = figure.axes[1]  # the colour bar beside the map
    assert legend.get_ylabel() == "행복지수, 점 (0~10)"
    ends = [t.get_text() for t in legend.get_yticklabels()]
    assert ends[0] == f"{values.min():.2f}" and ends[-1] == f"{values.max():.2f}"
