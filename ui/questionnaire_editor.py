"""Survey managers: edit a questionnaire in place, as its XLSForm sheets in grids.

On the Questionnaires page (``ui/questionnaires_page.py``, gated like the rest of the page:
only the roles that may upload see it) a grid per sheet — survey, choices, settings — shows
either a stored version (its own workbook when it was uploaded as .xlsx, else the version
written as an XLSForm by :func:`surveys.questionnaire.uploads.version_as_xlsform`) or the
last uploaded workbook that had problems, so that they can be fixed here. Rows can be added
and deleted; the row numbers are the workbook's.

On every change the checks an upload runs re-run (:func:`surveys.questionnaire.sheet_editing.
check_sheets`) and their problems (the upload's own table, :func:`ui.questionnaire_findings.
problem_table`) and warnings appear below the grids. "Save as a new version" (a note is
required) gives the edited workbook to :func:`surveys.questionnaire.uploads.receive_upload`
exactly as an upload: nothing is stored while a problem remains, and the save is audited as
an upload is. The edited workbook also downloads as .xlsx (audited).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from data.questionnaire_versions import StoredVersion, fetch_version
from surveys.questionnaire.loader import QuestionnaireError
from surveys.questionnaire.sheet_editing import (
    SHEETS,
    SheetCheck,
    SheetTextRefused,
    check_sheets,
    editable,
    for_workbook,
    same_sheets,
    sheets_workbook,
    workbook_sheets,
)
from surveys.questionnaire.upload_checks import UploadRefused, file_kind
from surveys.questionnaire.uploads import UploadOutcome, receive_upload, version_as_xlsform
from surveys.questionnaire.xlsform_export import ExportRefused
from ui.audit_trail import audited_download
from ui.context import get_store
from ui.i18n import plain, say, t
from ui.questionnaire_findings import problem_table, show_findings, show_outcome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVED = "qn_edit_saved"  # (where, outcome) of the last save, shown there once, drawn again
CHECKED = "qn_edit_checked"  # {grid: (digest of its sheets, what the checks said)}, newest last
REFUSED = "qn_edit_refused_upload"  # (file name, bytes) of the last upload with problems
_UNREADABLE = (ValueError, KeyError, IndexError, TypeError, OSError, zipfile.BadZipFile)


# -- what is edited ---------------------------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner=False)
def _version_sheets(source_hash: str, _stored: StoredVersion) -> dict[str, pd.DataFrame]:
    """A stored version's sheets (``source_hash`` names the bytes): its own workbook when it
    was uploaded as .xlsx, else the version written as an XLSForm."""
    content = _stored.content if _stored.format == "xlsx" else version_as_xlsform(_stored)
    return workbook_sheets(content)


def remember_upload(file_name: str, content: bytes | None, stored: bool) -> None:
    """After an upload: keep an .xlsx that had problems for the grid editor; forget it once a
    file is stored or refused outright (``content`` None)."""
    if content is None or stored or file_kind(file_name) != "xlsx":
        st.session_state.pop(REFUSED, None)
    else:
        st.session_state[REFUSED] = (file_name, content)


def show_saved(where: str) -> None:
    """What the last save from the grids at ``where`` (``upload`` or ``version``) became: once,
    at that place, on the page drawn after it."""
    saved = st.session_state.get(SAVED)
    if saved is not None and saved[0] == where:
        del st.session_state[SAVED]
        show_outcome(saved[1])


def upload_editor(actor: str) -> None:
    """The last uploaded workbook that had problems, in grids, to be fixed and stored."""
    refused = st.session_state.get(REFUSED)
    if refused is None:
        return
    file_name, content = refused
    digest = hashlib.sha256(content).hexdigest()[:12]
    with st.container(border=True, key="qn_edit_upload"):
        st.markdown(f"**{t('qn_edit_upload', file=plain(file_name))}**")
        st.caption(t("qn_edit_upload_help"))
        try:
            original = workbook_sheets(content)
        except _UNREADABLE as error:
            st.error(t("qn_edit_broken", why=plain(type(error).__name__)))
            return

        def forget() -> None:
            st.session_state.pop(REFUSED, None)

        _edit(
            original,
            grid=f"upload_{digest}",
            file_name=file_name,
            kind=f"questionnaire_upload:{file_name[:80]}",
            actor=actor,
            where="upload",
            after_save=forget,
        )


def version_editor(questionnaire_id: str, numbers: list[int], actor: str) -> None:
    """Choose a stored version; edit it in grids; store the result as the next version."""
    st.subheader(t("qn_edit"))
    st.caption(t("qn_edit_help"))
    show_saved("version")
    number = st.selectbox(  # newest first; a new version resets the choice to it
        t("qn_edit_version"), numbers, key=f"qn_edit_v_{questionnaire_id}_{len(numbers)}"
    )
    stored = fetch_version(get_store(), questionnaire_id, int(number))
    if stored is None:
        return
    try:
        original = _version_sheets(stored.source_hash, stored)
    except QuestionnaireError as error:
        why = say(error.problems[0].text) if error.problems else ""
        st.error(t("qn_edit_broken", why=plain(why)))
        return
    except ExportRefused as refusal:
        st.error(t("qn_edit_broken", why=plain(say(refusal))))
        return
    except _UNREADABLE as error:  # a stored workbook openpyxl no longer reads
        st.error(t("qn_edit_broken", why=plain(type(error).__name__)))
        return
    qid, no = stored.questionnaire_id, stored.version_no
    _edit(
        original,
        grid=f"{qid}_v{no}_{len(numbers)}",
        file_name=f"{qid}_v{no}_edited.xlsx",
        kind=f"questionnaire:{qid}:v{no}:edited",
        actor=actor,
        where="version",
        unchanged=t("qn_edit_unchanged", no=no),
    )


# -- the grids, their checks, save and download -----------------------------------------------
def _edit(
    original: dict[str, pd.DataFrame],
    *,
    grid: str,
    file_name: str,
    kind: str,
    actor: str,
    where: str,
    unchanged: str | None = None,
    after_save: Callable[[], None] | None = None,
) -> None:
    shown = editable(original)
    tabs = st.tabs([t("qn_edit_sheet", sheet=name) for name in SHEETS])
    edited = dict(shown)
    for tab, name in zip(tabs, SHEETS, strict=True):
        with tab:
            edited[name] = st.data_editor(
                shown[name],
                key=f"qn_edit_{name}_{grid}",
                num_rows="dynamic",
                width="stretch",
                hide_index=False,  # the row numbers are the workbook's, as problems name them
                column_config={
                    "_index": st.column_config.NumberColumn(t("qn_edit_row"), disabled=True)
                },
            )
    sheets = for_workbook(edited, original)
    result = _checked(grid, sheets)
    changed = not same_sheets(sheets, original)
    if result.problems:
        st.error(t("qn_edit_problems", n=len(result.problems)))
        st.dataframe(problem_table(result.problems), hide_index=True, width="stretch")
    elif changed or unchanged is None:
        st.success(t("qn_edit_clean"))
    if not changed and unchanged is not None:
        st.caption(unchanged)
    show_findings(result.findings, caption="qn_edit_findings")
    stored = _save(sheets, grid=grid, file_name=file_name, actor=actor, changed=changed)
    if stored is not None:  # the page is drawn again with the new version, the outcome here
        st.session_state[SAVED] = (where, stored)
        if after_save is not None:
            after_save()
        st.rerun()
    _download(sheets, file_name=file_name, kind=kind, grid=grid)


def _digest(sheets: Mapping[str, pd.DataFrame]) -> str:
    shape = [
        [name, [str(c) for c in frame.columns], [str(i) for i in frame.index]]
        + [frame.values.tolist()]
        for name, frame in sheets.items()
    ]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()


def _checked(grid: str, sheets: Mapping[str, pd.DataFrame]) -> SheetCheck:
    """The checks' word on the sheets, re-run only when a cell, row or column changed."""
    memo = st.session_state.setdefault(CHECKED, {})
    digest = _digest(sheets)
    if grid not in memo or memo[grid][0] != digest:
        memo.pop(grid, None)
        while len(memo) >= 4:  # the upload's grids and a version's are drawn on one page
            memo.pop(next(iter(memo)))
        memo[grid] = (digest, check_sheets(sheets))
    return memo[grid][1]


def _save(
    sheets: Mapping[str, pd.DataFrame],
    *,
    grid: str,
    file_name: str,
    actor: str,
    changed: bool,
) -> UploadOutcome | None:
    """The note and the button; the outcome when a version was stored (else None, the page
    saying why not)."""
    note = st.text_input(t("qn_edit_note"), key=f"qn_edit_note_{grid}", max_chars=500)
    if not st.button(t("qn_edit_save"), type="primary", key=f"qn_edit_save_{grid}"):
        return None
    if not note.strip():
        st.error(t("qn_edit_need_note"))
        return None
    if not changed:
        st.info(t("qn_edit_nothing"))
        return None
    try:
        content = sheets_workbook(sheets)
        outcome = receive_upload(get_store(), file_name, content, actor=actor, note=note)
    except (SheetTextRefused, UploadRefused) as refusal:
        st.error(t("qn_edit_refused", why=plain(say(refusal))))
        return None
    if outcome.saved is None:  # problems: nothing stored, as for an upload
        show_outcome(outcome)
        return None
    return outcome


def _download(sheets: Mapping[str, pd.DataFrame], *, file_name: str, kind: str, grid: str) -> None:
    try:
        content = sheets_workbook(sheets)
    except SheetTextRefused:
        return  # the problems table above says where and why
    audited_download(
        st,
        t("qn_edit_download"),
        content,
        file_name=file_name,
        mime=XLSX,
        key=f"qn_edit_download_{grid}",
        kind=kind,
        fmt="xlsform",
    )
