"""What changed between two versions of a questionnaire, in words.

Why: a survey manager who uploads version 3 needs to see, before a survey is pinned to
it, what respondents will see differently from version 2 — not a text diff of YAML or
workbook cells, but "question q5 added", "q7's label changed", "q9's range 0–10 became
1–5", "choice 4 of q3 removed". Two loaded :class:`~surveys.questionnaire.model.Questionnaire`
values are compared question by question (by name, across parts), so the same questions
written as YAML or as an XLSForm compare equal.

Each :class:`Change` has a ``kind`` (``title``, ``section``, ``roster``, ``eligibility``,
``added``, ``removed``, ``moved``, ``relabelled``, ``type``, ``range``, ``required``,
``relevance``, ``constraint``, ``calculation``, ``choice_filter``, ``unit``, ``appearance``,
``choices``) for programs and tests, the question (or screen, or part) it concerns, and a
Korean and English sentence. Everything that changes what a respondent sees or what is stored
is named: a changed calculation changes stored values, a choice filter or an exclusive
"none of these" changes which answers can be given, the roster's count and the person parts'
eligibility change who answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.text import Text
from surveys.questionnaire.model import Choice, Question, Questionnaire, Rule, Section

KINDS = (
    "title",
    "section",
    "added",
    "removed",
    "moved",
    "relabelled",
    "type",
    "range",
    "required",
    "relevance",
    "constraint",
    "calculation",
    "choice_filter",
    "unit",
    "appearance",
    "choices",
    "roster",
    "eligibility",
)


@dataclass(frozen=True)
class Change:
    kind: str
    question: str | None  # None for the questionnaire itself
    text: Text


@dataclass(frozen=True)
class _Placed:
    question: Question
    part: str
    section: str


def _questions(questionnaire: Questionnaire) -> dict[str, _Placed]:
    return {
        q.name: _Placed(q, part.name, section.id)
        for part, section, q in questionnaire.all_questions()
    }


def _rule(rule: Rule | None) -> str:
    return rule.source.strip() if rule is not None else ""


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else str(value)


def _label(text: Text | None) -> str:
    return "" if text is None else text.ko


def _choices(questionnaire: Questionnaire, question: Question) -> dict[int, Choice]:
    if question.choices is None or question.choices not in questionnaire.choice_lists:
        return {}
    return {c.code: c for c in questionnaire.choice_lists[question.choices].choices}


def compare(old: Questionnaire, new: Questionnaire) -> list[Change]:
    """Every difference from ``old`` to ``new``: the title, then each question in the new
    version's order (removed questions last, in the old version's order)."""
    changes: list[Change] = []
    if old.title != new.title:
        changes.append(
            Change(
                "title",
                None,
                Text(
                    f"설문 제목: '{old.title.ko}' → '{new.title.ko}'",
                    f"title: '{old.title.pick('en')}' → '{new.title.pick('en')}'",
                ),
            )
        )
    changes.extend(_section_changes(old, new))
    changes.extend(_part_changes(old, new))
    before, after = _questions(old), _questions(new)
    for name, placed in after.items():
        if name not in before:
            label = placed.question.label
            changes.append(
                Change(
                    "added",
                    name,
                    Text(
                        f"문항 {name} 추가 ({placed.part}/{placed.section}): {label.ko}",
                        f"question {name} added ({placed.part}/{placed.section}): "
                        f"{label.pick('en')}",
                    ),
                )
            )
        else:
            changes.extend(_question_changes(old, new, before[name], placed))
    for name, placed in before.items():
        if name not in after:
            changes.append(
                Change(
                    "removed",
                    name,
                    Text(
                        f"문항 {name} 삭제 ({placed.part}/{placed.section})",
                        f"question {name} removed ({placed.part}/{placed.section})",
                    ),
                )
            )
    return changes


def _question_changes(
    old: Questionnaire, new: Questionnaire, was: _Placed, now: _Placed
) -> list[Change]:
    a, b, name = was.question, now.question, now.question.name
    found: list[Change] = []

    def add(kind: str, ko: str, en: str) -> None:
        found.append(Change(kind, name, Text(ko, en)))

    if (was.part, was.section) != (now.part, now.section):
        where_was, where_now = f"{was.part}/{was.section}", f"{now.part}/{now.section}"
        add(
            "moved",
            f"{name}: {where_was} → {where_now} 로 이동",
            f"{name} moved: {where_was} → {where_now}",
        )
    if a.label != b.label or a.help != b.help:
        add(
            "relabelled",
            f"{name} 문구 변경: '{a.label.ko}' → '{b.label.ko}'",
            f"{name} relabelled: '{a.label.pick('en')}' → '{b.label.pick('en')}'",
        )
    if a.type != b.type:
        add("type", f"{name} 유형: {a.type} → {b.type}", f"{name} type: {a.type} → {b.type}")
    if (a.min, a.max) != (b.min, b.max):
        old_range, new_range = (
            f"{_number(a.min)}–{_number(a.max)}",
            f"{_number(b.min)}–{_number(b.max)}",
        )
        add(
            "range",
            f"{name} 범위: {old_range} → {new_range}",
            f"{name} range: {old_range} → {new_range}",
        )
    if a.max_length != b.max_length:
        add(
            "range",
            f"{name} 최대 글자 수: {_shown(a.max_length)} → {_shown(b.max_length)}",
            f"{name} maximum length: {_shown(a.max_length)} → {_shown(b.max_length)}",
        )
    if (a.required, _rule(a.required_if)) != (b.required, _rule(b.required_if)):
        old_req, new_req = _required(a), _required(b)
        add(
            "required",
            f"{name} 필수 여부: {old_req.ko} → {new_req.ko}",
            f"{name} required: {old_req.en} → {new_req.en}",
        )
    if _rule(a.relevant) != _rule(b.relevant):
        old_rule, new_rule = _shown(_rule(a.relevant)), _shown(_rule(b.relevant))
        add(
            "relevance",
            f"{name} 표시 조건: {old_rule} → {new_rule}",
            f"{name} relevance: {old_rule} → {new_rule}",
        )
    if _rule(a.constraint) != _rule(b.constraint) or _label(a.constraint_message) != _label(
        b.constraint_message
    ):
        old_rule, new_rule = _shown(_rule(a.constraint)), _shown(_rule(b.constraint))
        add(
            "constraint",
            f"{name} 응답 제약: {old_rule} → {new_rule}",
            f"{name} constraint: {old_rule} → {new_rule}",
        )
    for kind, ko_what, en_what, was_rule, now_rule in (
        ("calculation", "계산식", "calculation", a.calculate, b.calculate),
        ("choice_filter", "보기 필터", "choice filter", a.choice_filter, b.choice_filter),
    ):
        if _rule(was_rule) != _rule(now_rule):
            old_rule, new_rule = _shown(_rule(was_rule)), _shown(_rule(now_rule))
            add(
                kind,
                f"{name} {ko_what}: {old_rule} → {new_rule}",
                f"{name} {en_what}: {old_rule} → {new_rule}",
            )
    if a.unit != b.unit:
        old_unit, new_unit = _shown(_label(a.unit)), _shown(_label(b.unit))
        add(
            "unit", f"{name} 단위: {old_unit} → {new_unit}", f"{name} unit: {old_unit} → {new_unit}"
        )
    if (a.appearance, a.grid) != (b.appearance, b.grid):
        old_look = _shown(" ".join(v for v in (a.appearance, a.grid and f"grid:{a.grid}") if v))
        new_look = _shown(" ".join(v for v in (b.appearance, b.grid and f"grid:{b.grid}") if v))
        add(
            "appearance",
            f"{name} 표시 방식: {old_look} → {new_look}",
            f"{name} appearance: {old_look} → {new_look}",
        )
    found.extend(_choice_changes(old, new, a, b))
    return found


def _part_changes(old: Questionnaire, new: Questionnaire) -> list[Change]:
    """Who answers: the roster's count rule and each person part's eligibility."""
    found = []
    for part in new.parts:
        was_part = old.part(part.name)
        if was_part is None:
            continue
        roster, was_roster = part.roster_section(), was_part.roster_section()
        if roster is not None and was_roster is not None:
            was_count, now_count = _rule(was_roster.repeat_count), _rule(roster.repeat_count)
            if was_count != now_count:
                old_rule, new_rule = _shown(was_count), _shown(now_count)
                found.append(
                    Change(
                        "roster",
                        roster.id,
                        Text(
                            f"가구원 명단 {roster.id} 인원 수: {old_rule} → {new_rule}",
                            f"roster {roster.id} count: {old_rule} → {new_rule}",
                        ),
                    )
                )
        if _rule(was_part.eligible) != _rule(part.eligible):
            old_rule, new_rule = _shown(_rule(was_part.eligible)), _shown(_rule(part.eligible))
            found.append(
                Change(
                    "eligibility",
                    part.name,
                    Text(
                        f"{part.name} 응답 대상: {old_rule} → {new_rule}",
                        f"{part.name} eligibility: {old_rule} → {new_rule}",
                    ),
                )
            )
    return found


def _required(question: Question) -> Text:
    if question.required_if is not None:
        rule = question.required_if.source.strip()
        return Text(f"조건부({rule})", f"when {rule}")
    return Text("필수", "yes") if question.required else Text("선택", "no")


def _choice_changes(
    old: Questionnaire, new: Questionnaire, a: Question, b: Question
) -> list[Change]:
    name = b.name
    if a.choices is None and b.choices is None:
        return []
    found = []
    if a.choices != b.choices:
        found.append(
            Change(
                "choices",
                name,
                Text(
                    f"{name} 보기 목록: {_shown(a.choices)} → {_shown(b.choices)}",
                    f"{name} choice list: {_shown(a.choices)} → {_shown(b.choices)}",
                ),
            )
        )
    was, now = _choices(old, a), _choices(new, b)
    for code, choice in now.items():
        if code not in was:
            found.append(
                Change(
                    "choices",
                    name,
                    Text(
                        f"{name} 보기 {code} 추가: {choice.label.ko}",
                        f"{name} choice {code} added: {choice.label.pick('en')}",
                    ),
                )
            )
        else:
            found.extend(_choice_detail(name, code, was[code], choice))
    for code, choice in was.items():
        if code not in now:
            found.append(
                Change(
                    "choices",
                    name,
                    Text(
                        f"{name} 보기 {code} 삭제: {choice.label.ko}",
                        f"{name} choice {code} removed: {choice.label.pick('en')}",
                    ),
                )
            )
    return found


def _choice_detail(name: str, code: int, was: Choice, now: Choice) -> list[Change]:
    """One kept choice's label, exclusive flag ("none of these") and filter value."""
    found = []
    if was.label != now.label:
        found.append(
            Change(
                "choices",
                name,
                Text(
                    f"{name} 보기 {code} 문구: '{was.label.ko}' → '{now.label.ko}'",
                    f"{name} choice {code} relabelled: '{was.label.pick('en')}' → "
                    f"'{now.label.pick('en')}'",
                ),
            )
        )
    if was.exclusive != now.exclusive:
        ko = (
            "단독 선택(다른 보기와 함께 고를 수 없음)"
            if now.exclusive
            else "다른 보기와 함께 선택 가능"
        )
        en = "exclusive (cannot be ticked with others)" if now.exclusive else "no longer exclusive"
        found.append(
            Change(
                "choices", name, Text(f"{name} 보기 {code}: {ko}", f"{name} choice {code}: {en}")
            )
        )
    if was.filter_value != now.filter_value:
        old_value, new_value = _shown(was.filter_value), _shown(now.filter_value)
        found.append(
            Change(
                "choices",
                name,
                Text(
                    f"{name} 보기 {code} 필터 값: {old_value} → {new_value}",
                    f"{name} choice {code} filter value: {old_value} → {new_value}",
                ),
            )
        )
    return found


def _sections(questionnaire: Questionnaire) -> dict[str, Section]:
    return {
        f"{part.name}/{section.id}": section
        for part in questionnaire.parts
        for section in part.sections
    }


def _section_changes(old: Questionnaire, new: Questionnaire) -> list[Change]:
    """Sections (screens) added, removed, retitled or shown under another condition."""
    before, after = _sections(old), _sections(new)
    found = []

    def add(where: str, ko: str, en: str) -> None:
        found.append(Change("section", where, Text(ko, en)))

    for where, section in after.items():
        was = before.get(where)
        if was is None:
            add(
                where,
                f"화면 {where} 추가: {section.title.ko}",
                f"screen {where} added: {section.title.pick('en')}",
            )
            continue
        if was.title != section.title:
            add(
                where,
                f"화면 {where} 제목: '{was.title.ko}' → '{section.title.ko}'",
                f"screen {where} title: '{was.title.pick('en')}' → '{section.title.pick('en')}'",
            )
        if _rule(was.relevant) != _rule(section.relevant):
            old_rule, new_rule = _shown(_rule(was.relevant)), _shown(_rule(section.relevant))
            add(
                where,
                f"화면 {where} 표시 조건: {old_rule} → {new_rule}",
                f"screen {where} relevance: {old_rule} → {new_rule}",
            )
    for where in before:
        if where not in after:
            add(where, f"화면 {where} 삭제", f"screen {where} removed")
    return found
