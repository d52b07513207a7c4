"""Survey managers: walk a stored questionnaire version as respondents will see it, before
any survey exists (test mode).

The screens are the respondent page's own (:func:`ui.respond.render` in ``preview`` mode): the
same widgets, skip logic, calculations, roster, validation messages and error summary, then
each eligible member's own part, in any language the questionnaire carries, at a phone's
width (390 px, as on the respondent's phone) or the desktop's. Test mode stores nothing: no
answer session, draft, response or quarantine row is written; the answers live in this
browser tab only and are gone with "start again" or another version.
"""

from __future__ import annotations

import streamlit as st

from data.questionnaire_versions import fetch_version
from surveys.questionnaire.loader import QuestionnaireError
from surveys.questionnaire.uploads import stored_questionnaire
from ui import respond
from ui.context import get_store
from ui.i18n import plain, say, t
from ui.respond_state import PREVIEW_LANG, previewing
from ui.respond_text import language_name

PHONE = "qn-preview-phone"
DESKTOP = "qn-preview-desktop"
FRAME_CSS = f"""<style>
.st-key-{PHONE} {{ max-width: 390px; margin: 0 auto; border: 1px solid #bbb;
  border-radius: 20px; padding: 14px 12px; }}
.st-key-{DESKTOP} {{ border: 1px solid #bbb; border-radius: 6px; padding: 14px 18px; }}
</style>"""


def preview_section(questionnaire_id: str, numbers: list[int]) -> None:
    """Choose a version, its language and the width; walk it in test mode."""
    st.subheader(t("qn_preview"))
    st.caption(t("qn_preview_help"))
    left, middle, right = st.columns([2, 2, 1])
    number = left.selectbox(  # newest first; a new version resets the choice to it
        t("qn_preview_version"), numbers, key=f"qn_preview_v_{questionnaire_id}_{len(numbers)}"
    )
    stored = fetch_version(get_store(), questionnaire_id, int(number))
    if stored is None:
        return
    try:
        questionnaire = stored_questionnaire(stored)
    except QuestionnaireError as error:
        why = say(error.problems[0].text) if error.problems else ""
        st.error(t("qn_diff_broken", why=plain(why)))
        return
    languages = list(questionnaire.languages)
    if st.session_state.get(PREVIEW_LANG) not in languages:
        st.session_state[PREVIEW_LANG] = languages[0]
    middle.selectbox(
        t("qn_preview_language"), languages, format_func=language_name, key=PREVIEW_LANG
    )
    phone = right.toggle(t("qn_preview_phone"), value=True, key="qn_preview_phone")
    walking = previewing() == questionnaire.source_hash
    label = t("qn_preview_restart") if walking else t("qn_preview_start", no=stored.version_no)
    if st.button(label, key="qn_preview_go"):
        respond.start_preview(questionnaire)
        st.rerun()
    if not walking:
        return
    st.info(t("qn_preview_nothing_stored"))
    st.markdown(FRAME_CSS, unsafe_allow_html=True)
    with st.container(key=PHONE if phone else DESKTOP):
        respond.render(mode="preview")
