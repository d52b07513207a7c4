"""The questionnaire rule language: what statisticians write and what respondents then see."""

from __future__ import annotations

import datetime
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.questionnaire.expressions import (
    FUNCTIONS,
    KEYWORDS,
    NODESET_ONLY,
    Binary,
    Call,
    Current,
    ExpressionError,
    ExpressionSyntaxError,
    Field,
    Literal,
    Ref,
    Unary,
    evaluate,
    fields,
    parse,
    references,
    to_source,
    truthy,
    uses_current,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ev(source: str, current=None, **values):
    return evaluate(parse(source), values, current)


# --- skip logic, constraints, calculations -----------------------------------


def test_skip_logic_combines_a_single_choice_and_a_multiple_choice():
    rule = "${commute} = 1 and selected(${mode}, '3')"
    assert ev(rule, commute=1, mode=[1, 3]) is True
    assert ev(rule, commute=1, mode=[1, 2]) is False
    assert ev(rule, commute=2, mode=[3]) is False
    assert ev(rule, commute=1, mode="1 3") is True  # XLSForm stores selections space-separated


def test_selected_accepts_the_code_as_text_or_number():
    assert ev("selected(${q}, 4)", q=[4, 7]) is True
    assert ev("selected(${q}, '4')", q=4) is True
    assert ev("selected(${q}, '4')", q=None) is False


def test_constraint_checks_the_current_answer():
    rule = parse(". <= ${household_size}")
    assert uses_current(rule)
    assert evaluate(rule, {"household_size": 4}, 3) is True
    assert evaluate(rule, {"household_size": 4}, 5) is False


def test_unanswered_questions_make_comparisons_false_but_equal_empty():
    assert ev("${age} >= 15") is False
    assert ev("${age} < 15") is False
    assert ev("${age} = ''") is True
    assert ev("${age} = ''", age="") is True
    assert ev("${age} != ''", age=0) is True
    assert ev("${age} = 0") is False


def test_numbers_typed_as_text_compare_as_numbers():
    assert ev("${q} = 3", q="3") is True
    assert ev("${q} = '3.0'", q=3) is True
    assert ev("${q} > 10", q="9") is False


def test_text_answers_compare_as_text():
    assert ev("${name} = 'Kim'", name="Kim") is True
    assert ev('${name} != "Lee"', name="Kim") is True


def test_dates_compare_as_dates():
    assert ev("${visit} <= today()", visit="2024-03-01") is True
    assert ev("${a} < ${b}", a="2024-12-31", b="2025-01-01") is True
    day = datetime.date(2026, 5, 1)
    assert evaluate(parse("today()"), {}, today=day) == "2026-05-01"


def test_count_selected_counts_the_chosen_codes():
    assert ev("count-selected(${risks})", risks=[1, 4, 7]) == 3
    assert ev("count-selected(${risks})", risks="1 4") == 2
    assert ev("count-selected(${risks})") == 0
    assert ev("count-selected(${risks}) <= 3", risks=[1, 2]) is True


def test_if_chooses_a_branch():
    assert ev("if(${age} >= 65, 'senior', 'adult')", age=70) == "senior"
    assert ev("if(${age} >= 65, 'senior', 'adult')") == "adult"


def test_calculation_with_an_unanswered_input_is_unanswered():
    assert ev("2026 - ${birth_year}", birth_year=1990) == 36
    assert ev("2026 - ${birth_year}") is None
    assert ev("${income} div ${members}", income=600, members=0) is None


def test_div_gives_a_fraction_and_mod_a_remainder():
    assert ev("7 div 2") == 3.5
    assert ev("7 mod 3") == 1
    assert ev("int(7 div 2)") == 3
    assert ev("int(-7 div 2)") == -3  # truncates toward zero


def test_round_goes_half_away_from_zero():
    assert ev("round(2.5)") == 3
    assert ev("round(-2.5)") == -3
    assert ev("round(2.675, 2)") == 2.68


def test_text_functions():
    assert ev("string-length(${comment})", comment="서울") == 2
    assert ev("string-length(${comment})") == 0
    assert ev("concat(${gu}, '-', ${dong})", gu="종로구", dong=None) == "종로구-"
    assert ev("coalesce(${a}, ${b})", a="", b=5) == 5


def test_min_and_max_ignore_unanswered():
    assert ev("max(${a}, ${b}, 3)", a=7, b=None) == 7
    assert ev("min(${a}, ${b})") is None


def test_regex_constraint_on_a_phone_number():
    rule = "regex(., '01[0-9]-[0-9]{4}-[0-9]{4}')"
    assert ev(rule, "010-1234-5678") is True
    assert ev(rule, "010-1234-567") is False
    assert ev(rule, None) is False


def test_true_false_and_not():
    assert ev("true() and not(false())") is True
    assert ev("${consent} = true()", consent=1) is True
    assert ev("not(${q})") is True


def test_and_or_give_booleans_and_use_truthiness():
    assert ev("${a} or ${b}", a=0, b="x") is True
    assert ev("${a} and 1", a=[]) is False
    assert [truthy(v) for v in (None, "", 0, 0.0, False, [], "0", 2)] == [False] * 6 + [True] * 2


# --- precedence and printing -------------------------------------------------


def test_multiplication_binds_tighter_than_addition():
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("10 - 4 - 3") == 3  # left-associative


def test_not_then_or_then_and():
    rule = parse("not(${a} > 1) or ${b} = 2 and ${c} = 3")
    assert isinstance(rule, Binary) and rule.op == "or"
    assert evaluate(rule, {"a": 0, "b": 9}) is True


def test_negative_numbers_print_back_identically():
    for source in ("- -3", "${a} - -3", "1 - (2 - 3)", "-(1 + 2)", "2 * -3", "-3 * 2"):
        assert to_source(parse(source)) == source
    assert parse("-3") == Unary("-", Literal(3))


def test_printer_removes_needless_parentheses_and_normalises_spacing():
    assert to_source(parse("((${a}))+(2*3)")) == "${a} + 2 * 3"
    assert to_source(parse("not ( . )")) == "not(.)"
    assert to_source(Literal("it's")) == '"it\'s"'


def test_printer_refuses_text_with_both_quotes():
    with pytest.raises(ExpressionError):
        to_source(Literal("'\""))


# --- errors ------------------------------------------------------------------


def test_syntax_error_names_the_position():
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("${a} > )")
    assert caught.value.position == 7
    assert str(caught.value) == "unexpected ')' at position 7 in: ${a} > )"


@pytest.mark.parametrize(
    ("source", "position"),
    [("", 0), ("${a} >", 6), ("'open", 0), ("$a", 0), ("1 # 2", 2), ("(1", 2), ("1 2", 2)],
)
def test_malformed_rules_are_syntax_errors(source, position):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(source)
    assert caught.value.position == position


def test_unknown_function_and_wrong_arity_are_rejected_when_parsed():
    with pytest.raises(ExpressionSyntaxError, match="unknown function 'total'"):
        parse("total(${a}, ${b})")  # sum() was the example until it became a function
    with pytest.raises(ExpressionSyntaxError, match=r"if\(\) takes 3 arguments, got 2"):
        parse("if(${a}, 1)")
    with pytest.raises(ExpressionSyntaxError, match="at position 4"):
        parse("1 + round()")


def test_invalid_literal_regex_is_a_syntax_error():
    with pytest.raises(ExpressionSyntaxError, match="regular expression at position 9"):
        parse("regex(., '[0-9')")
    assert evaluate(parse("regex(., ${p})"), {"p": "[0-9"}, "1") is False


def test_absurdly_deep_rules_are_syntax_errors_not_crashes():
    with pytest.raises(ExpressionSyntaxError):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionSyntaxError):
        parse(" + ".join(["1"] * 500))
    assert ev(" + ".join(["1"] * 50)) == 50


# --- names, fields -----------------------------------------------------------


def test_bare_field_in_a_choice_filter():
    rule = parse("filter = ${district}")
    assert rule == Binary("=", Field("filter"), Ref("district"))
    assert fields(rule) == {"filter"} and references(rule) == {"district"}
    assert evaluate(rule, {"district": "11110"}, fields={"filter": "11110"}) is True
    assert evaluate(rule, {"district": "11110"}, fields={"filter": "11140"}) is False


def test_hyphenated_function_names_and_minus_between_fields():
    assert parse("count-selected(${x})") == Call("count-selected", (Ref("x"),))
    assert parse("a - b") == Binary("-", Field("a"), Field("b"))


def test_references_are_collected_from_every_depth():
    rule = parse("if(${a} > 1, concat(${b}, .), -${c})")
    assert references(rule) == {"a", "b", "c"}
    assert uses_current(rule) and not uses_current(parse("${a}"))


# --- properties --------------------------------------------------------------

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,5}", fullmatch=True)
FIELD_NAMES = NAMES.filter(lambda name: name not in KEYWORDS)
TEXTS = st.text(max_size=8).filter(lambda s: not ("'" in s and '"' in s))
NUMBERS = st.integers(0, 10**12) | st.floats(0, 1e300).filter(lambda x: math.copysign(1, x) > 0)
LEAVES = st.one_of(
    st.builds(Literal, NUMBERS | TEXTS),
    st.builds(Ref, NAMES),
    st.just(Current()),
    st.builds(Field, FIELD_NAMES),
    st.builds(Call, st.sampled_from(["today", "true", "false"]), st.just(())),
)
OPERATORS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]


def _valid_pattern(node):
    if not isinstance(node, Literal):
        return True
    try:
        re.compile(str(node.value))
    except re.error:
        return False
    return True


def _calls(children):
    def build(name):
        low, high = FUNCTIONS[name]
        args = st.lists(children, min_size=low, max_size=low + 2 if high is None else high)
        if name == "regex":
            args = args.filter(lambda a: _valid_pattern(a[1]))
        if name in NODESET_ONLY:  # count(${q}), sum(${q}): a question, never a value
            args = st.tuples(st.builds(Ref, NAMES))
        return args.map(lambda a: Call(name, tuple(a)))

    return st.sampled_from(sorted(FUNCTIONS)).flatmap(build)


TREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.builds(Unary, st.just("-"), children),
        st.builds(Binary, st.sampled_from(OPERATORS), children, children),
        _calls(children),
    ),
    max_leaves=12,
)
ANSWERS = st.one_of(
    st.none(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.lists(st.integers(0, 99), max_size=4),
    st.sampled_from(["", "3", "1 3", "2024-02-29", "2023-02-29", "-0.5", "true"]),
    st.booleans(),
)


@FAST
@given(TREES)
def test_printed_rules_parse_back_to_the_same_tree(tree):
    assert parse(to_source(tree)) == tree


@FAST
@given(TREES)
def test_printing_is_idempotent(tree):
    text = to_source(tree)
    assert to_source(parse(text)) == text


FRAGMENTS = ["${a}", ".", "1", "2.5", "'x'", '"y"', "(", ")", ",", "-", "+", "*", "=", "!="]
FRAGMENTS += ["<", ">=", "and", "or", "div", "mod", "not(", "if(", "selected(", "filter", "$", "{"]


@FAST
@given(
    st.text(alphabet="${}()., '\"=!<>+-*abdimnortv_019", max_size=30)
    | st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join)
)
def test_any_text_parses_or_is_a_syntax_error(text):
    try:
        tree = parse(text)
    except ExpressionSyntaxError as error:
        assert error.position is not None and 0 <= error.position <= len(text)
    else:
        assert parse(to_source(tree)) == tree


@FAST
@given(st.data(), TREES)
def test_evaluation_never_raises(data, tree):
    values = {name: data.draw(ANSWERS) for name in references(tree)}
    found = {name: data.draw(ANSWERS) for name in fields(tree)}
    evaluate(tree, values, data.draw(ANSWERS), fields=found)
