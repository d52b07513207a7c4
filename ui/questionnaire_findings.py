"""The static checks' findings on an uploaded questionnaire, shown as warnings.

Why a module of its own: the Questionnaires page (``ui/questionnaires_page.py``) stores a
file without problems, and then shows what :mod:`surveys.questionnaire.static_checks`
found in it — a question never shown, a constraint no answer meets, an empty choice list, a
rule reading a later question, a required question never shown. They are warnings: the
version is stored all the same. One ``st.warning`` per finding, in the page's language
(:mod:`ui.i18n_questionnaires`); the file's own words (names, rules) are escaped so that
``${q}`` shows as written.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from surveys.questionnaire.static_checks import Finding
from ui.i18n import plain, say, t


def finding_line(finding: Finding) -> str:
    """One finding as the page says it: its kind, the question and rule, what to do."""
    likely = "" if finding.certain else t("qn_finding_likely")
    return t(
        "qn_finding",
        kind=t(f"qn_finding_{finding.kind}"),
        question=plain(finding.question),
        rule=plain(finding.rule),
        likely=likely,
        text=plain(say(finding.text)),
    )


def show_findings(findings: Sequence[Finding]) -> None:
    """A caption, then a warning per finding (nothing at all when there is none)."""
    if not findings:
        return
    st.caption(t("qn_findings", n=len(findings)))
    for finding in findings:
        st.warning(finding_line(finding))
