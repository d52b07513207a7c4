"""Where a respondent's eyes and keyboard focus go when the screen changes or answers are refused.

Streamlit redraws a page in place, so a phone that pressed 다음/Next at the bottom of one
screen would show the next screen at that same offset, and a screen reader would stay on the
button. Each new screen therefore scrolls to the top and moves the focus to its title; a
refused screen moves the focus to a summary at its top (``role="alert"``), which lists the
refused answers as links to the questions (GOV.UK's error summary pattern, WCAG 2.2
success criteria 2.4.3 focus order and 3.3.1 error identification).

The script rides in a slot drawn at a fixed place of the page (:func:`slot`); its text
changes only when the screen changes or a Next is refused, and the browser runs it only
then — answering a question does not move the page.
"""

from __future__ import annotations

import html
import json
import re

import streamlit as st

_UNSAFE = re.compile(r"[^a-z0-9-]+")


def anchor(*parts: object) -> str:
    """An element id / widget key from names and numbers: lowercase letters, digits, dashes."""
    joined = "-".join(str(p) for p in parts if p is not None and str(p) != "")
    return _UNSAFE.sub("-", joined.lower()).strip("-")


def slot():
    """A place at the top of the page for the focus script, the same on every run."""
    return st.empty()


def _script(target: str, *, top: bool, selector: bool) -> str:
    find = (
        f"document.querySelector({json.dumps(target)})"
        if selector
        else f"document.getElementById({json.dumps(target)})"
    )
    return f"""<script>
(function () {{
  var deadline = Date.now() + 4000;
  function main() {{
    return document.querySelector('[data-testid="stMain"]') || document.querySelector('.stMain');
  }}
  function go() {{
    var el = {find};
    if (!el) {{ if (Date.now() < deadline) {{ setTimeout(go, 50); }} return; }}
    var scroller = main();
    if ({"true" if top else "false"}) {{
      if (scroller) {{ scroller.scrollTop = 0; }}
      window.scrollTo(0, 0);
    }} else {{
      el.scrollIntoView({{block: "start"}});
    }}
    if (!el.hasAttribute("tabindex")) {{ el.setAttribute("tabindex", "-1"); }}
    el.focus({{preventScroll: true}});
  }}
  go();
}})();
</script>"""


def focus_screen_title(place, title_id: str, turn: int) -> None:
    """Scroll to the top and focus the screen's title (``turn`` changes with each move)."""
    place.html(
        f"<!-- screen {turn} -->" + _script(title_id, top=True, selector=False),
        unsafe_allow_javascript=True,
    )


def focus_error_summary(place, summary_id: str, turn: int) -> None:
    """Scroll to the refused screen's error summary and focus it."""
    place.html(
        f"<!-- refused {turn} -->" + _script(summary_id, top=False, selector=False),
        unsafe_allow_javascript=True,
    )


def error_summary(summary_id: str, heading: str, items: list[tuple[str, str]]) -> None:
    """The list of refused answers at the top of a screen; each links to its question.

    ``items``: (widget-container key of the question, or "" for a message about the whole
    part; text to show). Following a link
    scrolls the question into view and puts the keyboard focus on its first field.
    """
    links = "".join(
        f'<li><a href="#{html.escape(key)}" data-question="{html.escape(key)}">'
        f"{html.escape(text)}</a></li>"
        if key
        else f"<li>{html.escape(text)}</li>"
        for key, text in items
    )
    st.html(
        f"""<div id="{html.escape(summary_id)}" class="error-summary" role="alert"
 aria-labelledby="{html.escape(summary_id)}-heading" tabindex="-1">
<p id="{html.escape(summary_id)}-heading" class="error-summary-heading">{html.escape(heading)}</p>
<ul>{links}</ul></div>
<script>
document.querySelectorAll('#{summary_id} a[data-question]').forEach(function (link) {{
  link.addEventListener('click', function (event) {{
    var box = document.querySelector('.st-key-' + link.dataset.question);
    if (!box) {{ return; }}
    event.preventDefault();
    box.scrollIntoView({{block: 'center'}});
    var field = box.querySelector('input, textarea, select, button, [tabindex]');
    if (field) {{ field.focus({{preventScroll: true}}); }}
  }});
}});
</script>""",
        unsafe_allow_javascript=True,
    )


ERROR_SUMMARY_CSS = """
.error-summary { border: 3px solid #b3261e; border-radius: 6px; padding: 0.6rem 1rem;
  margin: 0.4rem 0 0.8rem 0; background: #fdecea; }
.error-summary:focus { outline: 3px solid #0b5cad; outline-offset: 2px; }
.error-summary-heading { font-weight: 700; font-size: 1.1rem; margin: 0 0 0.3rem 0; }
.error-summary ul { margin: 0; padding-left: 1.2rem; }
.error-summary a { color: #b3261e; font-weight: 600; text-decoration: underline; }
"""
