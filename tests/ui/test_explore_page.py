"""The statistician's explorer: indicators with charts, crosstab, regression, comparisons."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import INTERVIEWER, STATISTICIAN


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import explore_page

    act_as(role)
    explore_page.render()


@pytest.fixture
def page(app):
    at = AppTest.from_function(_page_as, args=(STATISTICIAN,), default_timeout=180).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


def test_statistician_sees_the_happiness_index_with_charts(page, demo_path):
    from analysis.tables import indicator_table
    from data.store import open_store
    from surveys.opening import survey_by_code

    at = page
    assert not at.warning, [w.value for w in at.warning]
    survey_id = at.selectbox(key="ex_survey").value
    store = open_store(demo_path)
    try:
        assert survey_id == survey_by_code(store, "seoul-2026").survey_id  # newest first
        table = indicator_table(store, survey_id)
    finally:
        store.close()
    seoul = table.query("indicator == 'happiness_index' and domain == 'seoul'").iloc[0]
    assert at.multiselect(key="ex_indicators").value == ["happiness_index"]
    assert _metric(at, "서울 전체") == f"{seoul['estimate']:.3f}"
    assert at.selectbox(key="ex_domain").value == "district_code"
    indicators = at.dataframe[0].value
    assert len(indicators) == 25 and "종로구" in set(indicators["집단"])
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3  # sorted district bars, tile map, trend
    at.selectbox(key="ex_domain").set_value("sex").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 2


def test_interviewers_are_refused(app):
    at = AppTest.from_function(_page_as, args=(INTERVIEWER,), default_timeout=60).run()
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert len(at.tabs) == 0 and len(at.metric) == 0


def test_crosstab_shows_the_rao_scott_test(page):
    at = page
    at.selectbox(key="ex_ct_row").set_value("sex")
    at.selectbox(key="ex_ct_col").set_value("health_self")
    at.radio(key="ex_ct_pct").set_value("col").run()
    assert not at.exception
    p = float(_metric(at, "Rao–Scott p 값"))
    assert 0 <= p <= 1
    assert any(f"p = {p:.4f}" in m.value for m in at.markdown)


def test_regression_shows_coefficients_by_their_labels(page):
    at = page
    at.selectbox(key="ex_rg_outcome").set_value("life_satisfaction")
    at.multiselect(key="ex_rg_predictors").set_value(["age", "sex"]).run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "항" in d.value.columns]
    intercept, age, sex = list(tables[0]["항"])
    assert intercept == "(절편)" and age.startswith("나이") and sex == "여자 (기준: 남자)"
    assert any("선형회귀" in c.value for c in at.caption)


def test_comparing_two_panel_waves_gives_a_difference(page):
    at = page
    at.radio(key="ex_cmp_mode").set_value("waves").run()
    assert not at.exception
    wave_a, wave_b = at.selectbox(key="ex_cmp_wave_a"), at.selectbox(key="ex_cmp_wave_b")
    assert wave_a.value != wave_b.value
    at.selectbox(key="ex_cmp_wave_variable").set_value("life_satisfaction").run()
    assert not at.exception
    difference = float(_metric(at, "차이 (B − A)"))
    a = float(_metric(at, "panel-2026-w1"))
    b = float(_metric(at, "panel-2026-w3"))
    assert difference == pytest.approx(b - a, abs=2e-3)
    assert any("두 차수에 모두 응답한" in c.value for c in at.caption)


def test_comparing_two_domains_and_two_years(page):
    at = page
    at.radio(key="ex_cmp_mode").set_value("years").run()
    assert not at.exception
    assert _metric(at, "차이 (B − A)") != "–"
    at.radio(key="ex_cmp_mode").set_value("domains").run()
    assert not at.exception
    assert at.selectbox(key="ex_cmp_by").value == "sex"
    assert _metric(at, "차이 (B − A)") != "–"


def test_a_panel_wave_shows_its_indicators_and_their_trend_across_waves(page, demo_path):
    from analysis.designs import wave_indicator_table
    from data.store import open_store
    from surveys.opening import survey_by_code

    store = open_store(demo_path)
    try:
        wave = survey_by_code(store, "panel-2026-w3").survey_id
        table = wave_indicator_table(store, wave)
    finally:
        store.close()
    at = page
    at.selectbox(key="ex_survey").set_value(wave).run()
    assert not at.exception, at.exception
    seoul = table.query("indicator == 'happiness_index' and domain == 'seoul'").iloc[0]
    assert _metric(at, "서울 전체") == f"{seoul['estimate']:.3f}"
    assert any("패널 차수별 추이" in h.value for h in at.subheader)
    assert not any("묻지 않습니다" in i.value for i in at.info)  # wave 2 asks other things
    waves = [df.value for df in at.dataframe if "차수" in df.value.columns]
    assert waves and waves[0]["차수"].tolist() == ["panel-2026-w1", "panel-2026-w3"]
    assert any("panel-2026-w2" in c.value for c in at.caption)  # said to be left out


def test_a_form_the_catalogue_does_not_know_shows_each_questions_weighted_results(
    app, demo_path, tmp_path
):
    from data.store import open_store
    from tests.surveys.test_uploaded_survey_outputs import commuting_survey

    store = open_store(demo_path)
    try:
        commuting_survey(store, tmp_path)
    finally:
        store.close()
    at = AppTest.from_function(_page_as, args=(STATISTICIAN,), default_timeout=180).run()
    survey = at.selectbox(key="ex_survey")
    survey.select_index(next(i for i, o in enumerate(survey.options) if "통근 조사" in o)).run()
    assert not at.exception, at.exception
    assert "문항별 가중 결과" in " ".join(i.value for i in at.info)
    question = at.selectbox(key="ex_question")
    assert question.options[0] == "Do you own or rent your home?"  # commute_mode's label
    seoul = at.dataframe[0].value
    assert seoul["보기"].tolist() == ["Own", "Rent"]
    assert abs(sum(float(v) for v in seoul["추정값"]) - 100) < 0.01  # shares of one question
    at.radio(key="ex_question_domain").set_value("district_code").run()
    by_district = at.dataframe[0].value
    assert len(by_district) > 2 and set(by_district["보기"]) == {"Own", "Rent"}
