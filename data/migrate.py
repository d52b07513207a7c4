"""Numbered SQL migrations, applied in order and recorded in the database.

Each file in ``data/migrations/`` is named ``NNNN_what.sql``; it runs once, in
one transaction together with its row in ``schema_migrations``. A later issue
adds its tables with a new file; an applied file is never edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from data.store import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files, ordered by number; numbers must be unique and contiguous."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must look like 0001_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise ValueError(f"migration {expected:04d} is missing (found {migration.path.name})")
    return found


def _ensure_table(store: Store) -> None:
    store.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )


def schema_version(store: Store) -> int:
    """The highest applied migration number (0 for a new database)."""
    if "schema_migrations" not in store.table_names():
        return 0
    return int(store.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations"))


def migrate(store: Store, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Apply every migration not yet applied; return the ones applied now."""
    _ensure_table(store)
    current = schema_version(store)
    applied = []
    for migration in available_migrations(directory):
        if migration.version <= current:
            continue

        def apply(cur, m=migration):
            cur.execute(m.sql())
            cur.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [m.version, m.name]
            )

        store.write(apply)
        applied.append(migration)
    return applied
