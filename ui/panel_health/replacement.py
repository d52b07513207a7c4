"""Panel health, replacement tab: replacements by wave and match level, and the log of who
replaced whom."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data.spreadsheet_safety import csv_bytes
from data.store import Store
from panel.health import MATCH_LEVELS, replacement_log, replacements_by
from ui.audit_trail import audited_download
from ui.glossary import labeller
from ui.i18n import t
from ui.panel_health.common import Labels, level_label, show_chart, wave_label

LOG_ROWS = 50  # replacements shown on the page; the download has them all
LEVEL_COLOURS = ["#2171b5", "#6baed6", "#fd8d3c", "#de2d26"]  # match levels 0..3


def replacement_section(store: Store, labels: Labels) -> None:
    st.markdown(f"**{t('ph_repl_chart')}**")
    by_wave = replacements_by(store, ["wave_no"])
    if by_wave.empty:
        st.info(t("ph_none"))
    else:
        show_chart(_replacement_bars(by_wave))
    st.markdown(f"**{t('ph_log')}**")
    log = replacement_log(store)
    if log.empty:
        st.info(t("ph_none"))
        return
    _replacement_log(log, labels)


def _replacement_bars(frame: pd.DataFrame) -> alt.Chart:
    columns = {f"level_{level}": level_label(level) for level in MATCH_LEVELS}
    long = frame.melt(
        id_vars=["wave_no"], value_vars=list(columns), var_name="level", value_name="n"
    )
    long = long.loc[long["n"] > 0].assign(
        wave=lambda f: f["wave_no"].map(wave_label),
        order=lambda f: f["level"].map({c: i for i, c in enumerate(columns)}),
        level=lambda f: f["level"].map(columns),
    )
    waves = [wave_label(w) for w in sorted(frame["wave_no"])]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("wave:N", sort=waves, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title=t("ph_households"), stack="zero"),
            color=alt.Color(
                "level:N",
                scale=alt.Scale(domain=list(columns.values()), range=LEVEL_COLOURS),
                title=t("ph_level"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("level:N", title=t("ph_level")),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
        .properties(height=280)
    )


def _replacement_log(log: pd.DataFrame, labels: Labels) -> None:
    newest = log.head(LOG_ROWS)
    view = pd.DataFrame(
        {
            "changed_at": newest["changed_at"],
            "wave": newest["wave_no"].map(wave_label),
            "household_id": newest["household_id"],
            "replaces": newest["replaces"],
            "district": newest["district_code"].map(labels.district),
            "replaces_district": newest["replaces_district_code"].map(labels.district),
            "household_type": newest["household_type"].map(labels.household_type),
            "level": newest["match_level"].map(labeller("match_level")),
            "changed_by": newest["changed_by"],
        }
    )
    st.caption(t("ph_log_shown", shown=len(newest), total=len(log)))
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "changed_at": st.column_config.DatetimeColumn(
                t("ph_changed_at"), format="YYYY-MM-DD HH:mm"
            ),
            "wave": t("ph_wave"),
            "household_id": st.column_config.NumberColumn(t("ph_household"), format="%d"),
            "replaces": st.column_config.NumberColumn(t("ph_replaces"), format="%d"),
            "district": t("ph_district"),
            "replaces_district": t("ph_replaces_district"),
            "household_type": t("ph_household_type"),
            "level": t("ph_level"),
            "changed_by": t("ph_changed_by"),
        },
    )
    audited_download(  # audited on the press (on_click)
        st,
        t("ph_log_csv"),
        csv_bytes(log),
        file_name="panel-replacements.csv",
        mime="text/csv",
        key="ph_log_csv",
        kind="replacement_log",
        rows=len(log),
    )
