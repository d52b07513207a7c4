"""Estimates as horizontal bars with their 95 % intervals (altair), drawn once for the
explorer (``st.altair_chart``) and the PDF (exported by :mod:`analysis.reports.vega`).

:func:`estimate_bars` draws any domain's estimates (a sex, an age group, …);
:func:`district_bars` sorts the districts from the highest estimate down and marks
the Seoul average with a red dashed line. The words (title, axis, tooltips) come from
the caller, in its language.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

BAR, AVERAGE = "#4c78a8", "red"


def estimate_bars(
    rows: pd.DataFrame,
    title: str,
    *,
    axis_title: str,
    order: Sequence[str] | None = None,
    tooltip: Sequence[alt.Tooltip] = (),
    subtitle: str = "",
) -> alt.LayerChart:
    """One bar per ``group`` (top to bottom in ``order``, else as given) to its ``estimate``,
    a black line from ``ci_low`` to ``ci_high``; a suppressed (NaN) estimate has no bar."""
    bars, errors = _bars(rows, axis_title, order, tooltip)
    return alt.LayerChart(layer=[bars, errors]).properties(
        title=_title(title, subtitle), height=_height(rows)
    )


def district_bars(
    rows: pd.DataFrame,
    title: str,
    *,
    axis_title: str,
    seoul: float,
    tooltip: Sequence[alt.Tooltip] = (),
    subtitle: str = "",
) -> alt.LayerChart:
    """The districts' bars sorted from the highest estimate down, with the Seoul average
    ``seoul`` as a red dashed line across them (the title or subtitle says so)."""
    order = rows.sort_values("estimate", ascending=False)["group"].tolist()
    bars, errors = _bars(rows, axis_title, order, tooltip)
    average = alt.Chart(pd.DataFrame({"seoul": [float(seoul)]}))
    rule = average.mark_rule(color=AVERAGE, strokeDash=[5, 4], size=1.5).encode(x="seoul:Q")
    return alt.LayerChart(layer=[bars, errors, rule]).properties(
        title=_title(title, subtitle), height=_height(rows)
    )


def _bars(
    rows: pd.DataFrame,
    axis_title: str,
    order: Sequence[str] | None,
    tooltip: Sequence[alt.Tooltip],
) -> tuple[alt.Chart, alt.Chart]:
    data = rows.copy()
    y = alt.Y(
        "group:N",
        sort=list(order) if order is not None else list(data["group"]),
        title=None,
        axis=alt.Axis(labelOverlap=False, labelLimit=200),
    )
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(color=BAR).encode(
        x=alt.X("estimate:Q", title=axis_title), tooltip=list(tooltip) or alt.Undefined
    )
    errors = base.mark_rule(color="black").encode(x="ci_low:Q", x2="ci_high:Q")
    return bars, errors


def _title(title: str, subtitle: str) -> str | alt.TitleParams:
    return alt.TitleParams(title, subtitle=subtitle) if subtitle else title


def _height(rows: pd.DataFrame) -> int:
    return max(120, 22 * len(rows))
