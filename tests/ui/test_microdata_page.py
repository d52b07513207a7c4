"""The microdata release page: build the public-use file, read its risk report, export with audit."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import ADMIN, STATISTICIAN, SURVEY_MANAGER


def _page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import microdata_page

    act_as(role)
    microdata_page.render()


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    """The pseudonym key in a temporary folder, never in the repository."""
    path = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv("SEOUL_PSEUDONYM_KEY_FILE", str(path))
    return path


def _built(role: str = STATISTICIAN) -> AppTest:
    at = AppTest.from_function(_page_as, args=(role,), default_timeout=120).run()
    assert not at.exception
    at.button(key="md_build").click().run()
    assert not at.exception
    return at


def _releases() -> int:
    from data.audit import recent_events
    from ui.context import get_store

    return len(recent_events(get_store(), action="microdata_released"))


def test_statistician_builds_the_file_and_sees_the_risk_before_and_after(app, key_file):
    at = _built()
    assert not at.error
    violating = [m.value for m in at.metric if m.label == "k-익명성 위반 레코드"]
    assert len(violating) == 2  # before, after
    assert int(violating[0].replace(",", "")) > 0 and violating[1] == "0"
    assert len([m for m in at.metric if m.label == "예상 재식별 건수"]) == 2
    assert key_file.exists()  # the key was made where the setting points
    assert str(key_file) in [c.value for c in at.code]


def test_exporting_sav_offers_downloads_and_writes_one_audit_row(app, key_file):
    at = _built()
    before = _releases()
    at.radio(key="md_format").set_value("sav").run()
    at.button(key="md_export").click().run()
    assert not at.exception and not at.error
    downloads = at.get("download_button")
    assert len(downloads) == 2
    assert any("감사 기록" in i.value for i in at.info)
    assert _releases() == before + 1
    at.download_button(key="md_download_data").click().run()  # each download audited too
    assert not at.exception
    from data.audit import recent_events
    from ui.context import get_store

    [download] = recent_events(get_store(), action="download")["detail"].map(json.loads)
    assert download["kind"] == "microdata" and download["format"] == "sav"
    assert download["rows"] > 0 and download["file"].endswith(".sav")


def test_survey_manager_is_refused(app, key_file):
    at = AppTest.from_function(_page_as, args=(SURVEY_MANAGER,), default_timeout=60).run()
    assert "권한이 없습니다" in "".join(e.value for e in at.error)
    assert not [b for b in at.button if b.key == "md_build"]


def test_admin_may_open_the_page(app, key_file):
    at = AppTest.from_function(_page_as, args=(ADMIN,), default_timeout=60).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="md_survey").value is not None
    assert at.button(key="md_build")


def test_a_survey_without_weights_shows_the_domain_error(app, key_file):
    from surveys.opening import open_survey
    from surveys.questionnaire.loader import list_definitions
    from ui.context import get_store

    at = AppTest.from_function(_page_as, args=(STATISTICIAN,), default_timeout=60).run()
    seoul = next(p for p in list_definitions() if p.name.startswith("seoul_survey"))
    new = open_survey(get_store(), seoul, code="seoul-2027", title_ko="2027 서울서베이", actor="t")
    at.run()
    at.selectbox(key="md_survey").set_value(new.survey_id).run()
    assert any("가중치" in w.value for w in at.warning)
    at.button(key="md_build").click().run()
    assert not at.exception
    assert any("This survey has no weights yet" in e.value for e in at.error)
    assert not at.metric
