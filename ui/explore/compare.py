"""Explorer tab 4, compare: two domains of one survey, two Seoul Survey years or two panel
waves, the difference with its SE, interval and p-value in words."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.estimation.differences import domain_difference
from analysis.indicators import load_catalogue
from data.store import Store
from ui.explore.common import (
    DEFAULT_INDICATOR,
    cached_design,
    cached_trend,
    cached_variables,
    cached_wave_change,
    choice_labels,
    code_text,
    estimation_version,
    number,
    pick,
    pick_design,
    survey_label,
    variable_label,
)
from ui.i18n import lang, t


def compare_tab(store: Store, surveys: pd.DataFrame) -> None:
    mode = st.radio(
        t("ex_cmp_mode"),
        ["domains", "years", "waves"],
        format_func=lambda m: t(f"ex_cmp_{m}"),
        key="ex_cmp_mode",
        horizontal=True,
    )
    {"domains": _compare_domains, "years": _compare_years, "waves": _compare_waves}[mode](
        store, surveys
    )


def _difference(row: pd.Series, label_a: str, label_b: str) -> None:
    """Both estimates, the difference B − A as metrics, and the reading in words."""
    cols = st.columns(3)
    cols[0].metric(label_a, number(row["estimate_a"]))
    cols[1].metric(label_b, number(row["estimate_b"]))
    cols[2].metric(t("ex_difference"), number(row["difference"]))
    significant = row["p_value"] < 0.05
    words = t(
        "ex_cmp_significant" if significant else "ex_cmp_not_significant",
        a=label_a,
        b=label_b,
        diff=number(abs(row["difference"]) if significant else row["difference"]),
        se=number(row["se"]),
        low=number(row["ci_low"]),
        high=number(row["ci_high"]),
        p=number(row["p_value"], 4),
        direction=t("ex_higher") if row["difference"] > 0 else t("ex_lower"),
    )
    st.markdown(words)


def _compare_domains(store: Store, surveys: pd.DataFrame) -> None:
    survey_id, unit, version = pick_design("ex_cmp", surveys)
    design = cached_design(survey_id, unit, version)
    table = cached_variables(survey_id, unit, version)
    fmt = variable_label(table)
    numeric = table[table["numeric"]]["name"].tolist()
    variable = pick(t("ex_variable"), numeric, "ex_cmp_variable", ["indicator__happiness_index",
                     "life_satisfaction"], fmt)  # fmt: skip
    domains = table[table["source"] == "domain"]["name"].tolist()
    by = pick(t("ex_by"), domains, "ex_cmp_by", ["sex"], fmt)
    levels = sorted(design.frame[by].dropna().unique().tolist(), key=code_text)
    names = choice_labels(table).get(by, {})
    level_name = lambda v: names.get(code_text(v), code_text(v))  # noqa: E731
    cols = st.columns(2)
    a = cols[0].selectbox(t("ex_group_a"), levels, format_func=level_name, key="ex_cmp_a")
    b = cols[1].selectbox(
        t("ex_group_b"), levels, index=min(1, len(levels) - 1), format_func=level_name,
        key="ex_cmp_b",
    )  # fmt: skip
    if a == b:
        st.info(t("ex_need_two"))
        return
    # domain_difference gives a − b; ask for b − a so the reading is "B compared with A"
    row = domain_difference(design, variable, by, b, a).iloc[0]
    swapped = row.rename({"estimate_a": "estimate_b", "estimate_b": "estimate_a"})
    _difference(swapped, level_name(a), level_name(b))
    st.caption(t("ex_cmp_domain_note", n_a=int(row["n_b"]), n_b=int(row["n_a"])))


def _compare_years(store: Store, surveys: pd.DataFrame) -> None:
    catalogue = load_catalogue()
    name = "name_ko" if lang() == "ko" else "name_en"
    names = {i.id: getattr(i, name) for i in catalogue}
    ids = list(names)
    indicator = st.selectbox(
        t("ex_indicators"), ids, index=ids.index(DEFAULT_INDICATOR) if DEFAULT_INDICATOR in ids
        else 0, format_func=names.get, key="ex_cmp_indicator",
    )  # fmt: skip
    population = next(i.population for i in catalogue if i.id == indicator)
    years = surveys[(surveys["kind"] == "cross_section") & surveys["units"].map(
        lambda units: population in units
    )].sort_values("reference_year")  # fmt: skip
    if len(years) < 2:
        st.info(t("ex_need_two_years"))
        return
    options = [int(i) for i in years["survey_id"]]
    label = survey_label(years)
    cols = st.columns(2)
    a = cols[0].selectbox(t("ex_year_a"), options, format_func=label, key="ex_cmp_year_a")
    b = cols[1].selectbox(
        t("ex_year_b"), options, index=len(options) - 1, format_func=label, key="ex_cmp_year_b"
    )
    if a == b:
        st.info(t("ex_need_two"))
        return
    trend = cached_trend(
        indicator, (a, b), (estimation_version(store, a), estimation_version(store, b))
    )
    first, second = trend.iloc[0], trend.iloc[1]  # sorted by year: the change is later − earlier
    row = pd.Series(
        {
            "estimate_a": first["estimate"],
            "estimate_b": second["estimate"],
            "difference": second["difference"],
            "se": second["se_difference"],
            "ci_low": second["ci_low_difference"],
            "ci_high": second["ci_high_difference"],
            "p_value": second["p_value"],
        }
    )
    _difference(row, str(first["code"]), str(second["code"]))
    st.caption(t("ex_trend_note"))


def _compare_waves(store: Store, surveys: pd.DataFrame) -> None:
    waves = surveys[surveys["kind"] == "panel_wave"].sort_values("survey_id")
    if len(waves) < 2:
        st.info(t("ex_need_two_waves"))
        return
    options = [int(i) for i in waves["survey_id"]]
    label = survey_label(waves)
    cols = st.columns(3)
    a = cols[0].selectbox(t("ex_wave_a"), options, format_func=label, key="ex_cmp_wave_a")
    b = cols[1].selectbox(
        t("ex_wave_b"), options, index=len(options) - 1, format_func=label, key="ex_cmp_wave_b"
    )
    if a == b:
        st.info(t("ex_need_two"))
        return
    version_a, version_b = estimation_version(store, a), estimation_version(store, b)
    table_a = cached_variables(a, "households", version_a)
    common = set(cached_variables(b, "households", version_b)["name"])
    numeric = [n for n in table_a[table_a["numeric"]]["name"] if n in common]
    with cols[2]:
        variable = pick(
            t("ex_variable"), numeric, "ex_cmp_wave_variable",
            ["life_satisfaction", "indicator__happiness_index"], variable_label(table_a),
        )  # fmt: skip
    row = cached_wave_change(a, b, variable, (version_a, version_b)).iloc[0]
    codes = waves.set_index("survey_id")["code"]
    _difference(row, str(codes.loc[a]), str(codes.loc[b]))
    st.caption(
        t("ex_cmp_wave_note", n_both=int(row["n_both"]), n_a=int(row["n_a"]), n_b=int(row["n_b"]))
    )
    st.caption(t("ex_wave_note"))
