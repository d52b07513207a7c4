"""The audit log is append-only: no statement in the code updates, deletes or drops its events.

DuckDB has no triggers or grants to forbid it, so this is held two ways: here, no code path
(every SQL statement lives in data/, but every package and the migrations are read) changes
``audit_log`` except the one that fills in hashes still missing; and at run time the hash
chain (``data.audit.verify_chain``, ``python -m data verify-audit``) finds any change made
behind the code's back. Tests themselves tamper with the log on purpose, so tests/ is not read.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["data", "surveys", "panel", "analysis", "demo", "cli", "ui", "benchmarks", "scripts"]
AUDIT_TABLES = {"audit_log"}
CHANGES_AUDIT = re.compile(
    r"\bUPDATE\s+audit_log\b|\bDELETE\s+FROM\s+audit_log\b|\bTRUNCATE\s+(?:TABLE\s+)?audit_log\b"
    r"|\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?audit_log\b|\bREPLACE\s+INTO\s+audit_log\b"
    r"|\bALTER\s+TABLE\s+audit_log\s+(?:DROP|RENAME|ALTER)\b",
    flags=re.IGNORECASE,
)
# the one statement allowed: sealing events written before the chain existed, hashes only
SEAL = "UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE event_id = ? AND row_hash IS NULL"
# statements whose table is a name built at run time: each from a list that must not hold
# the audit tables (checked below)
DYNAMIC = re.compile(
    r"\b(?:DELETE\s+FROM|UPDATE|DROP\s+TABLE|TRUNCATE(?:\s+TABLE)?)\s*(?:\"\s*\+|\{)",
    flags=re.IGNORECASE,
)
KNOWN_DYNAMIC = {
    "data/reference.py": "REFERENCE_TABLES",
    "data/frame_store.py": "FRAME_TABLES",
    "data/panel_waves.py": "WAVE_TABLES",
    "data/panel_roster.py": "_UPDATE_TABLE and delete_roster's tables",
}


def _sources() -> list[Path]:
    files = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    files += [ROOT / name for name in ("app.py", "server.py")]
    return files + sorted((ROOT / "data" / "migrations").glob("*.sql"))


def _statements(text: str) -> str:
    """Python's adjacent string literals joined, so a statement split over lines reads whole."""
    return re.sub(r"\"\s*\n\s*\"", "", text)


def test_no_code_updates_or_deletes_audit_events():
    found = []
    for path in _sources():
        text = _statements(path.read_text(encoding="utf-8"))
        for match in CHANGES_AUDIT.finditer(text):
            statement = text[match.start() : text.find('"', match.start())]
            if statement != SEAL:
                found.append(f"{path.relative_to(ROOT)}: {statement[:100]}")
    assert found == []


def test_the_one_update_only_fills_in_missing_hashes():
    text = _statements((ROOT / "data" / "audit.py").read_text(encoding="utf-8"))
    assert text.count(SEAL) == 1


def test_tables_named_at_run_time_are_never_the_audit_log():
    from data import panel_roster
    from data.frame_store import FRAME_TABLES
    from data.panel_waves import WAVE_TABLES
    from data.schemas import REFERENCE_TABLES

    dynamic = sorted(
        str(p.relative_to(ROOT)) for p in _sources() if DYNAMIC.search(p.read_text("utf-8"))
    )
    assert dynamic == sorted(KNOWN_DYNAMIC)
    named = {*REFERENCE_TABLES, *FRAME_TABLES, *WAVE_TABLES, panel_roster._UPDATE_TABLE}
    assert not named & AUDIT_TABLES
    assert "audit" not in inspect.getsource(panel_roster.delete_roster)


def test_the_finder_finds_a_delete():
    assert CHANGES_AUDIT.search('store.execute("DELETE FROM audit_log WHERE event_id = 3")')
    assert CHANGES_AUDIT.search("cur.execute('update Audit_Log set actor = ?')")
    assert not CHANGES_AUDIT.search("INSERT INTO audit_log (actor) VALUES (?)")
