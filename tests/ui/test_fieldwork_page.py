"""The fieldwork page: headline numbers of the domain, flag counts, exclusion and restore, roles."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis.exclusions import active_exclusions
from data.accounts import INTERVIEWER, STATISTICIAN, SURVEY_MANAGER
from surveys.fieldwork.monitoring import response_by_district
from surveys.fieldwork.quality import flag_counts, quality_flags
from surveys.opening import list_surveys
from tests.ui.conftest import read_db as _read


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import fieldwork_page

    act_as(role)
    fieldwork_page.render()


def _survey_id(store, code: str) -> int:
    surveys = list_surveys(store)
    return int(surveys.loc[surveys["code"] == code, "survey_id"].iloc[0])


def _run(role: str) -> AppTest:
    return AppTest.from_function(_page_as, args=(role,), default_timeout=60).run()


def _choose(at: AppTest, survey_id: int) -> AppTest:
    return at.selectbox(key="fw_survey").set_value(survey_id).run()


def _metric(at: AppTest, label: str) -> list[str]:
    return [m.value for m in at.metric if m.label == label]


def _ex_widgets(at: AppTest) -> list:
    keys = [getattr(w, "key", None) or "" for w in (*at.selectbox, *at.text_input, *at.button)]
    return [k for k in keys if k.startswith("fw_ex_")]


def test_manager_sees_the_domain_numbers_of_seoul_2026(app, demo_path):
    def numbers(store):
        survey_id = _survey_id(store, "seoul-2026")
        surveys = list_surveys(store).set_index("survey_id")
        by_district = response_by_district(store, survey_id)
        return (
            survey_id,
            int(surveys.loc[survey_id, "sampled"]),
            int(by_district["responded"].sum()),
        )

    survey_id, sampled, parts_in = _read(demo_path, numbers)
    at = _choose(_run(SURVEY_MANAGER), survey_id)
    assert not at.exception
    assert _metric(at, "표본 가구") == [f"{sampled:,}"]
    assert _metric(at, "가구 응답 제출") == [f"{parts_in:,}"]
    assert _metric(at, "응답률") == [f"{100 * parts_in / sampled:.1f}%"]


def test_the_panel_wave_shows_the_straight_lining_count_of_the_domain(app, demo_path):
    def counts(store):
        survey_id = _survey_id(store, "panel-2026-w4")
        return survey_id, flag_counts(quality_flags(store, survey_id))

    survey_id, counts = _read(demo_path, counts)
    at = _run(SURVEY_MANAGER)
    assert at.selectbox(key="fw_survey").value == survey_id  # the most recent survey in the field
    at = _choose(at, survey_id)
    assert not at.exception
    assert counts["straight_lining"] > 0
    assert _metric(at, "일자 응답") == [f"{counts['straight_lining']:,}"]
    assert _metric(at, "AAPOR RR1")  # a panel wave also shows its AAPOR response rate


def test_a_statistician_excludes_a_flagged_speeder_and_restores_it(app, demo_path):
    def first_speeder(store):
        survey_id = _survey_id(store, "panel-2026-w4")
        flags = quality_flags(store, survey_id)
        row = flags.loc[flags["speeder"]].iloc[0]
        return survey_id, int(row["household_id"]), int(row["member_no"])

    survey_id, household, member = _read(demo_path, first_speeder)
    at = _choose(_run(STATISTICIAN), survey_id)
    at = at.selectbox(key="fw_flag").set_value("speeder").run()
    assert at.selectbox(key="fw_ex_part").value == (household, member)
    at.text_input(key="fw_ex_reason").input("응답 시간이 중앙값의 1/10")
    at = at.button(key="fw_ex_submit").click().run()
    assert not at.exception and not at.error
    assert any("추정에서 이 응답이 빠집니다" in s.value for s in at.success), [
        s.value for s in at.success
    ]

    held = _read(demo_path, lambda s: active_exclusions(s, survey_id))
    assert held[["household_id", "member_no"]].values.tolist() == [[household, member]]
    assert held["flag"].tolist() == ["speeder"]
    assert held["reason"].tolist() == ["응답 시간이 중앙값의 1/10"]

    exclusion_id = int(held["exclusion_id"].iloc[0])
    assert at.selectbox(key="fw_ex_restore_id").value == exclusion_id
    at.text_input(key="fw_ex_restore_reason").input("재검토 결과 정상 응답")
    at = at.button(key="fw_ex_restore_submit").click().run()
    assert not at.exception and not at.error
    assert _read(demo_path, lambda s: active_exclusions(s, survey_id)).empty


def test_an_exclusion_without_a_reason_says_to_give_one(app, demo_path):
    survey_id = _read(demo_path, lambda s: _survey_id(s, "panel-2026-w4"))
    at = _choose(_run(STATISTICIAN), survey_id)
    at = at.button(key="fw_ex_submit").click().run()
    assert any("사유" in e.value for e in at.error)
    assert _read(demo_path, lambda s: active_exclusions(s, survey_id)).empty


def test_a_manager_gets_no_exclusion_form(app):
    at = _run(SURVEY_MANAGER)
    assert not at.exception
    assert _metric(at, "과속 응답")  # the flags are there, read-only
    assert _ex_widgets(at) == []
    assert any("통계 담당자" in c.value for c in at.caption)


def test_an_interviewer_is_refused(app):
    at = _run(INTERVIEWER)
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert not at.metric
