"""The statistician's indicator page: the table with flags, filtered, downloadable."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.accounts import INTERVIEWER, STATISTICIAN


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import estimates_page

    act_as(role)
    estimates_page.render()


def test_statistician_sees_the_indicator_table(app):
    at = AppTest.from_function(_page_as, args=(STATISTICIAN,), default_timeout=120).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"추정값", "표준오차", "95% 하한", "95% 상한", "변동계수", "표시"} <= set(table.columns)
    assert "행복지수" in set(table["지표"])
    at.multiselect[0].set_value(["happiness_index"]).run()
    assert set(at.dataframe[0].value["지표"]) == {"행복지수"}
    assert len(at.get("download_button")) == 2


def test_interviewers_do_not_see_estimates(app):
    at = AppTest.from_function(_page_as, args=(INTERVIEWER,), default_timeout=60).run()
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert len(at.dataframe) == 0
