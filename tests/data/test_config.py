"""Every setting the platform reads is documented in the README."""

from __future__ import annotations

from pathlib import Path

from data.config import SETTINGS, database_config

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in README] == []


def test_without_seoul_db_the_demo_database_is_used(monkeypatch):
    monkeypatch.delenv("SEOUL_DB", raising=False)
    monkeypatch.delenv("SEOUL_DEMO", raising=False)
    config = database_config()
    assert config.demo and config.path.name == "demo.duckdb" and config.path.parent.name == "var"


def test_any_other_database_is_not_a_demo(monkeypatch, tmp_path):
    monkeypatch.setenv("SEOUL_DB", str(tmp_path / "city.duckdb"))
    monkeypatch.delenv("SEOUL_DEMO", raising=False)
    assert not database_config().demo
