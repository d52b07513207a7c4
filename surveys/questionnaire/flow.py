"""The respondent's path through a part: which screens, which questions, which choices.

A part is shown one section per screen. A section whose ``relevant`` rule is
false for the answers so far is skipped, and so is a question whose rule is
false (its answer, if any, is dropped: skipped questions stay empty). Choices
are narrowed by ``choice_filter``. On each screen the answers are checked with
the same generated schema as the submission, limited to that screen's
questions, so the respondent sees a problem where it is — not only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data.validation import Reason
from surveys.answer_frames import AnswerCheck, check_household, check_person, roster_name
from surveys.questionnaire.expressions import evaluate, truthy
from surveys.questionnaire.model import Choice, Part, Question, Questionnaire, Section

MAX_ROSTER = 30


def part_of(questionnaire: Questionnaire, member_no: int) -> Part:
    """The household part (member 0) or the person part (member 1, 2, …)."""
    if member_no == 0:
        return questionnaire.household
    if questionnaire.person is None:
        raise KeyError(f"questionnaire {questionnaire.id} has no person part")
    return questionnaire.person


def holds(rule, values: dict[str, Any]) -> bool:
    """Whether the rule holds (no rule always does); a household rule reading across the
    roster finds the members' answers under the roster's name in ``values``."""
    return rule is None or truthy(evaluate(rule.node, values, repeats=rule.repeats))


def calculated(part: Part, values: dict[str, Any], *, roster: bool) -> dict[str, Any]:
    """``values`` with the part's calculations filled in (for rules that read them)."""
    out = dict(values)
    calcs = [
        (q.name, q.calculate)
        for s in part.sections
        if s.roster == roster
        for q in s.questions
        if q.calculate is not None  # a calculation, a computed note or read-only value
    ]
    for _ in range(len(calcs)):
        for name, rule in calcs:
            out[name] = evaluate(rule.node, out, repeats=rule.repeats)
    return out


def screens(part: Part, values: dict[str, Any]) -> list[Section]:
    """The sections shown for these answers, in order."""
    return [
        s
        for s in part.sections
        if holds(s.relevant, values) and any(q.type != "calculate" for q in s.questions)
    ]


def shown_questions(section: Section, values: dict[str, Any]) -> list[Question]:
    """The questions of a section that are asked for these answers (calculations hidden)."""
    return [q for q in section.questions if q.type != "calculate" and holds(q.relevant, values)]


def choices_for(
    questionnaire: Questionnaire, question: Question, values: dict[str, Any]
) -> list[Choice]:
    if not question.choices:
        return []
    choices = list(questionnaire.choice_lists[question.choices].choices)
    if question.choice_filter is None:
        return choices
    return [
        c
        for c in choices
        if truthy(
            evaluate(
                question.choice_filter.node,
                values,
                fields=c.fields(),
                repeats=question.choice_filter.repeats,
            )
        )
    ]


def roster_size(questionnaire: Questionnaire, values: dict[str, Any]) -> int:
    """How many members the roster lists for these answers (0 until it is known)."""
    section = questionnaire.household.roster_section()
    if section is None or section.repeat_count is None:
        return 0
    value = evaluate(section.repeat_count.node, values, repeats=section.repeat_count.repeats)
    try:
        return max(0, min(MAX_ROSTER, int(value)))
    except (TypeError, ValueError):
        return 0


def member_values(
    questionnaire: Questionnaire, answers: dict[str, Any], index: int
) -> dict[str, Any]:
    """What member ``index``'s roster rules see: the household's answers and theirs."""
    roster = roster_name(questionnaire)
    members = (answers.get(roster) or []) if roster is not None else []
    own = members[index] if index < len(members) else {}
    base = {k: v for k, v in answers.items() if k != roster}
    return calculated(questionnaire.household, {**base, **own}, roster=True)


def clean_answers(
    questionnaire: Questionnaire,
    member_no: int,
    answers: dict[str, Any],
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Drop answers to questions that are no longer asked (skip logic changed), trim the roster."""
    part = part_of(questionnaire, member_no)
    roster = roster_name(questionnaire) if member_no == 0 else None
    out = {k: v for k, v in answers.items() if k != roster}
    listed = {roster: answers.get(roster) or []} if roster else {}  # for count(${member})…
    values = calculated(part, {**(context or {}), **out, **listed}, roster=False)
    asked = {
        q.name for s in screens(part, values) if not s.roster for q in shown_questions(s, values)
    }
    out = {k: v for k, v in out.items() if k in asked and v not in (None, "", [])}
    section = part.roster_section()
    if roster and section is not None:  # the household part, which has the roster
        size = roster_size(questionnaire, out)
        members = list(answers.get(roster) or [])[:size]
        cleaned = []
        for index, member in enumerate(members):
            seen = member_values(questionnaire, {**out, roster: members}, index)
            keep = {q.name for q in shown_questions(section, seen)}
            cleaned.append(
                {k: v for k, v in member.items() if k in keep and v not in (None, "", [])}
            )
        out[roster] = cleaned
    return out


@dataclass
class ScreenProblems:
    """Problems on one screen: by question, and by roster member (1-based) then question."""

    questions: dict[str, list[Reason]]
    members: dict[int, dict[str, list[Reason]]]

    @property
    def ok(self) -> bool:
        return not self.questions and not any(self.members.values())

    def all_reasons(self) -> list[Reason]:
        out = [r for reasons in self.questions.values() for r in reasons]
        for questions in self.members.values():
            out.extend(r for reasons in questions.values() for r in reasons)
        return out


def check_answers(
    questionnaire: Questionnaire,
    member_no: int,
    answers: dict[str, Any],
    context: dict[str, Any] | None = None,
) -> AnswerCheck:
    if member_no == 0:
        return check_household(questionnaire, answers)
    return check_person(questionnaire, answers, context or {})


def check_screen(
    questionnaire: Questionnaire,
    member_no: int,
    section: Section,
    answers: dict[str, Any],
    context: dict[str, Any] | None = None,
) -> ScreenProblems:
    """Problems of this screen's questions (the rest of the part is not judged yet)."""
    roster = roster_name(questionnaire) if member_no == 0 else None
    if roster and not section.roster:
        # before the roster screen, judge this screen as if the roster were already listed
        listed = list(answers.get(roster) or [])
        size = roster_size(questionnaire, answers)
        answers = {**answers, roster: (listed + [{}] * size)[:size]}
    check = check_answers(questionnaire, member_no, answers, context)
    names = {q.name for q in section.questions}
    if section.roster:
        members = {
            n: {k: v for k, v in qs.items() if k in names} for n, qs in check.members.items()
        }
        return ScreenProblems({k: v for k, v in check.household.items() if k in names}, members)
    return ScreenProblems({k: v for k, v in check.household.items() if k in names}, {})
