"""Explorer tab 1, indicators: the chosen indicators by domain (table, Seoul-wide metric), their
bars, and for districts the sorted bars with the Seoul average and the tile map (the charts are
:mod:`analysis.reports`' own, the same the PDF report prints)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis.exclusions import active_exclusions
from analysis.explore import tile_frame, variables
from analysis.indicators import NothingToEstimate
from analysis.reports.estimate_bars import district_bars, estimate_bars
from analysis.reports.tile_map import tile_chart
from data.reference import stored_table
from data.store import Store
from ui.explore.common import (
    DASH,
    DEFAULT_INDICATOR,
    PROBLEMS,
    cached_indicator_table,
    choice_labels,
    code_text,
    estimate_columns,
    estimation_version,
    flag_text,
    newest_first,
    number,
    show_chart,
    survey_label,
    unit_name,
)
from ui.explore.questions import question_view
from ui.explore.trends import trend_section, wave_trend_section
from ui.glossary import domain_name, label
from ui.i18n import lang, say, t


def indicators_tab(store: Store, surveys: pd.DataFrame) -> None:
    usable = surveys[
        (surveys["kind"] == "cross_section")
        | surveys["units"].map(lambda units: "households" in units)
    ]
    if usable.empty:
        st.info(t("ex_no_surveys"))
        return
    survey_id = int(
        st.selectbox(
            t("ex_survey"), newest_first(usable), format_func=survey_label(usable),
            key="ex_survey",
        )
    )  # fmt: skip
    wave = bool(usable.set_index("survey_id").loc[survey_id, "kind"] == "panel_wave")
    try:
        table = cached_indicator_table(survey_id, estimation_version(store, survey_id), wave)
    except NothingToEstimate:  # a form the catalogue does not cover: each question instead
        question_view(store, survey_id)
        return
    except PROBLEMS as error:
        st.warning(say(error))
        return
    if wave:
        st.caption(t("ex_wave_indicators"))
    _excluded_note(store, survey_id)
    name = "name_ko" if lang() == "ko" else "name_en"
    names = dict(zip(table["indicator"], table[name], strict=False))
    options = table["indicator"].unique().tolist()
    chosen = st.multiselect(
        t("ex_indicators"),
        options,
        default=[DEFAULT_INDICATOR] if DEFAULT_INDICATOR in options else options[:1],
        format_func=names.get,
        key="ex_indicators",
        placeholder=t("choose"),
    )
    if not chosen:
        st.info(t("ex_pick_indicator"))
        return
    shown = table[table["indicator"].isin(chosen)]
    domains = shown["domain"].unique().tolist()
    domain = st.selectbox(
        t("ex_domain"),
        domains,
        index=domains.index("district_code") if "district_code" in domains else 0,
        format_func=_domain_name,
        key="ex_domain",
    )
    _seoul_metric(table, chosen[0], names)
    labels = choice_labels(variables(store, survey_id, "households" if wave else "persons15"))
    rows = shown[shown["domain"] == domain].copy()
    rows["group"] = _group_labels(rows, domain, labels)
    _indicator_view(rows, names)
    for indicator in chosen:
        one = rows[rows["indicator"] == indicator]
        seoul = table.query("indicator == @indicator and domain == 'seoul'").iloc[0]
        if domain == "district_code":
            _district_charts(
                store, one, seoul, names[indicator], unit_name(indicator, seoul["unit"])
            )
        elif domain != "seoul":
            show_chart(_bars(one, names[indicator], unit_name(indicator, seoul["unit"])))
    if wave:
        wave_trend_section(store, surveys, chosen[0], names[chosen[0]])
    else:
        trend_section(store, surveys, survey_id, chosen[0], names[chosen[0]])


_domain_name = domain_name


def _excluded_note(store: Store, survey_id: int) -> None:
    excluded = active_exclusions(store, survey_id)
    if len(excluded):
        households = int((excluded["member_no"] == 0).sum())
        st.info(t("ex_excluded", households=households, persons=len(excluded) - households))


def _seoul_metric(table: pd.DataFrame, indicator: str, names: dict[str, str]) -> None:
    seoul = table.query("indicator == @indicator and domain == 'seoul'").iloc[0]
    st.metric(
        t("ex_seoul"),
        number(seoul["estimate"]),
        help=t(
            "ex_seoul_help",
            name=names[indicator],
            unit=unit_name(indicator, seoul["unit"]),
            se=number(seoul["se"]),
            low=number(seoul["ci_low"]),
            high=number(seoul["ci_high"]),
            n=int(seoul["n"]),
        ),
    )


def _group_labels(rows: pd.DataFrame, domain: str, labels: dict[str, dict[str, str]]) -> list:
    if domain == "seoul":
        return [label("domain", "seoul")] * len(rows)
    parts = domain.split(" × ")
    return [
        " × ".join(labels.get(p, {}).get(code_text(r[p]), code_text(r[p])) for p in parts)
        for _, r in rows.iterrows()
    ]


def _indicator_view(rows: pd.DataFrame, names: dict[str, str]) -> None:
    view = pd.DataFrame(
        {
            t("ex_col_indicator"): rows["indicator"].map(names),
            t("ex_col_group"): rows["group"],
            **estimate_columns(rows),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    flags = {f: label("estimate_flag", f) for f in ("caution", "suppressed")}
    st.caption(t("ex_flags", **flags))


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("group:N", title=t("ex_col_group")),
        alt.Tooltip("estimate:Q", title=t("ex_col_estimate"), format=".3f"),
        alt.Tooltip("se:Q", title=t("ex_col_se"), format=".3f"),
        alt.Tooltip("n:Q", title=t("ex_col_n")),
        alt.Tooltip("flag_text:N", title=t("ex_col_flag")),
    ]


def _bar_rows(rows: pd.DataFrame) -> pd.DataFrame:
    data = rows[["group", "estimate", "ci_low", "ci_high", "se", "n", "flag"]].copy()
    data["flag_text"] = data["flag"].map(flag_text)
    return data


def _bars(rows: pd.DataFrame, name: str, unit: str) -> alt.LayerChart:
    """Horizontal bars with 95% CI error bars; suppressed estimates have no bar."""
    title = t("ex_chart_bars", name=name)
    return estimate_bars(_bar_rows(rows), title, axis_title=unit, tooltip=_tooltip())


def _district_charts(
    store: Store, rows: pd.DataFrame, seoul: pd.Series, name: str, unit: str
) -> None:
    title = t("ex_chart_districts", name=name, seoul=number(seoul["estimate"]))
    bars = district_bars(
        _bar_rows(rows), title, axis_title=unit, seoul=seoul["estimate"], tooltip=_tooltip()
    )
    show_chart(bars)
    show_chart(_tile_map(store, rows, name, unit))
    st.caption(t("ex_tile_note"))


def _tile_map(store: Store, rows: pd.DataFrame, name: str, unit: str) -> alt.LayerChart:
    grid = tile_frame(rows[["district_code", "estimate", "flag"]], stored_table(store, "districts"))
    grid["flag_text"] = grid["flag"].map(flag_text)
    grid["label"] = grid["short_ko"] if lang() == "ko" else grid["name_en"].str.replace("-gu", "")
    tooltip = [
        alt.Tooltip(
            f"{'name_ko' if lang() == 'ko' else 'name_en'}:N",
            title=label("domain", "district_code"),
        ),
        alt.Tooltip("estimate:Q", title=t("ex_col_estimate"), format=".3f"),
        alt.Tooltip("flag_text:N", title=t("ex_col_flag")),
    ]
    title = f"{t('ex_tile_title')}: {name}"
    return tile_chart(grid, title, legend=f"{name}, {unit}", missing_label=DASH, tooltip=tooltip)
