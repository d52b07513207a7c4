"""What the static checks say, in Korean and English: what is wrong and how to fix it.

Why a module of its own: the checks (:mod:`surveys.questionnaire.static_checks`) decide;
these functions word their findings the same way wherever they are shown (``surveys check``
in the terminal, the Questionnaires page). A finding found on a sample of the combinations
rather than on all of them says so ("likely").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from data.text import Text
from surveys.questionnaire.expressions import as_text
from surveys.questionnaire.model import NUMBER_TYPES, Question, Questionnaire
from surveys.questionnaire.static_order import Late

SHOWN_CODES = 8  # codes listed when a message says what a question's answers can be


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def answers_of(question: Question, questionnaire: Questionnaire) -> Text:
    """What a question's answers can be, said briefly: its codes, its range, its type."""
    if question.type in ("single", "multiple"):
        choice_list = questionnaire.choice_lists.get(question.choices or "")
        codes = [str(c) for c in (choice_list.codes() if choice_list else [])]
        shown = ", ".join(codes[:SHOWN_CODES]) + (", …" if len(codes) > SHOWN_CODES else "")
        return Text(f"코드 {shown}", f"codes {shown}")
    if question.type in NUMBER_TYPES and (question.min, question.max) != (None, None):
        low, high = _number(question.min), _number(question.max)
        return Text(f"{low}~{high}", f"{low} to {high}")
    return Text(f"{question.type} 응답", f"a {question.type} answer")


def reads_text(names: Sequence[str], questionnaire: Questionnaire) -> Text:
    """``${a}`` (codes 1, 2), ``${b}`` (0 to 10): what the rule reads and what it can be."""
    ko, en = [], []
    for name in names:
        try:
            answers = answers_of(questionnaire.question(name), questionnaire)
        except KeyError:
            continue
        ko.append(f"${{{name}}} ({answers.ko})")
        en.append(f"${{{name}}} ({answers.en})")
    return Text(", ".join(ko), ", ".join(en))


def _how_sure(certain: bool, tried: int) -> Text:
    if certain:
        return Text("", "")
    return Text(
        f" (표본으로 시험한 조합 {tried:,}가지에서 찾은 결과라 '아마도'입니다)",
        f" (likely: found on a sample of {tried:,} combinations, not on all of them)",
    )


def never_shown_text(
    what: str, owner: str, source: str, reads: Text, certain: bool, tried: int
) -> Text:
    """``what``: question, section, part (the person part's eligibility) or roster."""
    sure = _how_sure(certain, tried)
    reading = Text(f" 읽는 값: {reads.ko}.", f" It reads {reads.en}.") if reads.ko else Text("", "")
    if what == "roster":
        return Text(
            f"가구원 명단 '{owner}' 의 repeat_count {source} 이(가) 앞 질문의 어떤 응답에서도 1 이상이 "
            f"되지 않아 명단에 가구원이 한 명도 없습니다{sure.ko}.{reading.ko} repeat_count 를 "
            "고치세요.",
            f"the roster '{owner}' never lists a member: its repeat_count {source} is below 1 for "
            f"every answer the questions before it allow{sure.en}.{reading.en} Fix the "
            "repeat_count.",
        )
    if what == "part":
        return Text(
            f"person 부분의 eligible {source} 이(가) 가구원 명단의 어떤 응답에서도 참이 되지 않아 "
            f"아무도 개인 질문에 답하지 않습니다{sure.ko}.{reading.ko} 조건의 값과 범위를 확인하세요.",
            f"no member can ever answer the person part: its eligible rule {source} is false for "
            f"every answer the roster allows{sure.en}.{reading.en} Check the values and ranges "
            "it compares with.",
        )
    thing_ko = "섹션" if what == "section" else "질문"
    thing_en = "section" if what == "section" else "question"
    return Text(
        f"{thing_ko} '{owner}' 은(는) 표시될 수 없습니다: 표시 조건 {source} 이(가) 앞 질문들이 "
        f"허용하는 어떤 응답에서도 참이 되지 않습니다{sure.ko}.{reading.ko} 조건이 비교하는 "
        f"코드와 범위를 고치거나, 필요 없는 {thing_ko}이면 지우세요.",
        f"the {thing_en} '{owner}' can never be shown: its relevance {source} is false for every "
        f"answer the questions before it allow{sure.en}.{reading.en} Fix the codes or ranges "
        f"it compares with, or remove the {thing_en} if it is not needed.",
    )


def required_hidden_text(question: str, where: str, source: str, certain: bool) -> Text:
    sure_ko = "" if certain else " (아마도)"
    sure_en = "" if certain else " (likely)"
    return Text(
        f"필수 질문 '{question}' 이(가) 표시될 수 없는 '{where}' ({source}) 안에 있어{sure_ko} "
        "답을 받을 수 없습니다. 그 조건을 고치거나 질문을 다른 섹션으로 옮기세요.",
        f"the required question '{question}' is inside '{where}', which is never shown "
        f"({source}){sure_en}, so it can never be answered. Fix that condition or move the "
        "question to another section.",
    )


def unmeetable_text(question: str, source: str, answers: Text, certain: bool, tried: int) -> Text:
    sure = _how_sure(certain, tried)
    return Text(
        f"질문 '{question}' 의 constraint {source} 을(를) 만족하는 답이 없습니다 (답: {answers.ko})"
        f"{sure.ko}. 지금은 어떤 답도 거절됩니다: constraint 나 질문의 범위·보기를 고치세요.",
        f"no answer to '{question}' can meet its constraint {source} (answers: {answers.en})"
        f"{sure.en}; as it stands every answer is refused. Fix the constraint, or the question's "
        "range or choices.",
    )


def filter_always_empty_text(
    question: str, source: str, list_name: str, reads: Text, certain: bool, tried: int
) -> Text:
    sure = _how_sure(certain, tried)
    return Text(
        f"질문 '{question}' 의 choice_filter {source} 이(가) 읽는 값({reads.ko})이 무엇이든 보기 "
        f"목록 '{list_name}' 에서 남는 보기가 없습니다{sure.ko}. 필터가 비교하는 값과 보기의 "
        "filter 값이 맞는지 확인하세요.",
        f"the choice filter {source} of '{question}' leaves no choice of list '{list_name}' "
        f"whatever it reads ({reads.en}){sure.en}. Check that the values it compares match the "
        "choices' filter values.",
    )


def filter_empty_when_text(
    question: str, source: str, list_name: str, cases: Sequence[Text], certain: bool
) -> Text:
    when_ko = "; ".join(case.ko for case in cases)
    when_en = "; ".join(case.en for case in cases)
    sure_ko = "" if certain else " (아마도)"
    sure_en = "" if certain else " (likely)"
    return Text(
        f"질문 '{question}' 의 choice_filter {source} 이(가) {when_ko} 일 때 보기 목록 '{list_name}' "
        f"에서 보기를 하나도 남기지 않습니다{sure_ko}. 그 값에 맞는 보기를 목록에 더하거나, 그럴 때는 "
        "질문을 건너뛰게 하세요.",
        f"the choice filter {source} of '{question}' leaves no choice of list '{list_name}' when "
        f"{when_en}{sure_en}. Add choices for that value to the list, or skip the question then.",
    )


def case_text(case: dict[str, Any], questionnaire: Questionnaire) -> Text:
    """``${region} = 3 (Southeast)``: answers read by a rule, a choice's label beside its code."""
    ko, en = [], []
    for name, value in case.items():
        shown_ko = shown_en = as_text(value)
        try:
            question = questionnaire.question(name)
        except KeyError:
            question = None
        choice_list = questionnaire.choice_lists.get(question.choices or "") if question else None
        if choice_list is not None and isinstance(value, int):
            shown_ko += f" ({choice_list.label(value, 'ko')})"
            shown_en += f" ({choice_list.label(value, 'en')})"
        ko.append(f"${{{name}}} = {shown_ko}")
        en.append(f"${{{name}}} = {shown_en}")
    return Text(", ".join(ko), ", ".join(en))


def reads_later_text(owner: str, key: str, source: str, late: Sequence[Late]) -> Text:
    ko, en = [], []
    for item in late:
        if item.itself and item.via:
            ko.append(f"${{{item.via}}} (이 질문 자신의 답으로 계산)")
            en.append(f"${{{item.via}}} (calculated from this very question)")
        elif item.itself:
            ko.append(f"${{{item.name}}} (이 질문 자신)")
            en.append(f"${{{item.name}}} (this very question)")
        elif item.via:
            ko.append(f"${{{item.via}}} (뒤에 묻는 ${{{item.name}}} 로 계산)")
            en.append(f"${{{item.via}}} (calculated from ${{{item.name}}}, asked later)")
        else:
            ko.append(f"${{{item.name}}} (뒤에 묻는 질문)")
            en.append(f"${{{item.name}}} (asked later)")
    return Text(
        f"'{owner}' 의 {key} {source} 이(가) 이 규칙을 계산할 때 아직 답이 없는 값을 읽습니다: "
        f"{', '.join(ko)}. 그 질문을 앞으로 옮기거나 규칙을 고치세요.",
        f"the {key} {source} of '{owner}' reads what is not answered yet when it is evaluated: "
        f"{', '.join(en)}. Move that question earlier or change the rule.",
    )
