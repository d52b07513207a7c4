"""Hostile text a user can type (a survey title, a display name) shown on every staff page:
never read as markdown or HTML. The naughty-strings corpus goes in through the data layer and
every text element of every page is checked for an image, a link or a tag built from it."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from ui.pages import PAGES

IMAGE = "![x](http://evil.example/x.png)"
TAG = "<img src=x onerror=alert(1)>"
LINK = "[클릭](http://evil.example)"
TITLE = f"{IMAGE} {TAG} **굵게** {LINK}"


def _page(module: str, role: str) -> None:
    from tests.ui.conftest import act_as
    from ui.pages import PAGES

    act_as(role)
    next(page for page in PAGES if page.module == module).render()


def _texts(at: AppTest) -> list[tuple[str, str, bool]]:
    """(kind, source text, whether HTML is allowed) of every element Streamlit reads as markdown."""
    found = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header",
                 "subheader", "latex"):  # fmt: skip
        for element in getattr(at, kind, []):
            allow_html = bool(getattr(element.proto, "allow_html", False))
            found.append((kind, str(element.value), allow_html))
    for element in at.sidebar.markdown:
        found.append(("sidebar", str(element.value), bool(element.proto.allow_html)))
    return found


@pytest.fixture
def hostile_titles(app, demo_path):
    import duckdb

    with duckdb.connect(str(demo_path)) as db:
        db.execute("UPDATE surveys SET title_ko = ?, title_en = ?", [TITLE, TITLE])
        db.execute("UPDATE staff_users SET display_name = ?", [TITLE])
    return app


# Pages that list surveys in a selector: there the title must be shown, as written.
LISTING = {"page_surveys", "page_estimates", "page_explore", "page_fieldwork", "page_panel",
           "page_reports", "page_microdata"}  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=[p.key for p in PAGES])
def test_hostile_titles_are_shown_as_text_on_every_page(hostile_titles, page):
    role = page.roles[0]
    at = AppTest.from_function(_page, args=(page.module, role), default_timeout=180).run()
    assert not at.exception, at.exception
    if page.key in LISTING:  # the title is there, whole, in a selector (never markdown there)
        options = [str(o) for box in at.selectbox for o in box.options]
        assert any(TITLE in option for option in options), page.key
    for kind, text, allow_html in _texts(at):
        assert IMAGE not in text and LINK not in text, (page.key, kind, text)
        assert not re.search(r"(?<!\\)\*\*굵게(?<!\\)\*\*", text), (page.key, kind, text)
        if allow_html:
            assert "<img" not in text, (page.key, kind, text)


def test_a_hostile_display_name_is_shown_as_written_in_the_sidebar(hostile_titles):
    from tests.ui.conftest import sign_in

    at = sign_in(hostile_titles, "admin", _demo_password("admin"))
    assert not at.exception
    sidebar = [str(e.value) for e in at.sidebar.markdown] + [
        str(e.value) for e in at.sidebar.caption
    ]
    assert any("evil" in text and "굵게" in text for text in sidebar), (
        sidebar
    )  # the name is shown …
    for text in sidebar:  # … and escaped: no image, no link, no bold built from it
        assert IMAGE not in text and LINK not in text and "**굵게**" not in text, text


def _demo_password(username: str) -> str:
    from demo.accounts import DEMO_ACCOUNTS

    return next(password for name, password, _, _ in DEMO_ACCOUNTS if name == username)
