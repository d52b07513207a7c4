"""Survey managers: one click makes a survey's report — Excel workbook, Korean PDF, CSV bundle."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.exclusions import active_exclusions
from analysis.reports.bundle import Report
from analysis.reports.findings import format_value
from analysis.reports.versions import WeightsVersion, all_weights_versions
from analysis.tables import NoWeights
from panel.reports import survey_report
from surveys.opening import list_surveys, questionnaire_of
from ui.audit_trail import audited_download
from ui.context import get_store, require_page
from ui.glossary import label, one_language, survey_title
from ui.i18n import say, t

REPORT = "rp_report"  # session state: (survey_id, chosen weights ids), Report
# weights units a report needs, by survey kind (a wave: one respondent per household)
UNITS_NEEDED = {"cross_section": {"household", "person"}, "panel_wave": {"household"}}
MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


def render() -> None:
    require_page(__name__)
    store = get_store()
    st.header(t("page_reports"))
    st.caption(t("rp_intro"))
    surveys = list_surveys(store)
    surveys = surveys[surveys["kind"].isin(list(UNITS_NEEDED))]
    if surveys.empty:
        st.info(t("rp_no_surveys"))
        return
    survey_id = st.selectbox(
        t("rp_survey"),
        _order(surveys),
        key="rp_survey",
        format_func=lambda i: _survey_label(surveys, i),
    )
    survey_id = int(survey_id)
    kind = str(surveys.set_index("survey_id").loc[survey_id, "kind"])
    versions = _versions(survey_id, kind)
    if not versions:
        st.warning(t("rp_no_weights"))
        return
    chosen = st.multiselect(
        t("rp_weights"),
        list(versions),
        key="rp_weights",
        format_func=lambda i: _version_label(versions[i]),
        placeholder=t("rp_weights_newest_wave" if kind == "panel_wave" else "rp_weights_newest"),
        help=t("rp_weights_help"),
    )
    units = pd.Series([versions[i].unit for i in chosen], dtype=object)
    twice = units[units.duplicated()].unique().tolist()
    if twice:
        st.error(t("rp_weights_twice", units=", ".join(_unit(u) for u in twice)))
    _exclusion_note(survey_id)
    key = (survey_id, tuple(sorted(chosen)))
    if st.button(t("rp_build"), key="rp_build", type="primary", disabled=bool(twice)):
        _build(survey_id, list(chosen), key)
    held = st.session_state.get(REPORT)
    if held is not None and held[0] == key:
        _show(survey_id, held[1])


def _order(surveys: pd.DataFrame) -> list[int]:
    """Seoul Survey years first, then panel waves; newest first within each."""
    kinds = list(UNITS_NEEDED)
    ordered = surveys.assign(_kind=surveys["kind"].map(kinds.index)).sort_values(
        ["_kind", "survey_id"], ascending=[True, False]
    )
    return [int(i) for i in ordered["survey_id"]]


def _survey_label(surveys: pd.DataFrame, survey_id: int) -> str:
    row = surveys.set_index("survey_id").loc[survey_id]
    return f"{survey_title(row['title_ko'], row['title_en'])} ({row['code']})"


def _versions(survey_id: int, kind: str) -> dict[int, WeightsVersion]:
    """The weights versions a report may use, by id, oldest first; {} if it cannot be made yet."""
    needed = UNITS_NEEDED[kind]
    if questionnaire_of(get_store(), survey_id).person is None:
        needed = {"household"}  # a form without a person part has household weights only
    versions = {
        i: v for i, v in all_weights_versions(get_store(), survey_id).items() if v.unit in needed
    }
    if not needed <= {v.unit for v in versions.values()}:
        return {}
    return versions


def _unit(unit: str) -> str:
    return label("weights_unit", unit)


def _version_label(version: WeightsVersion) -> str:
    return t(
        "rp_weights_label",
        unit=_unit(version.unit),
        version=version.version,
        weights_id=version.weights_id,
        created=str(version.created_at)[:16],
    )


def _exclusion_note(survey_id: int) -> None:
    excluded = active_exclusions(get_store(), survey_id)
    if excluded.empty:
        st.caption(t("rp_none_excluded"))
        return
    households = int((excluded["member_no"] == 0).sum())
    persons = len(excluded) - households
    st.info(t("rp_excluded", households=households, persons=persons, total=len(excluded)))


def _build(survey_id: int, chosen: list[int], key: tuple) -> None:
    st.session_state.pop(REPORT, None)
    bar = st.progress(0.0, text=t("rp_starting"))

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=one_language(message))

    try:
        report = survey_report(
            get_store(), survey_id, weights_ids=chosen or None, progress=progress
        )
    except (NoWeights, ValueError) as error:
        bar.empty()
        st.error(t("rp_failed", detail=say(error)))
        return
    st.session_state[REPORT] = (key, report)


def _show(survey_id: int, report: Report) -> None:
    summary: dict[str, Any] = report.summary
    st.success(t("rp_done", code=summary["survey_code"], made_at=summary["made_at"]))
    excluded = summary.get("excluded", {})
    wave = summary.get("kind") == "panel_wave"
    cols = st.columns(4)
    if summary["happiness_index"] is None:
        cols[0].metric(t("rp_happiness"), "–", help=t("rp_no_happiness"))
    else:
        cols[0].metric(t("rp_happiness"), format_value(summary["happiness_index"]))
    changes = t("rp_changes_wave") if wave else t("rp_changes")
    if summary["significant_changes"] is None:
        cols[1].metric(changes, "–", help=t("rp_no_previous"))
    else:
        cols[1].metric(
            changes,
            f"{summary['significant_changes']:,}",
            help=t("rp_changes_help", previous=summary["previous_survey"]),
        )
    cols[2].metric(t("rp_excluded_metric"), f"{sum(excluded.values()):,}")
    cols[3].metric(t("rp_questions"), f"{summary['questions']:,}")
    with st.expander(t("rp_findings")):
        for line in summary["findings"]:
            st.markdown(f"- {line}")
    st.subheader(t("rp_downloads"))
    labels = {".xlsx": t("rp_excel"), ".pdf": t("rp_pdf"), ".zip": t("rp_csv")}
    cols = st.columns(3)
    formats = {".xlsx": "xlsx", ".pdf": "pdf", ".zip": "csv-zip"}
    for col, (name, data) in zip(cols, report.files.items(), strict=True):
        suffix = name[name.rfind(".") :]
        audited_download(  # audited on the press (on_click), the report being kept in session
            col,
            labels[suffix],
            data,
            file_name=name,
            mime=MIME[suffix],
            key=f"rp_download{suffix.replace('.', '_')}",
            kind="report",
            survey_id=survey_id,
            survey=summary["survey_code"],
            fmt=formats[suffix],
        )
