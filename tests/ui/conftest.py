"""AppTest helpers: run the real app.py headless against a private copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(demo_path, monkeypatch):
    """The app, not yet run, on a private demo database; caches cleared before and after."""
    monkeypatch.setenv("SEOUL_DB", str(demo_path))
    monkeypatch.setenv("SEOUL_DEMO", "1")
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=60)
    st.cache_resource.clear()


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def read_db(path, what):
    """What the domain says, read on a connection closed before the page opens the file."""
    from data.store import open_store

    store = open_store(path)
    try:
        return what(store)
    finally:
        store.close()
