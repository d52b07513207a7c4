"""Interviewer mode: a field interviewer enters a household's answers with its access code.

The same screens as the respondent pages; the response records the mode
(``interviewer``) and the interviewer's user name, and the audit log notes it.
"""

from __future__ import annotations

import streamlit as st

from ui import respond
from ui.context import require_page
from ui.i18n import t


def render() -> None:
    user = require_page(__name__)
    st.header(t("page_interview"))
    if st.session_state.get(respond.STATE) is not None and st.button(t("interview_new")):
        respond.reset()
        st.rerun()
    respond.render(mode="interviewer", interviewer=user.username)
