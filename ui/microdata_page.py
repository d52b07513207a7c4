"""Statisticians and administrators: build, check and export the public-use microdata file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.disclosure.control import DisclosureRules, RiskReport, load_rules
from analysis.disclosure.microdata import FORMATS, PublicFile, build_public_file, release
from analysis.disclosure.pseudonyms import configured_key_path
from analysis.weights.survey_weights import weights_ids
from data.accounts import User
from surveys.opening import list_surveys
from ui.audit_trail import audited_download
from ui.context import get_store, require_page, role_label
from ui.glossary import DOMAIN_TABLES, shown, survey_title
from ui.i18n import lang, say, t

PREVIEW_ROWS = 20
FORMAT_LABELS = {"csv": "CSV", "parquet": "Parquet", "sav": "SPSS .sav", "dta": "Stata .dta"}
MIME = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}
BUILT = "md_public"  # session state: {"survey_id": …, "file": PublicFile}
EXPORTED = "md_exported"  # session state: {"survey_id", "fmt", "files": [(name, bytes)], …}


def render() -> None:
    user = require_page(__name__)
    store = get_store()
    st.header(t("page_microdata"))
    st.caption(t("md_intro"))
    surveys = list_surveys(store)
    surveys = surveys[surveys["kind"] == "cross_section"]
    if surveys.empty:
        st.info(t("md_no_surveys"))
        return
    weighted = {int(i): bool(weights_ids(store, int(i))) for i in surveys["survey_id"]}
    survey_id = int(
        st.selectbox(
            t("md_survey"),
            surveys["survey_id"].tolist()[::-1],  # newest first
            key="md_survey",
            format_func=lambda i: _survey_label(surveys, int(i), weighted[int(i)]),
        )
    )
    try:
        rules = load_rules()
    except (OSError, ValueError) as error:
        st.error(t("md_rules_error", error=say(error)))
        return
    _rules_section(rules)
    key_path = configured_key_path()
    _key_file_section(key_path)
    if not weighted[survey_id]:
        st.warning(t("md_no_weights"))

    if st.button(t("md_build"), key="md_build", type="primary"):
        st.session_state.pop(EXPORTED, None)
        with st.spinner(t("md_building")):
            try:
                public_file = build_public_file(store, survey_id, rules=rules, key_path=key_path)
            except (ValueError, PermissionError) as error:  # no weights, bad key file, bad rules
                st.session_state.pop(BUILT, None)
                # both languages still (str), as tests/ui/test_microdata_page.py reads the English
                st.error(str(error))
                return
        st.session_state[BUILT] = {"survey_id": survey_id, "file": public_file}
    built = st.session_state.get(BUILT)
    if not built or built["survey_id"] != survey_id:
        return
    public_file: PublicFile = built["file"]
    st.success(
        t(
            "md_built",
            code=public_file.survey_code,
            rows=len(public_file.data),
            columns=public_file.data.shape[1],
            k=public_file.k,
            weights_id=public_file.weights_id,
        )
    )
    _risk_section(public_file)
    _suppression_section(public_file)
    st.subheader(t("md_preview", rows=PREVIEW_ROWS))
    st.caption(t("md_preview_help"))
    preview = public_file.data.head(PREVIEW_ROWS)  # the file's own variable names, blanks as "–"
    st.dataframe(
        shown(preview, names={c: c for c in preview.columns}), hide_index=True, width="stretch"
    )
    st.subheader(t("md_codebook"))
    st.dataframe(_codebook(public_file.codebook), hide_index=True, width="stretch")
    _export_section(user, survey_id, rules, key_path)


def _codebook(codebook: pd.DataFrame) -> pd.DataFrame:
    """The codebook in the chosen language: one label and one set of value labels."""
    language = "ko" if lang() == "ko" else "en"
    view = codebook.assign(
        label=codebook[f"label_{language}"], value_labels=codebook[f"value_labels_{language}"]
    )
    columns = ["variable", "label", "type", "value_labels", "recode", "suppressed", "missing"]
    return shown(view, [c for c in columns if c in view.columns], codes={"type": "variable_type"})


def _survey_label(surveys: pd.DataFrame, survey_id: int, weighted: bool) -> str:
    row = surveys.set_index("survey_id").loc[survey_id]
    title = survey_title(row["title_ko"], row["title_en"])
    mark = "" if weighted else f" — {t('md_no_weights_mark')}"
    return f"{row['code']} · {title}{mark}"


# -- what the file will be made by ---------------------------------------------------------------
def _rules_section(rules: DisclosureRules) -> None:
    with st.expander(t("md_rules"), expanded=True):
        st.caption(t("md_rules_file", sha=rules.sha256[:12] or "–"))
        st.markdown(f"**{t('md_keys')}**")
        st.caption(t("md_keys_help"))
        keys = pd.DataFrame(
            {t("md_importance"): range(1, len(rules.keys) + 1), t("md_variable"): rules.keys}
        )
        st.dataframe(keys, hide_index=True)
        st.markdown(f"- {t('md_k_rule', k=rules.k)}")
        if rules.sensitive_variables:
            st.markdown(
                f"- {t('md_k_sensitive', k=rules.sensitive_k, variables=_names(rules.sensitive_variables))}"
            )
        st.markdown(f"**{t('md_recodes')}**")
        breaks = (
            t("md_age_reference")
            if rules.age_breaks == "reference"
            else ", ".join(str(b) for b in rules.age_breaks)
        )
        st.markdown(
            f"- {t('md_age_bands', source=rules.age_source, target=rules.age_target, breaks=breaks)}"
        )
        if rules.rare is not None:
            label = rules.rare.label[0] if lang() == "ko" else rules.rare.label[1]
            rare = t(
                "md_rare",
                min_count=rules.rare.min_count,
                code=rules.rare.code,
                label=label,
                variables=_names(rules.rare.variables),
            )
            st.markdown(f"- {rare}")
        if rules.top_codes:
            st.markdown(f"- {t('md_top_codes')}")
            position = 0 if lang() == "ko" else 1
            top_codes = pd.DataFrame(
                [
                    {
                        t("md_variable"): name,
                        t("md_top"): f"{top.at:g}",
                        t("md_top_label"): top.label[position] if top.label else f"{top.at:g}+",
                    }
                    for name, top in rules.top_codes.items()
                ]
            )
            st.dataframe(top_codes, hide_index=True)
        st.markdown(f"**{t('md_dropped')}**")
        for key, names in (
            ("md_drop_columns", rules.drop_columns),
            ("md_drop_types", rules.drop_question_types),
            ("md_drop_patterns", rules.drop_patterns),
        ):
            if names:
                st.markdown(f"- {t(key, names=_names(names))}")


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _key_file_section(key_path: Path) -> None:
    st.subheader(t("md_key_file"))
    st.code(str(key_path), language=None)
    if key_path.exists():
        st.caption(f"✅ {t('md_key_exists')}")
    else:
        st.caption(f"ℹ️ {t('md_key_missing')}")
    st.caption(t("md_key_help"))


# -- what the file is ----------------------------------------------------------------------------
def _risk_section(public_file: PublicFile) -> None:
    st.subheader(t("md_risk"))
    st.caption(t("md_risk_help"))
    columns = st.columns(2)
    for column, heading, report in (
        (columns[0], t("md_before"), public_file.risk_before),
        (columns[1], t("md_after"), public_file.risk_after),
    ):
        with column:
            _risk_report(heading, report)


def _risk_report(heading: str, report: RiskReport) -> None:
    st.markdown(f"**{heading}** — k = {report.k}, {t('md_records')} {report.records:,}")
    share = report.violating / report.records if report.records else 0.0
    cells = st.columns(3)
    cells[0].metric(t("md_violating"), f"{report.violating:,}")
    cells[1].metric(t("md_expected"), f"{report.expected_reidentifications:.3f}")
    cells[2].metric(t("md_share"), f"{share:.1%}")
    st.markdown(t("md_riskiest"))
    riskiest = report.riskiest.assign(F_k=report.riskiest["F_k"].map("{:,.1f}".format))
    keys = {c: DOMAIN_TABLES[c] for c in riskiest.columns if c in DOMAIN_TABLES}
    st.dataframe(shown(riskiest, codes=keys, store=get_store()), hide_index=True, width="stretch")


def _suppression_section(public_file: PublicFile) -> None:
    st.subheader(t("md_suppressed"))
    table = pd.DataFrame(
        {
            t("md_variable"): list(public_file.suppressed),
            t("md_suppressed_cells"): list(public_file.suppressed.values()),
        }
    )
    st.dataframe(table, hide_index=True)
    st.caption(t("md_suppressed_total", cells=f"{public_file.suppressed_cells:,}"))


# -- export --------------------------------------------------------------------------------------
def _export_section(user: User, survey_id: int, rules: DisclosureRules, key_path: Path) -> None:
    st.subheader(t("md_export_head"))
    fmt = st.radio(
        t("md_format"), FORMATS, key="md_format", format_func=FORMAT_LABELS.get, horizontal=True
    )
    if st.button(t("md_export"), key="md_export", type="primary"):
        with st.spinner(t("md_exporting")), tempfile.TemporaryDirectory() as folder:
            try:
                paths = release(
                    get_store(),
                    survey_id,
                    fmt,
                    folder,
                    actor=user.username,
                    role=user.role,
                    key_path=key_path,
                    rules=rules,
                )
            except (ValueError, PermissionError) as error:
                st.session_state.pop(EXPORTED, None)
                st.error(say(error))
                return
            files = [(path.name, path.read_bytes()) for path in paths]
        built = st.session_state.get(BUILT)
        st.session_state[EXPORTED] = {
            "survey_id": survey_id,
            "fmt": fmt,
            "files": files,
            "rows": len(built["file"].data) if built else None,
            "actor": user.username,
            "role": user.role,
        }
    exported = st.session_state.get(EXPORTED)
    if not exported or exported["survey_id"] != survey_id:
        return
    (data_name, data_bytes), (codebook_name, codebook_bytes) = exported["files"]
    # Making the files wrote the release to the audit log (analysis.disclosure.microdata
    # .release, when the bytes are prepared); each download is audited on its press too.
    cells = st.columns(2)
    audited_download(
        cells[0],
        t("md_download_data", name=data_name),
        data_bytes,
        file_name=data_name,
        mime=MIME.get(exported["fmt"], "application/octet-stream"),
        key="md_download_data",
        kind="microdata",
        survey_id=survey_id,
        fmt=exported["fmt"],
        rows=exported.get("rows"),
    )
    audited_download(
        cells[1],
        t("md_download_codebook", name=codebook_name),
        codebook_bytes,
        file_name=codebook_name,
        mime="text/csv",
        key="md_download_codebook",
        kind="microdata_codebook",
        survey_id=survey_id,
        fmt="csv",
    )
    st.info(t("md_audited", actor=exported["actor"], role=role_label(exported["role"])))
