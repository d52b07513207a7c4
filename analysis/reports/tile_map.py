"""A tile map of Seoul: the 25 autonomous districts as equal squares in their geographic places.

Why tiles: on a true map 강서구 dwarfs 중구 and the small central districts
vanish; on a tile grid every district gets the same room for its colour, name
and value, while the arrangement keeps them where a Seoul reader looks for
them. The grid lives in ``analysis/reports/district_tiles.csv`` (``code,row,col``,
row 0 at the top, column 0 at the west), drawn from the districts' centroids
and snapped to a 6 × 7 grid so that neighbours stay neighbours::

    row 0                  강북  도봉  노원
    row 1       은평  서대문 종로  성북  중랑
    row 2  강서  마포  중구  동대문 성동  광진  강동
    row 3  양천  영등포 용산  서초  강남  송파
    row 4       구로  동작
    row 5       금천  관악

(north of the Han river: rows 0–2 and 용산; 도봉/노원 top right, 은평 top left,
강서 west, 강남/송파/강동 south-east, 관악/금천 at the bottom).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import altair as alt
import pandas as pd

TILES = Path(__file__).resolve().parent / "district_tiles.csv"
MISSING_FILL = "#d9d9d9"  # a tile without a value (e.g. a suppressed estimate)
TILE_WIDTH, TILE_HEIGHT = 72, 60


def tiles(path: Path | str = TILES) -> pd.DataFrame:
    """The grid: ``code`` (district code, text), ``row`` (0 = north), ``col`` (0 = west)."""
    return pd.read_csv(path, dtype={"code": str, "row": int, "col": int})


def short_name(name_ko: str) -> str:
    """'종로구' → '종로', '중구' stays '중구' (a one-syllable stem keeps its 구)."""
    return name_ko[:-1] if name_ko.endswith("구") and len(name_ko) > 2 else name_ko


def tile_chart(
    grid: pd.DataFrame,
    title: str,
    *,
    legend: str,
    note: str = "",
    digits: int = 2,
    missing_label: str = "–",
    tooltip: Sequence[alt.Tooltip] = (),
) -> alt.LayerChart:
    """Coloured tiles with each district's name and value, and a colour legend (altair).

    ``grid`` has one row per tile: ``row``, ``col`` (from :func:`tiles`), ``label`` (the
    name written on the tile) and ``estimate`` (NaN: no value, e.g. a suppressed
    estimate: a grey tile labelled ``missing_label``), plus any columns ``tooltip`` names.
    The legend, titled ``legend`` (what is shown and its unit), spans the colour scale's
    range, the lowest to the highest value shown, its ends and middle labelled with
    ``digits`` decimals. ``note`` is printed under the title. The explorer shows the
    chart as it is; the PDF exports it with :func:`analysis.reports.vega.png`.
    """
    data = grid.copy()
    values = pd.to_numeric(data["estimate"], errors="coerce").astype("float64")
    data["estimate"] = values
    finite = values.dropna()
    low = float(finite.min()) if len(finite) else 0.0
    high = float(finite.max()) if len(finite) else 1.0
    high = high if high > low else low + 1.0
    data["shown"] = [missing_label if math.isnan(v) else f"{v:.{digits}f}" for v in values]
    data["dark"] = (values > low + 0.6 * (high - low)).fillna(False)
    n_rows, n_cols = int(data["row"].max()) + 1, int(data["col"].max()) + 1
    base = alt.Chart(data).encode(
        x=alt.X("col:O", axis=None, scale=alt.Scale(domain=list(range(n_cols)))),
        y=alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(n_rows)))),
        tooltip=list(tooltip) or alt.Undefined,
    )
    blank = base.mark_rect(stroke="white", strokeWidth=3, color=MISSING_FILL)
    ends = [low, (low + high) / 2, high]
    colour = alt.Color(
        "estimate:Q",
        scale=alt.Scale(scheme="yellowgreenblue", domain=[low, high]),
        legend=alt.Legend(title=legend, values=ends, format=f".{digits}f"),
    )
    coloured = (
        base.transform_filter("isValid(datum.estimate)")
        .mark_rect(stroke="white", strokeWidth=3)
        .encode(color=colour)
    )
    ink = alt.condition("datum.dark", alt.value("white"), alt.value("black"))
    names = base.mark_text(dy=-8, fontSize=11).encode(text="label:N", color=ink)
    shown = base.mark_text(dy=9, fontSize=11, fontWeight="bold").encode(text="shown:N", color=ink)
    heading = alt.TitleParams(title, subtitle=note) if note else title
    return alt.LayerChart(layer=[blank, coloured, names, shown]).properties(
        title=heading,
        width=n_cols * TILE_WIDTH,
        height=n_rows * TILE_HEIGHT,
        view=alt.ViewBackground(stroke=None),  # no frame around the map
    )
