"""Loading YAML questionnaire definitions: the model we get, and every problem reported."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.questionnaire.loader import (
    DEFINITIONS_DIR,
    Problem,
    QuestionnaireError,
    check_questionnaire,
    list_definitions,
    load_definition,
    load_questionnaire,
    questionnaire_from_dict,
)

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small_survey.yaml"


def small_dict() -> dict[str, Any]:
    return yaml.safe_load(SMALL.read_text(encoding="utf-8"))


def problems_of(data: dict[str, Any]) -> list[Problem]:
    try:
        questionnaire_from_dict(data, file="test.yaml")
    except QuestionnaireError as error:
        assert error.problems, "QuestionnaireError without problems"
        return error.problems
    return []


def section(data: dict, part: str, section_id: str) -> dict:
    return next(s for s in data[part]["sections"] if s["id"] == section_id)


def question(data: dict, name: str) -> dict:
    for part in ("household", "person"):
        for sec in data.get(part, {}).get("sections", []):
            for item in sec["questions"]:
                if item["name"] == name:
                    return item
    raise KeyError(name)


# -- a clean file -------------------------------------------------------------------------
def test_small_survey_loads_into_the_model():
    q = load_questionnaire(SMALL)
    assert (q.id, q.version, q.kind, q.languages) == (
        "small_survey",
        "2026.1",
        "cross_section",
        ("ko", "en"),
    )
    assert q.title.ko == "작은 설문" and q.title.en == "Small survey"
    assert [p.name for p in q.parts] == ["household", "person"]
    roster = q.household.roster_section()
    assert roster is not None and roster.id == "members"
    assert roster.repeat_count is not None and roster.repeat_count.source == "${household_size}"
    assert [x.name for x in roster.questions] == ["relation", "sex", "birth_year", "age"]
    assert q.person is not None and q.person.eligible.source == "${age} >= 15"
    assert [s.id for s in q.person.sections] == ["happiness"]


def test_questions_keep_rules_labels_and_defaults():
    q = load_questionnaire(SMALL)
    rent = q.question("monthly_rent")
    assert rent.relevant.source == "${tenure} = 3"
    assert rent.constraint.source == ". > 0"
    assert rent.constraint_message.en == "Must be more than 0"
    comment = q.question("comment")
    assert comment.required is False
    assert comment.required_if.source == "count-selected(${risks}) > 1"
    assert comment.max_length == 500  # text default
    happy = q.question("happy_life")
    assert (happy.min, happy.max, happy.grid) == (0, 10, "happiness")  # scale default
    assert q.question("household_size").unit.ko == "명"
    assert q.question("tenure").appearance == "horizontal"
    assert q.question("age").label.ko == ""  # a calculation needs no label
    assert q.question("risks").help.en == "Choose all"


def test_choice_lists_written_out_and_from_reference_data():
    q = load_questionnaire(SMALL)
    from data.reference import shipped_csv

    sex = shipped_csv("sex")
    assert q.choice_lists["sex"].codes() == [int(c) for c in sex["code"]]
    assert q.choice_lists["sex"].label(1, "ko") == sex.loc[0, "label_ko"]
    assert q.choice_lists["relation"].label(1, "en") == "Head"
    risks = q.choice_lists["risks"]
    assert [c.exclusive for c in risks.choices] == [False, False, True]
    gu = q.choice_lists["gu"]
    assert [c.filter_value for c in gu.choices] == ["1", "2"]
    assert q.question("district").choice_filter.source == "filter = ${region}"


def test_source_hash_is_the_sha256_of_the_file_bytes():
    q = load_questionnaire(SMALL)
    assert q.source_hash == hashlib.sha256(SMALL.read_bytes()).hexdigest()
    assert check_questionnaire(SMALL) == []


def test_questionnaire_from_dict_builds_without_a_file():
    q = questionnaire_from_dict(small_dict())
    assert q.id == "small_survey" and q.source_hash == ""


# -- the shipped definitions -----------------------------------------------------------------
def test_every_shipped_definition_is_clean():
    paths = list_definitions()
    assert all(p.parent == DEFINITIONS_DIR for p in paths)
    for path in paths:
        assert check_questionnaire(path) == [], path


def test_load_definition_finds_the_file_by_id():
    q = load_definition("seoul_survey_2026")
    assert q.id == "seoul_survey_2026"
    assert q.household.roster_section() is not None


def test_load_definition_of_an_unknown_id_is_a_key_error():
    with pytest.raises(KeyError, match="no_such_survey"):
        load_definition("no_such_survey")


def test_definition_ids_are_unique_in_the_definitions_folder(tmp_path, monkeypatch):
    import surveys.questionnaire.loader

    monkeypatch.setattr(surveys.questionnaire.loader, "DEFINITIONS_DIR", tmp_path)
    (tmp_path / "a.yaml").write_bytes(SMALL.read_bytes())
    assert load_definition("small_survey").id == "small_survey"
    (tmp_path / "b.yaml").write_bytes(SMALL.read_bytes())
    (problem,) = check_questionnaire(tmp_path / "a.yaml")
    assert "b.yaml" in problem.message_en
    assert [p.name for p in list_definitions()] == ["a.yaml", "b.yaml"]


def test_missing_file_and_unknown_type():
    with pytest.raises(FileNotFoundError):
        load_questionnaire(FIXTURES / "nope.yaml")
    with pytest.raises(ValueError, match=".yaml"):
        load_questionnaire(Path(__file__))


# -- one mistake at a time: the problem names the question -----------------------------------
Mutation = Callable[[dict], Any]


def _set(part: str, name: str, key: str, value: Any) -> Mutation:
    return lambda d: question(d, name).__setitem__(key, value)


MISTAKES: list[tuple[str, Mutation, str | None, str]] = [
    ("missing id", lambda d: d.pop("id"), None, "missing the required key 'id'"),
    ("bad id", lambda d: d.__setitem__("id", "Small-Survey"), None, "id 'Small-Survey'"),
    ("float version", lambda d: d.__setitem__("version", 2026.1), None, "quote it"),
    ("bad kind", lambda d: d.__setitem__("kind", "panel"), None, "kind 'panel'"),
    ("languages", lambda d: d.__setitem__("languages", ["en", "ko"]), None, "Korean first"),
    ("unknown top key", lambda d: d.__setitem__("titel", {}), None, "unknown key 'titel'"),
    ("typo key", _set("household", "tenure", "requried", True), "tenure", "'required'"),
    ("quoted required", _set("household", "tenure", "required", "yes"), "tenure", "without quo"),
    ("bad name", _set("household", "tenure", "name", "Tenure"), "Tenure", "lowercase"),
    ("unknown type", _set("household", "tenure", "type", "singel"), "tenure", "'single'"),
    ("no list", _set("household", "tenure", "choices", "tenur"), "tenure", "'tenure'"),
    ("no ko", _set("household", "tenure", "label", {"en": "x"}), "tenure", "Korean (ko)"),
    ("en: No", _set("household", "tenure", "label", {"ko": "x", "en": False}), "tenure", "quote"),
    ("bad rule", _set("household", "tenure", "relevant", "${a} = = 1"), "tenure", "character"),
    ("unknown ref", _set("household", "tenure", "relevant", "${nope} = 1"), "tenure", "${nope}"),
    ("self ref", _set("household", "tenure", "relevant", "${tenure} = 1"), "tenure", "itself"),
    (
        "self in constraint",
        _set("household", "monthly_rent", "constraint", "${monthly_rent} > 0"),
        "monthly_rent",
        "'.'",
    ),
    ("dot", _set("household", "tenure", "relevant", ". = 1"), "tenure", "only be used in a constr"),
    ("field", _set("household", "tenure", "relevant", "age > 3"), "tenure", "${age}"),
    (
        "filter field",
        _set("household", "district", "choice_filter", "gu = ${region}"),
        "district",
        "'filter'",
    ),
    ("scale", _set("person", "happy_life", "min", 11), "happy_life", "greater than max"),
    ("min text", _set("household", "household_size", "min", "1"), "household_size", "number"),
    ("int bounds", _set("household", "household_size", "max", 2.5), "household_size", "whole"),
    ("max_length", _set("household", "comment", "max_length", 0), "comment", "at least 1"),
    ("wrong key", _set("household", "comment", "min", 1), "comment", "does not apply"),
    ("choices on text", _set("household", "comment", "choices", "yes_no"), "comment", "apply"),
    ("calc w/o rule", lambda d: question(d, "age").pop("calculate"), "age", "calculate rule"),
    ("note required", _set("household", "rent_note", "required", True), "rent_note", "required"),
    ("note ref", _set("household", "tenure", "relevant", "${rent_note} = 1"), "tenure", "note"),
    (
        "household sees no roster",
        _set("household", "tenure", "relevant", "${age} > 20"),
        "tenure",
        "roster question",
    ),
    (
        "household sees no person part",
        _set("household", "tenure", "relevant", "${works} = 1"),
        "tenure",
        "person-part",
    ),
    (
        "eligible sees only the roster",
        lambda d: d["person"].__setitem__("eligible", "${household_size} > 1"),
        "person",
        "roster answers",
    ),
    (
        "duplicate name",
        _set("person", "works", "name", "tenure"),
        "tenure",
        "used twice",
    ),
    (
        "duplicate section",
        lambda d: section(d, "person", "happiness").__setitem__("id", "housing"),
        "housing",
        "section id 'housing' is used twice",
    ),
    (
        "roster without count",
        lambda d: section(d, "household", "members").pop("repeat_count"),
        "members",
        "needs repeat_count",
    ),
    (
        "count without roster",
        lambda d: section(d, "household", "housing").__setitem__("repeat_count", "3"),
        "housing",
        "only for a section with roster",
    ),
    (
        "two rosters",
        lambda d: section(d, "household", "housing").update(roster=True, repeat_count="2"),
        "members",
        "only one roster",
    ),
    (
        "roster in person part",
        lambda d: section(d, "person", "happiness").update(roster=True, repeat_count="2"),
        "happiness",
        "only be in the household part",
    ),
    (
        "person without roster",
        lambda d: section(d, "household", "members").pop("roster"),
        "person",
        "needs a roster section",
    ),
    (
        "duplicate code",
        lambda d: d["choice_lists"]["yes_no"][1].__setitem__("code", 1),
        "yes_no",
        "code 1 appears twice",
    ),
    (
        "text code",
        lambda d: d["choice_lists"]["yes_no"][1].__setitem__("code", "2"),
        "yes_no",
        "whole number",
    ),
    (
        "unknown reference",
        lambda d: d["choice_lists"].__setitem__("sex", {"reference": "gender"}),
        "sex",
        "no code list 'gender'",
    ),
    (
        "exclusive in single",
        _set("household", "region", "choices", "risks"),
        "region",
        "exclusive",
    ),
    (
        "filter without values",
        _set("household", "district", "choices", "region"),
        "district",
        "no choice in list 'region' has a filter value",
    ),
    (
        "code not in list",
        _set("household", "monthly_rent", "relevant", "${tenure} = 7"),
        "monthly_rent",
        "'7' is not a code",
    ),
    (
        "selected code not in list",
        _set("household", "comment", "relevant", "selected(${risks}, '5')"),
        "comment",
        "'5' is not a code",
    ),
    (
        "broken grid",
        _set("person", "works", "grid", "happiness"),
        "works",
        "grid 'happiness'",
    ),
]


@pytest.mark.parametrize(
    "mutate,concerns,english", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_each_mistake_is_reported_naming_what_it_concerns(mutate, concerns, english):
    data = small_dict()
    mutate(data)
    problems = problems_of(data)
    matching = [p for p in problems if english in p.message_en]
    assert matching, "\n".join(map(str, problems))
    assert matching[0].question == concerns
    assert matching[0].message_ko and matching[0].message_ko != matching[0].message_en


def test_circular_calculations_are_found():
    data = small_dict()
    members = section(data, "household", "members")["questions"]
    members.append({"name": "a", "type": "calculate", "calculate": "${b} + ${age}"})
    members.append({"name": "b", "type": "calculate", "calculate": "${c} * 2"})
    members.append({"name": "c", "type": "calculate", "calculate": "${a} - 1"})
    problems = [p for p in problems_of(data) if "circular" in p.message_en]
    assert len(problems) == 1
    assert "${a} → ${b} → ${c} → ${a}" in problems[0].message_en


def test_scope_allows_what_the_readme_allows():
    data = small_dict()
    question(data, "birth_year")["constraint"] = ". <= 2026 and ${household_size} > 0"
    question(data, "works")["relevant"] = "${sex} = 1 and ${tenure} = 1 and ${happy_life} > 3"
    data["person"]["eligible"] = "${age} >= 15 and ${relation} != 3"
    assert problems_of(data) == []


# -- a file with many mistakes: every one, with its line --------------------------------------
BROKEN = """\
id: broken
version: "1"
title: {ko: "깨진 설문"}
choice_lists:
  yes_no:
    - {code: 1, ko: "예"}
    - {code: 1, ko: "아니오"}
household:
  sections:
    - id: main
      title: {ko: "본문"}
      questions:
        - name: size
          type: integer
          requried: true
          label: {ko: "가구원 수"}
        - name: car
          type: single
          choices: yes_no
          label: {ko: "차"}
          relevant: "${size} >"
        - name: size
          type: text
          label: {ko: "중복"}
"""


def test_a_broken_file_reports_every_problem_with_its_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    problems = check_questionnaire(path)
    found = {(p.location, p.question) for p in problems}
    assert found == {
        ("line 7", "yes_no"),  # duplicate code
        ("line 15", "size"),  # requried
        ("line 21", "car"),  # rule does not parse
        ("line 22", "size"),  # duplicate name
    }, "\n".join(map(str, problems))
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(path)
    assert raised.value.problems == problems
    assert [p.location for p in problems] == sorted(
        (p.location for p in problems), key=lambda loc: int(loc.split()[1])
    )


def test_problem_text_names_file_line_and_question():
    problem = Problem("a.yaml", "line 42", "tenure", "한국어", "English")
    assert str(problem) == "a.yaml:line 42: [tenure] 한국어 / English"
    assert str(Problem("a.yaml", "line 1", None, "가", "a")) == "a.yaml:line 1: 가 / a"


def test_yaml_syntax_errors_and_duplicate_keys_have_lines(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text('id: x\ntitle: {ko: "a"\nversion: "1"\n', encoding="utf-8")
    problems = check_questionnaire(path)
    assert len(problems) == 1 and "YAML syntax error" in problems[0].message_en
    assert problems[0].location.startswith("line ")
    text = SMALL.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "1"\nid: again')
    path.write_text(text, encoding="utf-8")
    problems = check_questionnaire(path)
    assert [(p.location, "appears twice" in p.message_en) for p in problems] == [("line 4", True)]


def test_merge_keys_are_not_duplicates_and_keep_lines(tmp_path):
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace(
        "        - name: region\n          type: single\n",
        "        - &base\n          name: region\n          type: single\n",
    )
    text = text.replace(
        "        - name: district\n          type: single\n",
        "        - <<: *base\n          name: district\n          requried: true\n",
    )
    path = tmp_path / "merge.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = check_questionnaire(path)
    line = text.splitlines().index("          requried: true") + 1
    assert (problem.location, problem.question) == (f"line {line}", "district")


def test_codes_may_be_written_as_text_or_numbers():
    data = small_dict()
    question(data, "monthly_rent")["relevant"] = "${tenure} = '03' or ${tenure} = 3.0"
    assert problems_of(data) == []


def test_the_whole_document_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    (problem,) = check_questionnaire(path)
    assert "mapping" in problem.message_en


def test_questionnaire_from_dict_uses_given_locations():
    data = small_dict()
    question(data, "tenure")["type"] = "singel"
    lines = {("household", "sections", 0, "questions", 1): "survey row 9"}
    with pytest.raises(QuestionnaireError) as raised:
        questionnaire_from_dict(data, file="form.xlsx", lines=lines)
    (problem,) = raised.value.problems
    assert (problem.file, problem.location, problem.question) == (
        "form.xlsx",
        "survey row 9",
        "tenure",
    )


# -- robustness: any junk gives problems, never a crash ----------------------------------------
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


PATHS = [p for p in _paths(small_dict()) if p]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), junk=JUNK)
def test_any_value_anywhere_gives_problems_not_crashes(path, junk):
    data = copy.deepcopy(small_dict())
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = junk
    try:
        questionnaire_from_dict(data)
    except QuestionnaireError as error:
        assert all(isinstance(p, Problem) for p in error.problems)
