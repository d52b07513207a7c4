"""Survey managers and statisticians: a survey or panel wave in the field — progress per day,
response by district, completion times, break-offs by screen, and quality flags, with the
statistician's reversible exclusion of a flagged response from estimation.

Every number comes from :mod:`surveys.fieldwork.monitoring`, :mod:`surveys.fieldwork.quality`,
:mod:`analysis.exclusions` and :mod:`panel.outcomes`; this page only labels and draws it.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.exclusions import ExclusionError, active_exclusions, exclude, restore
from data.accounts import ADMIN, PANEL_OPERATOR, STATISTICIAN, SURVEY_MANAGER
from data.store import Store
from panel.outcomes import wave_rates
from surveys.fieldwork.monitoring import (
    breakoffs_by_screen,
    completion_times,
    daily_progress,
    median_completion_seconds,
    median_times,
    response_by_district,
    response_summary,
)
from surveys.fieldwork.quality import (
    ITEM_NONRESPONSE_LIMIT,
    MIN_GRID_ITEMS,
    MIN_OPTIONAL,
    SPEED_RATIO,
    flag_counts,
    quality_flags,
)
from surveys.opening import list_surveys
from ui.context import get_store, require_role
from ui.glossary import MISSING, label, labeller, shown, survey_title
from ui.i18n import lang, t

MAY_EXCLUDE = (STATISTICIAN, ADMIN)
FLAG_FILTERS = ("any", "speeder", "straight_lining", "high_item_nonresponse")
RATES = ("RR1", "COOP1", "REF1", "CON1")
DAILY_COLOURS = ["#2171b5", "#fd8d3c"]  # submitted, partial
ROW = 24  # pixels per category of a chart with one row per category
AXES = 70  # Streamlit counts axes and titles in a chart's height
ROW_LABELS = alt.Axis(labelOverlap=False, labelLimit=200)
METRICS_PER_ROW = 3
NOTICE = "fw_notice"  # a success message carried over the rerun after a change


def render() -> None:
    user = require_role(SURVEY_MANAGER, STATISTICIAN, PANEL_OPERATOR, ADMIN)
    store = get_store()
    st.header(t("page_fieldwork"))
    st.caption(t("fw_intro"))
    surveys = _ordered(list_surveys(store))
    if surveys.empty:
        st.info(t("fw_no_surveys"))
        return
    labels = {int(row.survey_id): _survey_label(row) for row in surveys.itertuples(index=False)}
    survey_id = st.selectbox(
        t("fw_choose"),
        list(labels),
        key="fw_survey",
        format_func=_lookup(labels),
        help=t("fw_choose_help"),
    )
    survey = surveys.set_index("survey_id").loc[survey_id]
    if int(survey["sampled"]) == 0:
        st.info(t("fw_no_sample"))
        return
    panel_wave = survey["kind"] == "panel_wave"
    by_district = response_by_district(store, survey_id)
    progress = daily_progress(store, survey_id)
    times = completion_times(store, survey_id)
    _headline(store, survey_id, int(survey["sampled"]), by_district, progress, times, panel_wave)
    if times.empty:
        st.info(t("fw_no_responses"))
        return
    _daily_section(progress)
    _district_section(store, survey_id, by_district, panel_wave)
    _times_section(times)
    _breakoff_section(breakoffs_by_screen(store, survey_id))
    _quality_section(store, survey_id, len(times), user.role, user.username)


def _ordered(surveys: pd.DataFrame) -> pd.DataFrame:
    """In-field surveys first, then the rest; the most recently started first within each."""
    if surveys.empty:
        return surveys
    return (
        surveys.assign(_in_field=surveys["status"] != "in_field")
        .sort_values(
            ["_in_field", "field_start", "survey_id"],
            ascending=[True, False, False],
            na_position="last",
        )
        .drop(columns="_in_field")
        .reset_index(drop=True)
    )


def _survey_label(row: Any) -> str:
    title = survey_title(row.title_ko, row.title_en)
    return f"[{label('survey_status', row.status)}] {row.code} · {title}"


def _lookup(labels: dict[Any, str]) -> Any:
    """A selectbox's format_func: the label of an option, and a label unchanged (AppTest)."""
    return lambda option: labels.get(option, str(option))


def _mmss(seconds: float) -> str:
    """Seconds as minutes:seconds ('–' when there is no time)."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    whole = int(round(float(seconds)))
    return f"{whole // 60}:{whole % 60:02d}"


def _percent(share: float) -> str:
    return MISSING if share is None or math.isnan(share) else f"{100 * share:.1f}%"


def _name_column() -> str:
    return "name_en" if lang() == "en" else "name_ko"


def _chart(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")


# ---------------------------------------------------------------- headline


def _headline(
    store: Store,
    survey_id: int,
    sampled: int,
    by_district: pd.DataFrame,
    progress: pd.DataFrame,
    times: pd.DataFrame,
    panel_wave: bool,
) -> None:
    summary = response_summary(by_district)
    metrics = [
        (t("fw_sampled"), f"{sampled:,}", None),
        (t("fw_parts_in"), f"{summary['responded']:,}", t("fw_parts_in_help")),
        (t("fw_response_rate"), _percent(summary["response_rate"]), t("fw_response_rate_help")),
    ]
    if panel_wave:
        rr1 = wave_rates(store, survey_id)["RR1"]
        value = float(rr1.iloc[0]) if len(rr1) else float("nan")
        metrics.append((t("fw_rr1"), _percent(value), t("fw_rr1_help")))
    median = median_completion_seconds(times, "household")
    metrics.append((t("fw_median_time"), _mmss(median), t("fw_median_time_help")))
    open_parts = int(progress["partial"].sum()) if not progress.empty else 0
    metrics.append((t("fw_open_parts"), f"{open_parts:,}", t("fw_open_parts_help")))
    for start in range(0, len(metrics), METRICS_PER_ROW):  # six in a row cut their labels off
        row = metrics[start : start + METRICS_PER_ROW]
        for col, (name, value, help_text) in zip(st.columns(METRICS_PER_ROW), row, strict=False):
            col.metric(name, value, help=help_text)


# ---------------------------------------------------------------- per day


def _daily_section(progress: pd.DataFrame) -> None:
    st.subheader(t("fw_daily"))
    st.caption(t("fw_daily_help"))
    _chart(_daily_chart(progress))


def _daily_chart(progress: pd.DataFrame) -> alt.LayerChart:
    kinds = {"submitted": t("fw_submitted"), "partial": t("fw_partial")}
    frame = progress.assign(day=pd.to_datetime(progress["day"]))
    long = frame.melt(id_vars=["day"], value_vars=list(kinds), var_name="kind", value_name="n")
    long = long.assign(
        order=long["kind"].map({k: i for i, k in enumerate(kinds)}),
        kind=long["kind"].map(kinds),
    )
    x = alt.X(
        "yearmonthdate(day):T",
        title=t("fw_day"),
        axis=alt.Axis(format="%m-%d", tickCount="day", labelOverlap=True),
    )
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("n:Q", stack="zero", title=t("fw_parts")),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(kinds.values()), range=DAILY_COLOURS),
                title=t("fw_kind"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("day:T", title=t("fw_day"), format="%Y-%m-%d"),
                alt.Tooltip("kind:N", title=t("fw_kind")),
                alt.Tooltip("n:Q", title=t("fw_parts")),
            ],
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=True, color="black")
        .encode(
            x=x,
            y=alt.Y(
                "submitted_total:Q",
                title=t("fw_submitted_total"),
                axis=alt.Axis(titleColor="black"),
            ),
            tooltip=[
                alt.Tooltip("day:T", title=t("fw_day"), format="%Y-%m-%d"),
                alt.Tooltip("submitted_total:Q", title=t("fw_submitted_total")),
            ],
        )
    )
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=300)


# ---------------------------------------------------------------- districts


def _district_section(
    store: Store, survey_id: int, by_district: pd.DataFrame, panel_wave: bool
) -> None:
    st.subheader(t("fw_districts"))
    st.caption(t("fw_districts_help"))
    _chart(_district_chart(by_district, response_summary(by_district)["response_rate"]))
    if panel_wave:
        st.markdown(f"**{t('fw_aapor_districts')}**")
        _aapor_table(wave_rates(store, survey_id, by="district_code"), by_district)
        st.caption(t("fw_aapor_help"))


def _district_chart(by_district: pd.DataFrame, overall: float) -> alt.LayerChart:
    frame = by_district.assign(
        district=by_district[_name_column()],
        rate=by_district["response_rate"].astype(float),
    )
    order = frame.sort_values("rate", ascending=False)["district"].tolist()
    rate_title = t("fw_response_rate")
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#2171b5")
        .encode(
            y=alt.Y("district:N", sort=order, title=None, axis=ROW_LABELS),
            x=alt.X(
                "rate:Q",
                title=rate_title,
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("district:N", title=t("fw_district")),
                alt.Tooltip("sampled:Q", title=t("fw_sampled")),
                alt.Tooltip("responded:Q", title=t("fw_responded")),
                alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
            ],
        )
    )
    mark = pd.DataFrame({"rate": [overall], "what": [t("fw_overall")]})
    rule = (
        alt.Chart(mark)
        .mark_rule(color="black", strokeWidth=2, strokeDash=[4, 3])
        .encode(
            x="rate:Q",
            tooltip=[
                alt.Tooltip("what:N", title=""),
                alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
            ],
        )
    )
    return (bars + rule).properties(height=max(5, len(frame)) * ROW + AXES)


def _aapor_table(rates: pd.DataFrame, by_district: pd.DataFrame) -> None:
    names = dict(
        zip(by_district["district_code"].astype(str), by_district[_name_column()], strict=True)
    )
    columns = ["district_code", "invited", "I", "P", "R", "NC", "O", "NE", *RATES]
    view = rates.assign(**{rate: rates[rate].astype(float).map(_percent) for rate in RATES})
    st.dataframe(
        shown(
            view,
            [c for c in columns if c in view.columns],
            codes={"district_code": names},
            names={c: label("aapor", c) for c in columns[1:]},
        ),
        hide_index=True,
        width="stretch",
    )


# ---------------------------------------------------------------- times


_part_label = labeller("part")
_mode_label = labeller("mode")


def _times_section(times: pd.DataFrame) -> None:
    st.subheader(t("fw_times"))
    medians = median_times(times)
    view = pd.DataFrame(
        {
            "part": medians["part"].map(_part_label),
            "mode": medians["mode"].map(_mode_label),
            "parts": medians["parts"],
            "median": medians["median_seconds"].map(_mmss),
            "median_seconds": medians["median_seconds"].astype(float).round(0),
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "part": t("fw_part"),
            "mode": t("fw_mode"),
            "parts": st.column_config.NumberColumn(t("fw_parts")),
            "median": t("fw_median"),
            "median_seconds": st.column_config.NumberColumn(t("fw_median_seconds"), format="%d"),
        },
    )


# ---------------------------------------------------------------- break-offs


def _breakoff_section(breakoffs: pd.DataFrame) -> None:
    st.subheader(t("fw_breakoffs"))
    st.caption(t("fw_breakoffs_help"))
    if breakoffs.empty:
        st.info(t("fw_no_breakoffs"))
        return
    for part, rows in breakoffs.groupby("part", sort=False):
        st.markdown(
            "**"
            + t(
                "fw_breakoffs_part",
                part=_part_label(part),
                started=int(rows["started"].iloc[0]),
                open=int(rows["open_parts"].sum()),
            )
            + "**"
        )
        _chart(_breakoff_chart(rows))


def _breakoff_chart(rows: pd.DataFrame) -> alt.LayerChart:
    title = "title_en" if lang() == "en" else "title_ko"
    screens = rows["screen_no"].map(lambda n: "–" if pd.isna(n) else str(int(n)))
    start = rows["section_id"] == "(start)"
    frame = rows.assign(
        screen=(screens + ". " + rows[title].astype(str)).where(~start, t("fw_start_screen")),
        share=rows["share_of_started"].astype(float),
        share_text=rows["share_of_started"].astype(float).map(_percent),
    )
    y = alt.Y("screen:N", sort=frame["screen"].tolist(), title=t("fw_screen"), axis=ROW_LABELS)
    x = alt.X("open_parts:Q", title=t("fw_open_parts"), axis=alt.Axis(tickMinStep=1, format="d"))
    base = alt.Chart(frame).encode(y=y, x=x)
    bars = base.mark_bar(color="#de2d26").encode(
        tooltip=[
            alt.Tooltip("screen:N", title=t("fw_screen")),
            alt.Tooltip("open_parts:Q", title=t("fw_open_parts")),
            alt.Tooltip("started:Q", title=t("fw_started")),
            alt.Tooltip("share:Q", title=t("fw_share_started"), format=".1%"),
        ]
    )
    text = base.mark_text(align="left", dx=3).encode(text="share_text:N")
    return (bars + text).properties(height=max(3, len(frame)) * ROW + AXES)


# ---------------------------------------------------------------- quality


@st.cache_data(show_spinner="품질 표시 계산 중 / computing quality flags …", max_entries=32)
def _flags(_store: Store, database: str, survey_id: int, responses: int) -> pd.DataFrame:
    """Quality flags of a survey, computed again only when its count of responses changes."""
    return quality_flags(_store, survey_id)


_flag_label = labeller("quality_flag")


def _flags_text(flags: str) -> str:
    return ", ".join(_flag_label(f) for f in flags.split(",") if f)


def _quality_section(store: Store, survey_id: int, responses: int, role: str, actor: str) -> None:
    st.subheader(t("fw_quality"))
    st.caption(
        t(
            "fw_quality_help",
            ratio=f"1/{round(1 / SPEED_RATIO)}",
            grid=MIN_GRID_ITEMS,
            limit=f"{ITEM_NONRESPONSE_LIMIT:.0%}",
            optional=MIN_OPTIONAL,
        )
    )
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)
    flags = _flags(store, str(store.path), survey_id, responses)
    counts = flag_counts(flags)
    cols = st.columns(len(FLAG_FILTERS))
    for col, flag in zip(cols, FLAG_FILTERS, strict=True):
        col.metric(_flag_label(flag), f"{counts[flag]:,}", help=t("fw_of_parts", n=counts["parts"]))
    exclusions = active_exclusions(store, survey_id)
    names = {flag: _flag_label(flag) for flag in FLAG_FILTERS}
    chosen = st.selectbox(
        t("fw_flag_filter"), FLAG_FILTERS, key="fw_flag", format_func=_lookup(names)
    )
    flagged = _flagged(flags, chosen)
    excluded = set(
        zip(
            exclusions["household_id"].astype(int), exclusions["member_no"].astype(int), strict=True
        )
    )
    if flagged.empty:
        st.info(t("fw_no_flagged"))
    else:
        _flagged_table(flagged, excluded)
    st.caption(t("fw_excluded_count", n=len(exclusions)))
    if role not in MAY_EXCLUDE:
        _active_table(exclusions)
        st.caption(t("fw_ex_only_statisticians"))
        return
    st.markdown(f"**{t('fw_exclude_title')}**")
    st.caption(t("fw_exclude_help"))
    _exclude_form(store, survey_id, flagged, excluded, actor)
    st.markdown(f"**{t('fw_active')}**")
    _active_table(exclusions)
    if not exclusions.empty:
        _restore_form(store, exclusions, actor)


def _flagged(flags: pd.DataFrame, chosen: str) -> pd.DataFrame:
    keep = flags["flags"] != "" if chosen == "any" else flags[chosen].astype(bool)
    return flags.loc[keep].reset_index(drop=True)


def _flagged_table(flagged: pd.DataFrame, excluded: set[tuple[int, int]]) -> None:
    keys = zip(flagged["household_id"].astype(int), flagged["member_no"].astype(int), strict=True)
    view = pd.DataFrame(
        {
            "household_id": flagged["household_id"],
            "member_no": flagged["member_no"],
            "part": flagged["part"].map(_part_label),
            "seconds": flagged["seconds"].astype(float).round(0),
            "median_seconds": flagged["median_seconds"].astype(float).round(0),
            "grids": flagged["straight_lined_grids"],
            "item_nonresponse": 100 * flagged["item_nonresponse"].astype(float),
            "unanswered": [
                f"{u} / {o}"
                for u, o in zip(flagged["unanswered"], flagged["optional_asked"], strict=True)
            ],
            "flags": flagged["flags"].map(_flags_text),
            "excluded": [key in excluded for key in keys],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "household_id": st.column_config.NumberColumn(t("fw_household"), format="%d"),
            "member_no": st.column_config.NumberColumn(t("fw_member"), format="%d"),
            "part": t("fw_part"),
            "seconds": st.column_config.NumberColumn(t("fw_seconds"), format="%d"),
            "median_seconds": st.column_config.NumberColumn(t("fw_median_seconds"), format="%d"),
            "grids": t("fw_grids"),
            "item_nonresponse": st.column_config.NumberColumn(
                t("fw_item_nonresponse"), format="%.1f"
            ),
            "unanswered": t("fw_unanswered"),
            "flags": t("fw_flags"),
            "excluded": st.column_config.CheckboxColumn(t("fw_excluded")),
        },
    )


def _exclude_form(
    store: Store,
    survey_id: int,
    flagged: pd.DataFrame,
    excluded: set[tuple[int, int]],
    actor: str,
) -> None:
    labels: dict[tuple[int, int], str] = {}
    first_flag: dict[tuple[int, int], str] = {}
    for row in flagged.itertuples(index=False):
        key = (int(row.household_id), int(row.member_no))
        if key in excluded:
            continue
        labels[key] = t(
            "fw_ex_part_label",
            household=key[0],
            member=key[1],
            flags=_flags_text(row.flags),
        )
        first_flag[key] = row.flags.split(",")[0]
    if not labels:
        st.info(t("fw_ex_none_left") if not flagged.empty else t("fw_no_flagged"))
        return
    with st.form("fw_ex_form", clear_on_submit=True):
        part = st.selectbox(
            t("fw_ex_part"), list(labels), key="fw_ex_part", format_func=_lookup(labels)
        )
        reason = st.text_input(
            t("fw_ex_reason"), key="fw_ex_reason", placeholder=t("fw_ex_reason_placeholder")
        )
        submitted = st.form_submit_button(t("fw_ex_submit"), type="primary", key="fw_ex_submit")
    if not submitted or part is None:
        return
    household, member = part
    try:
        exclusion_id = exclude(
            store,
            survey_id,
            household,
            member,
            reason=reason,
            actor=actor,
            flag=first_flag.get(part) or None,
        )
    except ExclusionError as error:
        st.error(str(error))
        return
    st.session_state[NOTICE] = t(
        "fw_ex_done", household=household, member=member, exclusion_id=exclusion_id
    )
    st.rerun()


def _active_table(exclusions: pd.DataFrame) -> None:
    if exclusions.empty:
        st.info(t("fw_no_active"))
        return
    view = exclusions.assign(flag=exclusions["flag"].map(_flag_label))
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "exclusion_id": st.column_config.NumberColumn(t("fw_exclusion_id"), format="%d"),
            "household_id": st.column_config.NumberColumn(t("fw_household"), format="%d"),
            "member_no": st.column_config.NumberColumn(t("fw_member"), format="%d"),
            "flag": t("fw_flag"),
            "reason": t("fw_reason"),
            "excluded_by": t("fw_excluded_by"),
            "excluded_at": st.column_config.DatetimeColumn(
                t("fw_excluded_at"), format="YYYY-MM-DD HH:mm"
            ),
        },
    )


def _restore_form(store: Store, exclusions: pd.DataFrame, actor: str) -> None:
    parts = {
        int(row.exclusion_id): (int(row.household_id), int(row.member_no))
        for row in exclusions.itertuples(index=False)
    }
    labels = {
        i: t("fw_restore_label", exclusion_id=i, household=h, member=m)
        for i, (h, m) in parts.items()
    }
    with st.form("fw_ex_restore_form", clear_on_submit=True):
        exclusion_id = st.selectbox(
            t("fw_restore_id"),
            list(parts),
            key="fw_ex_restore_id",
            format_func=_lookup(labels),
        )
        reason = st.text_input(t("fw_restore_reason"), key="fw_ex_restore_reason")
        submitted = st.form_submit_button(
            t("fw_restore_submit"), type="primary", key="fw_ex_restore_submit"
        )
    if not submitted or exclusion_id is None:
        return
    try:
        restore(store, exclusion_id, reason=reason, actor=actor)
    except ExclusionError as error:
        st.error(str(error))
        return
    household, member = parts[exclusion_id]
    st.session_state[NOTICE] = t(
        "fw_restore_done", exclusion_id=exclusion_id, household=household, member=member
    )
    st.rerun()
