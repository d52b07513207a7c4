"""The survey manager's page: the demo surveys, drawing a sample, issuing codes with the letters file."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from data.accounts import STATISTICIAN, SURVEY_MANAGER


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import surveys_page

    act_as(role)
    surveys_page.render()


def test_manager_sees_the_demo_surveys(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    assert not at.exception
    codes = at.dataframe[0].value["코드"].tolist()
    assert {"seoul-2025", "seoul-2026"} <= set(codes)


def test_statistician_cannot_manage_surveys(app):
    at = AppTest.from_function(_page_as, args=(STATISTICIAN,), default_timeout=60).run()
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert len(at.tabs) == 0


def test_manager_opens_a_survey_draws_a_sample_and_issues_codes(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    at.text_input(key="sv_code").input("seoul-2027")
    at.text_input(key="sv_title_ko").input("2027 서울서베이")
    at.button[0].click().run()  # the open form's submit
    assert not at.exception
    assert "seoul-2027" in at.dataframe[0].value["코드"].tolist()
    chooser = at.selectbox(key="sv_choose")
    new = next(i for i, label in enumerate(chooser.options) if label.startswith("seoul-2027"))
    chooser.select_index(new).run()
    at.number_input(key="sv_n").set_value(200)
    at.number_input(key="sv_per_area").set_value(5)
    at.number_input(key="sv_floor").set_value(5)  # at least one area in every district
    [b for b in at.button if b.label == "표본 추출"][0].click().run()
    assert not at.exception
    summary = at.dataframe[1].value
    assert summary["가구 수"].sum() == 200 and len(summary) == 25
    issue = [b for b in at.button if b.label.endswith("코드 발급")]
    issue[0].click().run()
    assert not at.exception
    assert any("한 번만" in w.value for w in at.warning)
    at.download_button(key="sv_download_letters").click().run()
    assert not at.exception and not at.get("download_button")  # offered once
    from data.audit import recent_events
    from ui.context import get_store

    downloads = recent_events(get_store(), action="download")
    assert downloads["actor"].tolist() == ["manager"]
    detail = json.loads(downloads["detail"].iat[0])
    assert detail["kind"] == "letters" and detail["rows"] == 200 and detail["format"] == "csv"


def _upload_small_survey() -> None:
    from pathlib import Path

    from surveys.questionnaire.uploads import receive_upload
    from ui.context import get_store

    small = Path(__file__).resolve().parents[1] / "surveys" / "fixtures" / "small_survey.yaml"
    outcome = receive_upload(get_store(), "small_survey.yaml", small.read_bytes(), actor="manager")
    assert outcome.saved is not None


def test_manager_opens_a_survey_on_an_uploaded_version(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    _upload_small_survey()  # as the questionnaires page stores it
    at.run()
    source = at.selectbox(key="sv_source")
    shipped = [o for o in source.options if "기본 제공" in o]
    uploaded = [o for o in source.options if o.startswith("small_survey 버전 1 ·")]
    assert shipped and len(uploaded) == 1 and "올린 사람 manager" in uploaded[0]
    source.select(uploaded[0])
    at.text_input(key="sv_code").input("small-2027")
    at.text_input(key="sv_title_ko").input("작은 조사")
    at.button[0].click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    row = table[table["코드"] == "small-2027"]
    assert row["조사표"].tolist() == ["small_survey"]


def test_manager_moves_a_survey_in_the_field_to_a_corrected_version(app):
    from pathlib import Path

    from surveys.opening import survey_by_code
    from surveys.questionnaire.uploads import receive_upload
    from ui.context import get_store

    seoul = (
        Path(__file__).resolve().parents[2] / "surveys" / "definitions" / "seoul_survey_2026.yaml"
    )
    corrected = seoul.read_text(encoding="utf-8").replace(
        "지금 사시는 집에서 몇 년째", "현재 주택에서 몇 년째", 1
    )
    saved = receive_upload(get_store(), "seoul_v2.yaml", corrected.encode(), actor="manager").saved
    assert saved is not None
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=120).run()
    chooser = at.selectbox(key="sv_choose")
    chooser.select_index(
        next(i for i, label in enumerate(chooser.options) if label.startswith("seoul-2026 "))
    ).run()
    survey_id = survey_by_code(get_store(), "seoul-2026").survey_id
    at.selectbox(key=f"sv_version_to_{survey_id}").select(saved.version_no).run()
    assert any("years_at_address" in str(df.value) for df in at.dataframe)  # the change in words
    next(b for b in at.button if b.label.endswith("바꾸기")).click().run()
    assert any("이유" in e.value for e in at.error)  # a note is required
    at.text_input(key=f"sv_version_note_{survey_id}").input("문구 수정")
    next(b for b in at.button if b.label.endswith("바꾸기")).click().run()
    assert not at.exception
    assert any(f"버전 {saved.version_no}" in s.value for s in at.success), [
        e.value for e in at.error
    ]
    assert survey_by_code(get_store(), "seoul-2026").questionnaire_hash == saved.source_hash


def test_manager_draws_a_sample_from_one_districts_panel_households(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    at.text_input(key="sv_code").input("district-2027")
    at.text_input(key="sv_title_ko").input("자치구 조사")
    at.button[0].click().run()
    chooser = at.selectbox(key="sv_choose")
    new = next(i for i, label in enumerate(chooser.options) if label.startswith("district-2027"))
    chooser.select_index(new).run()
    at.radio(key="sv_sample_source").set_value("panel").run()
    districts = at.multiselect(key="sv_panel_districts")
    counts = {
        o: int(re.search(r"패널 ([\d,]+)가구", o)[1].replace(",", "")) for o in districts.options
    }
    chosen = max(counts, key=counts.get)  # "종로구 (패널 N가구)"
    districts.select(chosen)
    at.number_input(key="sv_panel_n").set_value(counts[chosen] + 1)
    [b for b in at.button if b.label == "패널에서 표본 추출"][0].click().run()
    assert "대상 패널 가구는" in at.error[0].value  # more than there are: refused, said
    at.multiselect(key="sv_panel_districts").select(chosen)
    at.number_input(key="sv_panel_n").set_value(3)
    [b for b in at.button if b.label == "패널에서 표본 추출"][0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    summary = at.dataframe[1].value
    assert len(summary) == 1 and summary["가구 수"].tolist() == [3]
    assert summary["자치구"].tolist() == [chosen.split(" (")[0]]


def test_manager_draws_a_sample_from_an_uploaded_contact_list(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    at.text_input(key="sv_code").input("list-2027")
    at.text_input(key="sv_title_ko").input("이용자 조사")
    at.button[0].click().run()
    chooser = at.selectbox(key="sv_choose")
    new = next(i for i, label in enumerate(chooser.options) if label.startswith("list-2027"))
    chooser.select_index(new).run()
    at.radio(key="sv_sample_source").set_value("contact_list").run()
    rows = [f"참가자{i},{'종로구' if i % 2 else '11140'},,,010-1234-{i:04d}," for i in range(12)]
    rows.append("이름없는구,없는구,,,010-9999-0000,")  # a district that does not exist
    content = ("이름,자치구,주소,우편번호,휴대전화,이메일\n" + "\n".join(rows) + "\n").encode(
        "cp949"
    )
    at.file_uploader(key="sv_list_file").upload("users.csv", content)
    at.number_input(key="sv_list_n").set_value(4)
    [b for b in at.button if b.label == "목록에서 표본 추출"][0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = at.success[0].value
    assert "13행을 읽어 12행을 받고 1행을 격리했습니다" in said and "표본 4가구" in said
    refused = at.dataframe[1].value
    assert refused["행"].tolist() == [14]
    summary = at.dataframe[2].value
    assert sorted(summary["가구 수"].tolist()) == [2, 2]
    assert "연락처 목록 'users.csv'에서 뽑은 표본입니다: 13행 가운데 12행을 받고 1행을 격리" in (
        " ".join(c.value for c in at.caption)
    )


def test_manager_makes_a_new_weights_version_for_a_survey_in_the_field(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=120).run()
    chooser = at.selectbox(key="sv_choose")
    demo = next(i for i, label in enumerate(chooser.options) if label.startswith("seoul-2026"))
    chooser.select_index(demo).run()
    before = len(at.dataframe[-1].value) if at.dataframe[-1].value.columns[0] == "단위" else 0
    at.button(key="sv_weights_make").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "가중치를 만들었습니다: 가구 (ID" in at.success[0].value
    versions = at.dataframe[-1].value
    assert versions.columns[0] == "단위" and len(versions) == before + 2  # households, persons
    assert versions["응답 수"].iloc[0] > 0


def test_a_new_survey_without_answers_cannot_make_weights_and_says_why(app):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    at.text_input(key="sv_code").input("empty-2027")
    at.text_input(key="sv_title_ko").input("빈 조사")
    at.button[0].click().run()
    chooser = at.selectbox(key="sv_choose")
    new = next(i for i, label in enumerate(chooser.options) if label.startswith("empty-2027"))
    chooser.select_index(new).run()
    assert "아직 가중치가 없습니다" in " ".join(i.value for i in at.info)
    at.button(key="sv_weights_make").click().run()
    assert not at.exception
    assert "가중치를 만들 수 없습니다" in at.error[0].value
