"""Statisticians' explorer: indicators by domain with their uncertainty, crosstabs, regressions,
comparisons. Thin: every number comes from :mod:`analysis.designs`, :mod:`analysis.trends`,
:mod:`analysis.explore` and the analysis modules."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.designs import ExploreError, analysis_design, wave_indicator_table
from analysis.estimation.crosstab import crosstab
from analysis.estimation.design import SurveyDesign
from analysis.estimation.differences import domain_difference
from analysis.estimation.regression import term_parts
from analysis.exclusions import active_exclusions
from analysis.explore import fit_regression, tile_frame, variables, weighted_surveys
from analysis.indicators import load_catalogue
from analysis.tables import NoWeights, indicator_table
from analysis.trends import indicator_trend, wave_change, wave_trend
from analysis.weights.survey_weights import weights_ids
from data.accounts import ADMIN, STATISTICIAN, SURVEY_MANAGER
from data.reference import stored_table
from data.store import Store
from surveys.opening import same_series
from ui.context import get_store, require_role
from ui.glossary import domain_name, label, survey_title
from ui.i18n import lang, t

DEFAULT_INDICATOR = "happiness_index"
DASH = "–"
PROBLEMS = (NoWeights, ExploreError, ValueError, KeyError, TypeError)


# ---- cached computations (keyed on weights versions and exclusions) ----------------------------
def _version(store: Store, survey_id: int) -> tuple:
    excluded = active_exclusions(store, survey_id)
    return weights_ids(store, survey_id), tuple(int(i) for i in excluded["exclusion_id"])


@st.cache_data(show_spinner="추정 중 / estimating …", max_entries=8)
def _indicator_table(survey_id: int, version: tuple, wave: bool = False) -> pd.DataFrame:
    if wave:
        return wave_indicator_table(get_store(), survey_id)
    return indicator_table(get_store(), survey_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _wave_trend(indicator_id: str, wave_ids: tuple[int, ...], versions: tuple) -> pd.DataFrame:
    return wave_trend(get_store(), indicator_id, list(wave_ids))


@st.cache_resource(show_spinner="설계 준비 중 / preparing the design …", max_entries=12)
def _design(survey_id: int, unit: str, version: tuple) -> SurveyDesign:
    return analysis_design(get_store(), survey_id, unit)


@st.cache_data(show_spinner=False, max_entries=32)
def _trend(indicator_id: str, survey_ids: tuple[int, ...], versions: tuple) -> pd.DataFrame:
    return indicator_trend(get_store(), indicator_id, list(survey_ids))


@st.cache_data(show_spinner=False, max_entries=32)
def _wave_change(a: int, b: int, variable: str, versions: tuple) -> pd.DataFrame:
    return wave_change(get_store(), a, b, variable)


@st.cache_data(show_spinner=False, max_entries=16)
def _variables(survey_id: int, unit: str, version: tuple) -> pd.DataFrame:
    design = _design(survey_id, unit, version)
    return variables(get_store(), survey_id, unit, design.frame)


# ---- small helpers ---------------------------------------------------------------------------
def _number(value: Any, digits: int = 3) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{float(value):.{digits}f}"


def _survey_label(surveys: pd.DataFrame):
    by_id = surveys.set_index("survey_id")

    def name(survey_id: int) -> str:
        row = by_id.loc[survey_id]
        return survey_title(row["title_ko"], row["title_en"]) or str(row["code"])

    return name


def _unit(indicator: str, stored: Any) -> str:
    """The indicator's unit in the chosen language (the table stores the Korean one)."""
    for item in load_catalogue():
        if item.id == indicator:
            return item.unit_ko if lang() == "ko" else item.unit_en
    return str(stored)


def _newest_first(surveys: pd.DataFrame) -> list[int]:
    order = surveys.assign(cross=surveys["kind"] == "cross_section").sort_values(
        ["cross", "reference_year", "survey_id"], ascending=[False, False, False]
    )
    return [int(i) for i in order["survey_id"]]


def _labels(table: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Variable name → {code as text → label} in the chosen language."""
    column = "choices_ko" if lang() == "ko" else "choices_en"
    return {row["name"]: {str(k): v for k, v in row[column].items()} for _, row in table.iterrows()}


def _variable_label(table: pd.DataFrame):
    column = "label_ko" if lang() == "ko" else "label_en"
    names = dict(zip(table["name"], table[column], strict=True))
    return lambda name: f"{names.get(name, name)} ({name})" if name in names else name


def _code_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _problem(error: Exception) -> None:
    if isinstance(error, NoWeights):
        st.warning(t("ex_no_weights", detail=str(error)))
    else:
        st.warning(t("ex_failed", detail=str(error)))


def _chart(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")


def _pick_design(prefix: str, surveys: pd.DataFrame) -> tuple[int, str, tuple] | None:
    """Survey and unit selects of a tab; (survey_id, unit, version) or None."""
    options = _newest_first(surveys)
    cols = st.columns(2)
    survey_id = cols[0].selectbox(
        t("ex_survey"), options, format_func=_survey_label(surveys), key=f"{prefix}_survey"
    )
    units = list(surveys.set_index("survey_id").loc[survey_id, "units"])
    unit = cols[1].radio(
        t("ex_unit"),
        units,
        format_func=lambda u: t(f"ex_unit_{u}"),
        key=f"{prefix}_unit",
        horizontal=True,
    )
    if surveys.set_index("survey_id").loc[survey_id, "kind"] == "panel_wave":
        st.caption(t("ex_wave_note"))
    return int(survey_id), str(unit), _version(get_store(), int(survey_id))


# ---- page ------------------------------------------------------------------------------------
def render() -> None:
    require_role(STATISTICIAN, SURVEY_MANAGER, ADMIN)
    store = get_store()
    st.header(t("page_explore"))
    st.caption(t("ex_intro"))
    surveys = weighted_surveys(store)
    surveys = surveys[surveys["units"].map(len) > 0]
    if surveys.empty:
        st.info(t("ex_no_surveys"))
        return
    tabs = st.tabs(
        [t("ex_tab_indicators"), t("ex_tab_crosstab"), t("ex_tab_regression"), t("ex_tab_compare")]
    )
    sections = (_indicators_tab, _crosstab_tab, _regression_tab, _compare_tab)
    for tab, section in zip(tabs, sections, strict=True):
        with tab:
            try:
                section(store, surveys)
            except PROBLEMS as error:
                _problem(error)


# ---- 1. indicators ---------------------------------------------------------------------------
def _indicators_tab(store: Store, surveys: pd.DataFrame) -> None:
    usable = surveys[
        (surveys["kind"] == "cross_section")
        | surveys["units"].map(lambda units: "households" in units)
    ]
    if usable.empty:
        st.info(t("ex_no_surveys"))
        return
    survey_id = int(
        st.selectbox(
            t("ex_survey"), _newest_first(usable), format_func=_survey_label(usable),
            key="ex_survey",
        )
    )  # fmt: skip
    wave = bool(usable.set_index("survey_id").loc[survey_id, "kind"] == "panel_wave")
    try:
        table = _indicator_table(survey_id, _version(store, survey_id), wave)
    except PROBLEMS as error:
        st.warning(str(error))
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
    labels = _labels(variables(store, survey_id, "households" if wave else "persons15"))
    rows = shown[shown["domain"] == domain].copy()
    rows["group"] = _group_labels(rows, domain, labels)
    _indicator_view(rows, names)
    for indicator in chosen:
        one = rows[rows["indicator"] == indicator]
        seoul = table.query("indicator == @indicator and domain == 'seoul'").iloc[0]
        if domain == "district_code":
            _district_charts(store, one, seoul, names[indicator], _unit(indicator, seoul["unit"]))
        elif domain != "seoul":
            _chart(_bars(one, names[indicator], _unit(indicator, seoul["unit"])))
    if wave:
        _wave_trend_section(store, surveys, chosen[0], names[chosen[0]])
    else:
        _trend_section(store, surveys, survey_id, chosen[0], names[chosen[0]])


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
        _number(seoul["estimate"]),
        help=t(
            "ex_seoul_help",
            name=names[indicator],
            unit=_unit(indicator, seoul["unit"]),
            se=_number(seoul["se"]),
            low=_number(seoul["ci_low"]),
            high=_number(seoul["ci_high"]),
            n=int(seoul["n"]),
        ),
    )


def _group_labels(rows: pd.DataFrame, domain: str, labels: dict[str, dict[str, str]]) -> list:
    if domain == "seoul":
        return [label("domain", "seoul")] * len(rows)
    parts = domain.split(" × ")
    return [
        " × ".join(labels.get(p, {}).get(_code_text(r[p]), _code_text(r[p])) for p in parts)
        for _, r in rows.iterrows()
    ]


def _flag_text(flag: str) -> str:
    return label("estimate_flag", flag) if flag else ""


def _indicator_view(rows: pd.DataFrame, names: dict[str, str]) -> None:
    view = pd.DataFrame(
        {
            t("ex_col_indicator"): rows["indicator"].map(names),
            t("ex_col_group"): rows["group"],
            t("ex_col_estimate"): rows["estimate"].map(_number),
            t("ex_col_se"): rows["se"].map(_number),
            t("ex_col_ci_low"): rows["ci_low"].map(_number),
            t("ex_col_ci_high"): rows["ci_high"].map(_number),
            t("ex_col_cv"): rows["cv"].map(_number),
            t("ex_col_n"): rows["n"].astype(int),
            t("ex_col_flag"): rows["flag"].map(_flag_text),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    flags = {f: label("estimate_flag", f) for f in ("caution", "suppressed")}
    st.caption(t("ex_flags", **flags))


def _bars(rows: pd.DataFrame, name: str, unit: str, order: list[str] | None = None) -> alt.Chart:
    """Horizontal bars with 95% CI error bars; suppressed estimates have no bar."""
    data = rows[["group", "estimate", "ci_low", "ci_high", "se", "n", "flag"]].copy()
    data["flag_text"] = data["flag"].map(_flag_text)
    axis = alt.Axis(labelOverlap=False, labelLimit=200)
    y = alt.Y("group:N", sort=order or list(data["group"]), title=None, axis=axis)
    base = alt.Chart(data).encode(y=y)
    tooltip = [
        alt.Tooltip("group:N", title=t("ex_col_group")),
        alt.Tooltip("estimate:Q", title=t("ex_col_estimate"), format=".3f"),
        alt.Tooltip("se:Q", title=t("ex_col_se"), format=".3f"),
        alt.Tooltip("n:Q", title=t("ex_col_n")),
        alt.Tooltip("flag_text:N", title=t("ex_col_flag")),
    ]
    bars = base.mark_bar(color="#4c78a8").encode(x=alt.X("estimate:Q", title=unit), tooltip=tooltip)
    errors = base.mark_rule(color="black").encode(x="ci_low:Q", x2="ci_high:Q")
    height = max(120, 22 * len(data))
    return (bars + errors).properties(title=t("ex_chart_bars", name=name), height=height)


def _district_charts(
    store: Store, rows: pd.DataFrame, seoul: pd.Series, name: str, unit: str
) -> None:
    order = rows.sort_values("estimate", ascending=False)["group"].tolist()
    bars = _bars(rows, name, unit, order)
    average = pd.DataFrame({"seoul": [seoul["estimate"]]})
    rule = alt.Chart(average).mark_rule(color="red", strokeDash=[5, 4]).encode(x="seoul:Q")
    title = t("ex_chart_districts", name=name, seoul=_number(seoul["estimate"]))
    _chart(alt.layer(bars, rule).properties(title=title))
    _chart(_tile_map(store, rows, name))
    st.caption(t("ex_tile_note"))


def _tile_map(store: Store, rows: pd.DataFrame, name: str) -> alt.Chart:
    grid = tile_frame(rows[["district_code", "estimate", "flag"]], stored_table(store, "districts"))
    grid["shown"] = grid["estimate"].map(lambda v: _number(v, 2))
    grid["flag_text"] = grid["flag"].map(lambda f: _flag_text(f) if isinstance(f, str) else "")
    low, high = grid["estimate"].min(), grid["estimate"].max()
    grid["dark"] = (grid["estimate"] > low + 0.6 * (high - low)).fillna(False)
    grid["label"] = grid["short_ko"] if lang() == "ko" else grid["name_en"].str.replace("-gu", "")
    base = alt.Chart(grid).encode(
        x=alt.X("col:O", axis=None), y=alt.Y("row:O", axis=None)
    )  # fmt: skip
    tiles = base.mark_rect(stroke="white", strokeWidth=3).encode(
        color=alt.Color("estimate:Q", scale=alt.Scale(scheme="yellowgreenblue"), title=None),
        tooltip=[
            alt.Tooltip(
                f"{'name_ko' if lang() == 'ko' else 'name_en'}:N",
                title=label("domain", "district_code"),
            ),
            alt.Tooltip("estimate:Q", title=t("ex_col_estimate"), format=".3f"),
            alt.Tooltip("flag_text:N", title=t("ex_col_flag")),
        ],
    )
    ink = alt.condition("datum.dark", alt.value("white"), alt.value("black"))
    names = base.mark_text(dy=-8, fontSize=11).encode(text="label:N", color=ink)
    values = base.mark_text(dy=9, fontSize=11, fontWeight="bold").encode(text="shown:N", color=ink)
    return alt.layer(tiles, names, values).properties(
        title=f"{t('ex_tile_title')}: {name}", width=7 * 72, height=6 * 60
    )


def _trend_section(
    store: Store, surveys: pd.DataFrame, survey_id: int, indicator: str, name: str
) -> None:
    st.subheader(t("ex_trend", name=name))
    population = next(i.population for i in load_catalogue() if i.id == indicator)
    series = set(same_series(store, survey_id)["survey_id"])  # this survey's years only
    years = surveys[surveys["survey_id"].isin(series) & surveys["units"].map(
        lambda units: population in units
    )]  # fmt: skip
    if len(years) < 2:
        st.info(t("ex_trend_one"))
        return
    ids = tuple(sorted(int(i) for i in years["survey_id"]))
    trend = _trend(indicator, ids, tuple(_version(store, i) for i in ids))
    year = alt.X("reference_year:O", title=t("ex_col_year"), axis=alt.Axis(labelAngle=0))
    base = alt.Chart(trend).encode(x=year)
    line = base.mark_line(point=True).encode(
        y=alt.Y("estimate:Q", scale=alt.Scale(zero=False), title=name),
        tooltip=[
            alt.Tooltip("code:N", title=t("ex_survey")),
            alt.Tooltip("estimate:Q", title=t("ex_col_estimate"), format=".3f"),
            alt.Tooltip("se:Q", title=t("ex_col_se"), format=".3f"),
        ],
    )
    errors = base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q")
    _chart((line + errors).properties(height=220))
    yes_no = {True: t("ex_yes"), False: t("ex_no")}
    view = pd.DataFrame(
        {
            t("ex_col_year"): trend["reference_year"].astype(str),
            t("ex_col_estimate"): trend["estimate"].map(_number),
            t("ex_col_se"): trend["se"].map(_number),
            t("ex_col_difference"): trend["difference"].map(_number),
            t("ex_col_se_difference"): trend["se_difference"].map(_number),
            t("ex_col_p"): trend["p_value"].map(lambda p: _number(p, 4)),
            t("ex_col_significant"): trend["significant"].map(lambda s: yes_no.get(s, DASH)),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(t("ex_trend_note"))


def _wave_trend_section(store: Store, surveys: pd.DataFrame, indicator: str, name: str) -> None:
    """The indicator across the panel waves that ask it, each change with its joint SE."""
    st.subheader(t("ex_wave_trend", name=name))
    waves = surveys[
        (surveys["kind"] == "panel_wave") & surveys["units"].map(lambda u: "households" in u)
    ]
    ids = tuple(sorted(int(i) for i in waves["survey_id"]))
    try:
        trend = _wave_trend(indicator, ids, tuple(_version(store, i) for i in ids))
    except PROBLEMS as error:
        st.info(str(error))
        return
    if len(trend) < 2:
        st.info(t("ex_wave_trend_one"))
        return
    skipped = waves[~waves["survey_id"].isin(trend["survey_id"])]["code"]
    if len(skipped):
        st.caption(t("ex_wave_trend_skipped", waves=", ".join(sorted(skipped))))
    base = alt.Chart(trend).encode(
        x=alt.X("code:O", title=t("ex_col_wave"), sort=None, axis=alt.Axis(labelAngle=0))
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("estimate:Q", scale=alt.Scale(zero=False), title=name),
        tooltip=[
            "code:N",
            alt.Tooltip("estimate:Q", format=".3f"),
            alt.Tooltip("se:Q", format=".3f"),
        ],
    )
    errors = base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q")
    _chart((line + errors).properties(height=220))
    yes_no = {True: t("ex_yes"), False: t("ex_no")}
    view = pd.DataFrame(
        {
            t("ex_col_wave"): trend["code"],
            t("ex_col_estimate"): trend["estimate"].map(_number),
            t("ex_col_se"): trend["se"].map(_number),
            t("ex_col_difference"): trend["difference"].map(_number),
            t("ex_col_se_difference"): trend["se_difference"].map(_number),
            t("ex_col_p"): trend["p_value"].map(lambda p: _number(p, 4)),
            t("ex_col_n_both"): trend["n_both"].map(
                lambda n: DASH if pd.isna(n) else f"{int(n):,}"
            ),
            t("ex_col_significant"): trend["significant"].map(lambda s: yes_no.get(s, DASH)),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(t("ex_wave_trend_note"))


# ---- 2. crosstab -----------------------------------------------------------------------------
def _pick(label: str, options: list[str], key: str, preferred: list[str], fmt) -> str:
    default = next((options.index(p) for p in preferred if p in options), 0)
    return st.selectbox(label, options, index=default, format_func=fmt, key=key)


def _crosstab_tab(store: Store, surveys: pd.DataFrame) -> None:
    survey_id, unit, version = _pick_design("ex_ct", surveys)
    design = _design(survey_id, unit, version)
    table = _variables(survey_id, unit, version)
    categorical = table[table["categorical"]]
    names = categorical["name"].tolist()
    fmt = _variable_label(table)
    cols = st.columns(3)
    with cols[0]:
        row = _pick(t("ex_row"), names, "ex_ct_row", ["sex", "income", "district_code"], fmt)
    with cols[1]:
        col = _pick(t("ex_col"), names, "ex_ct_col", ["health_self", "commutes", "tenure"], fmt)
    kind = cols[2].radio(
        t("ex_pct"), ["row", "col", "cell"], format_func=lambda k: t(f"ex_pct_{k}"), key="ex_ct_pct"
    )
    if row == col:
        st.info(t("ex_same_variable"))
        return
    result = crosstab(design, row, col)
    labels = _labels(table)
    st.dataframe(_crosstab_view(result, kind, labels), width="stretch")
    st.caption(t("ex_ct_caption", excluded=result.n_excluded, n=result.n_complete))
    _crosstab_tests(result, fmt(row), fmt(col))


def _crosstab_view(result, kind: str, labels: dict[str, dict[str, str]]) -> pd.DataFrame:
    share = result.wide(f"{kind}_pct") * 100
    se = result.wide(f"se_{kind}_pct") * 100
    cells = share.map(lambda v: _number(v, 1)) + " (" + se.map(lambda v: _number(v, 1)) + ")"
    rows, cols = labels.get(result.row, {}), labels.get(result.col, {})
    cells.index = [rows.get(_code_text(v), _code_text(v)) for v in cells.index]
    cells.columns = [cols.get(_code_text(v), _code_text(v)) for v in cells.columns]
    return cells


def _crosstab_tests(result, row: str, col: str) -> None:
    st.subheader(t("ex_tests"))
    f, chisq = result.f_test, result.chisq_test
    cols = st.columns(2)
    cols[0].metric(t("ex_rs_f"), _number(f["statistic"]))
    cols[1].metric(t("ex_rs_p"), _number(f["p_value"], 4))
    view = pd.DataFrame(
        {
            t("ex_test"): [t("ex_test_f"), t("ex_test_chisq")],
            t("ex_statistic"): [
                f"F = {_number(f['statistic'])}",
                f"X² = {_number(chisq['statistic_adjusted'])}",
            ],
            t("ex_df"): [
                f"{_number(f['ndf'], 2)}, {_number(f['ddf'], 2)}",
                _number(chisq["df"], 0),
            ],
            t("ex_col_p"): [_number(f["p_value"], 4), _number(chisq["p_value"], 4)],
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    key = "ex_ct_dependent" if f["p_value"] < 0.05 else "ex_ct_independent"
    st.markdown(t(key, p=_number(f["p_value"], 4), row=row, col=col))


# ---- 3. regression ---------------------------------------------------------------------------
def _regression_tab(store: Store, surveys: pd.DataFrame) -> None:
    survey_id, unit, version = _pick_design("ex_rg", surveys)
    design = _design(survey_id, unit, version)
    table = _variables(survey_id, unit, version)
    fmt = _variable_label(table)
    outcomes = table[table["numeric"] | (table["levels"] == 2)]["name"].tolist()
    outcome = _pick(t("ex_outcome"), outcomes, "ex_rg_outcome", ["life_satisfaction"], fmt)
    others = [n for n in table["name"] if n != outcome]
    predictors = st.multiselect(
        t("ex_predictors"),
        others,
        default=[p for p in ("age", "sex", "age_group") if p in others][:2],
        format_func=fmt,
        key="ex_rg_predictors",
        placeholder=t("choose"),
    )
    if not predictors:
        st.info(t("ex_pick_predictor"))
        return
    kinds = table.set_index("name")
    categorical = [p for p in predictors if not kinds.loc[p, "numeric"]]
    fit = fit_regression(
        design,
        outcome,
        predictors,
        categorical,
        numeric_outcome=bool(kinds.loc[outcome, "numeric"]),
    )
    if fit.family == "gaussian":
        st.caption(t("ex_linear"))
    else:
        event = _labels(table).get(outcome, {}).get(_code_text(fit.event), _code_text(fit.event))
        st.caption(t("ex_logistic", outcome=fmt(outcome), event=event))
    _coefficients(fit, table)


def _term_label(term: str, fit, table: pd.DataFrame) -> str:
    """``C(sex)2`` as '여자 (기준: 남자)', ``age`` as the variable's label, an interaction with ×."""
    parts = term_parts(term)
    if not parts:
        return t("ex_intercept")
    column = "label_ko" if lang() == "ko" else "label_en"
    names = dict(zip(table["name"], table[column], strict=True))
    choices = _labels(table)
    words = []
    for variable, level in parts:
        name = names.get(variable, variable)
        if level is None:
            words.append(name)
            continue
        levels = choices.get(variable, {})
        level_name = levels.get(level, level)
        reference = fit.regression.reference_levels.get(variable)
        if level_name == level:  # a level without a label: say whose it is
            level_name = f"{name}: {level}"
        if reference is None:
            words.append(level_name)
        else:
            words.append(t("ex_term", level=level_name, reference=levels.get(reference, reference)))
    return " × ".join(words)


def _coefficients(fit, table: pd.DataFrame) -> None:
    model = fit.regression
    coefficients = model.coefficients
    view = pd.DataFrame(
        {
            t("ex_col_term"): coefficients["term"].map(lambda term: _term_label(term, fit, table)),
            t("ex_col_estimate"): coefficients["estimate"].map(lambda v: _number(v, 4)),
            t("ex_col_se"): coefficients["se"].map(lambda v: _number(v, 4)),
            t("ex_col_ci_low"): coefficients["ci_low"].map(lambda v: _number(v, 4)),
            t("ex_col_ci_high"): coefficients["ci_high"].map(lambda v: _number(v, 4)),
            t("ex_col_t"): coefficients["t"].map(lambda v: _number(v, 2)),
            t("ex_col_p"): coefficients["p_value"].map(lambda v: _number(v, 4)),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(t("ex_model", formula=fit.formula, n=model.n, df=model.df))
    if model.df <= 0:
        st.warning(t("ex_df_low"))


# ---- 4. compare ------------------------------------------------------------------------------
def _compare_tab(store: Store, surveys: pd.DataFrame) -> None:
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
    cols[0].metric(label_a, _number(row["estimate_a"]))
    cols[1].metric(label_b, _number(row["estimate_b"]))
    cols[2].metric(t("ex_difference"), _number(row["difference"]))
    significant = row["p_value"] < 0.05
    words = t(
        "ex_cmp_significant" if significant else "ex_cmp_not_significant",
        a=label_a,
        b=label_b,
        diff=_number(abs(row["difference"]) if significant else row["difference"]),
        se=_number(row["se"]),
        low=_number(row["ci_low"]),
        high=_number(row["ci_high"]),
        p=_number(row["p_value"], 4),
        direction=t("ex_higher") if row["difference"] > 0 else t("ex_lower"),
    )
    st.markdown(words)


def _compare_domains(store: Store, surveys: pd.DataFrame) -> None:
    survey_id, unit, version = _pick_design("ex_cmp", surveys)
    design = _design(survey_id, unit, version)
    table = _variables(survey_id, unit, version)
    fmt = _variable_label(table)
    numeric = table[table["numeric"]]["name"].tolist()
    variable = _pick(t("ex_variable"), numeric, "ex_cmp_variable", ["indicator__happiness_index",
                     "life_satisfaction"], fmt)  # fmt: skip
    domains = table[table["source"] == "domain"]["name"].tolist()
    by = _pick(t("ex_by"), domains, "ex_cmp_by", ["sex"], fmt)
    levels = sorted(design.frame[by].dropna().unique().tolist(), key=_code_text)
    names = _labels(table).get(by, {})
    level_name = lambda v: names.get(_code_text(v), _code_text(v))  # noqa: E731
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
    label = _survey_label(years)
    cols = st.columns(2)
    a = cols[0].selectbox(t("ex_year_a"), options, format_func=label, key="ex_cmp_year_a")
    b = cols[1].selectbox(
        t("ex_year_b"), options, index=len(options) - 1, format_func=label, key="ex_cmp_year_b"
    )
    if a == b:
        st.info(t("ex_need_two"))
        return
    trend = _trend(indicator, (a, b), (_version(store, a), _version(store, b)))
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
    label = _survey_label(waves)
    cols = st.columns(3)
    a = cols[0].selectbox(t("ex_wave_a"), options, format_func=label, key="ex_cmp_wave_a")
    b = cols[1].selectbox(
        t("ex_wave_b"), options, index=len(options) - 1, format_func=label, key="ex_cmp_wave_b"
    )
    if a == b:
        st.info(t("ex_need_two"))
        return
    version_a, version_b = _version(store, a), _version(store, b)
    table_a = _variables(a, "households", version_a)
    common = set(_variables(b, "households", version_b)["name"])
    numeric = [n for n in table_a[table_a["numeric"]]["name"] if n in common]
    with cols[2]:
        variable = _pick(
            t("ex_variable"), numeric, "ex_cmp_wave_variable",
            ["life_satisfaction", "indicator__happiness_index"], _variable_label(table_a),
        )  # fmt: skip
    row = _wave_change(a, b, variable, (version_a, version_b)).iloc[0]
    codes = waves.set_index("survey_id")["code"]
    _difference(row, str(codes.loc[a]), str(codes.loc[b]))
    st.caption(
        t("ex_cmp_wave_note", n_both=int(row["n_both"]), n_a=int(row["n_a"]), n_b=int(row["n_b"]))
    )
    st.caption(t("ex_wave_note"))
