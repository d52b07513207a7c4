"""Numbered questionnaire versions: the files survey managers upload, kept byte for byte.

Why: a survey must be traceable to the exact wording it asked, and a survey manager must
be able to bring a corrected questionnaire without a developer. Each file is kept under the
SHA-256 of its bytes (``questionnaire_versions.source_hash``, migrations 0004 and 0013) and
numbered 1, 2, … per questionnaire id in the order it was first stored. The same bytes
again are not a new version: :func:`save_version` says the file is unchanged and names the
version that already holds it. Every save, new or unchanged, is written to the audit log in
the same transaction.

The file itself is kept in ``definition``: YAML as its text, a workbook as base64 (as
:func:`data.survey_tables.save_questionnaire_version` has kept it since 0004).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from data.audit import record_event
from data.store import Store, Transaction, one_row

FORMATS = ("yaml", "xlsx", "xls")
VERSION_COLUMNS = [
    "questionnaire_id", "version_no", "version", "title_ko", "title_en", "file_name", "format",
    "source_hash", "uploaded_by", "uploaded_at", "note",
]  # fmt: skip


def file_format(file_name: str) -> str:
    """``yaml``, ``xlsx`` or ``xls`` from a file name's suffix (``yaml`` for .yml too)."""
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".xls"):
        return "xls"
    return "yaml"


def encode_definition(content: bytes, fmt: str) -> str:
    """How a file is kept in ``definition``: YAML as UTF-8 text, a workbook as base64."""
    return content.decode("utf-8") if fmt == "yaml" else base64.b64encode(content).decode("ascii")


def decode_definition(definition: str, fmt: str) -> bytes:
    """The file's bytes again (the inverse of :func:`encode_definition`)."""
    return definition.encode("utf-8") if fmt == "yaml" else base64.b64decode(definition)


@dataclass(frozen=True)
class SavedVersion:
    """What :func:`save_version` did: a new version, or the version that holds these bytes."""

    questionnaire_id: str
    version_no: int
    source_hash: str
    created: bool  # False: the same bytes were already stored (unchanged)


@dataclass(frozen=True)
class StoredVersion:
    """One stored version with its file."""

    questionnaire_id: str
    version_no: int
    version: str
    file_name: str
    format: str
    source_hash: str
    uploaded_by: str | None
    uploaded_at: datetime
    note: str | None
    content: bytes


def save_version(
    store: Store,
    *,
    questionnaire_id: str,
    version: str,
    title_ko: str,
    title_en: str | None,
    file_name: str,
    content: bytes,
    actor: str,
    note: str | None = None,
) -> SavedVersion:
    """Store ``content`` as the questionnaire's next version, or say it is already stored.

    Audited in the same transaction: ``questionnaire_version_saved`` (a new version) or
    ``questionnaire_version_unchanged`` (the same bytes as a stored version).
    """
    fmt = file_format(file_name)
    digest = hashlib.sha256(content).hexdigest()
    definition = encode_definition(content, fmt)
    target = f"questionnaire:{questionnaire_id}"

    def work(tx: Transaction) -> SavedVersion:
        tx.execute(
            "SELECT questionnaire_id, version_no FROM questionnaire_versions WHERE source_hash = ?",
            [digest],
        )
        found = tx.fetchone()
        if found is not None:
            saved = SavedVersion(str(found[0]), int(found[1]), digest, created=False)
            detail = {"version_no": saved.version_no, "sha256": digest, "file": file_name}
            record_event(tx, actor, "questionnaire_version_unchanged", target, detail)
            return saved
        tx.execute(
            "SELECT coalesce(max(version_no), 0) + 1 FROM questionnaire_versions"
            " WHERE questionnaire_id = ?",
            [questionnaire_id],
        )
        number = int(one_row(tx)[0])
        tx.execute(
            "INSERT INTO questionnaire_versions (source_hash, questionnaire_id, version_no,"
            " version, title_ko, title_en, file_name, format, definition, uploaded_by, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                digest,
                questionnaire_id,
                number,
                version,
                title_ko,
                title_en,
                file_name,
                fmt,
                definition,
                actor,
                note or None,
            ],
        )
        detail = {
            "version_no": number,
            "sha256": digest,
            "file": file_name,
            "format": fmt,
            "bytes": len(content),
            "note": note or None,
        }
        record_event(tx, actor, "questionnaire_version_saved", target, detail)
        return SavedVersion(questionnaire_id, number, digest, created=True)

    return store.write(work)


def list_questionnaires(store: Store) -> pd.DataFrame:
    """One row per questionnaire id: its newest version's number, title, who and when."""
    return store.query(
        "SELECT v.questionnaire_id, v.version_no AS versions, v.title_ko, v.title_en,"
        " v.uploaded_by, v.uploaded_at FROM questionnaire_versions v"
        " WHERE v.version_no = (SELECT max(w.version_no) FROM questionnaire_versions w"
        " WHERE w.questionnaire_id = v.questionnaire_id)"
        " ORDER BY v.questionnaire_id"
    )


def list_versions(store: Store, questionnaire_id: str) -> pd.DataFrame:
    """The versions of a questionnaire, newest first (the :data:`VERSION_COLUMNS`)."""
    return store.query(
        "SELECT questionnaire_id, version_no, version, title_ko, title_en, file_name, format,"
        " source_hash, uploaded_by, uploaded_at, note FROM questionnaire_versions"
        " WHERE questionnaire_id = ? ORDER BY version_no DESC",
        [questionnaire_id],
    )


def fetch_version(store: Store, questionnaire_id: str, version_no: int) -> StoredVersion | None:
    """One version with its file's bytes, or None when there is no such version."""
    rows = store.rows(
        "SELECT questionnaire_id, version_no, version, file_name, format, source_hash,"
        " uploaded_by, uploaded_at, note, definition FROM questionnaire_versions"
        " WHERE questionnaire_id = ? AND version_no = ?",
        [questionnaire_id, int(version_no)],
    )
    if not rows:
        return None
    qid, number, version, name, fmt, digest, by, at, note, definition = rows[0]
    return StoredVersion(
        questionnaire_id=str(qid),
        version_no=int(number),
        version=str(version),
        file_name=str(name),
        format=str(fmt),
        source_hash=str(digest),
        uploaded_by=by,
        uploaded_at=at,
        note=note,
        content=decode_definition(str(definition), str(fmt)),
    )


def uploaded_versions(store: Store) -> pd.DataFrame:
    """Every stored version a survey can be opened on, by questionnaire id and newest first
    (the :data:`VERSION_COLUMNS` without the file)."""
    return store.query(
        "SELECT questionnaire_id, version_no, version, title_ko, title_en, file_name, format,"
        " source_hash, uploaded_by, uploaded_at, note FROM questionnaire_versions"
        " ORDER BY questionnaire_id, version_no DESC"
    )


def version_holding(store: Store, source_hash: str) -> tuple[str, int] | None:
    """(questionnaire id, version number) of the stored file with this SHA-256, or None."""
    rows = store.rows(
        "SELECT questionnaire_id, version_no FROM questionnaire_versions WHERE source_hash = ?",
        [source_hash],
    )
    return (str(rows[0][0]), int(rows[0][1])) if rows else None
