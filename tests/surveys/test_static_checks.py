"""Static checks: each kind of fault found on a small questionnaire, named with its rule; no
finding on the shipped definitions (the XLSForm corpus: ``test_xlsform_corpus.py``); the
findings printed by ``surveys check`` as warnings and kept beside an upload."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from surveys.questionnaire.loader import (
    list_definitions,
    load_questionnaire,
    questionnaire_from_bytes,
)
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.static_checks import KINDS, Finding, static_findings
from surveys.questionnaire.static_search import CAP

ROOT = Path(__file__).resolve().parents[2]

HEAD = """
id: static_test
version: "1"
title: {ko: "시험", en: "Test"}
choice_lists:
  yes_no:
    - {code: 1, ko: "예", en: "Yes"}
    - {code: 2, ko: "아니오", en: "No"}
  tenure:
    - {code: 1, ko: "자가", en: "Owned"}
    - {code: 2, ko: "전세", en: "Jeonse"}
    - {code: 3, ko: "월세", en: "Rent"}
    - {code: 4, ko: "무상", en: "Free"}
  region:
    - {code: 1, ko: "도심권", en: "Central"}
    - {code: 2, ko: "동남권", en: "Southeast"}
    - {code: 3, ko: "서남권", en: "Southwest"}
  gu:
    - {code: 11110, ko: "종로구", en: "Jongno-gu", filter: "1"}
    - {code: 11680, ko: "강남구", en: "Gangnam-gu", filter: "2"}
  risks:
    - {code: 1, ko: "교통", en: "Traffic"}
    - {code: 2, ko: "범죄", en: "Crime"}
    - {code: 3, ko: "화재", en: "Fire"}
  sex: {reference: sex}
household:
  sections:
"""


def _question(name: str, qtype: str, **keys: object) -> str:
    extra = "".join(f", {key}: {value}" for key, value in keys.items())
    return f'{{name: {name}, type: {qtype}, label: {{ko: "{name}", en: "{name}"}}{extra}}}'


def yaml_text(sections: str, eligible: str = "", person: str = "") -> str:
    """A questionnaire of the shared choice lists, these household sections and, when
    ``person`` is given, a person part of those sections for members ``eligible``."""
    text = HEAD + textwrap.indent(sections, "    ")
    if person:
        text += f'person:\n  eligible: "{eligible}"\n  sections:\n'
        text += textwrap.indent(person, "    ")
    return text


def load(sections: str, eligible: str = "", person: str = "") -> Questionnaire:
    text = yaml_text(sections, eligible, person)
    return questionnaire_from_bytes(text.encode("utf-8"), "x.yaml")


def section(sid: str, *questions: str, relevant: str | None = None, extra: str = "") -> str:
    rows = "\n".join(f"    - {q}" for q in questions)
    condition = f'  relevant: "{relevant}"\n' if relevant else ""
    return (
        f'- id: {sid}\n  title: {{ko: "{sid}", en: "{sid}"}}\n{condition}{extra}'
        f"  questions:\n{rows}\n"
    )


ROSTER = section(
    "members",
    _question("relation", "single", choices="sex", required="true"),
    _question("birth_year", "integer", min=1900, max=2026, required="true"),
    '{name: age, type: calculate, calculate: "2026 - ${birth_year}"}',
    extra='  roster: true\n  repeat_count: "${size}"\n',
)
SIZE = _question("size", "integer", min=1, max=20, required="true")
TENURE = _question("tenure", "single", choices="tenure", required="true")
RENT_NEVER = _question("rent", "integer", relevant='"${tenure} > 4"')


def kinds(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return [(f.kind, f.question, f.rule, f.source) for f in findings]


# -- 1: never shown ----------------------------------------------------------------------------
def test_a_question_whose_relevance_no_choice_code_meets_is_never_shown():
    q = load(
        section(
            "housing",
            TENURE,
            _question("rent", "integer", relevant='"${tenure} > 4"'),
            _question("deposit", "integer", relevant='"${tenure} = 2 or ${tenure} = 3"'),
        )
    )
    found = static_findings(q)
    assert kinds(found) == [("never_shown", "rent", "relevant", "${tenure} > 4")]
    assert found[0].certain
    assert "codes 1, 2, 3, 4" in found[0].text.en and "코드 1, 2, 3, 4" in found[0].text.ko
    assert "can never be shown" in found[0].text.en and "표시될 수 없습니다" in found[0].text.ko


def test_a_relevance_beyond_a_range_or_against_an_earlier_skip_is_never_shown():
    q = load(
        section(
            "housing",
            SIZE,
            _question("crowded", "single", choices="yes_no", relevant='"${size} > 20"'),
            _question("owner", "single", choices="yes_no", required="true"),
            _question(
                "mortgage", "single", choices="yes_no", required="true", relevant='"${owner} = 1"'
            ),
            _question("odd", "text", relevant='"${owner} = 2 and ${mortgage} = 1"'),
            _question("fine", "text", relevant='"${owner} = 1 and ${mortgage} = 1"'),
        )
    )
    assert kinds(static_findings(q)) == [
        ("never_shown", "crowded", "relevant", "${size} > 20"),
        ("never_shown", "odd", "relevant", "${owner} = 2 and ${mortgage} = 1"),
    ]


def test_a_relevance_that_needs_a_required_answer_left_empty_is_never_shown():
    q = load(
        section(
            "housing",
            TENURE,
            _question("why_blank", "text", relevant="\"${tenure} = ''\""),
            _question("optional", "single", choices="yes_no"),
            _question("why_skipped", "text", relevant="\"${optional} = ''\""),
        )
    )
    assert kinds(static_findings(q)) == [("never_shown", "why_blank", "relevant", "${tenure} = ''")]


def test_a_section_never_shown_and_the_required_questions_inside_it():
    q = load(
        section("housing", TENURE)
        + section(
            "renters",
            _question("rent", "integer", required="true"),
            _question("note_only", "text"),
            relevant="${tenure} >= 5",
        )
    )
    found = static_findings(q)
    assert kinds(found) == [
        ("never_shown", "renters", "relevant", "${tenure} >= 5"),
        ("required_never_shown", "rent", "relevant", "${tenure} >= 5"),
    ]
    assert "section 'renters'" in found[0].text.en
    assert "required question 'rent'" in found[1].text.en and "필수 질문" in found[1].text.ko


def test_person_part_questions_are_judged_for_eligible_members_only():
    q = load(
        section("household", SIZE) + ROSTER,
        "${age} >= 15",
        section(
            "adults",
            _question("school", "single", choices="yes_no", relevant='"${age} < 15"'),
            _question("retired", "single", choices="yes_no", relevant='"${age} >= 65"'),
        ),
    )
    assert kinds(static_findings(q)) == [("never_shown", "school", "relevant", "${age} < 15")]


def test_a_person_part_no_member_is_eligible_for():
    q = load(
        section("household", SIZE) + ROSTER,
        "${age} > 200",
        section("adults", _question("happy", "scale", required="true")),
    )
    assert kinds(static_findings(q)) == [
        ("never_shown", "person", "eligible", "${age} > 200"),
        ("required_never_shown", "happy", "eligible", "${age} > 200"),
    ]


def test_rules_reading_the_roster_across_its_members_are_not_guessed_at():
    q = load(
        section("household", SIZE)
        + ROSTER
        + section(
            "after",
            _question("big", "single", choices="yes_no", relevant='"count(${members}) >= 2"'),
        )
    )
    assert static_findings(q) == []


# -- 2: constraints ---------------------------------------------------------------------------------
def test_constraints_no_answer_can_meet():
    q = load(
        section(
            "housing",
            TENURE,
            _question("score", "integer", min=0, max=10, constraint='". > 10"'),
            _question("kind", "single", choices="tenure", constraint='". > 4"'),
            _question("risks", "multiple", choices="risks", constraint='"count-selected(.) > 3"'),
            _question("half", "integer", constraint='". = 2.5"'),
            _question("rate", "decimal", min=0, max=1, constraint='". > 0.2 and . < 0.3"'),
            _question("cars", "integer", min=0, max=10, required="true"),
            _question("eco", "integer", min=0, max=10, constraint='". <= ${cars}"'),
        )
    )
    found = static_findings(q)
    assert kinds(found) == [
        ("unmeetable_constraint", "score", "constraint", ". > 10"),
        ("unmeetable_constraint", "kind", "constraint", ". > 4"),
        ("unmeetable_constraint", "risks", "constraint", "count-selected(.) > 3"),
        ("unmeetable_constraint", "half", "constraint", ". = 2.5"),
    ]
    assert "0 to 10" in found[0].text.en and "0~10" in found[0].text.ko
    assert all(f.certain for f in found)


def test_a_constraint_unmeetable_where_the_question_is_shown():
    q = load(
        section(
            "housing",
            TENURE,
            _question("rent", "integer", relevant='"${tenure} = 3"', constraint='"${tenure} != 3"'),
        )
    )
    assert kinds(static_findings(q)) == [
        ("unmeetable_constraint", "rent", "constraint", "${tenure} != 3")
    ]


# -- 3: choice filters -----------------------------------------------------------------------------
def test_a_choice_filter_empty_for_every_value_it_reads():
    q = load(
        section(
            "where",
            _question("region", "single", choices="region", required="true"),
            _question("district", "single", choices="gu", choice_filter="\"filter = 'x'\""),
        )
    )
    found = static_findings(q)
    assert kinds(found) == [("empty_choice_filter", "district", "choice_filter", "filter = 'x'")]
    assert "leaves no choice of list 'gu' whatever it reads" in found[0].text.en


def test_a_choice_filter_empty_for_a_value_it_reads_names_that_value():
    q = load(
        section(
            "where",
            _question("region", "single", choices="region"),
            _question("district", "single", choices="gu", choice_filter='"filter = ${region}"'),
        )
    )
    found = static_findings(q)
    assert kinds(found) == [
        ("empty_choice_filter", "district", "choice_filter", "filter = ${region}")
    ]
    assert "when ${region} = 3 (Southwest)" in found[0].text.en
    assert "${region} = 3 (서남권)" in found[0].text.ko
    # skipped when the region has no district: no finding
    q = load(
        section(
            "where",
            _question("region", "single", choices="region"),
            _question(
                "district",
                "single",
                choices="gu",
                relevant='"${region} != 3"',
                choice_filter='"filter = ${region}"',
            ),
        )
    )
    assert static_findings(q) == []


# -- 4: reads later ----------------------------------------------------------------------------------
def test_rules_that_read_a_later_question_or_their_own():
    q = load(
        section(
            "housing",
            _question("early", "text", relevant='"${tenure} = 3"'),
            '{name: rent_flag, type: calculate, calculate: "${later_rent} > 100"}',
            _question("uses_flag", "text", relevant='"${rent_flag}"'),
            TENURE,
            '{name: doubled, type: calculate, calculate: "${loop} * 2"}',
            _question("loop", "integer", relevant='"${doubled} < 10"'),
            _question("checked", "integer", constraint='". <= ${doubled} + 10"'),
            _question("later_rent", "integer"),
            '{name: total, type: calculate, calculate: "${later_rent} + 1"}',
        )
        + section("renters", _question("rent", "integer"), relevant="${rent} > 0")
    )
    found = static_findings(q)
    assert kinds(found) == [
        ("reads_later", "early", "relevant", "${tenure} = 3"),
        ("reads_later", "uses_flag", "relevant", "${rent_flag}"),
        ("reads_later", "loop", "relevant", "${doubled} < 10"),
        ("reads_later", "renters", "relevant", "${rent} > 0"),
    ]
    assert "${tenure} (asked later)" in found[0].text.en
    assert "${rent_flag} (calculated from ${later_rent}, asked later)" in found[1].text.en
    assert "${doubled} (calculated from this very question)" in found[2].text.en
    assert "뒤에 묻는" in found[0].text.ko


# -- the shipped definitions and real forms -----------------------------------------------------------
def test_no_finding_on_any_shipped_definition():
    for path in list_definitions():
        assert static_findings(load_questionnaire(path)) == [], path.name


# The XLSForm corpus forms the reader accepts are checked in tests/surveys/test_xlsform_corpus.py,
# on the forms its module fixture has already read (reading them again here would take minutes).


def test_every_finding_says_what_is_wrong_in_both_languages():
    q = load(section("housing", TENURE, _question("rent", "integer", relevant='"${tenure} > 4"')))
    for finding in static_findings(q):
        assert finding.kind in KINDS and finding.text.ko and finding.text.en
        assert str(finding).startswith("[rent] relevant: ")


def test_past_the_cap_the_search_samples_and_says_likely():
    many = [_question(f"m{i}", "multiple", choices="risks") for i in range(6)]
    condition = " and ".join(f"count-selected(${{m{i}}}) = 9" for i in range(6))
    q = load(section("many", *many, _question("never", "text", relevant=f'"{condition}"')))
    (finding,) = static_findings(q)
    assert finding.kind == "never_shown" and not finding.certain
    assert f"{CAP:,}" in finding.text.en and "likely" in finding.text.en


# -- where they are shown ------------------------------------------------------------------------------
def test_surveys_check_prints_findings_as_warnings_and_still_exits_0(tmp_path):
    text = yaml_text(section("housing", TENURE, RENT_NEVER))
    path = tmp_path / "warned.yaml"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "surveys", "check", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == f"{path}: 0 problems, 1 warning"
    assert lines[0].startswith(f"{path}: warning: [rent] relevant: ")


def test_an_upload_is_stored_with_its_findings_beside_it(store):
    from surveys.questionnaire.uploads import receive_upload

    content = yaml_text(section("housing", TENURE, RENT_NEVER)).encode("utf-8")
    outcome = receive_upload(store, "x.yaml", content, actor="tester")
    assert outcome.problems == [] and outcome.saved is not None and outcome.saved.created
    assert kinds(outcome.findings) == [("never_shown", "rent", "relevant", "${tenure} > 4")]
    again = receive_upload(store, "x.yaml", content, actor="tester")  # unchanged: still warned
    assert not again.saved.created and kinds(again.findings) == kinds(outcome.findings)


def test_a_choice_filter_on_a_question_that_is_no_select_is_said_to_be_ignored(tmp_path):
    from surveys.questionnaire.xlsform import read_xlsform
    from tests.surveys.test_xlsform import write_workbook

    survey = [
        ("type", "name", "label", "choice_filter"),
        ("integer", "rooms", "Rooms", "size = ${rooms}"),
        ("select_one yn", "own", "Own it?", None),
    ]
    choices = [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]
    questionnaire, problems = read_xlsform(write_workbook(tmp_path / "f.xlsx", survey, choices))
    assert questionnaire is not None, problems  # pyxform accepts it: so do we
    found = [f for f in static_findings(questionnaire) if f.kind == "ignored"]
    assert [(f.question, f.rule, f.source) for f in found] == [
        ("rooms", "choice_filter", "size = ${rooms}")
    ]
    assert "2행" in found[0].text.ko and "row 2" in found[0].text.en
