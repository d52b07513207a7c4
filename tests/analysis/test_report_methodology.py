"""The methodology appendix's tables: what they count, as of when, and in words."""

from __future__ import annotations

import shutil

import pytest

from analysis.exclusions import exclude
from analysis.reports.content import ReportContent, gather
from analysis.reports.methodology import exclusion_table
from surveys.opening import survey_by_code


@pytest.fixture(scope="module")
def late(demo_template, tmp_path_factory) -> tuple[ReportContent, dict]:
    """seoul-2026's report content after one more household answered than its weights count."""
    from data.store import open_store

    path = tmp_path_factory.mktemp("late") / "demo.duckdb"
    shutil.copy(demo_template, path)
    store = open_store(path)
    survey_id = survey_by_code(store, "seoul-2026").survey_id
    store.execute(
        "INSERT INTO responses (survey_id, household_id, member_no, part, submission_id,"
        " content_hash, answers, questionnaire_version, questionnaire_hash, mode, language,"
        " started_at, submitted_at)"
        " SELECT r.survey_id, (SELECT min(x.household_id) FROM survey_sample x"
        "   WHERE x.survey_id = r.survey_id AND x.household_id NOT IN"
        "   (SELECT household_id FROM responses WHERE survey_id = r.survey_id)),"
        " 0, r.part, 'late-1', r.content_hash, r.answers, r.questionnaire_version,"
        " r.questionnaire_hash, r.mode, r.language, r.started_at, r.submitted_at"
        " FROM responses r WHERE r.survey_id = ? AND r.member_no = 0 LIMIT 1",
        [survey_id],
    )
    content = gather(store, survey_id)
    live = store.scalar(
        "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no = 0", [survey_id]
    )
    store.close()
    return content, {"households": int(live)}


def test_published_response_rates_are_those_of_the_weights_the_estimates_use(late):
    content, live = late
    household = content.versions["household"]
    published = content.methodology["응답률"].set_index("항목")
    responded = published.loc["응답 가구 (가구 설문 제출)"]
    assert responded["수"] == household.parameters["respondents"] == live["households"] - 1
    assert responded["응답률"] == pytest.approx(
        household.parameters["respondents"] / household.parameters["sampled"]
    )
    assert f"v{household.version}" in responded["기준"]
    assert household.created_at[:16] in responded["기준"]
    by_district = content.methodology["자치구별 응답률"]
    assert by_district["응답 가구"].sum() == household.parameters["respondents"]
    summary = content.summary.set_index("항목")["값"]
    assert summary["응답 가구"] == household.parameters["respondents"]


def test_every_response_figure_says_what_it_counts_and_as_of_when(late):
    content, live = late
    published = content.methodology["응답률"].set_index("항목")["기준"]
    households, persons = "가구 가중치 v", "가구원(15세 이상) 가중치 v"
    expected = {
        "표본 가구": households,
        "응답 가구 (가구 설문 제출)": households,
        "응답 가구의 15세 이상 가구원": persons,
        "응답 가구원 (15세 이상, 개인 설문 완료)": persons,
        "추정 제외 가구 설문 (가구)": f"보고서 작성 시점 {content.made_at}",
        "추정 제외 개인 설문 (15세 이상 가구원)": f"보고서 작성 시점 {content.made_at}",
    }
    for item, basis in expected.items():
        assert basis in published[item]
    table = content.methodology["응답률"]
    after = table[table["기준"].str.contains("반영되지 않음")]
    assert after["수"].tolist() == [live["households"]]  # the late household, listed apart
    assert after["항목"].iloc[0].startswith("참고:")


def test_exclusion_reasons_are_worded_in_korean(demo_store):
    survey_id = survey_by_code(demo_store, "seoul-2026").survey_id
    household = demo_store.scalar(
        "SELECT min(household_id) FROM responses WHERE survey_id = ? AND member_no = 0",
        [survey_id],
    )
    exclude(
        demo_store, survey_id, int(household), 0, reason="3분 만에 끝냄", actor="t", flag="speeder"
    )
    table = exclusion_table(demo_store, survey_id)
    assert table.to_dict("records") == [{"구분": "가구 설문", "사유": "과속 응답", "건수": 1}]
