"""Respondent pages: enter with an access code, answer one section per screen, submit.

Entry by link (``?t=CODE``) or by typing the code from the letter. Answers are
saved on the server after every screen, so a closed browser resumes where it
left off, from any device, with the same code. After the household part, each
member aged 15+ answers their own part on this device or with a member code
shown here. Interviewer mode (``ui/interview.py``) uses the same screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from surveys.answer_frames import roster_name
from surveys.fieldwork.access_codes import ALPHABET, SYMBOLS, grouped
from surveys.fieldwork.code_entry import open_invitation
from surveys.fieldwork.invitations import CodeRefused, issue_codes
from surveys.fieldwork.person_context import eligible_members, household_answers, member_context
from surveys.fieldwork.sessions import AlreadySubmitted, open_session, part_submitted, save_draft
from surveys.fieldwork.submit import (
    SubmissionInvalid,
    SubmissionRefused,
    quarantine_refused_screen,
    submit,
)
from surveys.opening import questionnaire_of, survey_info
from surveys.questionnaire.flow import (
    ScreenProblems,
    calculated,
    check_screen,
    clean_answers,
    member_values,
    part_of,
    roster_size,
    screens,
)
from surveys.questionnaire.label_markup import label_markdown, label_plain
from ui.audit_trail import audit_view_once
from ui.context import client_address, get_store
from ui.questionnaire_form import RESPONDENT_CSS, question_key, render_questions
from ui.respond_text import rt
from ui.screen_focus import anchor, error_summary, focus_error_summary, focus_screen_title, slot

STATE = "respond"
PENDING_TOKEN = "respond_token"  # a token from a link to the root, carried to this page
REFUSED = "respond_code_refused"  # why the last code or link opened nothing
CODE_EXAMPLE = grouped((ALPHABET[10:] + ALPHABET)[:SYMBOLS])  # as long as a real code


@dataclass
class Respondent:
    """Where one respondent (or interviewer) is, kept in the Streamlit session."""

    survey_id: int
    household_id: int
    code_member: int  # 0 when the code is the household's, n for member n's own code
    mode: str = "web"
    interviewer: str | None = None
    member_no: int | None = None  # the part being answered now (None: the household hub)
    submission_id: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    screen: int = 0
    problems: ScreenProblems | None = None
    general: list[str] = field(default_factory=list)
    thanked: bool = False
    member_codes: dict[int, str] = field(default_factory=dict)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # this screen, unsaved
    turn: int = 0  # counts moves (next, back, refused): each one places the focus anew
    stored_elsewhere: bool = False  # the part was submitted on another device meanwhile


def _lang() -> str:
    return st.session_state.get("lang", "ko")


def _device_class() -> str:
    agent = (st.context.headers.get("User-Agent") or "").lower()
    if "ipad" in agent or "tablet" in agent:
        return "tablet"
    if "mobile" in agent or "android" in agent or "iphone" in agent:
        return "phone"
    return "desktop" if agent else "unknown"


def render(mode: str = "web", interviewer: str | None = None) -> None:
    """The respondent page (also the body of interviewer mode).

    Respondents get the page's title and its language switch here; an interviewer's page
    (``ui/interview.py``) has its own title and the sidebar's language switch.
    """
    st.markdown(RESPONDENT_CSS, unsafe_allow_html=True)
    focus = slot()
    if mode == "web":
        _title_and_language()
    state: Respondent | None = st.session_state.get(STATE)
    if state is None or state.mode != mode:
        _entry(mode, interviewer)
        return
    if state.member_no is None:
        _household_hub(state)
    else:
        _answer(state, focus)


def _title_and_language() -> None:
    cols = st.columns([3, 2])
    cols[0].markdown(f"### {rt('title')}")
    cols[1].radio(
        "언어 / Language",
        ["ko", "en"],
        format_func={"ko": "한국어", "en": "English"}.get,
        key="lang",
        horizontal=True,
        label_visibility="collapsed",
    )


# -- entry -----------------------------------------------------------------------
def _entry(mode: str, interviewer: str | None) -> None:
    """The code field. A letter's link opens the questionnaire directly; a link that does
    not work says why above the field, so the code can be typed from the letter instead."""
    token = st.query_params.get("t") or st.session_state.pop(PENDING_TOKEN, None)
    if token and mode == "web" and not st.session_state.get("_token_tried") == token:
        st.session_state["_token_tried"] = token
        st.session_state[REFUSED] = _open(token, mode, interviewer)
        if st.session_state[REFUSED] is None:
            st.rerun()
    refused: CodeRefused | None = st.session_state.get(REFUSED)
    if refused is not None:
        st.error(refused.text.pick(_lang()))
    if refused is not None and token:
        st.write(rt("link_refused"))
    else:
        st.write(rt("enter_intro") if mode == "web" else rt("interviewer_intro"))
    with st.form("code_entry"):
        typed = st.text_input(
            rt("code_label"), placeholder=CODE_EXAMPLE, autocomplete="off", max_chars=64
        )
        go = st.form_submit_button(rt("start"), type="primary", width="stretch")
    if go:
        st.session_state[REFUSED] = _open(typed, mode, interviewer)
        st.rerun()


def _open(code: str, mode: str, interviewer: str | None) -> CodeRefused | None:
    """Open the part a code names; the refusal when the code opens nothing (audited, and
    throttled per client address: ``surveys.fieldwork.code_entry``)."""
    store = get_store()
    try:
        invitation = open_invitation(
            store, code, address=client_address(), actor=interviewer or "respondent", mode=mode
        )
    except CodeRefused as refused:
        return refused
    if mode == "interviewer":  # an interviewer now sees the household's answers and members
        audit_view_once(
            "personal_data_viewed",
            f"household:{invitation.household_id}",
            {"survey_id": invitation.survey_id, "member_no": invitation.member_no,
             "page": "interview"},
        )  # fmt: skip
    state = Respondent(
        invitation.survey_id,
        invitation.household_id,
        invitation.member_no,
        mode=mode,
        interviewer=interviewer,
    )
    st.session_state[STATE] = state
    if invitation.member_no == 0 and part_submitted(store, state.survey_id, state.household_id, 0):
        state.member_no = None  # the household hub
        return None
    _start_part(state, invitation.member_no)
    return None


def _start_part(state: Respondent, member_no: int) -> None:
    store = get_store()
    state.member_no = member_no
    state.problems, state.general, state.thanked = None, [], False
    state.stored_elsewhere = False
    state.turn += 1
    try:
        session = open_session(
            store,
            state.survey_id,
            state.household_id,
            member_no,
            language=_lang(),
            mode=state.mode,
            interviewer=state.interviewer,
            device_class=_device_class(),
        )
    except AlreadySubmitted:
        state.thanked = state.stored_elsewhere = True
        return
    state.submission_id = session.submission_id
    state.answers = session.answers
    questionnaire = questionnaire_of(store, state.survey_id)
    ids = [s.id for s in screens(part_of(questionnaire, member_no), _values(state))]
    state.screen = ids.index(session.position) if session.position in ids else 0


# -- answering one part ----------------------------------------------------------------
def _context(state: Respondent) -> dict[str, Any]:
    if not state.member_no:
        return {}
    store = get_store()
    return member_context(
        store,
        questionnaire_of(store, state.survey_id),
        state.survey_id,
        state.household_id,
        state.member_no,
    )


def _values(state: Respondent) -> dict[str, Any]:
    questionnaire = questionnaire_of(get_store(), state.survey_id)
    part = part_of(questionnaire, state.member_no or 0)
    return calculated(part, {**_context(state), **state.answers}, roster=False)


def _answer(state: Respondent, focus) -> None:
    store = get_store()
    questionnaire = questionnaire_of(store, state.survey_id)
    if state.thanked:
        _thanks(state)
        return
    part = part_of(questionnaire, state.member_no)
    context = _context(state)
    values = calculated(part, {**context, **state.answers}, roster=False)
    shown = screens(part, values)
    state.screen = max(0, min(state.screen, len(shown) - 1))
    section = shown[state.screen]
    st.progress(
        (state.screen + 1) / len(shown), text=rt("progress", n=state.screen + 1, total=len(shown))
    )
    if state.member_no:
        st.caption(rt("answering_member", n=state.member_no))
    title_id = anchor("screen", state.member_no, section.id)
    st.subheader(label_markdown(section.title.pick(_lang())), anchor=title_id)
    problems = state.problems or ScreenProblems({}, {})
    if problems.ok and not state.general:
        focus_screen_title(focus, title_id, state.turn)
    else:
        summary_id = anchor("refused", state.turn)
        _refused_summary(questionnaire, section, state, problems, summary_id)
        focus_error_summary(focus, summary_id, state.turn)
    # Widgets are keyed by language too: a label in another language makes a new widget, and
    # it starts from what this screen showed a moment ago (``pending``), so nothing is lost.
    prefix = f"{state.submission_id}:{section.id}:{_lang()}"
    shown_before = {**state.answers, **state.pending.get(section.id, {})}
    if section.roster:
        screen_answers = _roster_screen(
            questionnaire, section, state, prefix, problems, shown_before
        )
    else:
        screen_answers = render_questions(
            questionnaire,
            section,
            prefix,
            shown_before,
            lambda current: calculated(part, {**context, **state.answers, **current}, roster=False),
            _lang(),
            problems.questions,
        )
    state.pending = {section.id: screen_answers}
    last = state.screen == len(shown) - 1
    cols = st.columns(2)
    back = cols[0].button(rt("back"), disabled=state.screen == 0, width="stretch")
    forward = cols[1].button(rt("submit") if last else rt("next"), type="primary", width="stretch")
    if back or forward:
        state.turn += 1
        _move(state, questionnaire, shown, section, screen_answers, forward, last, context)
        st.rerun()


def _refused_summary(
    questionnaire, section, state: Respondent, problems: ScreenProblems, summary_id: str
) -> None:
    """At the top of a refused screen: every refused answer, each a link to its question."""
    lang = _lang()

    def line(name: str, reason, member: int | None = None) -> str:
        label = label_plain(questionnaire.question(name).label.pick(lang))
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


def _roster_screen(
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


def _move(
    state: Respondent,
    questionnaire,
    shown,
    section,
    screen_answers: dict[str, Any],
    forward: bool,
    last: bool,
    context: dict[str, Any],
) -> None:
    store = get_store()
    member = state.member_no or 0
    state.answers = clean_answers(
        questionnaire, member, {**state.answers, **screen_answers}, context
    )
    state.general = []
    if not forward:
        state.problems = None
        if _save(state, left=section.id, entered=shown[state.screen - 1].id):
            state.screen -= 1
        return
    problems = check_screen(questionnaire, member, section, state.answers, context)
    state.problems = problems
    if not problems.ok:
        quarantine_refused_screen(
            store,
            state.survey_id,
            state.submission_id,
            section.id,
            state.answers,
            problems.all_reasons(),
        )
        return
    if not last:
        if _save(state, left=section.id, entered=shown[state.screen + 1].id):
            state.screen += 1
        return
    _submit(state, questionnaire, section)


def _save(state: Respondent, *, left: str, entered: str | None) -> bool:
    """Keep the answers so far on the server; False when the part was meanwhile submitted
    on another device (then this device shows that it is stored, and the household's list)."""
    try:
        save_draft(
            get_store(),
            state.submission_id,
            state.answers,
            left=left,
            entered=entered,
            language=_lang(),
            device_class=_device_class(),
        )
    except AlreadySubmitted:
        state.thanked, state.stored_elsewhere, state.problems = True, True, None
        return False
    return True


def _submit(state: Respondent, questionnaire, section) -> None:
    store = get_store()
    if not _save(state, left=section.id, entered=None):
        return
    try:
        submit(store, questionnaire, state.submission_id, state.answers)
    except SubmissionInvalid as invalid:
        names = sorted(invalid.check.household) + [
            f"{rt('member', n=n)}: {q}" for n, qs in invalid.check.members.items() for q in qs
        ]
        state.general = [invalid.text.pick(_lang()), rt("fix_these", names=", ".join(names))]
        return
    except SubmissionRefused as refused:
        state.general = [refused.text.pick(_lang())]
        if refused.reason != "already_submitted":
            return
    state.thanked = True
    state.problems = None


def _thanks(state: Respondent) -> None:
    """Shown only after the commit: then the household's member list, when on its code."""
    if state.stored_elsewhere:
        st.info(rt("stored_elsewhere"))
    else:
        st.success(rt("thanks"))
    if state.code_member != 0:
        return
    if state.member_no == 0:
        state.member_no = None
        _household_hub(state)
    elif st.button(rt("back_to_household"), width="stretch"):
        state.member_no = None
        st.rerun()


# -- after the household part ----------------------------------------------------------
def _household_hub(state: Respondent) -> None:
    store = get_store()
    questionnaire = questionnaire_of(store, state.survey_id)
    answers = household_answers(store, state.survey_id, state.household_id) or {}
    eligible = eligible_members(questionnaire, answers)
    roster = answers.get(roster_name(questionnaire)) or []
    st.subheader(rt("members_title"))
    waiting = []
    for number in eligible:
        member = roster[number - 1] if number - 1 < len(roster) else {}
        done = part_submitted(store, state.survey_id, state.household_id, number)
        label = rt("member_line", n=number, year=member.get("birth_year", "?"))
        with st.container(border=True):
            st.write(("✅ " if done else "") + label)
            if done:
                st.caption(rt("member_done"))
                continue
            waiting.append(number)
            if st.button(rt("answer_here", n=number), key=f"hub:{number}", width="stretch"):
                _start_part(state, number)
                st.rerun()
            if number in state.member_codes:
                st.code(state.member_codes[number])
    if not waiting:
        st.success(rt("household_complete"))
        if st.button(rt("finish"), width="stretch"):
            st.session_state.pop(STATE, None)
            st.rerun()
        return
    st.caption(rt("member_codes_help"))
    if st.button(rt("member_codes"), width="stretch"):
        survey = survey_info(store, state.survey_id)
        for number in waiting:
            codes = issue_codes(
                store,
                survey.survey_id,
                [state.household_id],
                member_no=number,
                actor=state.interviewer or "respondent",
            )
            state.member_codes[number] = codes["code_grouped"].iloc[0]
        st.rerun()


def reset() -> None:
    st.session_state.pop(STATE, None)
    st.session_state.pop(REFUSED, None)
