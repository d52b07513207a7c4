"""The panel holds no SQL: its tables are read and written through ``data/`` modules.

Checked over every module of ``panel/`` and the demo's panel steps: no SQL
statement text, no ``duckdb`` import and no statement run on a store, cursor or
transaction. (To be folded into ``tests/test_architecture.py``.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_MODULES = ["demo/panel.py", "demo/panel_answers.py", "demo/wave_in_field.py"]

SQL = [
    re.compile(r"\bSELECT\b.{0,400}?\bFROM\b", re.DOTALL),
    re.compile(r"\bINSERT\s+INTO\b"),
    re.compile(r"\bUPDATE\s+\w+(\s+AS\s+\w+)?\s+SET\b"),
    re.compile(r"\bDELETE\s+FROM\b"),
]
DUCKDB = re.compile(r"^\s*(import|from)\s+duckdb\b", re.MULTILINE)
STATEMENT_CALL = re.compile(
    r"\b(\w*store|cur|cursor|tx|con|conn|connection|transaction)\s*\.\s*"
    r"(query|rows|scalar|execute|executemany|write|cursor|register|fetchone|fetchall)\s*\("
)


def _modules() -> list[Path]:
    return sorted((ROOT / "panel").rglob("*.py")) + [ROOT / m for m in DEMO_MODULES]


def offences(text: str) -> list[str]:
    """What in ``text`` is SQL, a duckdb import or a statement run on a store."""
    found = [m.group(0)[:60] for pattern in SQL for m in pattern.finditer(text)]
    found += [m.group(0).strip() for m in DUCKDB.finditer(text)]
    found += [m.group(0) for m in STATEMENT_CALL.finditer(text)]
    return found


def test_the_checked_modules_exist():
    modules = _modules()
    assert all(path.exists() for path in modules)
    assert len(modules) > len(DEMO_MODULES)


@pytest.mark.parametrize(
    "path", _modules(), ids=lambda p: str(p.relative_to(ROOT)) if isinstance(p, Path) else p
)
def test_no_sql_duckdb_or_store_statements(path: Path):
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        'store.query(\n    "SELECT household_id, status"\n    " FROM panel_households")',
        'cur.execute("INSERT INTO panel_waves (survey_id) VALUES (?)", [1])',
        '"UPDATE panel_households AS p SET status = u.status FROM v AS u"',
        '"DELETE FROM panel_messages WHERE survey_id = ?"',
        "import duckdb",
        "    from duckdb import DuckDBPyConnection",
        "store.write(work)",
        "store.rows(text)",
        "value = store.scalar(text)",
        "panel.store.execute(text)",
        "cur.register(view, frame)",
        "row = tx.fetchone()",
    ],
)
def test_the_check_catches_what_it_forbids(snippet: str):
    assert offences(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "handle.write(batch.to_csv_bytes())",
        "wave_tables.message_log(store, survey_id)",
        '"Select a wave from the list"',
        "frame.groupby('status').size()",
    ],
)
def test_the_check_lets_ordinary_code_through(snippet: str):
    assert offences(snippet) == []
