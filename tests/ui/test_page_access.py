"""Every staff page × every role, and nobody signed in: the page renders only for the roles of
its entry in the registry (ui/pages.py), every other role gets the refusal and it is audited;
a page with no entry is refused to everyone (deny by default)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import ADMIN, ROLES
from demo.accounts import DEMO_ACCOUNTS
from ui.pages import PAGES, pages_for, roles_of

ROOT = Path(__file__).resolve().parents[2]
USERNAME = {role: name for name, _, role, _ in DEMO_ACCOUNTS}
REFUSED = "권한이 없습니다"


def _as(module: str, role: str | None) -> None:
    """Render a page through the registry, as the app's navigation does."""
    from tests.ui.conftest import act_as
    from ui.pages import PAGES

    if role is not None:
        act_as(role)
    next(page for page in PAGES if page.module == module).render()


def _unregistered_page_as(role: str) -> None:
    from tests.ui.conftest import act_as
    from ui.context import require_page

    act_as(role)
    require_page("ui.not_a_registered_page")
    import streamlit as st

    st.header("this must never show")


def _refusals() -> list[tuple[str, dict]]:
    from ui.context import get_store

    rows = get_store().rows(
        "SELECT actor, detail FROM audit_log WHERE action = 'page_refused' ORDER BY event_id"
    )
    return [(actor, json.loads(detail)) for actor, detail in rows]


def _shown(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


@pytest.mark.parametrize("page", PAGES, ids=[p.key for p in PAGES])
def test_each_page_renders_only_for_its_roles_and_refuses_and_audits_the_rest(app, page):
    expected_refusals = []
    for role in ROLES:
        at = AppTest.from_function(_as, args=(page.module, role), default_timeout=180).run()
        assert not at.exception, (page.key, role, at.exception)
        if role in page.roles:
            assert REFUSED not in _shown(at), (page.key, role)
            assert len(at.header) >= 1, (page.key, role)  # the page itself was drawn
        else:
            assert REFUSED in _shown(at), (page.key, role)
            assert len(at.header) == 0 and len(at.tabs) == 0 and len(at.dataframe) == 0
            expected_refusals.append((USERNAME[role], {"role": role, "page": page.module}))
    assert _refusals() == expected_refusals

    anonymous = AppTest.from_function(_as, args=(page.module, None), default_timeout=60).run()
    assert not anonymous.exception
    assert len(anonymous.header) == 0 and not anonymous.error  # nothing: app.py shows sign-in
    assert _refusals() == expected_refusals  # and nobody to audit


def test_a_page_missing_from_the_registry_is_refused_even_to_an_administrator(app):
    at = AppTest.from_function(_unregistered_page_as, args=(ADMIN,), default_timeout=60).run()
    assert not at.exception
    assert "어떤 역할에도 열려 있지 않습니다" in _shown(at)
    assert len(at.header) == 0
    assert _refusals() == [("admin", {"role": ADMIN, "page": "ui.not_a_registered_page"})]
    assert roles_of("ui.not_a_registered_page") == ()


def test_every_registry_entry_is_an_explicit_list_of_known_roles():
    keys = [page.key for page in PAGES]
    modules = [page.module for page in PAGES]
    assert len(set(keys)) == len(keys) and len(set(modules)) == len(modules)
    for page in PAGES:
        assert page.roles and set(page.roles) <= set(ROLES), page.key
    assert all(pages_for(role) for role in ROLES)


def _render_body(path: Path) -> list[ast.stmt] | None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    render = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "render"), None
    )
    return None if render is None else render.body


def test_every_page_checks_its_entry_first_and_every_gated_module_has_one():
    """A page's render() begins with require_page(__name__), and a module that gates itself so
    is in the registry (else it is refused to everyone, which the test above shows)."""
    gate = "require_page(__name__)"
    for page in PAGES:
        body = _render_body(ROOT / (page.module.replace(".", "/") + ".py"))
        assert body is not None, page.module
        docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        first = body[1] if docstring else body[0]
        assert gate in ast.unparse(first), (page.module, ast.unparse(first))
    called = re.compile(r"^\s+(?:\w+ = )?require_page\(__name__\)", flags=re.MULTILINE)
    gated = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "ui").rglob("*.py")
        if called.search(path.read_text(encoding="utf-8"))
    }
    assert gated == {page.module for page in PAGES}


@pytest.mark.parametrize("role", list(ROLES))
def test_the_navigation_of_each_role_lists_exactly_its_pages(app, role):
    from tests.ui.conftest import sign_in

    name, password = next((n, pw) for n, pw, r, _ in DEMO_ACCOUNTS if r == role)
    at = sign_in(app, name, password)
    linked = [link.proto.page for link in at.sidebar.get("page_link")]
    assert linked == ["" if p.default else p.url_path for p in pages_for(role)]
