"""Rules over a whole frame of answers give exactly what the scalar evaluator gives row by row."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.questionnaire import expressions_frame
from surveys.questionnaire.expressions import (
    FUNCTIONS,
    NODESET_ONLY,
    Binary,
    Call,
    Current,
    Field,
    Literal,
    Ref,
    Unary,
    evaluate,
    parse,
    truthy,
)
from surveys.questionnaire.expressions_frame import evaluate_frame, truthy_frame
from surveys.questionnaire.loader import load_questionnaire
from surveys.questionnaire.model import Questionnaire

SEOUL = Path(__file__).parents[2] / "surveys" / "definitions" / "seoul_survey_2026.yaml"
SMALL_SURVEY = Path(__file__).parent / "fixtures" / "small_survey.yaml"
TODAY = datetime.date(2026, 5, 1)
MANY = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


# --- the reference: the scalar evaluator, row by row -----------------------------------


def plain(value):
    """A cell as the brief defines it: pandas missing as None, numpy as Python."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value


def row_by_row(node, frame, current=None, fields=None):
    columns = {name: frame[name].to_numpy(dtype=object) for name in frame.columns}
    currents = [None] * len(frame) if current is None else current.to_numpy(dtype=object)
    return [
        evaluate(node, {k: plain(v[i]) for k, v in columns.items()}, plain(currents[i]),
                 fields=fields, today=TODAY)
        for i in range(len(frame))
    ]  # fmt: skip


def same(a, b) -> bool:
    """Same type and value (NaN equals NaN, -0.0 differs from 0.0), recursively for lists."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


def assert_equal_to_scalar(node, frame, current=None, fields=None):
    got = evaluate_frame(node, frame, current, fields=fields, today=TODAY)
    assert got.dtype == object and got.index.equals(frame.index)
    expected = row_by_row(node, frame, current, fields)
    wrong = [
        (i, g, e) for i, (g, e) in enumerate(zip(got, expected, strict=True)) if not same(g, e)
    ]
    assert not wrong, f"{node}: (row, frame, scalar) {wrong[:5]}"


# --- what validation relies on ----------------------------------------------------------


def frame_of(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, index=[10, 11, 12, 13])


def test_skip_logic_on_nullable_codes_and_lists_of_codes():
    frame = frame_of(
        commute=pd.array([1, 1, 2, None], dtype="Int64"),
        mode=_objects([[1, 3], np.array([3]), [], None]),
    )
    result = evaluate_frame(parse("${commute} = 1 and selected(${mode}, '3')"), frame)
    assert result.tolist() == [True, True, False, False] and list(result.index) == [10, 11, 12, 13]
    counts = evaluate_frame(parse("count-selected(${mode})"), frame)
    assert counts.tolist() == [2, 1, 0, 0]


def test_constraint_reads_the_current_answer_by_position():
    frame = frame_of(cars=pd.array([2, 2, None, 0], dtype="Int64"))
    current = pd.Series([1.0, 3.0, np.nan, 0.0], index=[0, 1, 2, 3])
    result = evaluate_frame(parse(". >= 0 and . <= ${cars}"), frame, current)
    assert result.tolist() == [True, False, False, True]
    with pytest.raises(ValueError, match="3 values for 4 rows"):
        evaluate_frame(parse("."), frame, current.iloc[:3])


def test_calculation_keeps_ints_ints_and_unanswered_none():
    frame = frame_of(birth_year=[1990.0, np.nan, 2011.0, 1900.0], income=[600, 0, 7, -7])
    assert evaluate_frame(parse("2026 - ${birth_year}"), frame).tolist() == [
        36.0,
        None,
        15.0,
        126.0,
    ]
    assert evaluate_frame(parse("${income} div 0"), frame).tolist() == [None] * 4
    assert evaluate_frame(parse("${income} mod 3"), frame).tolist() == [0, 0, 1, -1]


def test_a_missing_column_is_unanswered_everywhere():
    frame = frame_of(a=[1, 2, 3, 4])
    assert evaluate_frame(parse("${nowhere} = ''"), frame).tolist() == [True] * 4
    assert evaluate_frame(parse("${nowhere} >= 0"), frame).tolist() == [False] * 4


def test_text_functions_and_dates_fall_back_to_the_scalar_evaluator():
    frame = frame_of(
        visit=["2026-04-30", "2026-05-02", None, "soon"], name=["Kim", "", "Lee", None]
    )
    result = evaluate_frame(parse("${visit} <= today()"), frame, today=TODAY)
    assert result.tolist() == [True, False, False, False]
    lengths = evaluate_frame(parse("string-length(concat(${name}, '-'))"), frame)
    assert lengths.tolist() == [4, 1, 4, 1]


def test_choice_filter_fields_are_the_same_in_every_row():
    frame = frame_of(district=["11110", "11140", None, "11110"], pick=[True, False, True, False])
    same_district = evaluate_frame(parse("filter = ${district}"), frame, fields={"filter": "11110"})
    assert same_district.tolist() == [True, False, False, True]
    chosen = evaluate_frame(parse("if(${pick}, filter, 2)"), frame, fields={"filter": [1, 3]})
    assert chosen.tolist() == [[1, 3], 2, [1, 3], 2]


def test_truthy_frame_is_truthy_element_by_element():
    values = pd.Series([None, "", 0, 0.0, False, [], "0", 2, np.nan, pd.NA, np.int64(0), 0.5])
    assert truthy_frame(values).tolist() == [False] * 6 + [True, True, False, False, False, True]
    assert truthy_frame(values).dtype == bool
    calculated = evaluate_frame(parse("${a} * 2"), frame_of(a=[0, 1, None, "x"]))
    assert truthy_frame(calculated).tolist() == [truthy(v) for v in calculated]


def edge_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "flag": [True, False, True, False, True, False],
        "x": [1.0, 1e16, 2.0**53, -0.0, float("inf"), np.nan],
        "big": np.array([2**62, -(2**63), 2**53 + 1, 0, 1, 5], dtype=np.int64),
        "codes": _objects([[1, 3], [2**62], None, [], np.array([3]), [12]]),
        "text": pd.array(["3", " 7 ", "", None, "1e3", "x"], dtype="str"),
        "mixed": _objects([1, 1.0, "1", False, [True], None]),
    })  # fmt: skip


EDGE_RULES = [
    "selected(${flag}, 1)", "selected(${x}, 1)", "selected(${x}, '10000000000000000')",
    "selected(${codes}, 3)", "selected(${codes}, '03')", "count-selected(${codes})",
    "${big} + ${big}", "${big} * 2", "-${big}", "${big} mod 7", "${big} div 3", "${big} = ${x}",
    "${big} < ${x}", "${big} = 9007199254740993", "${x} mod 2", "not(${x} * ${x} - ${x})", "-${x}",
    "${x} = '1e+16'", "${x} != ''", "${text} = 3", "${text} = '3.0'", "${text} = ''", "${text} = 'x'",
    "${mixed} = 1", "${mixed} = ''", "${flag} = true()", "${flag} = ''", "${flag} + 1",
    "int(${x})", "number(${big})", "coalesce(${text}, ${x})", "if(${flag}, ${x}, ${big})",
    "if(${flag}, ${big}, 1)", "not(${mixed}) or ${codes}", ". >= 1 and . <= ${big}",
]  # fmt: skip


@pytest.mark.parametrize("rule", EDGE_RULES)
def test_edge_cells_give_the_scalar_evaluators_values(rule):
    frame = edge_frame()
    assert_equal_to_scalar(parse(rule), frame, frame["x"])


def test_seoul_survey_rules_need_no_row_by_row_fallback(monkeypatch):
    def refuse(self, node, args):
        raise AssertionError(f"row-by-row fallback for {node}")

    monkeypatch.setattr(expressions_frame._Frame, "row_by_row", refuse)
    questionnaire = load_questionnaire(SEOUL)
    frame = answers_frame(questionnaire, 300, np.random.default_rng(1), inferred=False)
    for node, question in rules(questionnaire):
        evaluate_frame(node, frame, None if question is None else frame[question])


# --- property: random rules on random frames -------------------------------------------

COLUMNS = ["a", "b", "c", "d"]
TEXTS = ["", "3", " 7 ", "1e3", "3.0", "-0.5", "0", "x", "Kim", "true", "1 3", "2024-02-29"]
TEXTS += ["2023-02-29", "[0-9]+", "inf", "nan", "1e+16", "٣"]
SMALL = st.integers(-3, 12)
INT64 = st.integers(-(2**63), 2**63 - 1)
MISSING = st.sampled_from([None, np.nan, pd.NA])
CODES = st.lists(st.integers(0, 12), max_size=3)
CELLS = st.one_of(
    MISSING, SMALL, st.integers(), st.floats(), st.booleans(), st.sampled_from(TEXTS),
    st.text(max_size=3), CODES, CODES.map(np.array), st.just([True]), st.just(["1", "3"]),
    st.sampled_from([np.int64(3), np.float64(2.5), np.bool_(True), 2**53 + 1, -(2**63)]),
)  # fmt: skip


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _floats(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


# column kind -> (cell strategy, how the cells become a column)
KINDS = {
    "Int64": (st.one_of(SMALL, INT64, st.none()), lambda v: pd.array(v, dtype="Int64")),
    "int64": (st.one_of(SMALL, INT64), lambda v: np.array(v, dtype=np.int64)),
    "uint8": (st.integers(0, 255), lambda v: np.array(v, dtype=np.uint8)),
    "float64": (st.one_of(SMALL, st.floats(), st.none()), _floats),
    "Float64": (st.one_of(SMALL, st.floats(allow_nan=False), st.none()),
                lambda v: pd.array(v, dtype="Float64")),
    "bool": (st.booleans(), lambda v: np.array(v, dtype=bool)),
    "boolean": (st.one_of(st.booleans(), st.none()), lambda v: pd.array(v, dtype="boolean")),
    "str": (st.one_of(st.sampled_from(TEXTS), st.text(max_size=3), st.none()),
            lambda v: pd.array(v, dtype="str")),
    "codes": (st.one_of(CODES, CODES.map(np.array), st.none()), _objects),
    "ints": (st.one_of(SMALL, st.integers(), st.none()), _objects),
    "object": (CELLS, _objects),
}  # fmt: skip


@st.composite
def frames(draw) -> tuple[pd.DataFrame, pd.Series | None]:
    rows = draw(st.integers(0, 7))
    index = pd.Index(draw(st.permutations(range(100, 100 + rows))))

    def column():
        kind = draw(st.sampled_from(sorted(KINDS)))
        cells, build = KINDS[kind]
        return build(draw(st.lists(cells, min_size=rows, max_size=rows)))

    frame = pd.DataFrame({name: column() for name in COLUMNS}, index=index)
    current = pd.Series(column(), index=index) if draw(st.booleans()) else None
    return frame, current


LITERALS = st.one_of(
    SMALL.map(abs), st.integers(0, 2**70), st.floats(0, 1e300), st.sampled_from([0.5, 3.0, 2.675]),
    st.sampled_from(TEXTS), st.text(max_size=3).filter(lambda s: "'" not in s), st.booleans(),
)  # fmt: skip
LEAVES = st.one_of(
    st.builds(Literal, LITERALS),
    st.builds(Ref, st.sampled_from([*COLUMNS, "missing"])),
    st.just(Current()),
    st.just(Field("filter")),
    st.builds(Call, st.sampled_from(["today", "true", "false"]), st.just(())),
)
OPERATORS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]


def _calls(children):
    def build(name):
        low, high = FUNCTIONS[name]
        args = st.lists(children, min_size=low, max_size=low + 2 if high is None else high)
        if name in NODESET_ONLY:  # count(${q}), sum(${q}): a question, never a value
            args = st.tuples(st.builds(Ref, st.sampled_from([*COLUMNS, "missing"])))
        return args.map(lambda a: Call(name, tuple(a)))

    return st.sampled_from(sorted(FUNCTIONS)).flatmap(build)


TREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.builds(Unary, st.just("-"), children),
        st.builds(Binary, st.sampled_from(OPERATORS), children, children),
        _calls(children),
    ),
    max_leaves=10,
)


FIELDS = st.sampled_from([None, "3", 3, 2.5, "", "x", True, [1, 3]])


@MANY
@given(TREES, frames(), FIELDS)
def test_random_rules_on_random_frames_equal_the_scalar_evaluator(tree, drawn, field):
    frame, current = drawn
    assert_equal_to_scalar(tree, frame, current, {"filter": field})


EDGES = st.sampled_from([2**53 + 1, 2**63 - 1, 2**63, 2**70, 1e16, 2.0**63, 0.5, "1e+16", "true"])
SIMPLE = st.one_of(
    st.builds(Ref, st.sampled_from(COLUMNS)), st.builds(Ref, st.sampled_from(COLUMNS)),
    st.just(Current()), st.builds(Literal, LITERALS), st.builds(Literal, EDGES),
    st.just(Field("filter")),
)  # fmt: skip
VECTORIZED_CALLS = {"not": 1, "count-selected": 1, "int": 1, "number": 1, "coalesce": 2, "if": 3}


def _hot(children):
    """The operations that are vectorized, equally likely, on ``children``."""
    binary = st.builds(Binary, st.sampled_from(OPERATORS), children, children)
    calls = [
        st.tuples(*[children] * arity).map(lambda args, name=name: Call(name, args))
        for name, arity in VECTORIZED_CALLS.items()
    ]
    selected = st.builds(
        lambda a, b: Call("selected", (a, b)), children, SIMPLE | EDGES.map(Literal)
    )
    return st.one_of(
        binary, binary, binary, st.builds(Unary, st.just("-"), children), selected, *calls
    )


HOT = _hot(st.recursive(SIMPLE, _hot, max_leaves=6))  # an operation at the root


@settings(MANY, max_examples=1000)
@given(_hot(SIMPLE), frames(), FIELDS)
def test_each_vectorized_operation_equals_the_scalar_evaluator(tree, drawn, field):
    frame, current = drawn
    assert_equal_to_scalar(tree, frame, current, {"filter": field})


@MANY
@given(HOT, frames(), FIELDS)
def test_nested_vectorized_operations_equal_the_scalar_evaluator(tree, drawn, field):
    frame, current = drawn
    assert_equal_to_scalar(tree, frame, current, {"filter": field})


# --- the Seoul Survey's own rules on plausible answers -----------------------------------


def rules(questionnaire: Questionnaire):
    """Every rule: (node, the question whose answer is '.', or None)."""
    for part in questionnaire.parts:
        if part.eligible is not None:
            yield part.eligible.node, None
        for section in part.sections:
            for rule in (section.relevant, section.repeat_count):
                if rule is not None:
                    yield rule.node, None
            for q in section.questions:
                for rule in (q.relevant, q.required_if, q.constraint, q.calculate, q.choice_filter):
                    if rule is not None:
                        yield rule.node, q.name


def answers_frame(
    questionnaire: Questionnaire, rows: int, rng: np.random.Generator, *, inferred: bool
) -> pd.DataFrame:
    """Plausible answers to every question, some missing or out of range.

    ``inferred``: laid out as ``pd.DataFrame(records)`` does (ints with gaps become floats);
    otherwise with the nullable dtypes of the schemas (Int64, Float64, str).
    """
    columns = {}
    for _, _, q in questionnaire.all_questions():
        missing = rng.random(rows) < 0.15
        if q.type in ("single", "multiple"):
            codes = questionnaire.choice_lists[q.choices].codes() + [0, 98]
            if q.type == "single":
                values = [int(rng.choice(codes)) for _ in range(rows)]
            else:
                values = [sorted({int(c) for c in rng.choice(codes, rng.integers(0, 4))})
                          for _ in range(rows)]  # fmt: skip
        elif q.type in ("integer", "scale", "calculate"):
            low = -2 if q.min is None else int(q.min) - 2
            high = 2100 if q.max is None else int(q.max) + 3
            values = rng.integers(low, high, rows).tolist()
        elif q.type == "decimal":
            values = rng.normal(80, 60, rows).round(1).tolist()
        elif q.type == "date":
            values = [
                str(TODAY - datetime.timedelta(days=int(d))) for d in rng.integers(-9, 9, rows)
            ]
        else:
            values = rng.choice(["", "서울", "3", "기타 의견"], rows).tolist()
        values = [None if gap else v for v, gap in zip(values, missing, strict=True)]
        columns[q.name] = values if inferred else _typed_column(q.type, values)
    if inferred:
        records = [{k: v[i] for k, v in columns.items()} for i in range(rows)]
        return pd.DataFrame(records)
    return pd.DataFrame(columns)


def _typed_column(kind: str, values: list):
    if kind in ("single", "integer", "scale", "calculate"):
        return pd.array(values, dtype="Int64")
    if kind == "decimal":
        return pd.array(values, dtype="Float64")
    return _objects(values) if kind == "multiple" else pd.array(values, dtype="str")


@pytest.mark.parametrize("inferred", [False, True], ids=["nullable-dtypes", "from-records"])
@pytest.mark.parametrize("definition", [SEOUL, SMALL_SURVEY], ids=["seoul", "small"])
def test_questionnaire_rules_equal_the_scalar_evaluator(definition, inferred):
    questionnaire = load_questionnaire(definition)
    frame = answers_frame(questionnaire, 400, np.random.default_rng(2026), inferred=inferred)
    found = list(rules(questionnaire))
    assert len(found) >= (40 if definition == SEOUL else 8)
    for node, question in found:
        current = None if question is None else frame[question]
        assert_equal_to_scalar(node, frame, current, {"filter": "2"})
