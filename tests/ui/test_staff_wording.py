"""What a reader sees on the staff pages: human column names in the chosen language, one word
per status on every page, no None in a cell, values that fit their metric, Korean placeholders."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

HANGUL = re.compile(r"[\uac00-\ud7a3]")
STAFF_PAGES = [
    "home", "admin", "surveys_page", "estimates_page", "explore_page", "fieldwork_page",
    "panel_page", "panel_health_page", "reports_page", "microdata_page",
]  # fmt: skip
SYMBOLS = {"t"}  # column names that are the same in every language
STATUS_WORDS = ("준비", "준비 중", "조사 중", "마감", "종료")  # every word a status ever had


def _page_as(module: str, language: str) -> None:
    import importlib

    import streamlit as st

    from data.accounts import ADMIN
    from tests.ui.conftest import act_as

    act_as(ADMIN)
    st.session_state["lang"] = language
    importlib.import_module(f"ui.{module}").render()


def _run(module: str, language: str = "ko") -> AppTest:
    at = AppTest.from_function(_page_as, args=(module, language), default_timeout=180).run()
    assert not at.exception
    return at


def _as_shown(element) -> pd.DataFrame:
    """A table with the headings the reader sees (a column's configured label, else its name)."""
    config = json.loads(element.proto.columns or "{}")
    frame = element.value
    headings = {c: (config.get(str(c)) or {}).get("label") or str(c) for c in frame.columns}
    return frame.rename(columns=headings)


def _tables(at: AppTest) -> list[pd.DataFrame]:
    return [_as_shown(d) for d in at.dataframe] + [t.value for t in at.table]


@pytest.mark.parametrize("module", STAFF_PAGES)
def test_every_column_name_is_korean_on_the_korean_ui(app, module):
    at = _run(module)
    raw = [
        str(c)
        for table in _tables(at)
        for c in table.columns
        if not HANGUL.search(str(c)) and str(c) not in SYMBOLS
    ]
    assert raw == []  # e.g. households_responded, table_name, district_code, kind


@pytest.mark.parametrize("module", STAFF_PAGES)
def test_no_cell_reads_none(app, module):
    at = _run(module)
    for table in _tables(at):
        cells = table.astype(object)
        assert not cells.isna().any().any(), list(table.columns)
        assert not cells.isin(["None", "nan", "NaN", "<NA>", "NaT"]).any().any()


def test_the_wave_selector_shows_each_wave_with_one_status(app):
    options = _run("panel_page").selectbox(key="pn_wave").options
    for option in options:
        found = sum(option.count(f"({word})") for word in STATUS_WORDS)
        assert found == 1, option  # not '(조사 중) (조사 중)'
    assert options[-1].endswith("(조사 중)")


def _status_of_wave_1(table: pd.DataFrame, code_column: str = "코드") -> str:
    return str(table.set_index(code_column).loc["panel-2026-w1", "상태"])


def test_a_closed_wave_reads_the_same_on_every_page(app):
    def table_with(at: AppTest, heading: str) -> pd.DataFrame:
        return next(t for t in _tables(at) if heading in t.columns and "상태" in t.columns)

    words = {
        "surveys": _status_of_wave_1(table_with(_run("surveys_page"), "코드")),
        "panel": _status_of_wave_1(table_with(_run("panel_page"), "코드")),
        "panel health": _status_of_wave_1(table_with(_run("panel_health_page"), "코드")),
    }
    fieldwork = _run("fieldwork_page").selectbox(key="fw_survey").options
    words["fieldwork"] = re.match(
        r"\[(.+?)\]", next(o for o in fieldwork if "panel-2026-w1" in o)
    ).group(1)
    assert set(words.values()) == {"마감"}, words


def test_metric_values_fit_their_column(app):
    for module in ("home", "panel_page"):
        values = [m.value for m in _run(module).metric]
        long = [v for v in values if " / " in v or len(v) > 10]
        assert long == [], module  # not '20,000 / 20,000' nor '2026-12-04 16:40:14'


def test_multiselects_have_a_korean_placeholder(app):
    for module in ("estimates_page", "panel_page", "explore_page"):
        for widget in _run(module).multiselect:
            assert HANGUL.search(widget.placeholder or ""), (module, widget.label)


def test_the_english_estimates_page_shows_no_korean(app):
    at = _run("estimates_page", "en")
    texts = [m.label for m in at.metric] + [c.value for c in at.caption]
    texts += [h.value for h in at.header] + [w.label for w in at.multiselect]
    texts += [str(o) for w in at.multiselect for o in w.options]
    for table in _tables(at):
        texts += [str(c) for c in table.columns]
        texts += [str(v) for v in table.astype(str).to_numpy().ravel()]  # units, groups, flags
    assert [x for x in texts if HANGUL.search(x)] == []
