"""What the pages write to the audit log: wrong access codes (and the wait when throttled),
every download, views of the quarantine and of households' personal data (once per view, not
per rerun), and sign-out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from data.accounts import ADMIN, INTERVIEWER, PANEL_OPERATOR, STATISTICIAN
from demo.cross_sections import CODES_FILE
from tests.ui.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZ"


def _events(action: str) -> list[tuple[str, str, dict]]:
    """The events of ``action`` on the app's own connection, oldest first."""
    from ui.context import get_store

    rows = get_store().rows(
        "SELECT actor, target, detail FROM audit_log WHERE action = ? ORDER BY event_id", [action]
    )
    return [(actor, target, json.loads(detail)) for actor, target, detail in rows]


def _page(module: str, role: str | None) -> None:
    import importlib

    from tests.ui.conftest import act_as

    if role is not None:
        act_as(role)
    importlib.import_module(module).render()


def _run(module: str, role: str | None, timeout: int = 120) -> AppTest:
    at = AppTest.from_function(_page, args=(module, role), default_timeout=timeout).run()
    assert not at.exception
    return at


def _type_code(at: AppTest, code: str) -> AppTest:
    at.text_input[0].input(code)
    next(b for b in at.button if b.label in ("시작하기", "Start")).click().run()
    assert not at.exception
    return at


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


# -- access codes --------------------------------------------------------------------------------
def test_a_wrong_code_is_refused_in_korean_and_audited_without_the_code(app):
    at = _type_code(_run("ui.respond", None), WRONG)
    assert "등록되지 않은 접속 코드입니다" in _errors(at)
    [(actor, target, detail)] = _events("access_code_refused")
    assert actor == "respondent" and target.startswith("code:") and detail["why"] == "unknown"
    assert "ZZZZ" not in json.dumps([target, detail])


def test_a_throttled_address_is_told_how_long_to_wait(app, monkeypatch):
    import ui.respond

    monkeypatch.setattr(ui.respond, "client_address", lambda: "203.0.113.9")
    monkeypatch.setenv("SEOUL_CODE_FREE_FAILURES", "2")
    at = _run("ui.respond", None)
    for _ in range(3):
        _type_code(at, WRONG)
    assert re.search(r"\d+초 뒤에 다시 입력해 주세요", _errors(at))
    at.radio(key="lang").set_value("en").run()
    _type_code(at, WRONG)  # now refused unchecked, with the wait in English
    assert re.search(r"try again in \d+ seconds", _errors(at))
    events = _events("access_code_refused")
    assert [d["why"] for _, _, d in events] == ["unknown"] * 3 + ["throttled"]
    assert {d["address"] for _, _, d in events} == {"203.0.113.9"}


def test_the_interviewers_household_entry_is_audited_and_its_household_view_once(
    app, demo_template
):
    codes = pd.read_csv(demo_template.parent / CODES_FILE)
    household = codes.iloc[0]
    at = _type_code(_run("ui.interview", INTERVIEWER), WRONG)
    [(actor, _, detail)] = _events("access_code_refused")
    assert actor == "interviewer" and detail["mode"] == "interviewer"
    _type_code(at, household["code"])
    at.run()  # reruns of the same household write nothing more
    viewed = _events("personal_data_viewed")
    assert len(viewed) == 1
    actor, target, detail = viewed[0]
    assert (actor, target) == ("interviewer", f"household:{household['household_id']}")
    assert detail["page"] == "interview" and detail["role"] == INTERVIEWER


# -- views ---------------------------------------------------------------------------------------
def test_the_quarantine_is_audited_once_per_filter_not_per_rerun(app):
    at = _run("ui.admin", ADMIN)
    at.run()
    at.run()
    listed = _events("quarantine_viewed")
    assert len(listed) == 1 and listed[0][0] == "admin" and listed[0][2]["status"] == "open"
    source = next(i for i in at.text_input if i.placeholder == "reference_upload:")
    source.input("submission:").run()
    at.run()
    listed = _events("quarantine_viewed")
    assert [d["source"] for _, _, d in listed] == [None, "submission:"]
    assert all(isinstance(d["records"], int) for _, _, d in listed)


def test_a_household_looked_up_in_the_roster_is_audited_once(app):
    from panel.roster_store import load_roster
    from ui.context import get_store

    at = _run("ui.panel_page", PANEL_OPERATOR)
    household = int(load_roster(get_store())["household_id"].iloc[0])
    at.number_input(key="pn_lookup").set_value(household).run()
    at.run()
    viewed = _events("personal_data_viewed")
    assert [(a, t, d["page"]) for a, t, d in viewed] == [
        ("operator", f"household:{household}", "panel roster")
    ]


# -- downloads -----------------------------------------------------------------------------------
def test_an_estimate_table_download_names_who_what_and_how_many(app):
    at = _run("ui.estimates_page", STATISTICIAN)
    at.multiselect[0].set_value(["happiness_index"]).run()
    shown = len(at.dataframe[0].value)
    at.download_button(key="est_download_csv").click().run()
    assert not at.exception
    [(actor, target, detail)] = _events("download")
    assert actor == "statistician" and target.startswith("survey:")
    assert detail["kind"] == "estimates" and detail["format"] == "csv"
    assert detail["rows"] == shown and detail["survey"].startswith("seoul-")
    assert detail["role"] == STATISTICIAN and detail["via"] == "app"


def test_the_replacement_log_download_is_audited(app):
    at = _run("ui.panel_health_page", PANEL_OPERATOR)
    at.download_button(key="ph_log_csv").click().run()
    assert not at.exception
    [(actor, _, detail)] = _events("download")
    assert actor == "operator" and detail["kind"] == "replacement_log" and detail["rows"] > 0


def test_the_reference_template_download_is_audited(app):
    at = _run("ui.admin", ADMIN)
    at.download_button(key="ref_download").click().run()
    [(actor, _, detail)] = _events("download")
    assert actor == "admin" and detail["kind"] == "reference:districts" and detail["rows"] == 25


def test_no_page_offers_a_download_that_is_not_audited():
    """Every download button goes through ui.audit_trail.audited_download."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if path.name != "audit_trail.py" and "download_button(" in path.read_text("utf-8")
    ]
    assert offenders == []


# -- sign-out ------------------------------------------------------------------------------------
def test_signing_out_is_audited(app):
    at = sign_in(app, "statistician", "demo-stat-2026")
    next(b for b in at.sidebar.button if b.label == "로그아웃").click().run()
    assert not at.exception
    assert [(actor, d["why"]) for actor, _, d in _events("sign_out")] == [
        ("statistician", "sign_out")
    ]
