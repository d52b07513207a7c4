"""Checks across a whole questionnaire: what each rule refers to, cycles, grids, codes.

``surveys.questionnaire.loader_build`` checks each value on its own; these checks need the
whole questionnaire at once. The scope rules are those of "References and
scope" in ``surveys/definitions/README.md``:

* household part (outside the roster): household questions outside the roster;
* roster questions: those, plus the same member's roster answers;
* person part: the person part's questions, household questions outside the
  roster, and this member's roster answers;
* the person part's ``eligible``: the member's roster answers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from surveys.questionnaire.expressions import (
    Binary,
    Call,
    Current,
    Literal,
    Node,
    Ref,
    Unary,
    references,
    repeated_references,
    uses_current,
)
from surveys.questionnaire.expressions import fields as rule_fields
from surveys.questionnaire.loader_build import Built, PlacedQuestion, PlacedRule
from surveys.questionnaire.loader_problems import Problems
from surveys.questionnaire.model import CHOICE_TYPES

FILTER_FIELD = "filter"


def walk(node: Node) -> Iterator[Node]:
    """Every node of a rule tree, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Unary):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.right, current.left))
        elif isinstance(current, Call):
            stack.extend(reversed(current.args))


class _Index:
    """Questions by name and the names each scope may refer to."""

    def __init__(self, built: Built) -> None:
        self.by_name: dict[str, PlacedQuestion] = {}
        for placed in built.questions:
            self.by_name.setdefault(placed.question.name, placed)
        self.ambiguous = _ambiguous(built)
        household = {p.question.name for p in built.questions if p.part == "household"}
        roster = {p.question.name for p in built.questions if p.part == "household" and p.roster}
        person = {p.question.name for p in built.questions if p.part == "person"}
        household -= roster
        self.household, self.roster, self.person = household, roster, person
        rosters = [s.id for s, _, part in built.sections if s.roster and part == "household"]
        self.roster_id = rosters[0] if rosters else None
        self.choice_lists = built.choice_lists
        self.xlsform = built.xlsform
        self.scopes = {
            "household": household,
            "roster": household | roster,
            "person": person | household | roster,
            "eligible": roster,
        }


def _ambiguous(built: Built) -> dict[str, list[str]]:
    """Names an XLSForm gives to several things (a household and a roster question, a roster
    and one of its questions) → where each is, in the words a message uses."""
    where: dict[str, list[str]] = {}
    for placed in built.questions:
        place = f"roster '{placed.section}'" if placed.roster else placed.part
        where.setdefault(placed.question.name, []).append(place)
    for section, _, part in built.sections:
        if section.roster and part == "household" and section.id in where:
            where[section.id].append(f"repeat '{section.id}'")
    return {name: places for name, places in where.items() if len(places) > 1}


def check_built(built: Built, problems: Problems) -> None:
    """Add every cross-questionnaire problem of ``built`` to ``problems``."""
    index = _Index(built)
    check_rosters(built, problems)
    for placed in built.rules:
        check_rule(placed, index, problems)
    check_cycles(built, index, problems)
    check_grids(built, problems)
    check_codes(built, index, problems)


# -- the roster ------------------------------------------------------------------------------
def check_rosters(built: Built, problems: Problems) -> None:
    """One roster, in the household part, named unlike any question; needed by a person part."""
    rosters = [(s, p, part) for s, p, part in built.sections if s.roster]
    for section, path, part_name in rosters:
        if part_name != "household":
            problems.add(
                (*path, "roster"),
                section.id,
                "가구원 명단(roster) 섹션은 household 부분에만 둘 수 있습니다.",
                "a roster section can only be in the household part.",
            )
    household_rosters = [r for r in rosters if r[2] == "household"]
    for section, path, _ in household_rosters[1:]:
        problems.add(
            (*path, "roster"),
            section.id,
            "가구원 명단(roster) 섹션은 하나만 둘 수 있습니다.",
            "there can be only one roster section.",
        )
    names = {p.question.name for p in built.questions if not p.roster or not built.xlsform}
    if household_rosters and household_rosters[0][0].id in names:
        # an XLSForm repeat may hold a question of its own name: it is stored in each row
        section, path, _ = household_rosters[0]
        problems.add(
            (*path, "id"),
            section.id,
            f"명단 섹션 id '{section.id}' 은(는) 응답이 저장되는 이름이라 질문 이름과 "
            "같을 수 없습니다.",
            f"the roster section id '{section.id}' names where its answers are stored; "
            "it cannot also be a question name.",
        )
    has_person = any(part == "person" for _, _, part in built.sections)
    if has_person and not household_rosters:
        problems.add(
            ("person",),
            "person",
            "person 부분은 가구원마다 묻기 때문에 household 부분에 가구원 명단(roster) "
            "섹션이 필요합니다.",
            "the person part is asked of each member, so the household part needs a "
            "roster section.",
        )


# -- references -------------------------------------------------------------------------
def check_rule(placed: PlacedRule, index: _Index, problems: Problems) -> None:
    node, key, concerns = placed.rule.node, placed.key, placed.concerns
    refs = references(node)
    across = _read_across_roster(placed, index)
    for name in sorted(refs & set(index.ambiguous)):
        problems.add(placed.path, concerns, *_ambiguous_problem(key, name, index))
    for name in sorted(refs - set(across) - set(index.ambiguous)):
        if name == placed.question:
            continue
        message = _reference_problem(name, placed.scope, index)
        if message:
            problems.add(placed.path, concerns, f"{key}: {message[0]}", f"{key}: {message[1]}")
    if placed.question is not None and placed.question in refs:
        problems.add(placed.path, concerns, *_self_reference(key, placed.question))
    if uses_current(node) and key != "constraint":
        problems.add(
            placed.path,
            concerns,
            f"{key}: '.' (이 질문의 응답)은 constraint 에서만 쓸 수 있습니다.",
            f"{key}: '.' (this question's answer) can only be used in a constraint.",
        )
    columns = _filter_columns(placed, index) if key == "choice_filter" else set()
    for name in sorted(rule_fields(node)):
        if name in columns:
            continue
        problems.add(placed.path, concerns, *_field_problem(key, name))


def _filter_columns(placed: PlacedRule, index: _Index) -> set[str]:
    """The bare names a choice filter may read: ``filter`` and its list's named columns."""
    found = {FILTER_FIELD}
    owner = index.by_name.get(placed.question or "")
    choice_list = index.choice_lists.get(owner.question.choices or "") if owner else None
    if choice_list is not None:
        found |= {column for choice in choice_list.choices for column, _ in choice.columns}
    return found


def _read_across_roster(placed: PlacedRule, index: _Index) -> dict[str, str]:
    """The names a household rule reads across the roster's members, → the roster's name.

    ``count(${member})`` (the roster section's id) and ``sum(${age})`` (a roster question)
    written outside the roster read every member's answer (ODK's node-set functions,
    :mod:`surveys.questionnaire.expressions_repeats`); the rule is given them as ``repeats``
    so both evaluators resolve them against the household's stored members. A roster
    question outside such a function stays refused (which member would it be?).
    """
    if placed.scope != "household" or index.roster_id is None:
        return {}
    names = index.roster | {index.roster_id}
    across = {
        name: index.roster_id for name in repeated_references(placed.rule.node) if name in names
    }
    placed.rule.repeats.clear()
    placed.rule.repeats.update(across)
    return across


def _reference_problem(name: str, scope: str, index: _Index) -> tuple[str, str] | None:
    placed = index.by_name.get(name)
    if placed is None:
        close = difflib.get_close_matches(name, list(index.by_name), n=1)
        hint_ko = f" '${{{close[0]}}}' 을(를) 뜻했나요?" if close else ""
        hint_en = f" Did you mean '${{{close[0]}}}'?" if close else ""
        return (
            f"${{{name}}} 이라는 질문이 없습니다.{hint_ko}",
            f"there is no question ${{{name}}}.{hint_en}",
        )
    # a note has a value in XLSForm: its calculation, else empty (ODK's readonly field)
    note_value = placed.question.calculate is not None or index.xlsform
    if placed.question.type == "note" and not note_value:
        return (
            f"${{{name}}} 은(는) 안내문(note)이라 응답이 없습니다.",
            f"${{{name}}} is a note and has no answer.",
        )
    if name in index.scopes[scope]:
        return None
    if scope == "eligible":
        return (
            f"그 가구원의 명단(roster) 응답만 쓸 수 있습니다; ${{{name}}} 은(는) 명단 질문이 "
            "아닙니다.",
            f"only the member's roster answers can be used; ${{{name}}} is not a roster question.",
        )
    if name in index.roster:
        return (
            f"${{{name}}} 은(는) 가구원 명단(roster) 질문이라 명단 안이나 person 부분에서만 "
            "쓸 수 있습니다.",
            f"${{{name}}} is a roster question: it can only be used inside the roster or in the "
            "person part.",
        )
    return (
        f"${{{name}}} 은(는) person 부분의 질문이라 household 부분에서 쓸 수 없습니다.",
        f"${{{name}}} is a person-part question and cannot be used in the household part.",
    )


def _ambiguous_problem(key: str, name: str, index: _Index) -> tuple[str, str]:
    places = ", ".join(index.ambiguous[name])
    return (
        f"{key}: ${{{name}}} 은(는) 여러 곳의 이름입니다 ({places}). XLSForm (pyxform) 처럼 "
        "어느 것을 뜻하는지 알 수 없으니 하나의 이름을 바꾸세요.",
        f"{key}: ${{{name}}} names several things ({places}); as in XLSForm (pyxform), which "
        "one it means is ambiguous: rename one of them.",
    )


def _self_reference(key: str, name: str) -> tuple[str, str]:
    if key == "constraint":
        return (
            f"constraint 에서 자기 자신의 응답은 ${{{name}}} 이 아니라 '.' 으로 씁니다.",
            f"in a constraint, write this question's own answer as '.', not ${{{name}}}.",
        )
    return (
        f"{key} 이(가) 자기 자신(${{{name}}})을 참조합니다.",
        f"{key} refers to the question itself (${{{name}}}).",
    )


def _field_problem(key: str, name: str) -> tuple[str, str]:
    if key == "choice_filter":
        return (
            f"choice_filter 에서 선택지 값은 '{FILTER_FIELD}' 로 씁니다 ('{name}' 이 아니라). "
            f"다른 질문의 응답이면 ${{{name}}} 로 쓰세요.",
            f"in a choice_filter the choice's value is '{FILTER_FIELD}' (not '{name}'); for "
            f"another question's answer write ${{{name}}}.",
        )
    return (
        f"{key}: '{name}' 은(는) 쓸 수 없는 이름입니다. 질문의 응답은 ${{{name}}} 로 씁니다.",
        f"{key}: bare name '{name}' is not allowed here; a question's answer is written "
        f"${{{name}}}.",
    )


# -- calculate cycles -------------------------------------------------------------------
def check_cycles(built: Built, index: _Index, problems: Problems) -> None:
    """Report each group of calculations that depend on each other in a circle, once."""
    graph: dict[str, set[str]] = {}
    for placed in built.questions:
        question = placed.question
        if question.calculate is not None:
            graph[question.name] = references(question.calculate.node) - {question.name}
    for name in graph:
        graph[name] &= graph.keys()
    for group in _strong_components(graph):
        if len(group) < 2:
            continue  # a calculation naming itself is reported as a self-reference
        cycle = _shortest_cycle(min(group), graph, group)
        chain = " → ".join(f"${{{n}}}" for n in (*cycle, cycle[0]))
        first = index.by_name[cycle[0]]
        problems.add(
            (*first.path, "calculate"),
            cycle[0],
            f"calculate 가 서로를 참조해 계산할 수 없습니다: {chain}",
            f"circular calculation, it can never be computed: {chain}",
        )


def _strong_components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Kosaraju's algorithm, iteratively (no recursion limit on long chains)."""
    order: list[str] = []
    seen: set[str] = set()
    for root in sorted(graph):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(sorted(graph[root])))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in seen), None)
            if child is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(child)
                stack.append((child, iter(sorted(graph[child]))))
    reverse: dict[str, set[str]] = {name: set() for name in graph}
    for name, targets in graph.items():
        for target in targets:
            reverse[target].add(name)
    groups: list[set[str]] = []
    assigned: set[str] = set()
    for root in reversed(order):
        if root in assigned:
            continue
        group, pending = {root}, [root]
        assigned.add(root)
        while pending:
            for previous in reverse[pending.pop()] - assigned:
                assigned.add(previous)
                group.add(previous)
                pending.append(previous)
        groups.append(group)
    return groups


def _shortest_cycle(start: str, graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest path start → … → start inside ``group`` (breadth first)."""
    came_from: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for target in sorted(graph[node] & group):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return list(reversed(path))
            if target not in came_from:
                came_from[target] = node
                queue.append(target)
    return [start]


# -- grids --------------------------------------------------------------------------------
def check_grids(built: Built, problems: Problems) -> None:
    """Questions sharing a grid are consecutive in one section and answered the same way."""
    first_seen: dict[str, PlacedQuestion] = {}
    previous: PlacedQuestion | None = None
    for placed in built.questions:
        grid = placed.question.grid
        if grid is not None:
            first = first_seen.setdefault(grid, placed)
            continues = (
                previous is not None
                and previous.question.grid == grid
                and previous.section == placed.section
            )
            if first is not placed and not continues:
                problems.add(
                    (*placed.path, "grid"),
                    placed.question.name,
                    f"grid '{grid}' 의 질문들은 같은 섹션에 연이어 있어야 합니다 "
                    f"('{first.question.name}' 부터 끊겼습니다).",
                    f"questions of grid '{grid}' must follow each other in one section "
                    f"(the run starting at '{first.question.name}' was broken).",
                )
            elif (placed.question.type, placed.question.choices) != (
                first.question.type,
                first.question.choices,
            ):
                problems.add(
                    (*placed.path, "grid"),
                    placed.question.name,
                    f"grid '{grid}' 의 질문은 모두 같은 유형과 선택지 목록이어야 합니다 "
                    f"('{first.question.name}' 와 다릅니다).",
                    f"questions of grid '{grid}' must share one type and choice list "
                    f"('{first.question.name}' differs).",
                )
        previous = placed


# -- codes in rules -------------------------------------------------------------------------
def check_codes(built: Built, index: _Index, problems: Problems) -> None:
    """``selected(${q}, 'x')`` and ``${q} = x`` must use codes of q's choice list."""
    for placed in built.rules:
        for question, literal in choice_comparisons(placed.rule.node, placed.question):
            target = index.by_name.get(question)
            if target is None or target.question.type not in CHOICE_TYPES:
                continue
            choice_list = built.choice_lists.get(target.question.choices or "")
            if choice_list is None:
                continue
            text = str(literal.value).strip()
            if built.xlsform and _as_code(literal.value) is None:
                continue  # a name no choice has: never true, as in ODK (the static checks say)
            if text and _as_code(literal.value) not in choice_list.codes():
                problems.add(
                    placed.path,
                    placed.concerns,
                    f"{placed.key}: '{text}' 은(는) ${{{question}}} 의 선택지 목록 "
                    f"'{choice_list.name}' 에 없는 코드입니다.",
                    f"{placed.key}: '{text}' is not a code of ${{{question}}}'s choice list "
                    f"'{choice_list.name}'.",
                )


def _as_code(value: object) -> int | None:
    """A literal as a choice code (``'3'``, ``3``, ``3.0`` → 3), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value):
        return int(value)
    return value if isinstance(value, int) else None


def choice_comparisons(node: Node, current: str | None) -> Iterator[tuple[str, Literal]]:
    """(question, literal) pairs: ``selected(${q}, lit)`` and ``${q} = lit`` / ``!=``.

    ``.`` counts as ``current`` (the question whose constraint this is).
    """
    for part in walk(node):
        if isinstance(part, Call) and part.name == "selected" and len(part.args) == 2:
            name = _question_of(part.args[0], current)
            if name is not None and isinstance(part.args[1], Literal):
                yield name, part.args[1]
        elif isinstance(part, Binary) and part.op in ("=", "!="):
            for side, other in ((part.left, part.right), (part.right, part.left)):
                name = _question_of(side, current)
                if name is not None and isinstance(other, Literal):
                    if not isinstance(other.value, bool):
                        yield name, other


def _question_of(node: Node, current: str | None) -> str | None:
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Current):
        return current
    return None
