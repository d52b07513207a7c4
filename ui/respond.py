"""Respondent pages: enter with an access code, answer one section per screen, submit.

Entry by link (``?t=CODE``) or by typing the code from the letter. Answers are
saved on the server after every screen, so a closed browser resumes where it
left off, from any device, with the same code. After the household part, each
member aged 15+ answers their own part on this device or with a member code
shown here. Interviewer mode (``ui/interview.py``) uses the same screens, and so does a
survey manager's test mode (``ui/questionnaire_preview.py``): a stored questionnaire version
walked before any survey exists, its answers kept in the tab and never stored.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from surveys.answer_frames import roster_name
from surveys.fieldwork.access_codes import ALPHABET, SYMBOLS, grouped
from surveys.fieldwork.code_entry import open_invitation
from surveys.fieldwork.invitations import CodeRefused, issue_codes
from surveys.fieldwork.person_context import (
    eligible_members,
    household_answers,
)
from surveys.fieldwork.sessions import AlreadySubmitted, open_session, part_submitted, save_draft
from surveys.fieldwork.submit import (
    SubmissionInvalid,
    SubmissionRefused,
    quarantine_refused_screen,
    submit,
)
from surveys.opening import survey_info
from surveys.questionnaire.flow import (
    ScreenProblems,
    calculated,
    check_screen,
    clean_answers,
    part_of,
    screens,
)
from surveys.questionnaire.label_markup import label_markdown
from surveys.questionnaire.model import Questionnaire
from ui.audit_trail import audit_view_once
from ui.context import client_address, get_store
from ui.questionnaire_form import RESPONDENT_CSS, render_questions
from ui.respond_screen import refused_summary, roster_screen, submit_preview
from ui.respond_state import (
    STATE,
    Respondent,
    context_of,
    device_class,
    questionnaire_in,
)
from ui.respond_state import current_lang as _lang
from ui.respond_text import language_name, rt
from ui.screen_focus import anchor, focus_error_summary, focus_screen_title, slot

PENDING_TOKEN = "respond_token"  # a token from a link to the root, carried to this page
REFUSED = "respond_code_refused"  # why the last code or link opened nothing
CODE_EXAMPLE = grouped((ALPHABET[10:] + ALPHABET)[:SYMBOLS])  # as long as a real code


def start_preview(questionnaire: Questionnaire) -> None:
    """Test mode from the household part's first screen (replacing any earlier walk)."""
    state = Respondent(0, 0, 0, mode="preview", preview=questionnaire)
    st.session_state[STATE] = state
    _start_part(state, 0)


def render(mode: str = "web", interviewer: str | None = None) -> None:
    """The respondent page (also the body of interviewer mode).

    Respondents get the page's title and its language switch here; an interviewer's page
    (``ui/interview.py``) has its own title and the sidebar's language switch.
    """
    st.markdown(RESPONDENT_CSS, unsafe_allow_html=True)
    focus = slot()
    state: Respondent | None = st.session_state.get(STATE)
    if mode == "web":
        _title_and_language(state if state is not None and state.mode == mode else None)
    if state is None or state.mode != mode:
        _entry(mode, interviewer)
        return
    if state.member_no is None:
        _household_hub(state)
    else:
        _answer(state, focus)


def _languages(state: Respondent | None) -> list[str]:
    """Korean and English (the page's own words), then every other language the open
    survey's questionnaire carries, in the questionnaire's order."""
    offered = ["ko", "en"]
    if state is not None:
        carried = questionnaire_in(state).languages
        offered += [lang for lang in carried if lang not in offered]
    return offered


def _title_and_language(state: Respondent | None) -> None:
    offered = _languages(state)
    if st.session_state.get("lang", "ko") not in offered:  # another survey's language
        st.session_state["lang"] = "ko"
    cols = st.columns([3, 2])
    cols[0].markdown(f"### {rt('title')}")
    cols[1].radio(
        "언어 / Language",
        offered,
        format_func=language_name,
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
    if state.preview is not None:  # test mode: no answer session, nothing stored
        state.submission_id, state.answers, state.screen = f"preview:{member_no}", {}, 0
        return
    try:
        session = open_session(
            store,
            state.survey_id,
            state.household_id,
            member_no,
            language=_lang(),
            mode=state.mode,
            interviewer=state.interviewer,
            device_class=device_class(),
        )
    except AlreadySubmitted:
        state.thanked = state.stored_elsewhere = True
        return
    state.submission_id = session.submission_id
    state.answers = session.answers
    questionnaire = questionnaire_in(state)
    ids = [s.id for s in screens(part_of(questionnaire, member_no), _values(state))]
    state.screen = ids.index(session.position) if session.position in ids else 0


# -- answering one part ----------------------------------------------------------------
def _values(state: Respondent) -> dict[str, Any]:
    questionnaire = questionnaire_in(state)
    part = part_of(questionnaire, state.member_no or 0)
    return calculated(part, {**context_of(state), **state.answers}, roster=False)


def _answer(state: Respondent, focus) -> None:
    questionnaire = questionnaire_in(state)
    if state.thanked:
        _thanks(state)
        return
    part = part_of(questionnaire, state.member_no)
    context = context_of(state)
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
        refused_summary(questionnaire, section, state, problems, summary_id)
        focus_error_summary(focus, summary_id, state.turn)
    # Widgets are keyed by language too: a label in another language makes a new widget, and
    # it starts from what this screen showed a moment ago (``pending``), so nothing is lost.
    prefix = f"{state.submission_id}:{section.id}:{_lang()}"
    shown_before = {**state.answers, **state.pending.get(section.id, {})}
    if section.roster:
        screen_answers = roster_screen(
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
    if not problems.ok and state.preview is None:
        quarantine_refused_screen(
            store,
            state.survey_id,
            state.submission_id,
            section.id,
            state.answers,
            problems.all_reasons(),
        )
    if not problems.ok:
        return
    if not last:
        if _save(state, left=section.id, entered=shown[state.screen + 1].id):
            state.screen += 1
        return
    _submit(state, questionnaire, section)


def _save(state: Respondent, *, left: str, entered: str | None) -> bool:
    """Keep the answers so far on the server; False when the part was meanwhile submitted
    on another device (then this device shows that it is stored, and the household's list).
    Test mode keeps nothing."""
    if state.preview is not None:
        return True
    try:
        save_draft(
            get_store(),
            state.submission_id,
            state.answers,
            left=left,
            entered=entered,
            language=_lang(),
            device_class=device_class(),
        )
    except AlreadySubmitted:
        state.thanked, state.stored_elsewhere, state.problems = True, True, None
        return False
    return True


def _submit(state: Respondent, questionnaire, section) -> None:
    if state.preview is not None:
        submit_preview(state, questionnaire)
        return
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
    elif state.preview is not None:
        st.success(rt("preview_thanks"))
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
    questionnaire = questionnaire_in(state)
    if state.preview is not None:
        answers = state.preview_household or {}
    else:
        answers = household_answers(store, state.survey_id, state.household_id) or {}
    eligible = eligible_members(questionnaire, answers)
    roster = answers.get(roster_name(questionnaire)) or []
    st.subheader(rt("members_title"))
    waiting = []
    for number in eligible:
        member = roster[number - 1] if number - 1 < len(roster) else {}
        done = (
            number in state.preview_done
            if state.preview is not None
            else part_submitted(store, state.survey_id, state.household_id, number)
        )
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
    if state.preview is not None:  # test mode: no member codes are issued
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
