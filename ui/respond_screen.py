"""The respondent page's screen pieces: the summary of refused answers at the top of a
screen, the roster screen (one bordered block per member), and test mode's submit (the same
checks as a real submission, nothing stored)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from surveys.answer_frames import check_household, check_person, roster_name
from surveys.fieldwork.payload import payload_problems
from surveys.fieldwork.submit import SubmissionInvalid
from surveys.questionnaire.flow import ScreenProblems, member_values, roster_size
from surveys.questionnaire.label_markup import label_plain
from surveys.questionnaire.model import Questionnaire
from ui.questionnaire_form import question_key, render_questions
from ui.respond_state import Respondent, context_of
from ui.respond_state import current_lang as _lang
from ui.respond_text import rt
from ui.screen_focus import error_summary


def refused_summary(
    questionnaire, section, state: Respondent, problems: ScreenProblems, summary_id: str
) -> None:
    """At the top of a refused screen: every refused answer, each a link to its question."""
    lang = _lang()

    def line(name: str, reason, member: int | None = None) -> str:
        # this screen's question first: an XLSForm repeat may share a household question's name
        own = next((q for q in section.questions if q.name == name), None)
        label = label_plain((own or questionnaire.question(name)).label.pick(lang))
        message = label_plain(reason.text.pick(lang))
        text = message if label in message else f"{label}: {message}"
        return text if member is None else f"{rt('member', n=member)} · {text}"

    items: list[tuple[str, str]] = [("", message) for message in state.general]
    for name, reasons in problems.questions.items():
        items += [(question_key("", name), line(name, r)) for r in reasons]
    for number, questions in sorted(problems.members.items()):
        for name, reasons in questions.items():
            key = question_key(f"m{number - 1}", name)
            items += [(key, line(name, r, number)) for r in reasons]
    error_summary(summary_id, rt("fix_summary", n=len(items)), items)


def roster_screen(
    questionnaire,
    section,
    state: Respondent,
    prefix: str,
    problems: ScreenProblems,
    shown_before: dict[str, Any],
) -> dict[str, Any]:
    roster = roster_name(questionnaire)
    size = roster_size(questionnaire, state.answers)
    members = list(shown_before.get(roster) or [])
    members += [{}] * (size - len(members))
    shown = []
    for index in range(size):
        with st.container(border=True, key=f"member-{index + 1}"):
            st.markdown(f"**{rt('member', n=index + 1)}**")

            def values_for(current: dict[str, Any], index: int = index) -> dict[str, Any]:
                listed = [*members[:index], current, *members[index + 1 :]]
                return member_values(questionnaire, {**state.answers, roster: listed}, index)

            own = render_questions(
                questionnaire,
                section,
                f"{prefix}:m{index}",
                members[index],
                values_for,
                _lang(),
                problems.members.get(index + 1, {}),
                anchor_prefix=f"m{index}",
            )
            members[index] = own
            shown.append(own)
    return {roster: shown}


def submit_preview(state: Respondent, questionnaire: Questionnaire) -> None:
    """Test mode's submit: the same checks as a real submission (shape, then every answer of
    the part), and nothing stored."""
    member = state.member_no or 0
    malformed = payload_problems(questionnaire, member, state.answers)
    if malformed:
        state.general = [r.text.pick(_lang()) for r in malformed]
        return
    if member == 0:
        check = check_household(questionnaire, state.answers)
    else:
        check = check_person(questionnaire, state.answers, context_of(state))
    if not check.ok:
        invalid = SubmissionInvalid(check)
        names = sorted(check.household) + [
            f"{rt('member', n=n)}: {q}" for n, qs in check.members.items() for q in qs
        ]
        state.general = [invalid.text.pick(_lang()), rt("fix_these", names=", ".join(names))]
        return
    if member == 0:
        state.preview_household, state.preview_done = dict(state.answers), set()
    else:
        state.preview_done.add(member)
    state.thanked, state.problems = True, None
