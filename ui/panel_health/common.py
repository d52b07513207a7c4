"""What the panel health tabs share: the names of districts, household types and sizes,
waves, statuses and match levels in the chosen language, and the charts' row sizes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from data.reference import stored_table
from data.store import Store
from ui.glossary import label, labeller
from ui.i18n import lang, t

ROW = 24  # pixels per category of a chart with one row per category
AXES = 70  # Streamlit counts axes and titles in a chart's height
ROW_LABELS = alt.Axis(labelOverlap=False, labelLimit=160)  # every category named


@dataclass(frozen=True)
class Labels:
    """Names of the codes the page shows, in the chosen language."""

    districts: dict[str, str]
    household_types: dict[int, str]
    sizes: dict[int, str]

    def district(self, code: Any) -> str:
        return "–" if missing(code) else self.districts.get(str(code), str(code))

    def household_type(self, code: Any) -> str:
        return "–" if missing(code) else self.household_types.get(int(code), str(code))


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def code_labels(store: Store) -> Labels:
    name = "name_ko" if lang() == "ko" else "name_en"
    label = "label_ko" if lang() == "ko" else "label_en"
    districts = stored_table(store, "districts")
    types = stored_table(store, "household_types")
    sizes = stored_table(store, "household_sizes")
    return Labels(
        dict(zip(districts["code"].astype(str), districts[name], strict=True)),
        dict(zip(types["code"].astype(int), types[label], strict=True)),
        dict(zip(sizes["code"].astype(int), sizes[label], strict=True)),
    )


status_label = labeller("panel_status")


def wave_label(wave_no: Any) -> str:
    return t("ph_wave_outside") if int(wave_no) == 0 else t("ph_wave_n", n=int(wave_no))


def level_label(level: int) -> str:
    return label("match_level", int(level))


def show_chart(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")
