"""Rules that read a question asked later in the flow, or the question itself.

Why a module of its own: a rule is evaluated where the respondent is — a question's
``relevant`` when the question comes up, a section's before its screen, the roster's
``repeat_count`` before the roster, the person part's ``eligible`` before the person part.
An answer asked later is still empty there, so the rule decides on nothing (and a question
whose relevance reads its own answer, even through a calculation, hides itself once
answered). The order is :class:`~surveys.questionnaire.static_flow.FlowIndex`'s.

A calculation is computed from every answer when they are stored, so a calculation that
reads a later question is no fault by itself; a rule that reads the calculation before that
question is asked is, and it is reported naming both. A constraint may read its own answer
(``.``, or a calculation made from it): it is checked once the question is answered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from surveys.questionnaire.expressions import references, repeated_references
from surveys.questionnaire.static_flow import FlowIndex, PlacedRule, placed_rules


@dataclass(frozen=True)
class Late:
    """A name read before it is answered: the question, and the calculation read it through."""

    name: str
    via: str | None
    itself: bool  # the rule's own question


def late_reads(flow: FlowIndex, placed: PlacedRule) -> list[Late]:
    """What ``placed`` reads that is not answered yet where it is evaluated."""
    found: list[Late] = []
    names = references(placed.rule.node) | repeated_references(placed.rule.node)
    for name in sorted(names):
        slot = flow.slots.get(name)
        if slot is not None and slot.question.type == "calculate":
            if slot.question.calculate is None:
                continue
            expansion = flow.expand(slot.question.calculate)
            for base in sorted(expansion.answered | expansion.missing):
                if _late(flow, placed, base):
                    found.append(Late(base, via=name, itself=base == placed.owner))
        elif _late(flow, placed, name):
            found.append(Late(name, via=None, itself=name == placed.owner))
    return found


def _late(flow: FlowIndex, placed: PlacedRule, name: str) -> bool:
    where = flow.position_of(name)
    if where is None:
        return False
    if where == placed.position:  # the rule's own question
        return placed.key != "constraint"
    return where > placed.position


def reads_later(flow: FlowIndex) -> Iterator[tuple[PlacedRule, list[Late]]]:
    """Each rule (but calculations, see above) with what it reads too late, when anything."""
    for placed in placed_rules(flow):
        if placed.key == "calculate":
            continue
        late = late_reads(flow, placed)
        if late:
            yield placed, late
