"""Hypothesis strategies that answer a questionnaire validly, question by question.

They follow the questionnaire as a respondent would: a question is answered
only when its section and its own ``relevant`` rules hold for the answers so
far, optional questions are sometimes skipped, values come from the question's
codes and range, and a value is redrawn until the question's ``constraint``
holds. What they produce must pass the generated response schema.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from surveys.questionnaire.expressions import evaluate, truthy
from surveys.questionnaire.flow import choices_for, holds
from surveys.questionnaire.model import Part, Question, Questionnaire


def value_strategy(questionnaire: Questionnaire, question: Question, values: dict[str, Any]):
    if question.type == "single":
        return st.sampled_from([c.code for c in choices_for(questionnaire, question, values)])
    if question.type == "multiple":
        choices = choices_for(questionnaire, question, values)
        plain = [c.code for c in choices if not c.exclusive]
        alone = [c.code for c in choices if c.exclusive]
        many = st.lists(st.sampled_from(plain), min_size=1, max_size=4, unique=True).map(sorted)
        return st.one_of(many, st.sampled_from(alone).map(lambda c: [c])) if alone else many
    if question.type in ("integer", "scale"):
        low = int(question.min if question.min is not None else 0)
        high = int(question.max if question.max is not None else low + 1000)
        return st.integers(low, high)
    if question.type == "decimal":
        low = question.min if question.min is not None else 0.0
        high = question.max if question.max is not None else low + 1000
        return st.floats(low, high).map(lambda v: round(v, 1)).filter(lambda v: low <= v <= high)
    if question.type == "date":
        return st.dates(datetime.date(1950, 1, 1), datetime.date(2026, 12, 31)).map(
            datetime.date.isoformat
        )
    return (
        st.text(alphabet="가나다라마바사아자차카타파하 ", min_size=1, max_size=20)
        .map(str.strip)
        .filter(bool)
    )


def _answer(data, questionnaire: Questionnaire, question: Question, values: dict[str, Any]) -> Any:
    strategy = value_strategy(questionnaire, question, values)
    for _ in range(30):
        value = data.draw(strategy)
        if question.constraint is None or truthy(
            evaluate(question.constraint.node, values, current=value)
        ):
            return value
    assume(False)
    return None


def answer_part(
    data, questionnaire: Questionnaire, part: Part, context: dict[str, Any]
) -> dict[str, Any]:
    """Valid answers to a part without a roster (e.g. the person part) for this context."""
    answers: dict[str, Any] = {}
    for section in part.sections:
        for question in section.questions:
            values = {**context, **answers}
            if question.type == "calculate":
                answers[question.name] = evaluate(question.calculate.node, values)
                continue
            if not question.answered or not holds(section.relevant, values):
                continue
            if not holds(question.relevant, values):
                continue
            needed = question.required or (
                question.required_if is not None and holds(question.required_if, values)
            )
            if not needed and data.draw(st.booleans()):
                continue
            answers[question.name] = _answer(data, questionnaire, question, values)
    return {k: v for k, v in answers.items() if questionnaire.question(k).type != "calculate"}
