"""Words the respondent pages say, Korean first (plain 존댓말), English available."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st
import yaml

NAMES_FILE = Path(__file__).with_name("language_names.yaml")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("서울서베이 응답", "Seoul Survey"),
    "enter_intro": (
        "안내문에 적힌 접속 코드를 입력해 주세요. 하이픈(-)은 넣지 않아도 됩니다. "
        "응답은 화면마다 저장되어, 나중에 같은 코드로 이어서 할 수 있습니다.",
        "Type the access code from your letter (dashes are optional). Your answers are saved "
        "after every screen, so you can continue later with the same code.",
    ),
    "interviewer_intro": (
        "면접 조사: 가구가 받은 안내문의 접속 코드를 입력하세요. 응답은 면접 조사로 기록됩니다.",
        "Interview: type the access code from the household's letter. "
        "The answers are recorded as an interview.",
    ),
    "link_refused": (
        "안내문의 링크로는 열 수 없었습니다. 안내문에 적힌 접속 코드를 아래에 입력해 주세요.",
        "The link from your letter did not open the survey. Please type the access code "
        "printed in the letter below.",
    ),
    "code_label": ("접속 코드", "Access code"),
    "start": ("시작하기", "Start"),
    "progress": ("{n} / {total} 단계", "Step {n} of {total}"),
    "back": ("이전", "Back"),
    "next": ("다음", "Next"),
    "submit": ("제출하기", "Submit"),
    "member": ("{n}번 가구원", "Member {n}"),
    "answering_member": ("{n}번 가구원 본인의 응답입니다.", "These are member {n}'s own answers."),
    "fix_summary": ("확인이 필요한 답변 {n}개", "{n} answers need checking"),
    "fix_these": ("확인할 질문: {names}", "Questions to check: {names}"),
    "thanks": (
        "제출되었습니다. 응답해 주셔서 감사합니다.",
        "Submitted. Thank you for your answers.",
    ),
    "preview_thanks": (
        "시험 응답: 모든 답이 확인을 통과했습니다. 실제 조사라면 여기서 저장됩니다 (지금은 저장하지 "
        "않았습니다).",
        "Test answer: every answer passed the checks. In a real survey it would be stored now "
        "(nothing was stored).",
    ),
    "stored_elsewhere": (
        "이 응답은 이미 제출되어 저장되어 있습니다 (다른 기기에서 제출했을 수 있습니다). "
        "다시 응답하지 않으셔도 됩니다.",
        "These answers have already been submitted and are stored (perhaps from another "
        "device). There is nothing more to do here.",
    ),
    "back_to_household": ("가구원 목록으로", "Back to the household's members"),
    "members_title": (
        "만 15세 이상 가구원은 각자 응답해 주세요",
        "Members aged 15 or older each answer for themselves",
    ),
    "member_line": ("{n}번 가구원 ({year}년생)", "Member {n} (born {year})"),
    "member_done": ("응답을 마쳤습니다.", "Answered."),
    "answer_here": (
        "{n}번 가구원: 이 기기에서 지금 응답하기",
        "Member {n}: answer now on this device",
    ),
    "member_codes": ("가구원별 개인 접속 코드 받기", "Get a personal code for each member"),
    "member_codes_help": (
        "다른 기기에서 따로 응답하려면 가구원별 개인 코드를 받아 전해 주세요. "
        "코드는 지금 한 번만 보입니다 (다시 받으면 이전 코드는 쓸 수 없습니다).",
        "To answer separately on another device, get each member's personal code and pass it "
        "on. Codes are shown only now (getting new ones cancels the old).",
    ),
    "household_complete": (
        "가구의 모든 응답이 끝났습니다. 참여해 주셔서 감사합니다.",
        "Your household has answered everything. Thank you for taking part.",
    ),
    "finish": ("마치기", "Finish"),
}


def rt(key: str, **values: object) -> str:
    """The page's own words: Korean on the Korean page, English in every other language (a
    questionnaire in French or Vietnamese shows its questions in that language and the
    page's buttons and messages in English)."""
    ko, en = TEXT[key]
    text = ko if st.session_state.get("lang", "ko") == "ko" else en
    return text.format(**values) if values else text


@functools.cache
def _language_names() -> dict[str, str]:
    with NAMES_FILE.open(encoding="utf-8") as handle:
        return {str(k): str(v) for k, v in yaml.safe_load(handle).items()}


def language_name(tag: str) -> str:
    """A language's name in its own words (``ui/language_names.yaml``), else its tag."""
    return _language_names().get(tag.lower(), tag)
