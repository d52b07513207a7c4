"""The app shell: sign-in, role-based pages, the home page's counts, the admin page's gate."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.accounts import ADMIN, ROLES, STATISTICIAN
from tests.ui.conftest import APP, sign_in
from ui.pages import pages_for


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += (
        [e.value for e in at.header] + [e.value for e in at.title] + [e.value for e in at.subheader]
    )
    parts += [e.value for e in at.error] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def test_logged_out_visitor_sees_only_the_sign_in(app):
    at = app.run()
    assert not at.exception
    assert "직원 로그인" in _texts(at)
    assert "데이터 현황" not in _texts(at)
    assert len(at.metric) == 0


def test_wrong_password_shows_a_korean_error(app):
    at = sign_in(app, "admin", "not-the-password")
    assert "비밀번호가 맞지 않습니다" in _texts(at)
    assert len(at.metric) == 0


def test_admin_signs_in_and_sees_the_seeded_counts(app, demo_store_counts):
    at = sign_in(app, "admin", "demo-admin-2026")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["표본틀 가구"] == f"{demo_store_counts['households']:,}"
    assert metrics["표본틀 가구원"] == f"{demo_store_counts['persons']:,}"


def test_the_home_page_shows_the_panel_against_its_target(app, demo_path):
    from data.store import open_store
    from panel.counts import panel_counts

    store = open_store(demo_path)
    try:
        counts = panel_counts(store)
    finally:
        store.close()
    at = sign_in(app, "operator", "demo-operator-2026")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"패널 가구 (목표 {counts['target']:,})"] == f"{counts['in_panel_households']:,}"
    assert metrics["참여 가구"] == f"{counts['active_households']:,}"


def test_english_is_available(app):
    at = app.run()
    at.radio(key="lang").set_value("en").run()
    assert "Staff sign-in" in _texts(at)


def test_only_admins_get_the_admin_page():
    assert "page_admin" in [p.key for p in pages_for(ADMIN)]
    for role in set(ROLES) - {ADMIN}:
        assert "page_admin" not in [p.key for p in pages_for(role)]


def _admin_page_as(role: str) -> None:

    from tests.ui.conftest import act_as
    from ui import admin

    act_as(role)
    admin.render()


def test_statistician_cannot_render_the_admin_page_even_directly(app):
    at = AppTest.from_function(_admin_page_as, args=(STATISTICIAN,), default_timeout=60).run()
    assert not at.exception
    assert "권한이 없습니다" in _texts(at)
    assert len(at.tabs) == 0


def test_admin_page_renders_its_tabs_for_an_admin(app):
    at = AppTest.from_function(_admin_page_as, args=(ADMIN,), default_timeout=60).run()
    assert not at.exception
    assert len(at.tabs) == 5


def test_a_display_name_is_shown_as_plain_text_not_markdown(app, demo_path):
    from data.accounts import create_user
    from data.store import open_store

    store = open_store(demo_path)
    try:
        name = "![x](http://evil.invalid/a.png)"
        create_user(store, "mallory", "a-password-123", ADMIN, display_name=name)
    finally:
        store.close()
    at = sign_in(app, "mallory", "a-password-123")
    shown = [c.value for c in at.sidebar.caption if "mallory" in c.value or "evil" in c.value]
    assert shown and all("\\!\\[x\\]\\(http" in value for value in shown)


def test_a_locked_database_shows_visitors_a_calm_page_without_its_details(db_path, monkeypatch):
    import subprocess
    import sys

    import streamlit as st

    from data.store import open_store

    open_store(db_path).close()
    hold = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("SEOUL_DB", str(db_path))
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=60).run()
        shown = _texts(at) + "".join(i.value for i in at.info)
        assert "잠시 이용할 수 없습니다" in shown
        assert str(db_path) not in shown and str(holder.pid) not in shown and "python" not in shown
    finally:
        holder.kill()
        holder.wait()
        st.cache_resource.clear()


def test_an_unexpected_error_shows_a_reference_and_no_traceback():
    at = AppTest.from_function(_fails, default_timeout=60).run()
    assert not at.exception  # the traceback is in the log, not on the page
    message = at.error[0].value
    assert "참조 번호" in message and "Traceback" not in message and "ZeroDivision" not in message


def _fails() -> None:
    from ui.errors import report

    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as error:
        report(error)


def test_a_refused_page_is_audited_and_the_admin_page_checks_the_audit_chain(app, demo_path):
    from data.audit import verify_chain
    from data.store import open_store

    AppTest.from_function(_admin_page_as, args=(STATISTICIAN,), default_timeout=60).run()
    at = AppTest.from_function(_admin_page_as, args=(ADMIN,), default_timeout=60).run()
    assert any("해시 사슬이 온전합니다" in s.value for s in at.success)
    st_cache_clear()
    store = open_store(demo_path)
    try:
        refused = store.query("SELECT actor FROM audit_log WHERE action = 'page_refused'")
        assert refused["actor"].tolist() == ["statistician"]
        assert verify_chain(store).ok
    finally:
        store.close()


def st_cache_clear() -> None:
    import streamlit as st

    st.cache_resource.clear()  # the page's connection closes, so the test can open the file
