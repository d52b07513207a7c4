"""The statistician's explorer: which surveys and variables it offers, and its models.

What it gives beyond the designs (:mod:`analysis.designs`) and the changes over time
(:mod:`analysis.trends`) it estimates on, and the statistics behind each piece:

- :func:`weighted_surveys` — the surveys with the units they have weights for.

- :func:`variables` — questionnaire variables usable in crosstabs and regressions:
  ``categorical`` (single choices; scales with at most 11 points) and/or ``numeric``
  (integers, decimals, scales, numeric calculations), with their choice labels.

- :func:`fit_regression` — linear (``gaussian``) or logistic (``quasibinomial``)
  :func:`analysis.estimation.regression.svyglm` with design-based (sandwich) SEs; a two-valued
  outcome is modelled as P(outcome = event).

- :func:`tile_frame` — the 25 districts on the tile map with their values.

- :func:`question_estimates` — for a survey the indicator catalogue does not cover (a
  department's own form), every tabulated question's weighted results, Seoul-wide and by
  district, as the report's question sheet computes them
  (:mod:`analysis.reports.question_results`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.designs import (
    UNITS,
    WEIGHT_UNIT,
    ExploreError,
    analysis_design,
    check_unit,
    survey_kind,
    usable_indicators,
)
from analysis.estimation.design import SurveyDesign, with_columns
from analysis.estimation.regression import Regression, svyglm
from analysis.indicators import Indicator
from analysis.reports.question_results import question_results
from analysis.reports.tile_map import short_name, tiles
from analysis.survey_frames import HOUSEHOLD_COLUMNS_FOR_PERSONS
from analysis.tables import NoWeights
from data.reference import stored_table
from data.store import Store
from data.text import Text
from data.weights_tables import weighted_units
from surveys.opening import list_surveys, questionnaire_of
from surveys.questionnaire.response_schema import asked_questions

DOMAINS: tuple[str, ...] = ("district_code", "sex", "age_group", "income", "household_type")
MAX_CATEGORIES = 11  # a scale of at most 11 points (0–10) is also categorical


def weighted_surveys(store: Store) -> pd.DataFrame:
    """Surveys with the units they have weights for (``units``: a tuple, may be empty).

    Cross-sections offer ``persons15`` / ``households`` when person / household weights
    are stored; panel waves offer ``households`` once their wave weights are stored.
    """
    surveys = list_surveys(store)
    stored = weighted_units(store)
    have = stored.groupby("survey_id")["unit"].agg(set).to_dict()

    def units(row: pd.Series) -> tuple[str, ...]:
        found = have.get(row["survey_id"], set())
        wanted = UNITS if row["kind"] == "cross_section" else ("households",)
        return tuple(u for u in wanted if WEIGHT_UNIT[u] in found)

    surveys["units"] = surveys.apply(units, axis=1) if len(surveys) else []
    return surveys


# ---- variables -------------------------------------------------------------------------------
def _choices(questionnaire, list_name: str | None) -> tuple[dict, dict]:
    if not list_name or list_name not in questionnaire.choice_lists:
        return {}, {}
    choices = questionnaire.choice_lists[list_name].choices
    return (
        {c.code: c.label.ko for c in choices},
        {c.code: c.label.en or c.label.ko for c in choices},
    )


def _question_row(questionnaire, question) -> dict[str, Any] | None:
    kind = question.type
    if kind not in ("single", "scale", "integer", "decimal", "calculate"):
        return None  # text, dates, notes and multiple choices (lists) are left out
    ko, en = _choices(questionnaire, question.choices)
    if kind == "scale":
        low = int(question.min if question.min is not None else 0)
        high = int(question.max if question.max is not None else 10)
        ko = en = {v: str(v) for v in range(low, high + 1)}
    levels = len(ko) if ko else pd.NA
    return {
        "name": question.name,
        "label_ko": question.label.ko,
        "label_en": question.label.en or question.label.ko,
        "type": kind,
        "source": "question",
        "categorical": kind == "single" or (kind == "scale" and len(ko) <= MAX_CATEGORIES),
        "numeric": kind != "single",
        "levels": levels,
        "choices_ko": ko,
        "choices_en": en,
    }


def _reference_choices(store: Store, table: str, code_type: type) -> tuple[dict, dict]:
    ref = stored_table(store, table)
    ko_col, en_col = (
        ("name_ko", "name_en") if "name_ko" in ref.columns else ("label_ko", "label_en")
    )
    codes = ref["code"].map(code_type)
    return dict(zip(codes, ref[ko_col], strict=True)), dict(zip(codes, ref[en_col], strict=True))


DOMAIN_LABELS = {
    "district_code": ("자치구", "District"),
    "sex": ("성별", "Sex"),
    "age_group": ("연령대", "Age group"),
    "income": ("가구 소득", "Household income"),
    "household_type": ("가구 유형", "Household type"),
}

_REFERENCE = {
    "district_code": ("districts", str),
    "age_group": ("age_groups", int),
    "household_type": ("household_types", int),
    "income": ("income_brackets", int),
}


def _domain_row(store: Store, questionnaire, name: str) -> dict[str, Any]:
    if name in _REFERENCE:
        ko, en = _reference_choices(store, *_REFERENCE[name])
    else:
        try:
            ko, en = _choices(questionnaire, questionnaire.question(name).choices)
        except KeyError:
            ko, en = {}, {}
    return {
        "name": name,
        "label_ko": DOMAIN_LABELS[name][0],
        "label_en": DOMAIN_LABELS[name][1],
        "type": "domain",
        "source": "domain",
        "categorical": True,
        "numeric": False,
        "levels": len(ko) if ko else pd.NA,
        "choices_ko": ko,
        "choices_en": en,
    }


def _questions_of_unit(questionnaire, unit: str, kind: str) -> list:
    household = questionnaire.household
    if kind == "panel_wave" or unit == "households":
        return [a.question for a in asked_questions(household, roster=False)]
    person = questionnaire.person
    roster = [a.question for a in asked_questions(household, roster=True)]
    asked = {q.name for _, _, q in questionnaire.all_questions()}
    context = [questionnaire.question(n) for n in HOUSEHOLD_COLUMNS_FOR_PERSONS if n in asked]
    own = [a.question for a in asked_questions(person)] if person else []
    return [*roster, *context, *own]


def variables(
    store: Store, survey_id: int, unit: str, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Variables usable in crosstabs and regressions for a survey and unit.

    Columns: ``name``, ``label_ko``, ``label_en``, ``type`` (the question type, or
    ``domain`` / ``indicator``), ``source``, ``categorical``, ``numeric``, ``levels``
    and ``choices_ko`` / ``choices_en`` (code → label). Domain columns come first.
    With ``frame`` (an :func:`analysis_frame`), only its columns are kept and a
    calculation is kept only when it is numeric.
    """
    kind = survey_kind(store, survey_id)
    check_unit(unit, kind)
    questionnaire = questionnaire_of(store, int(survey_id))
    domains = [d for d in DOMAINS if _has_domain(d, unit, kind, questionnaire, frame)]
    rows = [_domain_row(store, questionnaire, d) for d in domains]
    seen = set(domains)
    for question in _questions_of_unit(questionnaire, unit, kind):
        row = _question_row(questionnaire, question)
        if row is not None and row["name"] not in seen:
            rows.append(row)
            seen.add(row["name"])
    probe = frame if frame is not None else pd.DataFrame(columns=list(seen))
    for indicator in usable_indicators(probe, unit, kind):
        rows.append(_indicator_row(indicator))
    table = pd.DataFrame(rows)
    if frame is not None:
        table = table[table["name"].isin(frame.columns)]
        calculated = table["type"] == "calculate"
        numeric = table["name"].map(lambda n: pd.api.types.is_numeric_dtype(frame[n]))
        table = table[~calculated | numeric]
    return table.reset_index(drop=True)


def _has_domain(name: str, unit: str, kind: str, questionnaire, frame: pd.DataFrame | None) -> bool:
    if frame is not None:
        return name in frame.columns
    if name == "district_code":
        return True
    if name == "household_type":
        return True  # every frame carries the sampling frame's household type
    if name == "income":
        return any(q.name == "income" for _, _, q in questionnaire.all_questions())
    if kind == "panel_wave":
        return any(q.name in ("sex", "birth_year") for _, _, q in questionnaire.all_questions())
    return unit == "persons15"


def _indicator_row(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.column,
        "label_ko": f"[지표] {indicator.name_ko}",
        "label_en": f"[indicator] {indicator.name_en}",
        "type": "indicator",
        "source": "indicator",
        "categorical": False,
        "numeric": True,
        "levels": pd.NA,
        "choices_ko": {},
        "choices_en": {},
    }


# ---- regression ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelFit:
    """A fitted explorer model: ``family`` gaussian (linear) or quasibinomial (logistic)."""

    regression: Regression
    family: str
    formula: str
    outcome: str
    event: Hashable | None  # the outcome value modelled, for a logistic model


def outcome_family(values: pd.Series, numeric: bool) -> tuple[str, Hashable | None]:
    """(family, event): two observed values → logistic on P(y = event), else linear if numeric.

    The event is 1 for a 0/1 item, 100 for a 0/100 share indicator, else the lowest code
    (a yes/no item: 1 = 예 / yes).
    """
    observed = sorted(pd.unique(values.dropna()))
    if len(observed) == 2:
        if set(observed) in ({0, 1}, {0, 100}):
            return "quasibinomial", observed[1]
        return "quasibinomial", observed[0]
    if numeric and len(observed) > 2:
        return "gaussian", None
    raise ExploreError(
        "bad_outcome",
        Text(
            "결과 변수는 수치형이거나 값이 두 개여야 합니다",
            "the outcome must be numeric or have exactly two values",
        ),
    )


def fit_regression(
    design: SurveyDesign,
    outcome: str,
    predictors: Sequence[str],
    categorical: Sequence[str] = (),
    *,
    numeric_outcome: bool = True,
    event: Hashable | None = None,
) -> ModelFit:
    """``outcome ~ predictors`` by :func:`svyglm`; ``categorical`` predictors enter as ``C(x)``.

    The family follows :func:`outcome_family`; for a logistic model the response is the
    0/1 column ``outcome == event`` (missing stays missing).
    """
    predictors = [p for p in predictors if p != outcome]
    if not predictors:
        raise ExploreError(
            "no_predictors", Text("설명 변수를 하나 이상 고르세요", "choose at least one predictor")
        )
    values = design.frame[outcome]
    family, default_event = outcome_family(values, numeric_outcome)
    event = default_event if event is None else event
    response = outcome
    if family == "quasibinomial":
        response = "_outcome_event"
        is_event = (values == event).astype("Float64").mask(values.isna())
        design = with_columns(design, _outcome_event=is_event)
    terms = [f"C({p})" if p in categorical else p for p in predictors]
    formula = f"{response} ~ {' + '.join(terms)}"
    return ModelFit(svyglm(design, formula, family), family, formula, outcome, event)  # type: ignore[arg-type]


# ---- tile map --------------------------------------------------------------------------------
def tile_frame(estimates: pd.DataFrame, districts: pd.DataFrame) -> pd.DataFrame:
    """The 25-district tile grid with each district's names and values.

    ``estimates`` has ``district_code`` and any value columns (estimate, flag, …);
    ``districts`` the ``districts`` code list (code, name_ko, name_en). Returns code,
    row, col, name_ko, name_en, short_ko and the value columns (missing when absent).
    """
    grid = tiles()
    names = districts.assign(code=districts["code"].astype(str))[["code", "name_ko", "name_en"]]
    values = estimates.assign(code=estimates["district_code"].astype(str)).drop(
        columns=["district_code"]
    )
    out = grid.merge(names, on="code", how="left").merge(values, on="code", how="left")
    out["short_ko"] = out["name_ko"].fillna(out["code"]).map(short_name)
    return out


def question_estimates(
    store: Store, survey_id: int, domains: Sequence[str] = ("district_code",)
) -> pd.DataFrame:
    """Every tabulated question's weighted results with the newest weights: household
    questions on the household design, person questions on the persons 15+ when person
    weights are stored; Seoul-wide and by each of ``domains`` the frame has.

    The statistics are :func:`analysis.reports.question_results.question_results`' (weighted
    % of each choice among those who answered, or the weighted mean, with linearized SE, 95 %
    CI, CV, n and the publication flag). Raises :class:`~analysis.tables.NoWeights` when the
    survey has no household weights yet.
    """
    questionnaire = questionnaire_of(store, int(survey_id))
    stored = weighted_units(store)
    have = set(stored.loc[stored["survey_id"] == int(survey_id), "unit"])
    if "household" not in have:
        raise NoWeights(
            "no_weights",
            Text(
                "이 조사에는 아직 가중치가 없습니다: 조사 관리 화면의 가중치 탭에서 만드세요",
                "this survey has no weights yet: make them on the Surveys page's Weights tab",
            ),
        )
    parts = [("household", "households")]
    if questionnaire.person is not None and "person" in have:
        parts.append(("person", "persons15"))
    pieces = [
        question_results(
            analysis_design(store, int(survey_id), unit), questionnaire, domains, part=part
        )
        for part, unit in parts
    ]
    return pd.concat(pieces, ignore_index=True)
