"""Reference data: districts, code lists and population margins, from CSV into the store.

The shipped files live in ``data/reference/`` with ``manifest.yaml`` giving each
file's shape, source and date. At first start they are validated and loaded
in one transaction. An admin replaces one table by uploading a CSV of the same
shape: the upload is validated as a whole (every row, and completeness of the
margins) and replaces the table only if every row is valid — a partial margin
table would silently distort every weight. A refused upload is kept whole in
``uploads`` and its invalid rows go to the quarantine with their reasons, so
nothing is lost and the admin sees what to fix.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from data.audit import record_event
from data.quarantine import new_batch_id, quarantine_result
from data.schemas import CODE_LISTS, REFERENCE_TABLES, ReferenceCodes, reference_schema
from data.spreadsheet_safety import csv_text, restore_frame
from data.store import Store, Transaction, insert_frame, quote_identifier
from data.text import InvalidRequest, Text
from data.validation import ReasonCode, ValidationResult, make_reason, validate_frame

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# Which stored columns use each reference table's codes: a replacement may not
# remove a code still in use. Later issues add their own columns here.
CODE_USERS: dict[str, list[tuple[str, str]]] = {
    "districts": [
        ("population_margins", "district_code"),
        ("household_margins", "district_code"),
        ("frame_households", "district_code"),
    ],
    "sex": [("population_margins", "sex"), ("frame_persons", "sex")],
    "age_groups": [("population_margins", "age_group")],
    "household_sizes": [("household_margins", "household_size")],
    "household_types": [("frame_households", "household_type")],
    "head_age_bands": [("frame_households", "head_age_band")],
    "income_brackets": [("frame_households", "income_bracket")],
    "housing_types": [("frame_households", "housing_type")],
    "relations": [("frame_persons", "relation")],
}


def load_manifest(directory: Path = REFERENCE_DIR) -> dict[str, dict[str, Any]]:
    """The manifest: per table, its file, titles, source, date and columns."""
    return yaml.safe_load((directory / "manifest.yaml").read_text(encoding="utf-8"))


def decode_csv(content: bytes | str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else CP949 as Korean Excel saves it."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidRequest(
        "unreadable_csv",
        Text(
            "CSV 파일을 읽을 수 없습니다: UTF-8 또는 CP949로 저장하세요.",
            "Cannot read the CSV: save it as UTF-8 or CP949.",
        ),
    )


def read_csv_text(content: bytes | str) -> pd.DataFrame:
    """Every cell as text, nothing guessed (validation converts and reports).

    The apostrophe that :func:`reference_template` put before a text that could be read as a
    formula is taken off again (:func:`data.spreadsheet_safety.restore_cell`), as a spreadsheet
    program does, so a downloaded template uploads unchanged."""
    text = decode_csv(content)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    return restore_frame(frame)


def shipped_csv(table: str, directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    return read_csv_text((directory / f"{table}.csv").read_bytes())


# -- codes ---------------------------------------------------------------------------
def codes_from_tables(tables: dict[str, pd.DataFrame]) -> ReferenceCodes:
    """ReferenceCodes from typed reference DataFrames (districts plus code lists)."""
    lists = {
        name: frozenset(int(c) for c in tables[name]["code"])
        for name in CODE_LISTS
        if name in tables
    }
    return ReferenceCodes(frozenset(str(c) for c in tables["districts"]["code"]), lists)


def codes_from_store(store: Store) -> ReferenceCodes:
    districts = frozenset(r[0] for r in store.rows("SELECT code FROM districts"))
    lists: dict[str, set[int]] = {}
    for name, code in store.rows("SELECT list_name, code FROM code_lists"):
        lists.setdefault(name, set()).add(int(code))
    return ReferenceCodes(districts, {k: frozenset(v) for k, v in lists.items()})


# -- reading what is stored ----------------------------------------------------------
def stored_table(store: Store, table: str) -> pd.DataFrame:
    """A reference table as stored, in the shape of its CSV file."""
    if table in CODE_LISTS:
        frame = store.query(
            "SELECT code, label_ko, label_en, min_value, max_value FROM code_lists "
            "WHERE list_name = ? ORDER BY code",
            [table],
        )
        bounds = CODE_LISTS[table]
        if bounds:
            return frame.rename(columns={"min_value": bounds[0], "max_value": bounds[1]})
        return frame.drop(columns=["min_value", "max_value"])
    if table not in REFERENCE_TABLES:
        raise KeyError(f"not a reference table: {table}")
    return store.query("SELECT * FROM " + quote_identifier(table))  # noqa: S608 - identifiers via quote_identifier


def code_labels(store: Store, list_name: str, lang: str = "ko") -> dict[int, str]:
    """Code -> label of one code list, in Korean or English."""
    rows = store.rows(
        "SELECT code, label_ko, label_en FROM code_lists WHERE list_name = ? ORDER BY code",
        [list_name],
    )
    return {int(code): (ko if lang == "ko" else en) for code, ko, en in rows}


def reference_status(store: Store) -> pd.DataFrame:
    """The loaded version of each reference table: source, date, rows, when and by whom."""
    return store.query(
        "SELECT table_name, version_id, source, reference_date, approximated, row_count,"
        " loaded_at, loaded_by FROM reference_versions v"
        " WHERE version_id = (SELECT max(version_id) FROM reference_versions w"
        "                     WHERE w.table_name = v.table_name)"
        " ORDER BY table_name"
    )


# -- writing -------------------------------------------------------------------------
def _replace(
    cur: Transaction,
    table: str,
    typed: pd.DataFrame,
    *,
    source: str,
    reference_date: str | None,
    approximated: str | None,
    actor: str,
    sha256: str,
) -> None:
    if table in CODE_LISTS:
        bounds = CODE_LISTS[table]
        rows = pd.DataFrame(
            {
                "list_name": table,
                "code": typed["code"],
                "label_ko": typed["label_ko"],
                "label_en": typed["label_en"],
                "min_value": typed[bounds[0]] if bounds else pd.NA,
                "max_value": typed[bounds[1]] if bounds else pd.NA,
            }
        ).astype({"min_value": "Int64", "max_value": "Int64"})
        cur.execute("DELETE FROM code_lists WHERE list_name = ?", [table])
        insert_frame(cur, "code_lists", rows)
    else:
        cur.execute("DELETE FROM " + quote_identifier(table))  # noqa: S608 - identifiers via quote_identifier
        insert_frame(cur, table, typed.reset_index(drop=True))
    cur.execute(
        "INSERT INTO reference_versions (table_name, source, reference_date, approximated,"
        " row_count, sha256, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [table, source, reference_date, approximated, len(typed), sha256, actor],
    )


def _sha256(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def load_shipped_reference(
    store: Store, actor: str = "system", directory: Path = REFERENCE_DIR
) -> None:
    """Validate every shipped reference file and load them all in one transaction.

    The shipped files must be valid; a problem raises ValueError naming the file
    and the first reasons (this is a defect of the repository, not user input).
    """
    manifest = load_manifest(directory)
    typed: dict[str, pd.DataFrame] = {}
    codes = ReferenceCodes(frozenset())
    for table in REFERENCE_TABLES:
        if table in ("population_margins", "household_margins") and not codes.lists:
            codes = codes_from_tables(typed)
        result = validate_frame(shipped_csv(table, directory), reference_schema(table, codes))
        if not result.ok:
            first = "; ".join(r.text.en for _, r in result.first_reasons(5))
            raise ValueError(f"shipped reference file {table}.csv is invalid: {first}")
        typed[table] = result.valid

    def work(cur: Transaction) -> None:
        for table in REFERENCE_TABLES:
            meta = manifest.get(table, {})
            _replace(
                cur,
                table,
                typed[table],
                source=_source_text(meta),
                reference_date=str(meta.get("reference_date", "")) or None,
                approximated=str(meta.get("approximated", "")) or None,
                actor=actor,
                sha256=_sha256(typed[table]),
            )
        record_event(cur, actor, "reference_loaded", "all", {"tables": list(REFERENCE_TABLES)})

    store.write(work)


def _source_text(meta: dict[str, Any]) -> str:
    source = meta.get("source", "")
    if isinstance(source, dict):
        return "; ".join(f"{k}: {v}" for k, v in source.items() if v)
    return str(source or "data/reference (shipped)")


@dataclass
class ImportReport:
    """What happened to one uploaded reference CSV."""

    table: str
    filename: str
    batch_id: str
    total_rows: int
    valid_rows: int
    invalid_rows: int
    accepted: bool
    reason_counts: dict[str, int] = field(default_factory=dict)
    first_reasons: list[tuple[int | None, str, str]] = field(default_factory=list)

    def summary(self, lang: str = "ko") -> str:
        if self.accepted:
            return (
                f"{self.table}: {self.valid_rows}행을 검증하고 교체했습니다."
                if lang == "ko"
                else f"{self.table}: validated and replaced with {self.valid_rows} rows."
            )
        if lang == "ko":
            return (
                f"{self.table}: 교체하지 않았습니다. 전체 {self.total_rows}행 중 "
                f"{self.invalid_rows}행에 문제가 있어 격리했습니다. 고친 뒤 다시 올리세요."
            )
        return (
            f"{self.table}: not replaced. {self.invalid_rows} of {self.total_rows} rows have "
            "problems and were quarantined; fix them and upload again."
        )


def _code_use_problems(cur: Transaction, table: str, new: pd.DataFrame) -> list:
    """Codes still used by stored rows that the new table would remove."""
    if table not in CODE_USERS:
        return []
    if table == "districts":
        kept: set = {str(v) for v in new["code"].dropna()}
    else:
        kept = {int(v) for v in new["code"].dropna()}
    problems = []
    for user_table, column in CODE_USERS.get(table, []):
        used = cur.execute(
            f"SELECT DISTINCT {quote_identifier(column)} FROM {quote_identifier(user_table)}"  # noqa: S608 - identifiers via quote_identifier
        ).fetchall()
        missing = sorted({u[0] for u in used} - kept, key=str)
        if missing:
            shown = ", ".join(str(m) for m in missing[:10])
            problems.append(
                make_reason(
                    ReasonCode.INCOMPLETE,
                    "code",
                    text=Text(
                        f"{user_table}.{column} 에서 쓰고 있는 코드가 빠졌습니다: {shown}",
                        f"codes still used in {user_table}.{column} are missing: {shown}",
                    ),
                )
            )
    return problems


def import_reference_csv(
    store: Store,
    table: str,
    content: bytes | str,
    *,
    filename: str,
    source: str,
    reference_date: str,
    actor: str,
    approximated: str | None = None,
) -> ImportReport:
    """Validate an uploaded CSV and replace ``table`` with it only if every row is valid."""
    if table not in REFERENCE_TABLES:
        raise KeyError(f"not a reference table: {table}")
    if not source.strip() or not reference_date.strip():
        raise InvalidRequest(
            "no_source",
            Text("출처와 기준일을 적어 주세요.", "Give the source and the reference date."),
        )
    text = decode_csv(content)
    batch_id = new_batch_id(f"ref-{table}")
    try:
        raw = read_csv_text(text)
        parse_problem = None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raw = pd.DataFrame({"line": text.splitlines() or [""]})
        parse_problem = make_reason(
            ReasonCode.BAD_FORMAT, None, None, pattern=f"CSV: {str(error).splitlines()[0]}"
        )
    codes = codes_from_store(store)
    if parse_problem:
        result = ValidationResult(raw.iloc[0:0], raw, {}, [parse_problem])
    else:
        result = validate_frame(raw, reference_schema(table, codes))

    def work(cur: Transaction) -> ImportReport:
        extra = [] if not result.ok else _code_use_problems(cur, table, result.valid)
        accepted = result.ok and not extra
        if accepted:
            _replace(
                cur,
                table,
                result.valid,
                source=source.strip(),
                reference_date=reference_date.strip(),
                approximated=approximated,
                actor=actor,
                sha256=_sha256(result.valid),
            )
        else:
            refused = result if not extra else ValidationResult(raw.iloc[0:0], raw, {}, extra)
            quarantine_result(cur, f"reference_upload:{table}", batch_id, refused)
        invalid = (
            len(raw) if not accepted and (result.batch_reasons or extra) else len(result.invalid)
        )
        cur.execute(
            "INSERT INTO uploads (batch_id, kind, filename, content, uploaded_by, status,"
            " valid_rows, invalid_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                f"reference:{table}",
                filename,
                text,
                actor,
                "accepted" if accepted else "rejected",
                len(raw) - invalid,
                invalid,
            ],
        )
        counts = dict(result.reason_counts())
        for reason in extra:
            counts[reason.code.value] = counts.get(reason.code.value, 0) + 1
        record_event(
            cur,
            actor,
            "reference_upload",
            table,
            {
                "batch_id": batch_id,
                "filename": filename,
                "accepted": accepted,
                "rows": len(raw),
                "invalid_rows": invalid,
                "reasons": counts,
            },
        )
        firsts: list[tuple[int | None, str, str]] = [(None, r.text.ko, r.text.en) for r in extra]
        firsts += [
            (None if i is None else int(i) + 2, r.text.ko, r.text.en)
            for i, r in result.first_reasons(20)
        ]
        return ImportReport(
            table,
            filename,
            batch_id,
            len(raw),
            len(raw) - invalid,
            invalid,
            accepted,
            counts,
            firsts[:20],
        )

    return store.write(work)


def reference_template(store: Store, table: str) -> str:
    """The current table as CSV text: the shape an upload must have. A label that a spreadsheet
    could read as a formula starts with an apostrophe (:mod:`data.spreadsheet_safety`); an
    upload takes it off again."""
    return csv_text(stored_table(store, table))


def recent_uploads(store: Store, limit: int = 50) -> pd.DataFrame:
    """Uploaded files, newest first, with their outcome (the content itself stays stored)."""
    return store.query(
        "SELECT upload_id, uploaded_at, kind, filename, uploaded_by, status, valid_rows,"
        " invalid_rows, batch_id FROM uploads ORDER BY upload_id DESC LIMIT ?",
        [limit],
    )
