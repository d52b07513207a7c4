"""The report's charts, as PNG bytes for the PDF.

Three charts carry the key findings: the happiness index on the 25-district
tile map (its colour legend names the index and its unit and spans the scale's
range), the same as a sorted bar chart with each district's 95 % interval
and the Seoul average marked, and the Seoul-wide changes since the previous
survey. A panel wave adds the answers to its single-choice questions
(weighted percentages with 95 % intervals, one panel per question). The indicators have different units (points, %, minutes), so the
change chart shows each change relative to the previous estimate, with its
95 % interval, and colours the changes significant at 5 %.

The tile map and the district bars are the explorer's own charts
(:func:`analysis.reports.tile_map.tile_chart`,
:func:`analysis.reports.estimate_bars.district_bars`: altair), exported with
vl-convert (:mod:`analysis.reports.vega`); the change and question charts exist
for the PDF only and are drawn by matplotlib (Agg, no pyplot). Both draw their
Korean text in NanumGothic (:mod:`analysis.reports.fonts`).
"""

from __future__ import annotations

import io
import textwrap

import altair as alt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.reports import vega
from analysis.reports.content import ReportContent
from analysis.reports.estimate_bars import district_bars
from analysis.reports.findings import format_value, signed_change
from analysis.reports.fonts import use_korean_font
from analysis.reports.tile_map import short_name, tile_chart, tiles

SIGNIFICANT, NOT_SIGNIFICANT = "#c0392b", "#a6acaf"
BARS_WIDTH = 440  # px: the bars' plotting width in the PDF's picture


def png(figure: Figure, dpi: int = 150) -> bytes:
    """The matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _happiness(content: ReportContent) -> tuple[pd.DataFrame, pd.Series]:
    """The districts' and the Seoul-wide happiness index rows (only for ``has_happiness``)."""
    districts, seoul = content.happiness_by_district, content.happiness_seoul
    if districts is None or seoul is None:
        raise ValueError("this report has no happiness index (content.has_happiness is false)")
    return districts, seoul


def _seoul(seoul: pd.Series) -> tuple[str, str]:
    """The Seoul-wide happiness index as printed, and its unit."""
    unit = str(seoul["unit"])
    return format_value(seoul["estimate"], unit), unit


def happiness_tile_chart(content: ReportContent) -> alt.LayerChart:
    """The happiness index of each district on the tile map (suppressed districts grey, '–'),
    with a colour legend naming the index and its unit."""
    districts, seoul_row = _happiness(content)
    values = districts.assign(code=districts["district_code"].astype(str))
    grid = tiles().merge(values[["code", "name_ko", "estimate"]], on="code", how="left")
    grid["label"] = grid["name_ko"].fillna(grid["code"]).map(short_name)
    seoul, unit = _seoul(seoul_row)
    return tile_chart(
        grid,
        "자치구별 행복지수 (0~10점)",
        note=f"서울 평균 {seoul}점 · 회색(–): 공표하지 않는 추정값",
        legend=f"행복지수, {unit}",
    )


def happiness_tiles(content: ReportContent) -> bytes:
    """:func:`happiness_tile_chart` as PNG bytes, for the PDF."""
    return vega.png(happiness_tile_chart(content))


def happiness_bar_chart(content: ReportContent) -> alt.LayerChart:
    """Districts sorted by the happiness index (highest first), 95 % intervals, the Seoul
    average as a red dashed line; suppressed districts are left out."""
    districts, seoul_row = _happiness(content)
    districts = districts.dropna(subset=["estimate"])
    rows = districts.assign(group=districts["name_ko"].map(short_name))
    seoul, _ = _seoul(seoul_row)
    chart = district_bars(
        rows[["group", "estimate", "ci_low", "ci_high"]],
        "자치구별 행복지수 (높은 순)",
        axis_title="행복지수 (점, 검은 선: 95% 신뢰구간)",
        seoul=float(seoul_row["estimate"]),
        subtitle=f"빨간 점선: 서울 평균 {seoul}점",
    )
    return chart.properties(width=BARS_WIDTH)


def happiness_bars(content: ReportContent) -> bytes:
    """:func:`happiness_bar_chart` as PNG bytes, for the PDF."""
    return vega.png(happiness_bar_chart(content))


def changes_chart(changes: pd.DataFrame, previous_name: str) -> bytes:
    """Relative change (%) of each Seoul-wide indicator since the survey compared with, 95 % CI.

    ``previous_name`` names it in the titles: "2025년", "1차".
    """
    use_korean_font()
    shown = changes.dropna(subset=["difference"]).iloc[::-1]
    base = shown["estimate_b"].abs().to_numpy()
    relative = shown["difference"].to_numpy() / base * 100
    low = shown["ci_low"].to_numpy() / base * 100
    high = shown["ci_high"].to_numpy() / base * 100
    figure = Figure(figsize=(7.0, 0.42 * len(shown) + 1.4), dpi=150)
    axes = figure.subplots()
    positions = np.arange(len(shown))
    colours = np.where(shown["significant"], SIGNIFICANT, NOT_SIGNIFICANT)
    axes.barh(positions, relative, color=colours)
    axes.errorbar(
        relative,
        positions,
        xerr=[relative - low, high - relative],
        fmt="none",
        ecolor="0.25",
        lw=0.8,
    )
    axes.axvline(0, color="0.2", lw=0.8)
    labels = [
        f"{name} ({signed_change(d, unit)}{'*' if s else ''})"
        for name, d, unit, s in zip(
            shown["name_ko"], shown["difference"], shown["unit"], shown["significant"], strict=True
        )
    ]
    axes.set_yticks(positions, labels, fontsize=7.5)
    axes.set_xlabel(f"{previous_name} 대비 변화율 (%, 막대: 95% 신뢰구간)", fontsize=8)
    axes.set_title(f"{previous_name} 대비 주요 지표 변화 (* 5% 수준에서 유의)", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return png(figure)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def question_chart(results: pd.DataFrame, limit: int = 8) -> bytes | None:
    """Seoul-wide percentages of each choice of the first ``limit`` single-choice questions.

    One panel per question, bars with 95 % intervals; suppressed shares are left out.
    ``results`` is :func:`analysis.reports.question_results.question_results`. None when the
    questionnaire has no single-choice question.
    """
    seoul = results[(results["domain"] == "seoul") & (results["type"] == "single")]
    questions = list(dict.fromkeys(seoul["question"]))[:limit]
    if not questions:
        return None
    use_korean_font()
    columns = 2 if len(questions) > 1 else 1
    rows = -(-len(questions) // columns)
    figure = Figure(figsize=(7.4, 2.7 * rows), dpi=150)
    grid = figure.subplots(rows, columns, squeeze=False)
    for axes in grid.flat[len(questions) :]:
        axes.set_visible(False)
    for axes, name in zip(grid.flat, questions, strict=False):
        part = seoul[seoul["question"] == name].iloc[::-1]
        positions = np.arange(len(part))
        estimate = part["estimate"].to_numpy(dtype=float)
        shown = ~np.isnan(estimate)
        axes.barh(positions[shown], estimate[shown], color="#5dade2")
        errors = np.vstack(
            [estimate - part["ci_low"].to_numpy(dtype=float),
             part["ci_high"].to_numpy(dtype=float) - estimate]
        )[:, shown]  # fmt: skip
        axes.errorbar(
            estimate[shown], positions[shown], xerr=errors, fmt="none", ecolor="0.3", lw=0.7
        )
        for y, value in zip(positions[shown], estimate[shown], strict=True):
            axes.text(value, y, f" {value:.1f}", va="center", fontsize=6)
        axes.set_yticks(positions, [_wrap(c, 14) for c in part["choice_ko"]], fontsize=6)
        axes.set_xlim(0, min(100.0, float(np.nanmax(part["ci_high"], initial=10.0)) * 1.15))
        axes.set_title(_wrap(part["label_ko"].iloc[0], 30), fontsize=7.5)
        axes.tick_params(axis="x", labelsize=6)
        axes.spines[["top", "right"]].set_visible(False)
    figure.suptitle("문항별 응답 분포 (가중 %, 막대: 95% 신뢰구간)", fontsize=10)
    figure.tight_layout()
    return png(figure)
