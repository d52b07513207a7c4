"""Survey managers: upload a questionnaire (XLSForm or YAML), see every problem, keep versions.

An upload is checked (:mod:`surveys.questionnaire.upload_checks`: size before reading,
type, macros, zip bombs, encoding, YAML alias bombs), loaded, and stored as the
questionnaire's next version only when it has no problem at all
(:mod:`surveys.questionnaire.uploads`); every problem is listed as ``surveys check`` lists
it. Below: the questionnaires and their versions (who, when, note, hash prefix), what
changed between two versions in words, an audited download of a version's file as it was
uploaded and as an XLSForm (written by :mod:`surveys.questionnaire.xlsform_export`; it reads
back as the same questionnaire), a version edited in place as its XLSForm sheets
(``ui/questionnaire_editor.py``: the checks re-run on every change; saved as the next version
through the upload's own path), and the version walked in test mode as respondents will see
it (``ui/questionnaire_preview.py``). An uploaded workbook with problems opens in the same
grids, to be fixed there. Surveys are opened on stored versions on the Surveys page.
"""

from __future__ import annotations

import streamlit as st

from data.questionnaire_versions import (
    StoredVersion,
    fetch_version,
    list_questionnaires,
    list_versions,
)
from surveys.questionnaire.loader import QuestionnaireError
from surveys.questionnaire.upload_checks import UploadRefused, max_upload_bytes
from surveys.questionnaire.uploads import (
    check_upload_size,
    compare_versions,
    receive_upload,
    version_as_xlsform,
)
from surveys.questionnaire.xlsform_export import ExportRefused
from ui.audit_trail import audited_download
from ui.context import get_store, require_page
from ui.glossary import shown, survey_title
from ui.i18n import plain, say, streamlit_words, t
from ui.questionnaire_editor import remember_upload, show_saved, upload_editor, version_editor
from ui.questionnaire_findings import change_table, show_outcome
from ui.questionnaire_preview import preview_section

MIME = {
    "yaml": "application/yaml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
}


def render() -> None:
    user = require_page(__name__)
    store = get_store()
    st.header(t("page_questionnaires"))
    st.caption(t("qn_intro"))
    streamlit_words()
    _upload_form(user.username)
    upload_editor(user.username)  # an uploaded workbook's problems, fixed in grids
    show_saved("upload")
    questionnaires = list_questionnaires(store)
    st.subheader(t("qn_list"))
    if questionnaires.empty:
        st.info(t("qn_none"))
        return
    table = questionnaires.assign(
        title=[survey_title(r.title_ko, r.title_en) for r in questionnaires.itertuples()]
    )
    st.dataframe(
        shown(table, ["questionnaire_id", "title", "versions", "uploaded_by", "uploaded_at"]),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        t("qn_choose"), questionnaires["questionnaire_id"].tolist(), key="qn_choose"
    )
    versions = list_versions(store, chosen)
    st.dataframe(
        shown(
            versions.assign(hash_prefix=versions["source_hash"].str[:12]),
            ["version_no", "file_name", "format", "version", "uploaded_by", "uploaded_at"]
            + ["note", "hash_prefix"],
        ),
        hide_index=True,
        width="stretch",
    )
    numbers = [int(n) for n in versions["version_no"]]
    _difference(chosen, numbers)
    _download(chosen, numbers)
    version_editor(chosen, numbers, user.username)
    preview_section(chosen, numbers)


# -- upload -----------------------------------------------------------------------------------
def _upload_form(actor: str) -> None:
    st.subheader(t("qn_upload"))
    limit = max_upload_bytes()
    with st.form("qn_upload"):
        file = st.file_uploader(
            t("qn_file"), key="qn_file", help=t("qn_file_help", mb=f"{limit / 1024 / 1024:g}")
        )
        note = st.text_input(t("qn_note"), key="qn_note", max_chars=500)
        submitted = st.form_submit_button(t("qn_submit"), type="primary")
    if not submitted:
        return
    if file is None:
        st.error(t("qn_need_file"))
        return
    try:
        check_upload_size(get_store(), file.name, int(file.size), actor=actor)  # before reading
        outcome = receive_upload(get_store(), file.name, file.getvalue(), actor=actor, note=note)
    except UploadRefused as refusal:
        st.error(t("qn_refused", why=plain(say(refusal))))  # it may quote the name
        remember_upload(file.name, None, stored=False)
        return
    show_outcome(outcome)
    remember_upload(file.name, file.getvalue(), stored=outcome.saved is not None)


# -- versions -----------------------------------------------------------------------------------
def _difference(questionnaire_id: str, numbers: list[int]) -> None:
    st.subheader(t("qn_diff"))
    if len(numbers) < 2:
        st.caption(t("qn_diff_one"))
        return
    ascending = sorted(numbers)
    left, right = st.columns(2)
    ours = f"{questionnaire_id}_{len(numbers)}"  # a new version resets the choice to the newest
    old = left.selectbox(
        t("qn_diff_from"), ascending, index=len(ascending) - 2, key=f"qn_old_{ours}"
    )
    new = right.selectbox(
        t("qn_diff_to"), ascending, index=len(ascending) - 1, key=f"qn_new_{ours}"
    )
    try:
        changes = compare_versions(get_store(), questionnaire_id, int(old), int(new))
    except QuestionnaireError as error:
        st.error(
            t("qn_diff_broken", why=plain(say(error.problems[0].text)) if error.problems else "")
        )
        return
    if not changes:
        st.success(t("qn_diff_same"))
        return
    st.dataframe(
        change_table(changes),
        hide_index=True,
        width="stretch",
    )


def _download(questionnaire_id: str, numbers: list[int]) -> None:
    st.subheader(t("qn_download"))
    number = st.selectbox(  # newest first; a new version resets the choice to it
        t("qn_download_version"), numbers, key=f"qn_download_{questionnaire_id}_{len(numbers)}"
    )
    stored = fetch_version(get_store(), questionnaire_id, int(number))
    if stored is None:
        return
    audited_download(
        st,
        t("qn_download_button", no=stored.version_no, file=plain(stored.file_name)),
        stored.content,
        file_name=stored.file_name,
        mime=MIME.get(stored.format, "application/octet-stream"),
        key="qn_download",
        kind=f"questionnaire:{questionnaire_id}:v{stored.version_no}",
        fmt=stored.format,
    )
    _xlsform_download(stored)


@st.cache_data(max_entries=8, show_spinner=False)
def _as_xlsform(source_hash: str, _stored: StoredVersion) -> bytes:
    """The version as an XLSForm, written once per file (``source_hash`` names the bytes)."""
    return version_as_xlsform(_stored)


def _xlsform_download(stored: StoredVersion) -> None:
    """The version shown, written as an XLSForm that reads back as the same questionnaire."""
    try:
        content = _as_xlsform(stored.source_hash, stored)
    except QuestionnaireError as error:
        st.error(
            t("qn_xlsform_broken", why=plain(say(error.problems[0].text)) if error.problems else "")
        )
        return
    except ExportRefused as refusal:
        st.error(t("qn_xlsform_broken", why=plain(say(refusal))))
        return
    qid, number = stored.questionnaire_id, stored.version_no
    audited_download(
        st,
        t("qn_download_xlsform"),
        content,
        file_name=f"{qid}_v{number}_xlsform.xlsx",
        mime=MIME["xlsx"],
        key="qn_download_xlsform",
        kind=f"questionnaire:{qid}:v{number}",
        fmt="xlsform",
    )
    st.caption(t("qn_download_xlsform_help"))
