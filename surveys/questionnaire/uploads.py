"""A survey manager's questionnaire upload: checked, loaded, and stored only when clean.

Why: the 조사표 / Questionnaires page (``ui/questionnaires_page.py``) must list every problem
of an uploaded XLSForm or YAML file as ``surveys check`` lists them, refuse a file that is
not a questionnaire at all, and store nothing until the file is clean. This module does it
without Streamlit:

1. :func:`surveys.questionnaire.upload_checks.check_file` — size, type, macros, zip bombs,
   encoding, YAML alias bombs (:class:`UploadRefused`);
2. formula cells without a saved value, then the loader's own problems (sheet and row or
   YAML line, question, what is wrong and how to fix it);
3. :func:`data.questionnaire_versions.save_version` — a new numbered version, or "unchanged"
   when the same bytes are already stored; audited either way. The outcome carries the
   static checks' findings (:func:`~surveys.questionnaire.upload_checks.upload_findings`)
   beside it, as warnings for the page to show.

It also loads stored versions back (:func:`stored_questionnaire`), writes one as an XLSForm
(:func:`version_as_xlsform`) and compares two of them (:func:`compare_versions`, words from
:mod:`surveys.questionnaire.version_diff`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from data.audit import log_event
from data.questionnaire_versions import SavedVersion, StoredVersion, fetch_version, save_version
from data.store import Store
from data.text import Text
from surveys.questionnaire.loader import QuestionnaireError, questionnaire_from_bytes
from surveys.questionnaire.loader_problems import Problem
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.static_checks import Finding
from surveys.questionnaire.upload_checks import (
    UploadRefused,
    check_file,
    check_size,
    formula_problems,
    upload_findings,
)
from surveys.questionnaire.version_diff import Change, compare
from surveys.questionnaire.xlsform_export import to_xlsform

# What a parser may raise on a file that passed the safety checks but is still malformed
# (openpyxl on a damaged part: xml.etree's ParseError, a SyntaxError; missing parts: KeyError).
_READ_ERRORS = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    SyntaxError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
)


@dataclass(frozen=True)
class UploadOutcome:
    """What became of an upload: its problems (nothing stored), or the version it is with
    the static checks' findings (warnings: it is stored all the same)."""

    file_name: str
    problems: list[Problem] = field(default_factory=list)
    questionnaire: Questionnaire | None = None
    saved: SavedVersion | None = None
    findings: list[Finding] = field(default_factory=list)


def _unreadable(error: BaseException) -> UploadRefused:
    kind = type(error).__name__
    return UploadRefused(
        "unreadable",
        Text(
            f"파일을 설문지로 읽을 수 없습니다 ({kind}). XLSForm 은 엑셀에서 'Excel 통합 문서(.xlsx)'로, "
            "YAML 은 UTF-8 로 다시 저장해 올리세요.",
            f"The file cannot be read as a questionnaire ({kind}). Save an XLSForm again in Excel "
            "as 'Excel Workbook (.xlsx)', or a YAML file as UTF-8, and upload it again.",
        ),
    )


def read_upload(file_name: str, content: bytes) -> tuple[Questionnaire | None, list[Problem]]:
    """The questionnaire in an uploaded file, or every problem; raises :class:`UploadRefused`
    for a file that is not safe or not a questionnaire file at all."""
    check_file(file_name, content)
    try:
        problems = formula_problems(file_name, content)
        try:
            questionnaire = questionnaire_from_bytes(content, file_name)
        except QuestionnaireError as error:
            return None, problems + error.problems
    except UploadRefused:
        raise
    except (*_READ_ERRORS, RecursionError) as error:
        raise _unreadable(error) from error
    return (None, problems) if problems else (questionnaire, [])


def _record_refusal(
    store: Store, actor: str, file_name: str, size: int, why: UploadRefused
) -> None:
    """A refused upload in the audit log (a macro workbook or a zip bomb is worth knowing of)."""
    detail = {"reason": why.reason, "file": file_name[:200], "bytes": size}
    log_event(store, actor, "questionnaire_upload_refused", "questionnaire_upload", detail)


def check_upload_size(store: Store, file_name: str, size: int, *, actor: str) -> None:
    """Refuse (and audit) an upload from its declared size, before its bytes are read."""
    try:
        check_size(size)
    except UploadRefused as refusal:
        _record_refusal(store, actor, file_name, size, refusal)
        raise


def receive_upload(
    store: Store, file_name: str, content: bytes, *, actor: str, note: str | None = None
) -> UploadOutcome:
    """Check, load and — only when clean — store an uploaded questionnaire file.

    Raises :class:`UploadRefused` for a file refused outright (audited as
    ``questionnaire_upload_refused`` with the reason); returns the problems of a
    questionnaire with mistakes (nothing stored), or the version stored (``saved.created``
    False: the same bytes were already a version, "unchanged") with its static findings.
    """
    try:
        questionnaire, problems = read_upload(file_name, content)
    except UploadRefused as refusal:
        _record_refusal(store, actor, file_name, len(content), refusal)
        raise
    if questionnaire is None:
        return UploadOutcome(file_name, problems=problems)
    saved = save_version(
        store,
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        title_ko=questionnaire.title.ko,
        title_en=questionnaire.title.en or None,
        file_name=file_name,
        content=content,
        actor=actor,
        note=(note or "").strip() or None,
    )
    findings = upload_findings(questionnaire)
    return UploadOutcome(file_name, questionnaire=questionnaire, saved=saved, findings=findings)


def stored_questionnaire(stored: StoredVersion) -> Questionnaire:
    """A stored version loaded again from its file (raises QuestionnaireError if it no longer
    loads, e.g. after a rule of the checks was tightened)."""
    return questionnaire_from_bytes(stored.content, stored.file_name)


def version_as_xlsform(stored: StoredVersion) -> bytes:
    """A stored version written as an XLSForm workbook (:func:`surveys.questionnaire.
    xlsform_export.to_xlsform`), which reads back as the same questionnaire.

    Raises QuestionnaireError when the version no longer loads, and
    :class:`surveys.questionnaire.xlsform_export.ExportRefused` for a text no workbook holds.
    """
    return to_xlsform(stored_questionnaire(stored))


def compare_versions(
    store: Store, questionnaire_id: str, old_no: int, new_no: int
) -> list[Change] | None:
    """The changes from version ``old_no`` to ``new_no`` of a questionnaire; None when either
    version does not exist."""
    old = fetch_version(store, questionnaire_id, old_no)
    new = fetch_version(store, questionnaire_id, new_no)
    if old is None or new is None:
        return None
    return compare(stored_questionnaire(old), stored_questionnaire(new))
