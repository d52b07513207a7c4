"""Panel operators: the weekly look at the panel — size, waves, attrition, replacement,
composition against the population and representativeness.

Every number comes from :mod:`panel.health`; this page only labels and draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from data.accounts import ADMIN, PANEL_OPERATOR, STATISTICIAN, SURVEY_MANAGER
from data.reference import stored_table
from data.store import Store
from panel.health import (
    MATCH_LEVELS,
    attrition_by,
    composition,
    panel_size,
    replacement_log,
    replacements_by,
    representativeness,
    wave_summary,
)
from panel.health_stats import LEAVING, CompositionTest
from panel.response_rates import RATES
from panel.status import LEFT, MEMBERS, STATUSES
from ui.context import get_store, require_role
from ui.glossary import MISSING, label, labeller, shown, survey_title
from ui.i18n import lang, t

LOG_ROWS = 50  # replacements shown on the page; the download has them all
SMALL_D, LARGE_D = 0.05, 0.10  # reading of the dissimilarity index
MEMBER_COLOURS = ["#9ecae1", "#2171b5", "#f2a541"]  # invited, active, nonresponding
GROUP_COLOURS = ["#2171b5", "#9ecae1", "#de2d26"]  # in panel, reserve, left
LEVEL_COLOURS = ["#2171b5", "#6baed6", "#fd8d3c", "#de2d26"]  # match levels 0..3
LEAVING_COLOURS = ["#de2d26", "#fb6a4a", "#9e9ac8", "#756bb1", "#636363", "#bdbdbd"]
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
        return "–" if _missing(code) else self.districts.get(str(code), str(code))

    def household_type(self, code: Any) -> str:
        return "–" if _missing(code) else self.household_types.get(int(code), str(code))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _labels(store: Store) -> Labels:
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


_status_label = labeller("panel_status")


def _wave_label(wave_no: Any) -> str:
    return t("ph_wave_outside") if int(wave_no) == 0 else t("ph_wave_n", n=int(wave_no))


def _level_label(level: int) -> str:
    return label("match_level", int(level))


def _chart(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")


def render() -> None:
    require_role(PANEL_OPERATOR, SURVEY_MANAGER, STATISTICIAN, ADMIN)
    store = get_store()
    st.header(t("page_panel_health"))
    size = panel_size(store)
    if sum(size["by_status"].values()) == 0:
        st.info(t("ph_no_panel"))
        return
    st.caption(t("ph_intro"))
    labels = _labels(store)
    _headline(size)
    tabs = st.tabs(
        [
            t("ph_tab_waves"),
            t("ph_tab_attrition"),
            t("ph_tab_replacement"),
            t("ph_tab_composition"),
            t("ph_tab_r"),
        ]
    )
    with tabs[0]:
        _waves_section(wave_summary(store))
    with tabs[1]:
        _attrition_section(store, labels)
    with tabs[2]:
        _replacement_section(store, labels)
    with tabs[3]:
        _composition_section(store, labels)
    with tabs[4]:
        _representativeness_section(representativeness(store))


# ---------------------------------------------------------------- headline


def _headline(size: dict[str, Any]) -> None:
    target, shortfall = size["target"], size["shortfall"]
    delta, arrow = None, "auto"
    if target is not None:
        delta = f"-{shortfall:,} {t('ph_short')}" if shortfall else t("ph_target_met")
        arrow = "auto" if shortfall else "off"
    cols = st.columns(4)
    cols[0].metric(
        t("ph_in_panel"),
        f"{size['in_panel']:,}",
        delta=delta,
        delta_arrow=arrow,
        help=t("ph_in_panel_help"),
    )
    cols[1].metric(t("ph_target"), "–" if target is None else f"{target:,}")
    cols[2].metric(t("ph_active"), f"{size['active']:,}")
    cols[3].metric(t("ph_reserve_left"), f"{size['reserve_left']:,}")
    _chart(_target_bullet(size))
    st.markdown(f"**{t('ph_status_chart')}**")
    _chart(_status_bars(size["by_status"]))


def _target_bullet(size: dict[str, Any]) -> alt.LayerChart | alt.Chart:
    """The panel's members stacked by status on one bar, the target as a black tick."""
    members = [s for s in STATUSES if s in MEMBERS]
    row = t("ph_in_panel")
    frame = pd.DataFrame(
        {
            "row": row,
            "status": [_status_label(s) for s in members],
            "order": range(len(members)),
            "n": [size["by_status"][s] for s in members],
        }
    )
    target = size["target"]
    top = max(target or 0, size["in_panel"], 1) * 1.05
    y = alt.Y("row:N", title=None, axis=None)
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "n:Q", stack="zero", title=t("ph_households"), scale=alt.Scale(domain=[0, top])
            ),
            color=alt.Color(
                "status:N",
                sort=list(frame["status"]),
                scale=alt.Scale(domain=list(frame["status"]), range=MEMBER_COLOURS),
                title=None,
            ),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("status:N", title=t("ph_status")), alt.Tooltip("n:Q", title="n")],
        )
    )
    if target is None:
        return bars.properties(height=ROW + AXES)
    goal = pd.DataFrame({"row": [row], "target": [target], "what": [t("ph_target")]})
    tick = (
        alt.Chart(goal)
        .mark_tick(color="black", thickness=3)
        .encode(
            y=y,
            x="target:Q",
            tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("target:Q", title="n")],
        )
    )
    return (bars + tick).properties(height=ROW + AXES)


def _status_bars(by_status: dict[str, int]) -> alt.Chart:
    def group(status: str) -> str:
        if status in MEMBERS:
            return t("ph_group_member")
        return t("ph_group_left") if status in LEFT else t("ph_group_reserve")

    frame = pd.DataFrame(
        {
            "status": [_status_label(s) for s in STATUSES],
            "group": [group(s) for s in STATUSES],
            "n": [by_status.get(s, 0) for s in STATUSES],
        }
    )
    groups = [t("ph_group_member"), t("ph_group_reserve"), t("ph_group_left")]
    y = alt.Y("status:N", sort=list(frame["status"]), title=None, axis=ROW_LABELS)
    base = alt.Chart(frame).encode(y=y, x=alt.X("n:Q", title=t("ph_households")))
    bars = base.mark_bar().encode(
        color=alt.Color(
            "group:N",
            sort=groups,
            scale=alt.Scale(domain=groups, range=GROUP_COLOURS),
            title=t("ph_group"),
        ),
        tooltip=[alt.Tooltip("status:N", title=t("ph_status")), alt.Tooltip("n:Q", title="n")],
    )
    text = base.mark_text(align="left", dx=3).encode(text="n:Q")
    return (bars + text).properties(height=ROW * len(STATUSES) + AXES)


# ---------------------------------------------------------------- waves


def _waves_section(waves: pd.DataFrame) -> None:
    if waves.empty:
        st.info(t("ph_none"))
        return
    view = waves.assign(
        title=[survey_title(r.title_ko, r.title_en) for r in waves.itertuples()],
        **{rate: waves[rate].map(_percent) for rate in RATES},
    )
    st.dataframe(
        shown(
            view,
            ["wave_no", "code", "title", "status", "invited", "complete", *RATES,
             "left", "replaced", "joined"],
            codes={"status": "survey_status"},
            names={
                "wave_no": t("ph_wave"),
                "complete": t("ph_complete"),
                "left": t("ph_left"),
                "replaced": t("ph_replaced"),
                "joined": t("ph_joined"),
                **{rate: label("aapor", rate) for rate in RATES},
            },
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip
    st.caption(t("ph_rates_help"))
    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('ph_rr1_chart')}**")
        _chart(_rates_chart(waves))
    with cols[1]:
        st.markdown(f"**{t('ph_flow_chart')}**")
        _chart(_flow_chart(waves))


def _percent(share: Any) -> str:
    return MISSING if _missing(share) else f"{100 * float(share):.1f}%"


def _rates_chart(waves: pd.DataFrame) -> alt.Chart:
    frame = waves.melt(id_vars=["wave_no"], value_vars=list(RATES), var_name="rate", value_name="v")
    frame = frame.dropna(subset=["v"]).assign(
        wave=lambda f: f["wave_no"].map(_wave_label), v=lambda f: f["v"].astype(float)
    )
    order = [_wave_label(w) for w in sorted(waves["wave_no"])]
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("wave:N", sort=order, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "v:Q",
                title=t("ph_rate"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("rate:N", sort=list(RATES), title=t("ph_rate_kind")),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("rate:N", title=t("ph_rate_kind")),
                alt.Tooltip("v:Q", title=t("ph_rate"), format=".1%"),
            ],
        )
        .properties(height=260)
    )


def _flow_chart(waves: pd.DataFrame) -> alt.Chart:
    names = {"left": t("ph_left"), "replaced": t("ph_replaced")}
    frame = waves.melt(id_vars=["wave_no"], value_vars=list(names), var_name="flow", value_name="n")
    frame = frame.assign(wave=frame["wave_no"].map(_wave_label), flow=frame["flow"].map(names.get))
    order = [_wave_label(w) for w in sorted(waves["wave_no"])]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("wave:N", sort=order, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("flow:N", sort=list(names.values())),
            y=alt.Y("n:Q", title=t("ph_households")),
            color=alt.Color("flow:N", sort=list(names.values()), title=t("ph_flow")),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("flow:N", title=t("ph_flow")),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
        .properties(height=260)
    )


# ---------------------------------------------------------------- attrition


def _attrition_section(store: Store, labels: Labels) -> None:
    st.caption(t("ph_attr_help"))
    st.markdown(f"**{t('ph_attr_district')}**")
    by_district = attrition_by(store, ["wave_no", "district_code"])
    if by_district.empty:
        st.info(t("ph_none"))
    else:
        _chart(_attrition_heatmap(by_district, labels))
    st.markdown(f"**{t('ph_attr_type')}**")
    by_type = attrition_by(store, ["household_type"])
    if by_type.empty or by_type["total"].sum() == 0:
        st.info(t("ph_none"))
    else:
        _chart(_attrition_type_bars(by_type, labels))


def _attrition_heatmap(frame: pd.DataFrame, labels: Labels) -> alt.LayerChart:
    """Wave × district, every district shown (zeros included); the statuses in the tooltip."""
    waves = sorted(int(w) for w in frame["wave_no"].unique())
    grid = pd.MultiIndex.from_product(
        [waves, list(labels.districts)], names=["wave_no", "district_code"]
    ).to_frame(index=False)
    counts = frame.astype({"wave_no": "int64", "district_code": str})
    full = grid.merge(counts, on=["wave_no", "district_code"], how="left")
    full[[*LEAVING, "total"]] = full[[*LEAVING, "total"]].fillna(0).astype("int64")
    full = full.assign(
        wave=full["wave_no"].map(_wave_label), district=full["district_code"].map(labels.district)
    )
    status_names = {s: _status_label(s) for s in LEAVING}
    full = full.rename(columns=status_names)
    base = alt.Chart(full).encode(
        x=alt.X(
            "wave:N",
            sort=[_wave_label(w) for w in waves],
            title=t("ph_wave"),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y(
            "district:N",
            sort=[labels.district(c) for c in labels.districts],
            title=None,
            axis=ROW_LABELS,
        ),
    )
    tooltip = [
        alt.Tooltip("district:N", title=t("ph_district")),
        alt.Tooltip("wave:N", title=t("ph_wave")),
        *[alt.Tooltip(f"{name}:Q") for name in status_names.values()],
        alt.Tooltip("total:Q", title=t("ph_total")),
    ]
    cells = base.mark_rect().encode(
        color=alt.condition(
            "datum.total > 0",
            alt.Color("total:Q", scale=alt.Scale(scheme="oranges"), title=t("ph_left")),
            alt.value("#f4f4f4"),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.condition("datum.total > 0", "total:Q", alt.value(""))
    )
    return (cells + text).properties(height=max(8, len(labels.districts)) * ROW + AXES)


def _attrition_type_bars(frame: pd.DataFrame, labels: Labels) -> alt.Chart:
    long = frame.melt(
        id_vars=["household_type"], value_vars=list(LEAVING), var_name="status", value_name="n"
    )
    long = long.loc[long["n"] > 0].assign(
        type=lambda f: f["household_type"].map(labels.household_type),
        status=lambda f: f["status"].map(_status_label),
        order=lambda f: f["status"].map({_status_label(s): i for i, s in enumerate(LEAVING)}),
    )
    types = [labels.household_type(c) for c in sorted(frame["household_type"].dropna().astype(int))]
    leaving = [_status_label(s) for s in LEAVING]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=t("ph_households"), stack="zero"),
            y=alt.Y("type:N", sort=types, title=t("ph_household_type"), axis=ROW_LABELS),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=leaving, range=LEAVING_COLOURS),
                title=t("ph_status"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("type:N", title=t("ph_household_type")),
                alt.Tooltip("status:N", title=t("ph_status")),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
        .properties(height=max(4, len(types)) * ROW + AXES)
    )


# ---------------------------------------------------------------- replacement


def _replacement_section(store: Store, labels: Labels) -> None:
    st.markdown(f"**{t('ph_repl_chart')}**")
    by_wave = replacements_by(store, ["wave_no"])
    if by_wave.empty:
        st.info(t("ph_none"))
    else:
        _chart(_replacement_bars(by_wave))
    st.markdown(f"**{t('ph_log')}**")
    log = replacement_log(store)
    if log.empty:
        st.info(t("ph_none"))
        return
    _replacement_log(log, labels)


def _replacement_bars(frame: pd.DataFrame) -> alt.Chart:
    columns = {f"level_{level}": _level_label(level) for level in MATCH_LEVELS}
    long = frame.melt(
        id_vars=["wave_no"], value_vars=list(columns), var_name="level", value_name="n"
    )
    long = long.loc[long["n"] > 0].assign(
        wave=lambda f: f["wave_no"].map(_wave_label),
        order=lambda f: f["level"].map({c: i for i, c in enumerate(columns)}),
        level=lambda f: f["level"].map(columns),
    )
    waves = [_wave_label(w) for w in sorted(frame["wave_no"])]
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
            "wave": newest["wave_no"].map(_wave_label),
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
    st.download_button(
        t("ph_log_csv"),
        log.to_csv(index=False).encode("utf-8-sig"),
        file_name="panel-replacements.csv",
        mime="text/csv",
        on_click="ignore",
    )


# ---------------------------------------------------------------- composition


def _composition_section(store: Store, labels: Labels) -> None:
    st.caption(t("ph_comp_help"))
    st.markdown(f"**{t('ph_comp_district')}**")
    _composition(composition(store, "district_code"), labels.district)
    st.markdown(f"**{t('ph_comp_size')}**")
    _composition(composition(store, "size_class"), lambda c: labels.sizes.get(int(c), str(c)))


def _composition(test: CompositionTest, name: Any) -> None:
    if test.table.empty:
        st.info(t("ph_none"))
        return
    cols = st.columns(4)
    cols[0].metric(
        t("ph_dissimilarity"), f"{test.dissimilarity:.3f}", help=t("ph_dissimilarity_help")
    )
    cols[1].metric(t("ph_chi2"), f"{test.chi2:.2f}")
    cols[2].metric(t("ph_df"), f"{test.df}")
    cols[3].metric(t("ph_p"), _p_text(test.p_value))
    st.markdown(_reading(test))
    _chart(_composition_chart(test.table, name))


def _p_text(p: float) -> str:
    if math.isnan(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _reading(test: CompositionTest) -> str:
    """One line in words: the size of D, then what the χ² test says."""
    d = test.dissimilarity
    band = "ph_reading_small" if d < SMALL_D else "ph_reading_moderate"
    if d >= LARGE_D:
        band = "ph_reading_large"
    if math.isnan(test.p_value):
        return t(band)
    test_text = t("ph_reading_p_ok") if test.p_value >= 0.05 else t("ph_reading_p_diff")
    return f"{t(band)} · {test_text}"


def _composition_chart(table: pd.DataFrame, name: Any) -> alt.LayerChart:
    """Panel and population share per category as two dots joined by a line (share in %)."""
    frame = table.assign(
        label=table["category"].map(name),
        panel=100 * table["panel_share"].astype(float),
        population=100 * table["population_share"].astype(float),
    )
    frame = frame.assign(
        low=frame[["panel", "population"]].min(axis=1),
        high=frame[["panel", "population"]].max(axis=1),
    )
    sources = {"panel": t("ph_panel_share"), "population": t("ph_population_share")}
    long = frame.melt(
        id_vars=["label", "panel_n", "expected_n", "difference"],
        value_vars=list(sources),
        var_name="source",
        value_name="share",
    ).assign(source=lambda f: f["source"].map(sources))
    y = alt.Y("label:N", sort=list(frame["label"]), title=None, axis=ROW_LABELS)
    share_title = f"{t('ph_share')} (%)"
    lines = alt.Chart(frame).mark_rule(color="#999999").encode(y=y, x="low:Q", x2="high:Q")
    dots = (
        alt.Chart(long)
        .mark_circle(size=90, opacity=1)
        .encode(
            y=y,
            x=alt.X("share:Q", title=share_title),
            color=alt.Color("source:N", sort=list(sources.values()), title=t("ph_source")),
            tooltip=[
                alt.Tooltip("label:N", title=t("ph_category")),
                alt.Tooltip("source:N", title=t("ph_source")),
                alt.Tooltip("share:Q", title=share_title, format=".1f"),
                alt.Tooltip("panel_n:Q", title=t("ph_households")),
                alt.Tooltip("expected_n:Q", title=t("ph_expected"), format=".1f"),
                alt.Tooltip("difference:Q", title=t("ph_difference"), format="+.1f"),
            ],
        )
    )
    return (lines + dots).properties(height=max(5, len(frame)) * ROW + AXES)


# ---------------------------------------------------------------- representativeness


def _representativeness_section(r: pd.DataFrame) -> None:
    st.markdown(f"**{t('ph_r_chart')}**")
    if r.empty:
        st.info(t("ph_none"))
    else:
        _chart(_r_chart(r))
    st.caption(t("ph_r_explain"))


def _r_chart(r: pd.DataFrame) -> alt.Chart:
    frame = r.assign(wave=r["wave_no"].map(_wave_label))
    order = [_wave_label(w) for w in sorted(r["wave_no"])]
    low = min(0.0, float(r["r"].min()))  # R can dip just below 0 (see panel.health_stats)
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X("wave:N", sort=order, title=t("ph_wave"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("r:Q", title=t("ph_r"), scale=alt.Scale(domain=[low, 1])),
            tooltip=[
                alt.Tooltip("wave:N", title=t("ph_wave")),
                alt.Tooltip("code:N", title=t("ph_code")),
                alt.Tooltip("r:Q", title=t("ph_r"), format=".3f"),
                alt.Tooltip("propensity_sd:Q", title=t("ph_r_sd"), format=".3f"),
                alt.Tooltip("mean_propensity:Q", title=t("ph_r_mean"), format=".1%"),
                alt.Tooltip("n:Q", title=t("ph_r_n")),
            ],
        )
        .properties(height=260)
    )
