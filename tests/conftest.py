"""Shared fixtures: real DuckDB files in temporary folders, and one small demo per session.

The demo is seeded once per test session at ``SEOUL_DEMO_SCALE=1000`` (about
4,500 frame households) — the documented scale setting — and copied for each
test that changes it, so tests never share a database file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TEST_SCALE = "1000"
os.environ.setdefault("SEOUL_DEMO_SCALE", TEST_SCALE)
os.environ.pop("SEOUL_ADMIN_PASSWORD", None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def store(db_path: Path):
    """A new, migrated database with the shipped reference data (no frame, no accounts)."""
    from data.migrate import migrate
    from data.reference import load_shipped_reference
    from data.store import open_store

    opened = open_store(db_path)
    migrate(opened)
    load_shipped_reference(opened)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database, seeded once per session and closed (copy it before use)."""
    from data.config import DatabaseConfig
    from demo.seed import prepare

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    prepared = prepare(
        DatabaseConfig(path=path, demo=True, demo_scale=float(TEST_SCALE)), progress=lambda _: None
    )
    prepared.store.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded demo database file."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_template, target)
    return target


@pytest.fixture
def demo_store(demo_path: Path):
    from data.store import open_store

    opened = open_store(demo_path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def module_demo_store(demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """One copy of the demo database shared by a test module's read-only tests."""
    from data.store import open_store

    target = tmp_path_factory.mktemp("module_demo") / "demo.duckdb"
    shutil.copy(demo_template, target)
    opened = open_store(target)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def no_panel_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo without its panel and waves: for tests that recruit a panel of their own."""
    from data.store import open_store
    from demo.panel import remove_panel

    path = tmp_path_factory.mktemp("no_panel") / "demo.duckdb"
    shutil.copy(demo_template, path)
    opened = open_store(path)
    remove_panel(opened)
    opened.execute("DELETE FROM seed_log WHERE step = 'panel'")
    opened.close()
    return path


@pytest.fixture
def no_panel_store(no_panel_template: Path, tmp_path: Path):
    """A private copy of the demo without its panel, open."""
    from data.store import open_store

    target = tmp_path / "no_panel.duckdb"
    shutil.copy(no_panel_template, target)
    opened = open_store(target)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_store_counts(demo_template: Path) -> dict[str, int]:
    """Frame counts of the session demo (read once, before any test copies it)."""
    import duckdb

    con = duckdb.connect(str(demo_template), read_only=True)
    try:
        return {
            "households": con.execute("SELECT count(*) FROM frame_households").fetchone()[0],
            "persons": con.execute("SELECT count(*) FROM frame_persons").fetchone()[0],
        }
    finally:
        con.close()
