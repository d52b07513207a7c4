"""What the checks say of a questionnaire file: its problems as a table, its findings as warnings.

Why a module of its own: two places check a questionnaire the same way and must show it the
same way — an upload on the Questionnaires page (``ui/questionnaires_page.py``) and the grid
editor (``ui/questionnaire_editor.py``), whose checks re-run on every change. Both show:

- the **problems** (:class:`surveys.questionnaire.loader_problems.Problem`) as one table —
  where (a YAML line, a sheet and row, the whole workbook), the question, what is wrong and
  how to fix it — :func:`problem_table`; nothing is stored while one remains;
- the static checks' **findings** (:mod:`surveys.questionnaire.static_checks`: a question
  never shown, a constraint no answer meets, an empty choice list, a rule reading a later
  question, a required question never shown) as warnings — :func:`show_findings`; the
  version is stored all the same;
- what became of a file given to :func:`surveys.questionnaire.uploads.receive_upload` —
  :func:`show_outcome`;
- the difference between two versions in words (the Questionnaires page and the Surveys
  page's version tab) — :func:`change_table`.

Everything in the page's language (:mod:`ui.i18n_questionnaires`); the file's own words
(names, rules) are escaped so that ``${q}`` shows as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from surveys.questionnaire.loader_problems import Problem
from surveys.questionnaire.static_checks import Finding
from surveys.questionnaire.uploads import UploadOutcome
from ui.i18n import plain, say, t

_LINE = re.compile(r"^line (\d+)$")
_SHEET_ROW = re.compile(r"^(\w+) row (\d+)$")


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


def show_findings(findings: Sequence[Finding], caption: str = "qn_findings") -> None:
    """A caption, then a warning per finding (nothing at all when there is none)."""
    if not findings:
        return
    st.caption(t(caption, n=len(findings)))
    for finding in findings:
        st.warning(finding_line(finding))


def place(location: str) -> str:
    """``line 12`` / ``survey row 17`` / ``settings`` in the page's language."""
    if match := _LINE.match(location):
        return t("qn_line", n=match.group(1))
    if match := _SHEET_ROW.match(location):
        return t("qn_sheet_row", sheet=match.group(1), n=match.group(2))
    if location == "workbook":
        return t("qn_workbook")
    return t("qn_sheet", sheet=location) if location.isidentifier() else location


def problem_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as the page lists them: where, which question, what is wrong and how to
    fix it."""
    return pd.DataFrame(
        {
            t("qn_place"): [place(p.location) for p in problems],
            t("qn_question"): [p.question or "–" for p in problems],
            t("qn_problem"): [say(p.text) for p in problems],
        }
    )


def show_outcome(outcome: UploadOutcome) -> None:
    """What became of a file: its problems (nothing stored), the version it was stored as, or
    "unchanged"; then its warnings."""
    saved = outcome.saved
    if saved is None:
        st.error(t("qn_problems", file=plain(outcome.file_name), n=len(outcome.problems)))
        st.dataframe(problem_table(outcome.problems), hide_index=True, width="stretch")
    elif saved.created:
        st.success(
            t(
                "qn_saved",
                qid=plain(saved.questionnaire_id),
                no=saved.version_no,
                sha=saved.source_hash[:12],
            )
        )
    else:
        st.info(t("qn_unchanged", qid=plain(saved.questionnaire_id), no=saved.version_no))
    show_findings(outcome.findings)  # warnings: the version is stored all the same


def change_table(changes: Sequence[Any]) -> pd.DataFrame:
    """Changes between two versions (:mod:`surveys.questionnaire.version_diff`) as a table:
    the kind of change, the question, and what changed in words."""
    return pd.DataFrame(
        {
            t("qn_change"): [t(f"qn_kind_{c.kind}") for c in changes],
            t("qn_question"): [c.question or "–" for c in changes],
            t("qn_what"): [say(c.text) for c in changes],
        }
    )
