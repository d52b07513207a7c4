"""The bounded search behind the static checks: every combination of representative answers.

Why a module of its own: each static check (:mod:`surveys.questionnaire.static_checks`)
asks "is there an answer, allowed by the questions asked before, for which this rule holds
(or this list is not empty)?". Here a *plan* says which questions to try and what must be
true of a combination of their answers; the search then walks the combinations.

**The plan.** The questions the rule reads, once calculations are followed to the answered
questions behind them (:meth:`~surveys.questionnaire.static_flow.FlowIndex.expand`), each
with its representative answers (:mod:`surveys.questionnaire.static_values`) and the
empty answer when it can be left empty. Then, breadth first and at most ``MAX_DEPTH``
steps away, the *context* of each question tried: its section's and its own ``relevant``
(not shown → its answer is empty; shown and required → it is answered), its
``constraint`` and its ``choice_filter`` (the answer must pass them). A context rule brings
the questions it reads into the plan, but only while the number of combinations stays
within ``CAP``; one that would exceed it, or that reads the roster across its members, or
uses a text function the representative answers cannot stand for, is left out — leaving a
rule out only lets more combinations through, so it never invents a finding.

**The search.** With at most ``CAP`` combinations, every one is walked, depth first in the
order the questions are asked, a context rule checked as soon as the answers it reads are
set (so impossible branches are cut early): the result is proven for these answers. With
more, ``CAP`` combinations are drawn with a seeded generator (the same ones on every run)
and the result is only *likely*.
"""

from __future__ import annotations

import datetime
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Any

from surveys.questionnaire.expressions import evaluate, truthy
from surveys.questionnaire.model import Rule
from surveys.questionnaire.static_flow import Expansion, FlowIndex
from surveys.questionnaire.static_values import Literals, domain, literals_of

CAP = 20_000  # combinations walked one by one; beyond it a deterministic sample of this many
MAX_DEPTH = 3  # context rules followed this many steps from the rule searched


@dataclass(frozen=True)
class Check:
    """What a combination must satisfy: ``shown``, ``constraint``, ``filter`` or ``holds``."""

    what: str
    name: str | None  # the question it concerns (None for ``holds``)
    rules: tuple[Rule, ...]
    needs: frozenset[str]  # answered questions it reads, its own included


@dataclass
class Plan:
    """The questions tried, their answers, and the checks a combination must pass."""

    names: list[str]
    domains: dict[str, tuple[Any, ...]]
    checks: list[Check]
    calculations: tuple[str, ...]
    exact: bool  # every question's answers were all the answers it allows
    arithmetic: bool  # the rules combine numbers
    sampled: bool = False

    @property
    def size(self) -> int:
        return prod(len(values) for values in self.domains.values())

    @property
    def certain(self) -> bool:
        """Proven over the answers tried: no sampling, and no arithmetic on inexact answers."""
        return not self.sampled and (self.exact or not self.arithmetic)


@dataclass
class Search:
    """Plans and walks combinations for one questionnaire."""

    flow: FlowIndex
    today: datetime.date = field(default_factory=datetime.date.today)

    # -- plans ------------------------------------------------------------------------------
    def plan(
        self,
        reads: Sequence[Rule],
        position: float,
        *,
        holds: Sequence[Rule] = (),
        own: str | None = None,
    ) -> Plan | None:
        """The plan for ``reads`` evaluated at ``position``; None when it cannot be searched.

        ``holds``: rules every combination must satisfy (the section shown, the member
        eligible). ``own``: a question whose answer is tried too, never empty (a constraint's
        ``.``): its own context is ``holds``, its ``constraint`` is what is searched.
        """
        expansions = [self.flow.expand(rule) for rule in reads]
        if not all(self._usable(e, position, own) for e in expansions):
            return None
        names = {name for e in expansions for name in e.answered} | ({own} if own else set())
        checks: list[Check] = []
        calculations = [c for e in expansions for c in e.calculations]
        arithmetic = any(e.arithmetic for e in expansions)
        for rule in holds:
            expansion = self.flow.expand(rule)
            if self._usable(expansion, position, own):
                checks.append(Check("holds", None, (rule,), expansion.answered))
                names |= expansion.answered
                calculations += expansion.calculations
        literals = self._literals([*reads, *holds], names, own)
        domains = {name: self._domain(name, literals, own) for name in names}
        frontier, seen = set(names), set()
        for _ in range(MAX_DEPTH):
            added: set[str] = set()
            for name, what, rules in self._context(frontier, own):
                if (name, what) in seen:
                    continue
                seen.add((name, what))
                found = [self.flow.expand(rule) for rule in rules]
                where = self.flow.slots[name].position
                itself = name if what == "constraint" else None
                if not all(self._usable(e, where, itself) for e in found):
                    continue  # left out: more combinations pass, never fewer
                new = {n for e in found for n in e.answered} - set(domains)
                grown = {**domains, **{n: self._domain(n, literals, own) for n in new}}
                if new and prod(len(v) for v in grown.values()) > CAP:
                    continue
                domains, added = grown, added | new
                needs = frozenset({name, *(n for e in found for n in e.answered)})
                checks.append(Check(what, name, rules, needs))
                calculations += [c for e in found for c in e.calculations]
            if not added:
                break
            frontier = added
        order = sorted(domains, key=lambda n: self.flow.slots[n].position)
        exact = all(self._exact(n, literals) for n in order)
        ordered = tuple(dict.fromkeys(calculations))
        return Plan(order, {n: domains[n] for n in order}, checks, ordered, exact, arithmetic)

    def _literals(self, rules: Sequence[Rule], names: set[str], own: str | None) -> Literals:
        """The numbers and texts of every rule the plan may use (its context included)."""
        nodes = [rule.node for rule in rules]
        frontier, seen = set(names), set(names)
        for _ in range(MAX_DEPTH):
            reached: set[str] = set()
            for _name, _what, context in self._context(frontier, own):
                for rule in context:
                    nodes.append(rule.node)
                    reached |= self.flow.expand(rule).answered
            frontier = reached - seen
            seen |= reached
        calculations = {c for name in seen for c in self._calculations_behind(name)}
        for rule in rules:
            calculations.update(self.flow.expand(rule).calculations)
        nodes += [self._calculation(c).node for c in sorted(calculations)]
        return literals_of(nodes)

    def _calculations_behind(self, name: str) -> tuple[str, ...]:
        found: list[str] = []
        for _name, _what, context in self._context({name}, None):
            for rule in context:
                found.extend(self.flow.expand(rule).calculations)
        return tuple(found)

    def _usable(self, expansion: Expansion, position: float, own: str | None) -> bool:
        """A rule the search can evaluate at ``position``: it reads nothing asked later (or
        only ``own``), nothing across the roster, no opaque function, no unknown name."""
        if expansion.across_roster or expansion.opaque or expansion.missing:
            return False
        for name in expansion.answered:
            where = self.flow.slots[name].position
            if where > position or (where == position and name != own):
                return False
        return True

    def _context(self, names: set[str], own: str | None) -> list[tuple[str, str, tuple[Rule, ...]]]:
        found = []
        for name in sorted(names, key=lambda n: self.flow.slots[n].position):
            question = self.flow.slots[name].question
            shown = self.flow.shown_rules(name)
            if shown and name != own:
                found.append((name, "shown", shown))
            if question.constraint is not None and name != own:
                found.append((name, "constraint", (question.constraint,)))
            if question.choice_filter is not None and question.type in ("single", "multiple"):
                found.append((name, "filter", (question.choice_filter,)))
        return found

    def _domain(self, name: str, literals: Literals, own: str | None) -> tuple[Any, ...]:
        question = self.flow.slots[name].question
        values = domain(question, self.flow.questionnaire, literals, self.today).values
        empty = name != own and self.flow.may_be_empty(name)
        return (*values, None) if empty else values

    def _exact(self, name: str, literals: Literals) -> bool:
        question = self.flow.slots[name].question
        return domain(question, self.flow.questionnaire, literals, self.today).exact

    def _calculation(self, name: str) -> Rule:
        rule = self.flow.slots[name].question.calculate
        assert rule is not None  # expand() lists only calculations that have a rule
        return rule

    # -- walking ----------------------------------------------------------------------------
    def combinations(self, plan: Plan) -> Iterator[dict[str, Any]]:
        """Every combination of answers that passes the plan's checks (or a sample's)."""
        if plan.size <= CAP:
            yield from self._walk(plan)
            return
        plan.sampled = True
        seed = zlib.crc32("|".join(plan.names).encode("utf-8"))
        draw = random.Random(seed)
        for _ in range(CAP):
            values = {name: draw.choice(plan.domains[name]) for name in plan.names}
            self._calculate(plan.calculations, values)
            if all(self._passes(check, values) for check in plan.checks):
                yield values

    def _walk(self, plan: Plan) -> Iterator[dict[str, Any]]:
        level = {name: index for index, name in enumerate(plan.names)}
        at: list[list[Check]] = [[] for _ in plan.names]
        ready: list[list[str]] = [[] for _ in plan.names]
        values: dict[str, Any] = {}
        first: list[Check] = []
        for check in plan.checks:
            deepest = max((level[n] for n in check.needs if n in level), default=-1)
            (at[deepest] if deepest >= 0 else first).append(check)
        start: list[str] = []
        for name in plan.calculations:
            inputs = self.flow.expand(self._calculation(name)).answered
            deepest = max((level[n] for n in inputs if n in level), default=-1)
            (ready[deepest] if deepest >= 0 else start).append(name)
        self._calculate(tuple(start), values)
        if not all(self._passes(check, values) for check in first):
            return
        if not plan.names:
            yield dict(values)
            return
        stack: list[int] = [0]  # the index of the next answer tried, per level
        while stack:
            depth = len(stack) - 1
            name, choice = plan.names[depth], stack[-1]
            options = plan.domains[name]
            if choice >= len(options):
                stack.pop()
                values.pop(name, None)
                continue
            stack[-1] += 1
            values[name] = options[choice]
            self._calculate(tuple(ready[depth]), values)
            if not all(self._passes(check, values) for check in at[depth]):
                continue
            if depth + 1 == len(plan.names):
                yield dict(values)
            else:
                stack.append(0)

    def _calculate(self, names: Sequence[str], values: dict[str, Any]) -> None:
        for name in names:
            values[name] = evaluate(self._calculation(name).node, values, today=self.today)

    def _passes(self, check: Check, values: dict[str, Any]) -> bool:
        if check.what == "holds":
            return all(self.holds(rule, values) for rule in check.rules)
        assert check.name is not None
        answer = values.get(check.name)
        if check.what == "shown":
            shown = all(self.holds(rule, values) for rule in check.rules)
            if not shown:
                return answer is None
            question = self.flow.slots[check.name].question
            return answer is not None or not question.required or question.required_if is not None
        if answer is None:
            return True
        if check.what == "constraint":
            return self.holds(check.rules[0], values, answer)
        allowed = self.allowed_codes(check.name, check.rules[0], values)
        codes = answer if isinstance(answer, list) else [answer]
        return all(code in allowed for code in codes)

    # -- evaluating ---------------------------------------------------------------------------
    def holds(self, rule: Rule, values: dict[str, Any], current: Any = None) -> bool:
        return truthy(evaluate(rule.node, values, current, today=self.today))

    def allowed_codes(self, name: str, rule: Rule, values: dict[str, Any]) -> set[int]:
        """The codes a choice filter leaves for these answers."""
        question = self.flow.slots[name].question
        choice_list = self.flow.questionnaire.choice_lists.get(question.choices or "")
        if choice_list is None:
            return set()
        return {
            choice.code
            for choice in choice_list.choices
            if truthy(evaluate(rule.node, values, fields=choice.fields(), today=self.today))
        }
