"""Administration: reference-data upload, validation report, quarantine, users, database."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.accounts import (
    ROLES,
    AccountError,
    create_user,
    list_users,
    reset_password,
    set_active,
)
from data.audit import recent_events, verify_chain
from data.bootstrap import database_kind
from data.migrate import schema_version
from data.quarantine import list_quarantine, quarantine_counts, resolve
from data.reference import (
    ImportReport,
    import_reference_csv,
    load_manifest,
    recent_uploads,
    reference_status,
    reference_template,
    stored_table,
)
from data.schemas import REFERENCE_TABLES
from data.status import table_counts
from data.validation import texts_of_reasons_json
from ui.audit_trail import audit_view_once, audited_download
from ui.context import get_store, require_page, role_label
from ui.glossary import (
    DOMAIN_TABLES,
    MISSING,
    label,
    manifest_text,
    reference_overview,
    reference_titles,
    shown,
)
from ui.i18n import lang, say, t

USER_COLUMNS = [
    "username", "display_name", "role", "active", "must_change_password", "failed_attempts",
    "locked_until", "last_login_at", "created_at",
]  # fmt: skip


def render() -> None:
    user = require_page(__name__)
    st.header(t("page_admin"))
    tabs = st.tabs(
        [
            t("tab_reference"),
            t("tab_report"),
            t("tab_quarantine"),
            t("tab_users"),
            t("tab_database"),
        ]
    )
    with tabs[0]:
        _reference(user.username)
    with tabs[1]:
        _validation_report()
    with tabs[2]:
        _quarantine(user.username)
    with tabs[3]:
        _users(user.username)
    with tabs[4]:
        _database()


def _shape(meta: dict) -> pd.DataFrame:
    """The manifest's columns of a table as the upload shape a reader can follow."""
    titles = reference_titles()

    def bounds(spec: dict) -> str:
        low, high = spec.get("min"), spec.get("max")
        if low is None and high is None:
            return MISSING
        return f"{'' if low is None else low} – {'' if high is None else high}"

    specs = meta.get("columns", [])
    return shown(
        pd.DataFrame(
            {
                "name": [c["name"] for c in specs],
                "type": [label("value_type", c.get("type")) for c in specs],
                "description": [manifest_text(c, "description") for c in specs],
                "range": [bounds(c) for c in specs],
                "nullable": [
                    t("ref_nullable_yes") if c.get("nullable") else MISSING for c in specs
                ],
                "codes_from": [titles.get(c.get("codes_from"), MISSING) for c in specs],
            }
        ),
        names={"name": t("ref_col_name")},
    )


def _upload_kind(kind: str) -> str:
    """``reference:<table>`` as the table's title."""
    table = str(kind).removeprefix("reference:")
    return reference_titles().get(table, str(kind))


def _reference(actor: str) -> None:
    store = get_store()
    manifest = load_manifest()
    st.subheader(t("ref_loaded"))
    st.dataframe(reference_overview(reference_status(store)), hide_index=True, width="stretch")
    titles = reference_titles()
    table = st.selectbox(
        t("ref_choose"),
        REFERENCE_TABLES,
        format_func=lambda n: t("ref_table_option", title=titles.get(n, n), file=f"{n}.csv"),
    )
    meta = manifest.get(table, {})
    st.caption(manifest_text(meta, "description"))
    with st.expander(t("ref_shape")):
        st.dataframe(_shape(meta), hide_index=True, width="stretch")
    with st.expander(t("ref_current")):
        current = stored_table(store, table)
        codes = {c: DOMAIN_TABLES[c] for c in current.columns if c in DOMAIN_TABLES}
        st.dataframe(shown(current, codes=codes, store=store), hide_index=True, width="stretch")
    audited_download(  # audited on the press (on_click)
        st,
        t("ref_download"),
        reference_template(store, table).encode("utf-8-sig"),
        file_name=f"{table}.csv",
        mime="text/csv",
        key="ref_download",
        kind=f"reference:{table}",
        rows=len(current),
    )
    st.subheader(t("ref_upload"))
    with st.form(f"upload_{table}", clear_on_submit=False):
        # Streamlit 1.67 draws "Drag and drop file here" / "Upload" in English whatever the
        # language; the label and help say what to upload
        file = st.file_uploader(t("ref_file"), type=["csv"], help=t("ref_file_help"))
        source = st.text_input(t("ref_source"))
        reference_date = st.text_input(t("ref_date"))
        approximated = st.text_input(t("ref_approximated"))
        submitted = st.form_submit_button(t("ref_submit"), type="primary")
    if submitted:
        if file is None:
            st.error(t("ref_need_file"))
            return
        try:
            report = import_reference_csv(
                store,
                table,
                file.getvalue(),
                filename=file.name,
                source=source,
                reference_date=reference_date,
                actor=actor,
                approximated=approximated or None,
            )
        except ValueError as error:
            st.error(say(error))
            return
        _show_report(report)


def _show_report(report: ImportReport) -> None:
    (st.success if report.accepted else st.error)(report.summary(lang()))
    if report.reason_counts:
        st.write(t("reasons_by_code"))
        counts = pd.DataFrame(sorted(report.reason_counts.items()), columns=["code", "n"])
        st.dataframe(
            shown(
                counts,
                codes={"code": "reason_code"},
                names={"code": t("ref_reason_code"), "n": t("ref_reason_n")},
            ),
            hide_index=True,
        )
    if report.first_reasons:
        st.write(t("first_reasons"))
        column = 1 if lang() == "ko" else 2
        st.dataframe(
            pd.DataFrame(
                [(r[0], r[column]) for r in report.first_reasons], columns=[t("row"), t("message")]
            ),
            hide_index=True,
            width="stretch",
        )


def _validation_report() -> None:
    store = get_store()
    st.subheader(t("uploads"))
    uploads = recent_uploads(store)
    st.dataframe(
        shown(uploads, codes={"kind": _upload_kind, "status": "upload_status"}),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("quarantine_by_source"))
    st.dataframe(
        shown(quarantine_counts(store), codes={"status": "quarantine_status"}),
        hide_index=True,
        width="stretch",
    )


def _reason_text(reasons_json: str) -> str:
    return " · ".join(say(text) for text in texts_of_reasons_json(reasons_json))


def _quarantine(actor: str) -> None:
    store = get_store()
    cols = st.columns(2)
    status = cols[0].selectbox(
        t("q_status"),
        ["open", "resolved", ""],
        format_func=lambda s: label("quarantine_status", s) if s else t("q_all"),
    )
    source = cols[1].text_input(t("q_source"), placeholder="reference_upload:")
    records = list_quarantine(store, status=status or None, source=source or None)
    audit_view_once(  # once per session and filter, not on every rerun
        "quarantine_viewed",
        "quarantine",
        {"status": status or None, "source": source or None},
        {"records": len(records)},
    )
    if records.empty:
        st.info(t("q_empty"))
        return
    records["reasons"] = records["reasons"].map(_reason_text)
    st.dataframe(
        shown(records.drop(columns=["raw_record"]), codes={"status": "quarantine_status"}),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(t("q_raw"), records["quarantine_id"].tolist())
    record = records.set_index("quarantine_id").loc[chosen]
    audit_view_once(
        "quarantine_record_viewed", f"quarantine:{chosen}", {"source": record["source"]}
    )
    st.json(record["raw_record"])
    open_ids = records.loc[records["status"] == "open", "quarantine_id"].tolist()
    if open_ids:
        with st.form("resolve"):
            ids = st.multiselect(t("q_select"), open_ids, placeholder=t("choose"))
            note = st.text_input(t("q_note"))
            if st.form_submit_button(t("q_resolve")):
                try:
                    n = resolve(store, ids, actor, note)
                except ValueError as error:
                    st.error(say(error))
                else:
                    st.success(t("q_resolved_n", n=n))


def _users(actor: str) -> None:
    store = get_store()
    st.subheader(t("users_list"))
    users = list_users(store)
    st.dataframe(
        shown(users, [c for c in USER_COLUMNS if c in users.columns], codes={"role": role_label}),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("user_create"))
    with st.form("create_user", clear_on_submit=True):
        username = st.text_input(t("username"))
        display = st.text_input(t("display_name"))
        role = st.selectbox(t("role"), list(ROLES), format_func=role_label)
        password = st.text_input(t("initial_password"), type="password")
        if st.form_submit_button(t("create")):
            try:
                create_user(
                    store,
                    username,
                    password,
                    role,
                    display_name=display or None,
                    must_change_password=True,
                    actor=actor,
                )
            except AccountError as error:
                st.error(say(error))
            else:
                st.success(t("user_created", name=username))
    st.subheader(t("user_manage"))
    if users.empty:
        return
    name = st.selectbox(t("username"), users["username"].tolist(), key="manage_user")
    cols = st.columns(3)
    try:
        if cols[0].button(t("reset_password")):
            st.info(t("new_one_time", pw=reset_password(store, name, actor)))
        if cols[1].button(t("deactivate")):
            set_active(store, name, False, actor)
            st.success(t("done"))
        if cols[2].button(t("activate")):
            set_active(store, name, True, actor)
            st.success(t("done"))
    except AccountError as error:
        st.error(say(error))


def _database() -> None:
    store = get_store()
    holder = store.holder()
    st.write(f"**{t('db_path')}:** `{store.path}`")
    st.write(
        f"**{t('db_kind')}:** {label('database_kind', database_kind(store))} · "
        f"**{t('schema_version')}:** {schema_version(store)}"
    )
    st.write(f"**{t('db_holder')}:** {holder.describe()}")
    st.caption(t("db_holder_help"))
    st.subheader(t("table_rows"))
    st.dataframe(
        shown(pd.DataFrame(sorted(table_counts(store).items()), columns=["table", "rows"])),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("audit_log"))
    chain = verify_chain(store)
    if chain.ok:
        st.success(t("audit_chain_ok", n=chain.events))
    else:
        st.error(t("audit_chain_broken", n=chain.events, event=chain.broken_at, why=chain.why))
    st.dataframe(shown(recent_events(store)), hide_index=True, width="stretch")
