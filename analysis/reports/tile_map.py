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

from collections.abc import Mapping
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

TILES = Path(__file__).resolve().parent / "district_tiles.csv"
FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
KOREAN_FONT = "NanumGothic"


def use_korean_font() -> bool:
    """Make matplotlib draw Hangul with NanumGothic (Debian fonts-nanum); False if missing.

    Figures are made with :class:`matplotlib.figure.Figure` directly (no pyplot,
    no GUI backend), so charts can be drawn from any thread of the app.
    """
    found = False
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        path = FONT_DIR / name
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            found = True
    if found:
        matplotlib.rcParams["font.family"] = KOREAN_FONT
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found


def tiles(path: Path | str = TILES) -> pd.DataFrame:
    """The grid: ``code`` (district code, text), ``row`` (0 = north), ``col`` (0 = west)."""
    return pd.read_csv(path, dtype={"code": str, "row": int, "col": int})


def short_name(name_ko: str) -> str:
    """'종로구' → '종로', '중구' stays '중구' (a one-syllable stem keeps its 구)."""
    return name_ko[:-1] if name_ko.endswith("구") and len(name_ko) > 2 else name_ko


def tile_chart(
    values: pd.Series,
    title: str = "",
    *,
    names: Mapping[str, str] | None = None,
    value_format: str = "{:.2f}",
    cmap: str = "YlGnBu",
    missing_label: str = "–",
    note: str = "",
    legend: str = "",
) -> Figure:
    """Coloured tiles with each district's short name and value, and a colour legend.

    ``values`` is indexed by district code (text); districts without a value
    (or with NaN, e.g. a suppressed estimate) are grey and labelled
    ``missing_label``. ``names`` maps codes to Korean names (default: the code).
    The legend (a colour bar beside the map, titled ``legend`` — what is shown and
    its unit) runs over the colour scale's range, the lowest to the highest value
    shown, both ends labelled with ``value_format``.
    """
    grid = tiles()
    values = pd.Series(values, dtype="float64")
    values.index = values.index.astype(str)
    known = values.reindex(grid["code"])
    finite = known.dropna()
    norm = Normalize(
        vmin=float(finite.min()) if len(finite) else 0.0,
        vmax=float(finite.max()) if len(finite) and finite.max() > finite.min() else 1.0,
    )
    use_korean_font()
    colours = matplotlib.colormaps[cmap]
    n_rows, n_cols = int(grid["row"].max()) + 1, int(grid["col"].max()) + 1
    figure = Figure(figsize=(n_cols * 0.95 + 0.9, n_rows * 0.95 + 0.6), dpi=150)
    axes = figure.subplots()
    for code, row, col in grid.itertuples(index=False):
        value = known.get(code, np.nan)
        fill = (0.85, 0.85, 0.85, 1.0) if pd.isna(value) else colours(norm(value))
        axes.add_patch(Rectangle((col, -row), 0.94, -0.94, facecolor=fill, edgecolor="white"))
        dark = not pd.isna(value) and norm(value) > 0.6
        ink = "white" if dark else "black"
        label = short_name((names or {}).get(code, code))
        shown = missing_label if pd.isna(value) else value_format.format(value)
        axes.text(col + 0.47, -row - 0.33, label, ha="center", va="center", fontsize=8, color=ink)
        axes.text(col + 0.47, -row - 0.64, shown, ha="center", va="center", fontsize=8,
                  color=ink, fontweight="semibold")  # fmt: skip
    axes.set_xlim(-0.05, n_cols)
    axes.set_ylim(-n_rows - 0.05, 0.05)
    axes.set_aspect("equal")
    axes.axis("off")
    _colour_legend(figure, axes, norm, colours, legend, value_format)
    if title:
        axes.set_title(title, fontsize=11)
    if note:
        figure.text(0.5, 0.02, note, ha="center", fontsize=7, color="0.35")
    figure.tight_layout()
    return figure


def _colour_legend(
    figure: Figure, axes, norm: Normalize, colours, legend: str, value_format: str
) -> None:
    """A colour bar beside the map: its title, and the scale's lowest, middle and highest value."""
    bar = figure.colorbar(
        ScalarMappable(norm=norm, cmap=colours), ax=axes, fraction=0.035, pad=0.02, shrink=0.8
    )
    ticks = [norm.vmin, (norm.vmin + norm.vmax) / 2, norm.vmax]
    bar.set_ticks(ticks, labels=[value_format.format(v) for v in ticks])
    bar.ax.tick_params(labelsize=7)
    bar.outline.set_visible(False)
    if legend:
        bar.set_label(legend, fontsize=8)
