"""Pandera schemas generated from a questionnaire, for one answer or a million.

Each part of a questionnaire gets a schema over a DataFrame with one row per
submitted part — the household part (roster excluded), the roster (one row per
listed member) and the person part — whose columns are named after the
questions, codes as stored. The same schema checks a respondent's single
submission and a bulk import or demo batch:

- **column checks** (per question): type, allowed codes, ranges, text length,
  date format; multiple choices hold only known codes and no "exclusive" code
  combined with another;
- **rules** (row-wise, from the questionnaire's expressions), each attributed to
  its question so a respondent sees the message next to it:
  an answer to a question that should have been skipped (``relevant`` false),
  a required question left empty while relevant (``required`` or a
  ``required`` expression), a ``constraint`` that does not hold (with the
  questionnaire's ``constraint_message``);
- **roster consistency**: the number of listed members equals the roster's
  ``repeat_count`` (e.g. household size).

Rules read context columns (the household's answers for the roster, the
member's roster answers and the household's answers for the person part), so
``${age}`` or ``${household_size}`` work in every part. Calculated questions
are computed (:func:`apply_calculations`) before validation.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from data.text import Text
from data.validation import ReasonCode, check_error
from surveys.questionnaire.captured_values import SHAPES
from surveys.questionnaire.expressions import Node
from surveys.questionnaire.expressions_frame import cell_value, evaluate_frame, truthy_frame
from surveys.questionnaire.model import (
    ACKNOWLEDGED,
    TEXT_TYPES,
    Part,
    Question,
    Questionnaire,
    Rule,
    Section,
)

MEMBER_COUNT = "_members_listed"  # household frame: how many roster entries were given
ROW_KEYS = ("_row", "member_no")  # roster / person frames: which household row, which member


@dataclass(frozen=True)
class Asked:
    """A question as asked in one part: with its section's relevance folded in."""

    question: Question
    section: Section

    @property
    def relevance(self) -> list[Rule]:
        return [r for r in (self.section.relevant, self.question.relevant) if r is not None]


def asked_questions(part: Part, *, roster: bool | None = None) -> list[Asked]:
    """Questions of a part (roster only, non-roster only, or all) in order."""
    out: list[Asked] = []
    for section in part.sections:
        if roster is not None and section.roster != roster:
            continue
        out.extend(Asked(q, section) for q in section.questions)
    return out


# -- evaluation over a frame ---------------------------------------------------------
def evaluate_rows(
    rule: Rule | Node,
    frame: pd.DataFrame,
    current: pd.Series | None = None,
    today: datetime.date | None = None,
) -> pd.Series:
    """The rule's value for every row, exactly as the scalar evaluator gives it (vectorized).

    Given a :class:`Rule`, a household rule reading across the roster (``count(${member})``)
    reads the members' answers from the frame's roster column (see ``household_frames``)."""
    if isinstance(rule, Rule):
        return evaluate_frame(rule.node, frame, current, today=today, repeats=rule.repeats)
    return evaluate_frame(rule, frame, current, today=today)


def is_relevant(asked: Asked, frame: pd.DataFrame) -> pd.Series:
    relevant = pd.Series(True, index=frame.index)
    for rule in asked.relevance:
        relevant &= truthy_frame(evaluate_rows(rule, frame))
    return relevant


def is_answered(series: pd.Series) -> pd.Series:
    """Whether each cell holds an answer (not missing, not blank text, not an empty list)."""

    def filled(value: Any) -> bool:
        value = cell_value(value)
        if value is None:
            return False
        if isinstance(value, str):
            return value.strip() != ""
        if isinstance(value, list | tuple):
            return len(value) > 0
        return True

    return series.map(filled).astype(bool)


# -- calculations ----------------------------------------------------------------------
def apply_calculations(
    part: Part, frame: pd.DataFrame, *, roster: bool | None = None
) -> pd.DataFrame:
    """Compute the part's ``calculate`` questions into their columns (in dependency order)."""
    frame = frame.copy()
    calculated = [
        (a.question.name, a.question.calculate)
        for a in asked_questions(part, roster=roster)
        if a.question.calculate is not None  # a calculation, a computed note or read-only value
    ]
    # the loader refuses circular calculations, so len(calculated) passes settle any order
    for _ in range(len(calculated)):
        for name, rule in calculated:
            frame[name] = evaluate_rows(rule, frame)
    return frame


# -- the schema ------------------------------------------------------------------------
def _dtype(question: Question) -> str:
    if question.type in ("single", "integer", "scale"):
        return "Int64"
    if question.type == "decimal":
        return "Float64"
    if question.type in TEXT_TYPES:
        return "string"
    return "object"


def _iso_date(value: Any) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _range_text(question: Question) -> Text:
    low, high = question.min, question.max
    show = lambda v: f"{v:g}" if isinstance(v, float) else str(v)  # noqa: E731
    if low is not None and high is not None:
        return Text(
            f"{show(low)}에서 {show(high)} 사이로 답해 주세요.",
            f"Answer between {show(low)} and {show(high)}.",
        )
    if low is not None:
        return Text(f"{show(low)} 이상으로 답해 주세요.", f"Answer {show(low)} or more.")
    return Text(f"{show(high)} 이하로 답해 주세요.", f"Answer {show(high)} or less.")


def _column_checks(question: Question, codes: list[int], exclusive: list[int]) -> list[pa.Check]:
    """Type-level checks of one question's column, with messages for respondents."""
    checks: list[pa.Check] = []
    if question.type == "single":
        checks.append(
            pa.Check.isin(
                codes,
                error=check_error(
                    Text(
                        "목록에 있는 보기 중에서 골라 주세요.", "Choose one of the listed options."
                    )
                ),
            )
        )
    elif question.type in ("integer", "decimal", "scale"):
        bounded = (question.min, question.max) != (None, None)
        said = _range_text(question) if bounded else Text("", "")
        if question.constraint_message is not None:  # the questionnaire's own words, once
            said = question.constraint_message
        if question.min is not None:
            checks.append(pa.Check.ge(question.min, error=check_error(said)))
        if question.max is not None:
            checks.append(pa.Check.le(question.max, error=check_error(said)))
    elif question.type == "text":
        limit = question.max_length or 500
        checks.append(
            pa.Check.str_length(
                max_value=limit,
                error=check_error(
                    Text(f"{limit}자 이내로 적어 주세요.", f"Write at most {limit} characters.")
                ),
            )
        )
    elif question.type == "date":
        checks.append(
            pa.Check(
                lambda s: s.map(_iso_date),
                name="iso_date",
                error=check_error(
                    Text("날짜는 YYYY-MM-DD 형식으로 적어 주세요.", "Write the date as YYYY-MM-DD.")
                ),
            )
        )
    elif question.type in SHAPES:
        shaped, said = SHAPES[question.type]
        checks.append(
            pa.Check(
                lambda s: s.map(shaped), name=f"{question.type}_shape", error=check_error(said)
            )
        )
    elif question.type == "multiple":
        checks.extend(_multiple_checks(codes, exclusive))
    elif question.type == "acknowledge":
        checks.append(
            pa.Check.isin(
                [ACKNOWLEDGED],
                error=check_error(Text("확인란에 표시해 주세요.", "Tick the box to acknowledge.")),
            )
        )
    if question.read_only and question.calculate is None:  # shown, never answered
        checks.append(
            pa.Check(
                lambda s: pd.Series(False, index=s.index),
                name="read_only",
                error=check_error(
                    Text("읽기 전용 질문이라 답할 수 없습니다.", "This question is read-only.")
                ),
            )
        )
    return checks


def _multiple_checks(codes: list[int], exclusive: list[int]) -> list[pa.Check]:
    allowed, only = set(codes), set(exclusive)

    def known(series: pd.Series) -> pd.Series:
        return series.map(lambda v: cell_value(v) is None or set(cell_value(v)) <= allowed)

    checks = [
        pa.Check(
            known,
            name="known_codes",
            error=check_error(
                Text("목록에 있는 보기 중에서 골라 주세요.", "Choose among the listed options.")
            ),
        )
    ]
    if only:

        def alone(series: pd.Series) -> pd.Series:
            return series.map(lambda v: cell_value(v) is None or len(v) <= 1 or not (set(v) & only))

        checks.append(
            pa.Check(
                alone,
                name="exclusive_choice",
                error=check_error(
                    Text(
                        "'없음' 같은 보기는 다른 보기와 함께 고를 수 없습니다.",
                        "A choice such as 'none' cannot be combined with others.",
                    )
                ),
            )
        )
    return checks


def _label(question: Question) -> Text:
    return question.label


def _rule_check(
    question: Question, kind: str, message: Text, fails: Callable[[pd.DataFrame], pd.Series]
) -> pa.Check:
    """A row-wise rule attributed to ``question`` (its failures name the question)."""
    check = pa.Check(
        lambda df: ~fails(df),
        name=f"{kind}:{question.name}",
        error=check_error(message),
    )
    # attributes of our own on pandera's Check, read back by data.validation with getattr
    check.target_column = question.name  # type: ignore[attr-defined]
    if kind == "required":
        check.reason_code = ReasonCode.MISSING  # type: ignore[attr-defined]
    return check


def _question_rules(asked: Asked) -> list[pa.Check]:
    q = asked.question
    label = q.label
    rules = []
    if asked.relevance:

        def answered_when_skipped(df: pd.DataFrame, a: Asked = asked) -> pd.Series:
            return ~is_relevant(a, df) & is_answered(df[a.question.name])

        rules.append(
            _rule_check(
                q,
                "not_relevant",
                Text(
                    f"'{label.ko}' 은(는) 건너뛰어야 하는 질문인데 답이 있습니다.",
                    f"'{label.pick('en')}' should have been skipped but has an answer.",
                ),
                answered_when_skipped,
            )
        )
    if q.required or q.required_if is not None:

        def missing(df: pd.DataFrame, a: Asked = asked) -> pd.Series:
            needed = is_relevant(a, df)
            if a.question.required_if is not None:
                needed &= truthy_frame(evaluate_rows(a.question.required_if, df))
            return needed & ~is_answered(df[a.question.name])

        rules.append(
            _rule_check(
                q,
                "required",
                Text(f"'{label.ko}' 에 답해 주세요.", f"Please answer '{label.pick('en')}'."),
                missing,
            )
        )
    if q.constraint is not None:
        message = q.constraint_message or Text(
            f"'{label.ko}' 의 답이 허용 범위를 벗어났습니다.",
            f"The answer to '{label.pick('en')}' is not allowed.",
        )

        def broken(df: pd.DataFrame, a: Asked = asked, rule: Rule = q.constraint) -> pd.Series:
            column = df[a.question.name]
            answered = is_answered(column) & is_relevant(a, df)
            if not answered.any():
                return answered
            held = evaluate_rows(rule, df[answered], current=column[answered])
            result = pd.Series(False, index=df.index)
            result[answered] = ~truthy_frame(held)
            return result

        rules.append(_rule_check(q, "constraint", message, broken))
    return rules


def _schema(
    questionnaire: Questionnaire,
    asked: list[Asked],
    name: str,
    extra_checks: list[pa.Check] | None = None,
) -> pa.DataFrameSchema:
    columns = {}
    checks = list(extra_checks or [])
    for item in asked:
        q = item.question
        if not q.answered:
            continue
        choice_list = questionnaire.choice_lists.get(q.choices) if q.choices else None
        codes = choice_list.codes() if choice_list else []
        exclusive = [c.code for c in choice_list.choices if c.exclusive] if choice_list else []
        columns[q.name] = pa.Column(_dtype(q), _column_checks(q, codes, exclusive), nullable=True)
        checks.extend(_question_rules(item))
    return pa.DataFrameSchema(columns, checks=checks, strict=False, name=name)


def household_schema(questionnaire: Questionnaire) -> pa.DataFrameSchema:
    """Household part without the roster, plus the roster-size consistency rule."""
    part = questionnaire.household
    extra = []
    roster = part.roster_section()
    if roster is not None and roster.repeat_count is not None:
        count_rule = roster.repeat_count

        def mismatch(df: pd.DataFrame) -> pd.Series:
            expected = evaluate_rows(count_rule, df)
            listed = df[MEMBER_COUNT] if MEMBER_COUNT in df else pd.Series(0, index=df.index)
            return expected.map(lambda v: v is not None) & (
                pd.to_numeric(expected, errors="coerce") != pd.to_numeric(listed, errors="coerce")
            )

        names = sorted(_refs(count_rule))
        target = (
            questionnaire.question(names[0]) if names else Question(roster.id, "note", roster.title)
        )
        extra.append(
            _rule_check(
                target,
                "roster_count",
                Text(
                    "가구원 수와 가구원 명단에 적은 사람 수가 다릅니다. 둘을 맞춰 주세요.",
                    "The household size and the number of members listed differ; make them agree.",
                ),
                mismatch,
            )
        )
    return _schema(questionnaire, asked_questions(part, roster=False), "household", extra)


def roster_schema(questionnaire: Questionnaire) -> pa.DataFrameSchema:
    """One row per listed member (with the household's answers as context)."""
    return _schema(questionnaire, asked_questions(questionnaire.household, roster=True), "roster")


def person_schema(questionnaire: Questionnaire) -> pa.DataFrameSchema:
    """One row per eligible member's own part (with roster and household context)."""
    part = questionnaire.person
    if part is None:
        raise KeyError(f"questionnaire {questionnaire.id} has no person part")
    return _schema(questionnaire, asked_questions(part), "person")


def _refs(rule: Rule) -> set[str]:
    from surveys.questionnaire.expressions import references

    return references(rule.node)
