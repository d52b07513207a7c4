"""The respondent's flow as the static checks read it: where each question and rule sits.

Why a module of its own: every static check (:mod:`surveys.questionnaire.static_checks`)
asks the same questions of a questionnaire — in which order are the questions asked, where
is a rule evaluated, which answered questions does a rule read once calculations are
followed through, and can a question be left empty. This module answers them from the
model alone, without evaluating anything.

The order is the one :mod:`surveys.questionnaire.flow` gives the respondent: the household
part's sections in order (the roster among them: its questions are asked per member, in
order), then the person part's sections. A question sits at its place in that order; a
section's ``relevant`` and the roster's ``repeat_count`` are evaluated just before the
section's first question; the person part's ``eligible`` just before the person part.

A calculation is computed from every answer when they are stored (``flow.calculated``), so
where it sits does not matter: a rule that reads ``${c}`` reads what ``c`` is computed from.
:meth:`FlowIndex.expand` follows calculations to the answered questions behind them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from surveys.questionnaire.expressions import (
    Call,
    Literal,
    Node,
    Unary,
    references,
    repeated_references,
)
from surveys.questionnaire.expressions_tree import children
from surveys.questionnaire.model import Part, Question, Questionnaire, Rule, Section

# Functions whose result on text the representative values cannot stand for (a pattern, a
# piece of a text, a text built from several answers): a rule using one is not searched.
OPAQUE = frozenset(
    {
        "regex",
        "contains",
        "starts-with",
        "ends-with",
        "substr",
        "substring-before",
        "substring-after",
        "translate",
        "concat",
        "join",
        "format-date",
        "format-date-time",
        "normalize-space",
        "boolean-from-string",
    }
)
# Operators and functions that combine numbers: with inexact candidates, "likely" only.
ARITHMETIC_OPS = frozenset({"+", "-", "*", "div", "mod"})
ARITHMETIC_CALLS = frozenset(
    {"int", "number", "round", "pow", "abs", "floor", "ceiling", "sqrt", "log", "log10"}
    | {"exp", "exp10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "min", "max"}
    | {"date", "decimal-date-time", "sum"}
)


@dataclass(frozen=True)
class Slot:
    """A question where the flow asks it."""

    part: Part
    section: Section
    question: Question
    position: float

    @property
    def scope(self) -> str:
        """``household``, ``roster`` (asked per member) or ``person``."""
        if self.part.name == "person":
            return "person"
        return "roster" if self.section.roster else "household"


@dataclass(frozen=True)
class Expansion:
    """What a rule reads once calculations are followed: answered questions and calculations."""

    answered: frozenset[str]
    calculations: tuple[str, ...]  # in the order they must be computed
    across_roster: bool  # reads the roster's members from outside it (``Rule.repeats``)
    opaque: bool  # uses a function the search cannot stand for
    arithmetic: bool  # combines numbers (or dates)
    missing: frozenset[str] = frozenset()  # names that are no question (the roster's own)


@dataclass
class FlowIndex:
    """Questions by name, their places, and what rules read."""

    questionnaire: Questionnaire
    slots: dict[str, Slot] = field(default_factory=dict)
    section_start: dict[tuple[str, str], float] = field(default_factory=dict)
    section_end: dict[tuple[str, str], float] = field(default_factory=dict)
    roster_id: str | None = None
    person_start: float = 0.0

    def __post_init__(self) -> None:
        position = 0.0
        for part in self.questionnaire.parts:
            if part.name == "person":
                self.person_start = position - 0.75
            for section in part.sections:
                key = (part.name, section.id)
                self.section_start[key] = position - 0.5
                for question in section.questions:
                    self.slots.setdefault(question.name, Slot(part, section, question, position))
                    position += 1
                self.section_end[key] = position - 1
                if section.roster and part.name == "household" and self.roster_id is None:
                    self.roster_id = section.id

    # -- places ------------------------------------------------------------------------
    def sections(self) -> Iterator[tuple[Part, Section]]:
        for part in self.questionnaire.parts:
            for section in part.sections:
                yield part, section

    def roster_end(self) -> float:
        for (part, section_id), end in self.section_end.items():
            if part == "household" and section_id == self.roster_id:
                return end
        return -1.0

    def position_of(self, name: str) -> float | None:
        """Where a read name is answered: a question's place, the roster's last question."""
        if name in self.slots:
            return self.slots[name].position
        if name == self.roster_id:
            return self.roster_end()
        return None

    # -- what a rule reads -------------------------------------------------------------------
    def expand(self, rule: Rule) -> Expansion:
        """The answered questions (and calculations) behind ``rule``."""
        answered: set[str] = set()
        order: list[str] = []
        missing: set[str] = set()
        across = bool(rule.repeats)
        opaque, arithmetic = _shape(rule.node)
        visiting: set[str] = set()

        def visit(name: str) -> None:
            nonlocal across, opaque, arithmetic
            slot = self.slots.get(name)
            if slot is None:
                missing.add(name)
                return
            question = slot.question
            if question.type != "calculate":
                answered.add(name)
                return
            if name in order or name in visiting or question.calculate is None:
                return
            visiting.add(name)
            inner = question.calculate
            across = across or bool(inner.repeats)
            inner_opaque, inner_arithmetic = _shape(inner.node)
            opaque, arithmetic = opaque or inner_opaque, arithmetic or inner_arithmetic
            for read in sorted(references(inner.node) | repeated_references(inner.node)):
                visit(read)
            visiting.discard(name)
            order.append(name)

        for name in sorted(references(rule.node)):
            visit(name)
        return Expansion(
            frozenset(answered), tuple(order), across, opaque, arithmetic, frozenset(missing)
        )

    def may_be_empty(self, name: str) -> bool:
        """Whether a question can be left unanswered once the flow has passed it."""
        slot = self.slots[name]
        question = slot.question
        if not question.answered:
            return True
        if not question.required or question.required_if is not None:
            return True
        return question.relevant is not None or slot.section.relevant is not None

    def shown_rules(self, name: str) -> tuple[Rule, ...]:
        """The rules that must hold for the question to be shown (its section's, its own)."""
        slot = self.slots[name]
        rules = (slot.section.relevant, slot.question.relevant)
        return tuple(rule for rule in rules if rule is not None)

    def eligible(self) -> Rule | None:
        person = self.questionnaire.person
        return person.eligible if person is not None else None


def _shape(node: Node) -> tuple[bool, bool]:
    """(uses an opaque function, combines numbers) for one rule tree."""
    opaque = arithmetic = False
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Call):
            opaque = opaque or current.name in OPAQUE
            arithmetic = arithmetic or current.name in ARITHMETIC_CALLS
        elif isinstance(current, Unary) and isinstance(current.operand, Literal):
            continue  # a negative number
        elif getattr(current, "op", None) in ARITHMETIC_OPS:
            arithmetic = True
        stack.extend(children(current))
    return opaque, arithmetic


@dataclass(frozen=True)
class PlacedRule:
    """A rule of the questionnaire with what it belongs to and where it is evaluated."""

    owner: str  # a question's name, a section's id, or "person" (the part's eligibility)
    key: str  # relevant, constraint, calculate, choice_filter, required, repeat_count, eligible
    rule: Rule
    position: float
    part: Part
    section: Section | None


def placed_rules(flow: FlowIndex) -> Iterator[PlacedRule]:
    """Every rule of the questionnaire, in the order of the flow."""
    for part in flow.questionnaire.parts:
        if part.eligible is not None:
            yield PlacedRule(part.name, "eligible", part.eligible, flow.person_start, part, None)
        for section in part.sections:
            start = flow.section_start[(part.name, section.id)]
            for key, rule in (
                ("relevant", section.relevant),
                ("repeat_count", section.repeat_count),
            ):
                if rule is not None:
                    yield PlacedRule(section.id, key, rule, start, part, section)
            for question in section.questions:
                position = flow.slots[question.name].position
                for key, rule in (
                    ("relevant", question.relevant),
                    ("required", question.required_if),
                    ("constraint", question.constraint),
                    ("choice_filter", question.choice_filter),
                    ("calculate", question.calculate),
                ):
                    if rule is not None:
                        yield PlacedRule(question.name, key, rule, position, part, section)
