"""Static checks no form tool gives: rules that can never work, found before fieldwork.

Why: a questionnaire can load without a single problem and still be broken — a question
whose relevance no answer can make true, a constraint that refuses every answer, a
cascading list that is empty for some region, a skip that reads an answer given only
later. ODK, KoBo and pyxform check syntax and names, not this. :func:`static_findings`
lists such faults as warnings (:class:`Finding`): the file is still valid, ``surveys check``
still exits 0, and the Questionnaires page still stores it, but shows them.

The kinds (:data:`KINDS`):

1. ``never_shown`` — a question, a section, the roster (``repeat_count`` below 1) or the
   person part (``eligible``) that is never shown: its rule is false for every combination
   of answers the questions before it allow;
2. ``unmeetable_constraint`` — no answer the question allows (its type, choices and range)
   meets its constraint, wherever it is shown;
3. ``empty_choice_filter`` — a choice filter that leaves no choice whatever it reads, or
   none for some answers it reads (named in the finding);
4. ``reads_later`` — a rule that reads a question asked later in the flow, or its own
   question (also through a calculation), :mod:`surveys.questionnaire.static_order`;
5. ``required_never_shown`` — a required question inside a section (or the person part)
   that is never shown;
6. ``ignored`` — a cell of the workbook the reader read and does not use, as pyxform and
   ODK ignore it (a ``choice_filter`` on a question that is not a select): said, never
   dropped in silence (``metadata["ignored"]``).

**Method: a bounded search.** For each rule, the answered questions it reads (calculations
followed to what they are computed from) get representative answers
(:mod:`surveys.questionnaire.static_values`: each choice code, a small number range value by
value, else range bounds and the values just inside, the numbers and texts the rules use and
the values either side of them, the empty answer when the question can be left empty, a few
texts and dates); what must be true of a combination is added as context — each read
question's own relevance (not shown → empty, shown and required → answered), constraint and
choice filter, the section shown, the member eligible — and the rule is evaluated over the
product of those answers (:mod:`surveys.questionnaire.static_search`). Up to ``CAP`` (20,000)
combinations are all walked: the finding is proven for the answers tried. Past it, a
deterministic sample of ``CAP`` combinations is tried and the finding says it is *likely*
(``Finding.certain`` False); so does a finding on a rule that does arithmetic on answers
tried by representatives rather than all of them. A rule is not searched — never a finding
from guessing — when it reads the roster's members from outside it (``count(${member})``),
uses a text function representatives cannot stand for (``regex``, ``contains``, ``substr``,
…), or reads a later question (kind 4 reports that instead).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from data.text import Text
from surveys.questionnaire.expressions import as_number, evaluate, references
from surveys.questionnaire.model import Question, Questionnaire, Rule, Section
from surveys.questionnaire.static_flow import FlowIndex, Slot
from surveys.questionnaire.static_messages import (
    answers_of,
    case_text,
    filter_always_empty_text,
    filter_empty_when_text,
    never_shown_text,
    reads_later_text,
    reads_text,
    required_hidden_text,
    unmeetable_text,
)
from surveys.questionnaire.static_order import reads_later
from surveys.questionnaire.static_search import CAP, Plan, Search

KINDS = (
    "never_shown",
    "unmeetable_constraint",
    "empty_choice_filter",
    "reads_later",
    "required_never_shown",
    "ignored",
)
EXAMPLES = 3  # the answers named when a choice filter is empty for some of them


@dataclass(frozen=True)
class Finding:
    """A fault found without a respondent: what it concerns, which rule, what to do."""

    kind: str  # one of KINDS
    question: str  # the question, section id or part ("person") it concerns
    rule: str  # relevant, constraint, choice_filter, required, repeat_count, eligible
    source: str  # the rule's text
    text: Text  # what is wrong and how to fix it
    certain: bool = True  # False: found on a sample of the combinations ("likely")

    def __str__(self) -> str:
        likely = "" if self.certain else " (likely)"
        return f"[{self.question}] {self.rule}{likely}: {self.text}"


def static_findings(
    questionnaire: Questionnaire, today: datetime.date | None = None
) -> list[Finding]:
    """Every static finding of a loaded questionnaire, in the order of the flow by kind."""
    flow = FlowIndex(questionnaire)
    search = Search(flow, today or datetime.date.today())
    checker = _Checker(flow, search)
    checker.reads_later()
    checker.never_shown()
    checker.constraints()
    checker.choice_filters()
    return checker.found + ignored_cells(questionnaire)


def ignored_cells(questionnaire: Questionnaire) -> list[Finding]:
    """The workbook's cells the reader did not use (kind ``ignored``), row by row."""
    return [
        Finding(
            "ignored",
            str(cell["question"]),
            str(cell["column"]),
            str(cell["text"]),
            Text(
                f"survey 시트 {cell['row']}행: '{cell['column']}' 은(는) select 질문에만 쓰이므로"
                " 이 질문에서는 무시됩니다 (pyxform·ODK 도 무시합니다). 필요 없으면 지우세요.",
                f"survey sheet row {cell['row']}: '{cell['column']}' applies to select questions"
                " only, so it is ignored here (as pyxform and ODK ignore it); delete it if it is"
                " not needed.",
            ),
        )
        for cell in questionnaire.metadata.get("ignored") or []
    ]


@dataclass
class _Checker:
    flow: FlowIndex
    search: Search

    def __post_init__(self) -> None:
        self.found: list[Finding] = []
        self.late: set[tuple[str, str]] = set()  # (owner, key) of rules reading too late
        self.hidden: set[str] = set()  # questions never shown (theirs or their section's)
        self.person_hidden = False
        self.person_certain = True

    @property
    def questionnaire(self) -> Questionnaire:
        return self.flow.questionnaire

    def add(self, kind: str, owner: str, key: str, rule: Rule, text: Text, certain: bool) -> None:
        self.found.append(Finding(kind, owner, key, rule.source, text, certain))

    # -- 4: reads a later question ---------------------------------------------------------
    def reads_later(self) -> None:
        for placed, late in reads_later(self.flow):
            self.late.add((placed.owner, placed.key))
            text = reads_later_text(placed.owner, placed.key, placed.rule.source, late)
            self.add("reads_later", placed.owner, placed.key, placed.rule, text, True)

    # -- 1 and 5: never shown ---------------------------------------------------------------
    def never_shown(self) -> None:
        eligible = self.flow.eligible()
        if eligible is not None and ("person", "eligible") not in self.late:
            plan = self.search.plan([eligible], self.flow.person_start)
            if self._never(plan, lambda values: self.search.holds(eligible, values)):
                assert plan is not None
                self._report_never("part", "person", "eligible", eligible, plan)
                self.person_hidden = True
                self.person_certain = plan.certain
        for part, section in self.flow.sections():
            if part.name == "person" and self.person_hidden:
                self._hide(section, "person", "eligible", eligible, self.person_certain)
                continue
            self._section(part.name, section)
            for question in section.questions:
                if question.name not in self.hidden:
                    self._question(self.flow.slots[question.name])

    def _person_holds(self, part: str) -> list[Rule]:
        eligible = self.flow.eligible()
        return [eligible] if part == "person" and eligible is not None else []

    def _section(self, part: str, section: Section) -> None:
        start = self.flow.section_start[(part, section.id)]
        holds = self._person_holds(part)
        rule = section.relevant
        if rule is not None and (section.id, "relevant") not in self.late:
            plan = self.search.plan([rule], start, holds=holds)
            if self._never(plan, lambda values: self.search.holds(rule, values)):
                assert plan is not None
                self._report_never("section", section.id, "relevant", rule, plan)
                self._hide(section, section.id, "relevant", rule, plan.certain)
                return
        count = section.repeat_count
        if section.roster and count is not None and (section.id, "repeat_count") not in self.late:
            holds = holds + ([rule] if rule is not None else [])
            plan = self.search.plan([count], start, holds=holds)

            def lists_someone(values: dict) -> bool:
                number = as_number(evaluate(count.node, values, today=self.search.today))
                return number is not None and number >= 1

            if self._never(plan, lists_someone):
                assert plan is not None
                self._report_never("roster", section.id, "repeat_count", count, plan)
                self._hide(section, section.id, "repeat_count", count, plan.certain)

    def _hide(
        self, section: Section, owner: str, key: str, rule: Rule | None, certain: bool
    ) -> None:
        """Every question of a section never shown is hidden; a required one is reported."""
        for question in section.questions:
            self.hidden.add(question.name)
            required = question.required or question.required_if is not None
            if required and question.answered and rule is not None:
                text = required_hidden_text(question.name, owner, rule.source, certain)
                self.add("required_never_shown", question.name, key, rule, text, certain)

    def _question(self, slot: Slot) -> None:
        question = slot.question
        rule = question.relevant
        if rule is None or question.type == "calculate":
            return
        if (question.name, "relevant") in self.late:
            return
        holds = [r for r in (slot.section.relevant,) if r is not None]
        holds += self._person_holds(slot.part.name)
        plan = self.search.plan([rule], slot.position, holds=holds)
        if self._never(plan, lambda values: self.search.holds(rule, values)):
            assert plan is not None
            self._report_never("question", question.name, "relevant", rule, plan)
            self.hidden.add(question.name)

    def _never(self, plan: Plan | None, holds) -> bool:
        """Whether no combination passing the plan makes ``holds`` true (and some pass)."""
        if plan is None:
            return False
        passing = 0
        for values in self.search.combinations(plan):
            passing += 1
            if holds(values):
                return False
        return passing > 0

    def _report_never(self, what: str, owner: str, key: str, rule: Rule, plan: Plan) -> None:
        reads = reads_text(sorted(references(rule.node)), self.questionnaire)
        tried = min(plan.size, CAP)
        text = never_shown_text(what, owner, rule.source, reads, plan.certain, tried)
        self.add("never_shown", owner, key, rule, text, plan.certain)

    # -- 2: constraints -------------------------------------------------------------------------
    def constraints(self) -> None:
        for slot in self.flow.slots.values():
            question = slot.question
            rule = question.constraint
            if rule is None or not question.answered or question.name in self.hidden:
                continue
            if question.calculate is not None:
                continue  # a computed value: whether it meets its constraint is up to other answers
            if (question.name, "constraint") in self.late:
                continue
            holds = list(self.flow.shown_rules(question.name)) + self._person_holds(slot.part.name)
            plan = self.search.plan([rule], slot.position, holds=holds, own=question.name)
            name = question.name

            def meets(values: dict, rule: Rule = rule, name: str = name) -> bool:
                return self.search.holds(rule, values, values[name])

            if self._never(plan, meets):
                assert plan is not None
                answers = answers_of(question, self.questionnaire)
                tried = min(plan.size, CAP)
                text = unmeetable_text(name, rule.source, answers, plan.certain, tried)
                self.add("unmeetable_constraint", name, "constraint", rule, text, plan.certain)

    # -- 3: choice filters ------------------------------------------------------------------------
    def choice_filters(self) -> None:
        for slot in self.flow.slots.values():
            question = slot.question
            rule = question.choice_filter
            if rule is None or question.type not in ("single", "multiple"):
                continue
            if question.name in self.hidden or (question.name, "choice_filter") in self.late:
                continue
            holds = list(self.flow.shown_rules(question.name)) + self._person_holds(slot.part.name)
            plan = self.search.plan([rule], slot.position, holds=holds)
            if plan is not None:
                self._choice_filter(question, rule, plan)

    def _choice_filter(self, question: Question, rule: Rule, plan: Plan) -> None:
        read = sorted(references(rule.node))
        passing, any_choice = 0, False
        empty: list[dict] = []
        for values in self.search.combinations(plan):
            passing += 1
            if self.search.allowed_codes(question.name, rule, values):
                any_choice = True
                continue
            case = {name: values.get(name) for name in read}
            answered = all(value is not None for value in case.values())
            if answered and case not in empty and len(empty) < EXAMPLES:
                empty.append(case)
        if not passing:
            return
        list_name = question.choices or ""
        if not any_choice:
            reads = reads_text(read, self.questionnaire)
            tried = min(plan.size, CAP)
            text = filter_always_empty_text(
                question.name, rule.source, list_name, reads, plan.certain, tried
            )
        elif empty:
            cases = [case_text(case, self.questionnaire) for case in empty]
            text = filter_empty_when_text(
                question.name, rule.source, list_name, cases, plan.certain
            )
        else:
            return
        self.add("empty_choice_filter", question.name, "choice_filter", rule, text, plan.certain)
