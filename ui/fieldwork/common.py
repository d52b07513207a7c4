"""What the fieldwork sections share: chart sizes, labels of screens (parts) and quality flags,
times and percentages as text, the language's name column."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import streamlit as st

from ui.glossary import MISSING, labeller
from ui.i18n import lang

ROW = 24  # pixels per category of a chart with one row per category
AXES = 70  # Streamlit counts axes and titles in a chart's height
ROW_LABELS = alt.Axis(labelOverlap=False, labelLimit=200)
NOTICE = "fw_notice"  # a success message carried over the rerun after a change

part_label = labeller("part")
flag_label = labeller("quality_flag")


def flags_text(flags: str) -> str:
    return ", ".join(flag_label(f) for f in flags.split(",") if f)


def lookup(labels: dict[Any, str]) -> Any:
    """A selectbox's format_func: the label of an option, and a label unchanged (AppTest)."""
    return lambda option: labels.get(option, str(option))


def mmss(seconds: float) -> str:
    """Seconds as minutes:seconds ('–' when there is no time)."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    whole = int(round(float(seconds)))
    return f"{whole // 60}:{whole % 60:02d}"


def percent(share: float) -> str:
    return MISSING if share is None or math.isnan(share) else f"{100 * share:.1f}%"


def name_column() -> str:
    return "name_en" if lang() == "en" else "name_ko"


def show_chart(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")
