"""The panel operator's page: the demo waves, a new wave, outcomes, close-out, reminders."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from data.accounts import PANEL_OPERATOR, STATISTICIAN

PARALLEL = (
    Path(__file__).resolve().parents[2]
    / "surveys"
    / "definitions"
    / "panel_seoul_parallel_2026.yaml"
)


RR1 = "응답률 RR1"  # the waves table's column (ui/glossary.yaml)


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import panel_page

    act_as(role)
    panel_page.render()


def _run(role: str = PANEL_OPERATOR) -> AppTest:
    return AppTest.from_function(_page_as, args=(role,), default_timeout=60).run()


def _button(at: AppTest, key: str):
    return [b for b in at.button if b.key == key][0]


def _table(at: AppTest, column: str):
    """The first table on the page with ``column`` (st.dataframe keys are not exposed by AppTest)."""
    return [d.value for d in at.dataframe if column in d.value.columns][0]


def _demo_rr1(demo_path: Path) -> dict[str, float]:
    from data.store import open_store
    from panel.outcomes import wave_rates
    from panel.waves import list_waves

    store = open_store(demo_path)
    try:
        return {
            w.code: float(wave_rates(store, w.survey_id)["RR1"].iat[0]) for w in list_waves(store)
        }
    finally:
        store.close()


def _close_demo_wave_4(demo_path: Path) -> None:
    """The demo's wave 4 is still in the field: close it (attrition and replacement) first."""
    from data.store import open_store
    from panel.attrition import apply_attrition, replace_leavers
    from panel.waves import list_waves

    store = open_store(demo_path)
    try:
        wave = list_waves(store)[-1]
        apply_attrition(store, wave.survey_id, actor="test")
        replace_leavers(store, wave.survey_id, seed=4, actor="test")
    finally:
        store.close()


def _open_wave_5(demo_path: Path, refuse: bool = False) -> dict:
    """Wave 5 in the field with one reminder (and a recorded refusal), made through the domain."""
    from data.store import open_store
    from panel.messaging import CsvOutbox
    from panel.outcomes import record_outcomes
    from panel.waves import create_wave, issue_invitations, reminder_list, wave_households

    _close_demo_wave_4(demo_path)
    store = open_store(demo_path)
    try:
        wave = create_wave(
            store,
            PARALLEL,
            code="panel-2026-w5",
            title_ko="서울시민패널 5차",
            field_start=date(2026, 11, 2),
            field_end=date(2026, 11, 20),
            reminders=[date(2026, 11, 9)],
            actor="test",
        )
        outbox = CsvOutbox(demo_path.parent / "outbox")
        issue_invitations(store, wave.survey_id, sender=outbox, base_url="http://x", actor="test")
        household = int(wave_households(store, wave.survey_id)["household_id"].iat[0])
        if refuse:
            refusal = {"household_id": [household], "outcome": ["refused"], "note": ["phone"]}
            record_outcomes(store, wave.survey_id, pd.DataFrame(refusal), actor="test")
        waiting = len(reminder_list(store, wave.survey_id, 1))
        return {"survey_id": wave.survey_id, "household": household, "waiting": waiting}
    finally:
        store.close()


def test_operator_sees_the_demo_waves_with_their_rr1(app, demo_path):
    expected = _demo_rr1(demo_path)
    at = _run()
    assert not at.exception
    table = _table(at, RR1)
    shown = dict(zip(table["코드"], table[RR1], strict=True))
    assert set(shown) == {f"panel-2026-w{n}" for n in (1, 2, 3, 4)}
    for code, rr1 in expected.items():
        assert shown[code] == f"{rr1:.1%}"
    status = table.set_index("코드")["상태"]
    assert (status.drop("panel-2026-w4") == "마감").all() and status["panel-2026-w4"] == "조사 중"


def test_statistician_is_refused(app):
    at = _run(STATISTICIAN)
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert len(at.tabs) == 0


def test_operator_creates_wave_5_and_issues_its_invitations(app, demo_path):
    _close_demo_wave_4(demo_path)
    at = _run()
    at.selectbox(key="pn_new_q").set_value("panel_seoul_parallel_2026.yaml")
    at.text_input(key="pn_new_code").input("panel-2026-w5")
    at.text_input(key="pn_new_title_ko").input("서울시민패널 5차")
    at.date_input(key="pn_new_start").set_value(date(2026, 11, 2))
    at.date_input(key="pn_new_end").set_value(date(2026, 11, 20))
    at.text_input(key="pn_new_reminders").input("2026-11-09, 2026-11-16")
    [b for b in at.button if b.label == "차수 만들기"][0].click().run()
    assert not at.exception and not at.error
    table = _table(at, RR1)
    assert table["코드"].tolist()[-1] == "panel-2026-w5"
    chosen = at.selectbox(key="pn_wave")
    assert "panel-2026-w5" in chosen.options[chosen.index]
    _button(at, "pn_issue").click().run()
    assert not at.exception and not at.error
    table = _table(at, RR1)
    assert table.set_index("코드").loc["panel-2026-w5", "상태"] == "조사 중"
    assert any("한 번만" in w.value for w in at.warning)
    assert at.get("download_button")
    at.download_button(key="pn_download_invitation").click().run()
    assert not at.exception and not at.get("download_button")  # offered once
    from data.audit import recent_events
    from ui.context import get_store

    downloads = recent_events(get_store(), action="download")
    detail = json.loads(downloads["detail"].iat[0])
    assert downloads["actor"].tolist() == ["operator"]
    assert detail["kind"] == "invitation_batch" and detail["survey"] == "panel-2026-w5"
    assert detail["rows"] > 0


def test_a_recorded_refusal_leaves_in_the_previewed_plan(app, demo_path):
    wave = _open_wave_5(demo_path)
    at = _run()
    at.number_input(key="pn_out_household").set_value(wave["household"])
    at.selectbox(key="pn_out_outcome").set_value("refused")
    [b for b in at.button if b.label == "기록"][0].click().run()
    assert not at.exception and not at.error
    assert any("1가구의 결과를 기록" in s.value for s in at.success)
    _button(at, "pn_preview").click().run()
    assert not at.exception
    leaving = _table(at, "사유").set_index("가구 번호")
    assert leaving.loc[wave["household"], "새 상태"] == "거절"
    assert not _button(at, "pn_apply").disabled


def test_apply_then_replace_shows_the_replacements(app, demo_path):
    _open_wave_5(demo_path, refuse=True)
    at = _run()
    assert _button(at, "pn_apply").disabled  # nothing previewed yet
    _button(at, "pn_preview").click().run()
    leaving = len(_table(at, "사유"))
    _button(at, "pn_apply").click().run()
    assert not at.exception and not at.error
    assert any(f"{leaving}가구 탈락" in s.value for s in at.success)
    before = int(at.metric[3].value.replace(",", ""))
    _button(at, "pn_replace").click().run()
    assert not at.exception and not at.error
    message = [s.value for s in at.success if "예비 가구로 대체" in s.value][0]
    made = int(re.search(r"(\d+)가구를", message).group(1))
    assert made >= leaving
    assert int(at.metric[3].value.replace(",", "")) == before + made


def test_reminder_list_size_is_shown(app, demo_path):
    wave = _open_wave_5(demo_path)
    at = _run()
    assert not at.exception
    assert any(f"대상 {wave['waiting']:,}가구" in m.value for m in at.markdown)
    assert not _button(at, "pn_remind_1").disabled
