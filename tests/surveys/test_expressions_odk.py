"""The ODK XForms functions of the rule language: the spec's examples, small references
written from the spec, and both evaluators (row by row, over a frame) giving the same values.

The references below are written straight from the spec's words ("XPath Functions" in
getodk.github.io/xforms-spec, and the XPath 1.0 / 3.0 sections it cites), deliberately in
another way than the implementations (loops instead of slices, strftime instead of fields).
"""

from __future__ import annotations

import datetime
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.answer_frames import roster_repeats
from surveys.questionnaire.expressions import (
    FUNCTIONS,
    NODESET_FUNCTIONS,
    UNSUPPORTED,
    Binary,
    Call,
    ExpressionSyntaxError,
    Literal,
    Ref,
    evaluate,
    parse,
    repeated_references,
    to_source,
)
from surveys.questionnaire.expressions_frame import evaluate_frame
from surveys.questionnaire.loader import load_questionnaire
from surveys.questionnaire.xlsform_rules import unsupported_features
from tests.surveys.test_expressions_frame import (
    SEOUL,
    TODAY,
    assert_equal_to_scalar,
    frames,
    plain,
    same,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
REPEATS = {"member": "member", "age": "member", "name": "member"}


def ev(source: str, **values):
    return evaluate(parse(source), values, today=TODAY)


def roster(source: str, members, **household):
    """A household rule read from outside the roster ``member`` (questions age, name)."""
    values = {**household, "member": members}
    return evaluate(parse(source), values, today=TODAY, repeats=REPEATS)


# --- the roster: count(), sum(), min(), max() from outside it ---------------------------------


def test_count_of_the_roster_counts_its_members_answered_or_not():
    members = [{"age": 41, "name": "Kim"}, {"age": 9}, {}]
    assert roster("count(${member})", members) == 3
    assert roster("count(${age})", members) == 3  # XPath: every member has an age node
    assert roster("count-non-empty(${name})", members) == 1
    assert roster("count(${member})", []) == 0 and roster("count(${member})", None) == 0
    assert roster("count(${member}) = ${household_size}", members, household_size=3) is True


def test_sum_is_unanswered_when_a_member_is_unanswered_as_xpath_gives_nan():
    assert roster("sum(${age})", [{"age": 41}, {"age": 9}]) == 50
    assert roster("sum(${age})", [{"age": 41}, {"age": 2.5}]) == 43.5
    assert roster("sum(${age})", [{"age": 41}, {}]) is None
    assert roster("sum(${age})", []) == 0  # XPath: the sum of no nodes is 0
    assert roster("sum(${age}) > 40", [{"age": 41}, {}]) is False


def test_min_and_max_over_the_roster():
    members = [{"age": 41}, {"age": 9}, {"age": "12"}]
    assert roster("max(${age})", members) == 41 and roster("min(${age})", members) == 9
    assert roster("max(${age})", [{"age": 41}, {}]) is None  # an empty node: NaN
    assert roster("max(${age})", []) is None
    assert roster("max(${age}, 50)", members) == 50


def test_join_and_concat_spread_the_members_answers():
    members = [{"name": "Kim"}, {}, {"name": "Lee"}]
    assert roster("join(', ', ${name})", members) == "Kim, , Lee"
    assert roster("concat(${name}, '!')", members) == "KimLee!"


def test_inside_the_roster_a_question_is_the_one_members_node():
    member = {"age": 41}  # evaluated without repeats: the member's own answers
    assert evaluate(parse("count(${age})"), member) == 1
    assert evaluate(parse("sum(${age})"), member) == 41
    assert evaluate(parse("count(${age})"), {}) == 1  # the node exists, unanswered
    assert evaluate(parse("max(${age}, ${other})"), member) == 41  # unchanged reading


def test_a_household_submission_is_read_across_its_roster_with_roster_repeats():
    questionnaire = load_questionnaire(SEOUL)
    repeats = roster_repeats(questionnaire)
    assert repeats["members"] == "members" and repeats["age"] == "members"
    assert "household_size" not in repeats
    submission = {"household_size": 2, "members": [{"age": 44}, {"age": 12}]}
    rule = parse("count(${members}) = ${household_size} and max(${age}) >= 19")
    assert evaluate(rule, submission, repeats=repeats) is True
    assert evaluate(parse("sum(${age})"), submission, repeats=repeats) == 56


def test_repeated_references_are_the_names_read_across_the_members():
    rule = parse("count(${member}) = ${size} and sum(${age}) > max(${income}, ${floor})")
    assert repeated_references(rule) == {"member", "age", "income", "floor"}
    assert repeated_references(parse("${age} > 3 and count-selected(${q}) = 1")) == set()


# --- the parser names what is wrong ---------------------------------------------------------


@pytest.mark.parametrize("source", ["count(3)", "sum(${a} + 1)", "count-non-empty('x')"])
def test_count_and_sum_of_a_value_are_refused_in_both_languages(source):
    with pytest.raises(ExpressionSyntaxError, match=r"write \w[\w-]*\(\$\{name\}\)") as caught:
        parse(source)
    assert caught.value.text is not None and "${이름}" in caught.value.text.ko
    assert caught.value.position == source.index("(") + 1


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_odk_functions_not_offered_are_named_not_supported_yet(name):
    with pytest.raises(ExpressionSyntaxError, match=r"not supported yet") as caught:
        parse(f"{name}(${{a}}) = 1")
    assert caught.value.text is not None
    assert f"{name}()" in caught.value.text.ko and "아직 지원하지 않습니다" in caught.value.text.ko
    assert name not in FUNCTIONS


def test_wrong_arity_and_unknown_functions_say_so_in_korean_too():
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("substr(${a})")
    assert caught.value.text is not None and "substr()" in caught.value.text.ko
    with pytest.raises(ExpressionSyntaxError, match="unknown function 'upper'") as caught:
        parse("upper(${a})")
    assert caught.value.text is not None and "sum" in caught.value.text.en


def test_an_xlsform_rule_counting_its_roster_is_no_longer_an_unsupported_function():
    # the KoBo form of issue 13 was refused with "count(): 지원하지 않는 함수입니다"
    assert unsupported_features("count(${member}) = ${size} and sum(${age}) > 0") == []
    assert unsupported_features("substr(${phone}, 0, 3) = '010'") == []
    assert unsupported_features("position(..) > 1") != []  # still named by the import


def test_new_functions_print_back_to_the_same_tree():
    for source in ["count(${member}) + sum(${age})", "format-date(today(), '%Y')", "pi()"]:
        assert parse(to_source(parse(source))) == parse(source)


# --- the spec's own examples ----------------------------------------------------------------


def test_xpath_string_function_examples():
    assert ev("substring-before('1999/04/01', '/')") == "1999"
    assert ev("substring-after('1999/04/01', '/')") == "04/01"
    assert ev("translate('bar', 'abc', 'ABC')") == "BAr"
    assert ev("translate('--aaa--', 'abc-', 'ABC')") == "AAA"
    assert ev("normalize-space('  a \t b\n')") == "a b"
    assert ev("contains('Seoul', 'eo') and starts-with('Seoul', 'Se')") is True
    assert ev("ends-with(${q}, 'ul')", q="Seoul") is True
    assert ev("substr('abcdef', 2, 4)") == "cd" and ev("substr('abcdef', 2)") == "cdef"
    assert ev("substr(${phone}, 0, 3) = '010'", phone="01012345678") is True
    assert ev("string(3.0)") == "3" and ev("string(${q})") == ""


def test_select_functions():
    assert ev("selected-at(${q}, 1)", q=[2, 5, 7]) == "5"
    assert ev("selected-at(${q}, 0)", q="a b") == "a"
    assert ev("selected-at(${q}, 3)", q=[2]) == "" and ev("selected-at(${q}, -1)", q=[2]) == ""
    assert ev("selected-at(${q}, 1) = 5", q=[2, 5]) is True
    assert ev("boolean-from-string('1')") is True and ev("boolean-from-string('yes')") is False


def test_math_functions():
    assert ev("pow(2, 10)") == 1024.0 and ev("pow(0, -1)") is None
    assert ev("abs(-3)") == 3 and ev("abs(${q})", q=-2.5) == 2.5
    assert ev("log10(1000)") == pytest.approx(3) and ev("log(0)") is None
    assert ev("sqrt(-1)") is None and ev("exp10(2)") == pytest.approx(100)
    assert ev("round(pi(), 4)") == 3.1416
    assert ev("atan2(1, 1)") == pytest.approx(math.pi / 4)
    assert ev("boolean('false')") is True and ev("boolean(0)") is False  # XPath 1.0
    assert ev("once(${q} + 1)", q=2) == 3  # stateless: the expression's value


def test_date_functions():
    assert ev("decimal-date-time('1970-01-02')") == 1.0
    assert ev("decimal-date-time('1970-01-01T06:00:00Z')") == 0.25
    assert ev("decimal-date-time('1970-01-01T09:00:00+09:00')") == 0.0
    assert ev("date(31)") == "1970-02-01" and ev("date('2026-05-01T23:00:00')") == "2026-05-01"
    assert ev("date('soon')") is None and ev("date('2023-02-29')") is None
    assert ev("format-date('2026-05-01', '%Y-%m-%d %e %n %b %a %y')") == (
        "2026-05-01 1 5 May Fri 26"
    )
    assert ev("format-date-time('2026-05-01T07:05:09.250', '%H:%M:%S.%3 %h')") == ("07:05:09.250 7")
    assert ev("format-date(today(), '%d/%m')") == "01/05"
    assert ev("number('1970-01-11')") == 10.0 and ev("number('soon')") is None
    assert ev("number(${b}) - number(${a})", a="2026-04-30", b="2026-05-02T12:00:00Z") == 2.5
    assert ev("format-date(${q}, '%Y')", q=None) == ""


# --- references from the spec, against the implementations ------------------------------------

TEXT = st.text(alphabet="ab -\t\nc가", max_size=8)
POSITION = st.one_of(st.integers(-3, 10), st.floats(-3, 10), st.none(), st.just("x"))


def ref_substr(text, start, end):
    """ODK: the characters whose 0-based index i has start <= i < end (no numbers: '')."""
    if start is None or end is None or isinstance(start, str) or isinstance(end, str):
        return ""
    return "".join(c for i, c in enumerate(text) if int(start) <= i < int(end))


def ref_translate(text, source, target):
    out = ""
    for c in text:
        if c not in source:
            out += c
        elif source.index(c) < len(target):
            out += target[source.index(c)]
    return out


def ref_normalize(text):
    return " ".join(t for t in re.split("[ \t\r\n]", text) if t)


@FAST
@given(TEXT, POSITION, POSITION)
def test_substr_is_the_specs_index_range(text, start, end):
    got = evaluate(Call("substr", (Literal(text), Literal(start), Literal(end))), {})  # type: ignore[arg-type]
    assert got == ref_substr(text, start, end)
    if end is not None and not isinstance(end, str):
        whole = evaluate(Call("substr", (Literal(text), Literal(start or 0))), {})
        assert whole == ref_substr(text, start or 0, len(text))


@FAST
@given(TEXT, TEXT, TEXT)
def test_text_functions_follow_xpath(text, part, other):
    call = lambda name, *args: evaluate(Call(name, tuple(map(Literal, args))), {})  # noqa: E731
    assert call("translate", text, part, other) == ref_translate(text, part, other)
    assert call("normalize-space", text) == ref_normalize(text)
    assert call("contains", text, part) is (part in text)
    assert call("starts-with", text, part) is text.startswith(part)
    assert call("ends-with", text, part) is text.endswith(part)
    # XPath 1.0: the empty string occurs at the start of every string
    before, found, after = text.partition(part) if part else ("", True, text)
    assert call("substring-before", text, part) == (before if found else "")
    assert call("substring-after", text, part) == (after if found else "")
    assert call("string-length", text) == len(text)


@FAST
@given(st.lists(st.integers(0, 99), max_size=5), st.integers(-2, 6))
def test_selected_at_is_the_item_at_the_index(codes, index):
    got = evaluate(parse(f"selected-at(${{q}}, {abs(index)})"), {"q": codes})
    expected = str(codes[abs(index)]) if abs(index) < len(codes) else ""
    assert got == expected


AGES = st.one_of(st.integers(-5, 120), st.floats(-5, 120, allow_nan=False), st.none())
AGES |= st.sampled_from(["", "7", "x", " 3 "])
MEMBERS = st.lists(st.fixed_dictionaries({}, optional={"age": AGES, "name": TEXT}), max_size=6)


def ref_number(value):
    """number() of a node's string value: None for NaN (empty or not a number)."""
    text = "" if value is None else str(value)
    try:
        return float(text) if text.strip() and "n" not in text.lower() else None
    except ValueError:
        return None


@FAST
@given(MEMBERS)
def test_roster_aggregates_follow_the_spec(members):
    ages = [ref_number(m.get("age")) for m in members]
    assert roster("count(${member})", members) == len(members)
    assert roster("count(${age})", members) == len(members)
    non_empty = sum(1 for m in members if m.get("age") not in (None, ""))
    assert roster("count-non-empty(${age})", members) == non_empty
    total = roster("sum(${age})", members)
    assert total == (None if None in ages else pytest.approx(sum(ages)))
    for name, pick in (("max", max), ("min", min)):
        got = roster(f"{name}(${{age}})", members)
        assert got == (None if None in ages or not ages else pick(ages))
    names = [m.get("name") or "" for m in members]
    assert roster("join('|', ${name})", members) == "|".join(names)


DAYS = st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31))
EPOCH = datetime.date(1970, 1, 1)


@FAST
@given(DAYS, st.integers(0, 86399))
def test_dates_follow_the_spec(day, seconds):
    stamp = f"{day.isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    expected = (day.toordinal() - EPOCH.toordinal()) + seconds / 86400
    assert ev("decimal-date-time(${d})", d=stamp) == pytest.approx(expected, abs=1e-9)
    assert ev("date(decimal-date-time(${d}))", d=stamp) == day.isoformat()
    fields = {"Y": "%Y", "y": "%y", "m": "%m", "d": "%d", "b": "%b", "a": "%a"}
    for field, code in fields.items():
        assert ev(f"format-date(${{d}}, '%{field}')", d=day.isoformat()) == day.strftime(code)
    assert ev("format-date(${d}, '%e/%n')", d=day.isoformat()) == f"{day.day}/{day.month}"


@FAST
@given(st.floats(-50, 50) | st.integers(-50, 50), st.floats(-5, 5) | st.integers(-5, 5))
def test_pow_and_abs_follow_xpath_3(x, y):
    got = evaluate(Call("pow", (Literal(x), Literal(y))), {})
    try:
        expected = float(x) ** float(y)
    except (ZeroDivisionError, OverflowError):
        expected = None
    if isinstance(expected, complex) or (expected is not None and not math.isfinite(expected)):
        expected = None
    assert got == (None if expected is None else pytest.approx(expected))
    assert evaluate(Call("abs", (Literal(x),)), {}) == (x if x >= 0 else -x)


def test_floor_and_ceiling_as_xpath_1_defines_them():
    # XPath 1.0 §4.4: floor(-3.14) = -4, ceiling(-3.14) = -3; integers stay as they are
    assert ev("floor(3.14)") == 3 and ev("floor(-3.14)") == -4 and ev("floor(5)") == 5
    assert ev("ceiling(3.14)") == 4 and ev("ceiling(-3.14)") == -3 and ev("ceiling(5)") == 5
    assert ev("floor('')") is None and ev("ceiling('abc')") is None


@given(st.floats(-1e12, 1e12, allow_nan=False) | st.integers(-(10**12), 10**12))
def test_floor_and_ceiling_bracket_the_number(x):
    low = evaluate(Call("floor", (Literal(x),)), {})
    high = evaluate(Call("ceiling", (Literal(x),)), {})
    assert low <= x <= high and high - low in (0, 1)
    assert (low == high) == (x == int(x))


# --- both evaluators equal, the roster included ------------------------------------------------

MEMBER_CELLS = st.one_of(
    MEMBERS, st.none(), st.just(np.nan), st.just([]), st.just(["not a member"])
)
NODESET_REFS = st.sampled_from(["member", "age", "name", "a", "missing"]).map(Ref)


def _nodeset_calls(children):
    def build(name):
        if name in ("count", "count-non-empty", "sum"):
            return NODESET_REFS.map(lambda ref: Call(name, (ref,)))
        args = st.lists(NODESET_REFS | children, min_size=1, max_size=3)
        return args.map(lambda a: Call(name, tuple(a)))

    return st.sampled_from(sorted(NODESET_FUNCTIONS)).flatmap(build)


ROSTER_TREES = st.recursive(
    st.one_of(NODESET_REFS, st.builds(Literal, st.integers(0, 5) | st.sampled_from(["", "x"]))),
    lambda children: st.one_of(
        _nodeset_calls(children),
        st.builds(Binary, st.sampled_from(["+", "=", ">", "and"]), children, children),
        st.builds(
            Call,
            st.sampled_from(["string-length", "abs", "sqrt", "number", "floor", "ceiling"]),
            children.map(lambda c: (c,)),
        ),
    ),  # fmt: skip
    max_leaves=6,
)


def _with_roster(frame: pd.DataFrame, cells: list) -> pd.DataFrame:
    out = frame.copy()
    column = np.empty(len(frame), dtype=object)
    for i, cell in enumerate(cells):
        column[i] = cell
    out["member"] = column
    return out


@settings(FAST, max_examples=300)
@given(ROSTER_TREES, frames(), st.data())
def test_roster_rules_over_a_frame_equal_the_row_by_row_evaluator(tree, drawn, data):
    frame, _ = drawn
    cells = data.draw(st.lists(MEMBER_CELLS, min_size=len(frame), max_size=len(frame)))
    frame = _with_roster(frame, cells)
    got = evaluate_frame(tree, frame, today=TODAY, repeats=REPEATS)
    columns = {name: frame[name].to_numpy(dtype=object) for name in frame.columns}
    for i in range(len(frame)):
        row = {k: plain(v[i]) for k, v in columns.items()}
        expected = evaluate(tree, row, today=TODAY, repeats=REPEATS)
        assert same(got.iloc[i], expected), (to_source(tree), i, got.iloc[i], expected)


ODK_NEW = sorted(set(FUNCTIONS) - {"selected", "count-selected", "not", "if", "string-length"})


@settings(FAST, max_examples=300)
@given(st.sampled_from(ODK_NEW), frames(), st.data())
def test_each_odk_function_over_a_frame_equals_the_row_by_row_evaluator(name, drawn, data):
    frame, current = drawn
    low, high = FUNCTIONS[name]
    count = data.draw(st.integers(low, low + 2 if high is None else high))
    refs = st.sampled_from(["a", "b", "c", "d"]).map(Ref)
    literals = st.builds(Literal, st.sampled_from(["%Y-%m", "", "2024-02-29", 2, 0.5, "a b"]))
    args = tuple(data.draw(refs if name in ("count", "count-non-empty", "sum") else refs | literals)
                 for _ in range(count))  # fmt: skip
    assert_equal_to_scalar(Call(name, args), frame, current)


def test_abs_and_sqrt_on_floats_are_vectorized_and_equal():
    frame = pd.DataFrame({"x": [1.5, -2.0, np.nan, -0.0, float("inf"), -4.0]})
    for rule in ("abs(${x})", "sqrt(${x})", "count(${x})"):
        assert_equal_to_scalar(parse(rule), frame)
    assert evaluate_frame(parse("sqrt(${x})"), frame).tolist() == [
        math.sqrt(1.5), None, None, -0.0, float("inf"), None,
    ]  # fmt: skip


def test_the_row_by_row_fallback_computes_each_distinct_value_once_and_exactly():
    cells = [1, 1.0, True, 0.0, -0.0, float("nan"), "1", 1, -0.0, True, [1], None]
    column = np.empty(len(cells), dtype=object)
    column[:] = cells
    frame = pd.DataFrame({"x": column})
    for rule in ("string(${x})", "atan2(${x}, -1)", "abs(${x})", "format-date(${x}, '%Y')"):
        assert_equal_to_scalar(parse(rule), frame)
    signs = evaluate_frame(parse("atan2(${x}, -1)"), frame).tolist()
    assert signs[3] == math.pi and signs[4] == -math.pi and signs[8] == -math.pi
