"""The panel health page: size against target, waves, composition, who may open it, no panel."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from data.accounts import INTERVIEWER, PANEL_OPERATOR, STATISTICIAN
from panel.health import composition, panel_size
from tests.ui.conftest import read_db as _read


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import panel_health_page

    act_as(role)
    panel_health_page.render()


def _run(role: str) -> AppTest:
    return AppTest.from_function(_page_as, args=(role,), default_timeout=60).run()


def _metric(at: AppTest, label: str) -> list[str]:
    return [m.value for m in at.metric if m.label == label]


def _charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def test_operator_sees_households_in_the_panel_against_the_target(app, demo_path):
    size = _read(demo_path, panel_size)
    at = _run(PANEL_OPERATOR)
    assert not at.exception
    assert _metric(at, "패널 가구") == [f"{size['in_panel']:,}"]
    assert _metric(at, "목표") == [f"{size['target']:,}"]
    assert len(_charts(at)) == 10  # size 2, waves 2, attrition 2, replacement 1, composition 2, R 1


def test_the_waves_table_lists_the_demo_waves(app):
    at = _run(PANEL_OPERATOR)
    assert not at.exception
    waves = at.dataframe[0].value  # the first tab
    assert waves["코드"].tolist() == [f"panel-2026-w{n}" for n in (1, 2, 3, 4)]


def test_composition_shows_the_dissimilarity_index_of_the_domain(app, demo_path):
    by_district = _read(demo_path, lambda s: composition(s, "district_code").dissimilarity)
    by_size = _read(demo_path, lambda s: composition(s, "size_class").dissimilarity)
    at = _run(PANEL_OPERATOR)
    assert not at.exception
    assert _metric(at, "비유사성 지수 D") == [f"{by_district:.3f}", f"{by_size:.3f}"]


def test_a_statistician_may_open_the_page(app):
    at = _run(STATISTICIAN)
    assert not at.exception
    assert not at.error
    assert _metric(at, "패널 가구")


def test_an_interviewer_is_refused(app):
    at = _run(INTERVIEWER)
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert not at.metric


def test_a_database_without_a_panel_says_to_recruit_one(db_path, monkeypatch):
    monkeypatch.setenv("SEOUL_DB", str(db_path))  # a new database: migrated, no panel
    monkeypatch.setenv("SEOUL_DEMO", "0")
    monkeypatch.setenv("SEOUL_ADMIN_PASSWORD", "an-admin-password-for-tests")
    st.cache_resource.clear()
    try:
        at = _run(PANEL_OPERATOR)
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert any("패널을 모집하세요" in i.value for i in at.info)
    assert not at.metric
