"""The statistician's explorer: analysis designs of any weighted survey, beyond the catalogue.

What it gives, and the statistics behind each piece:

- :func:`analysis_design` / :func:`analysis_frame` — the design every explorer number
  comes from.

  *Seoul Survey cross-sections* (``persons15`` or ``households``): the respondents of
  :func:`analysis.survey_frames.respondent_frames` (parts excluded from estimation
  already removed) merged with the newest stored weights version of the unit, the
  calibration replayed by :func:`analysis.weights.survey_weights.calibrated_design` — so the
  estimates equal :func:`analysis.tables.indicator_table` and the linearized SEs
  account for the raking (stratified by district, PSU the enumeration area).

  *Panel waves* (one respondent per household: unit ``households`` only): the
  household frame's respondents (household parts excluded from estimation removed)
  merged with the newest household weights version of the wave, stratified by district
  with the household as the PSU (in a wave's sample the enumeration area is the
  household itself, the panel being a stratified single-stage sample), the wave's
  calibration replayed by :func:`analysis.weights.wave_calibration.wave_calibrated_design` —
  so wave SEs are calibration-aware too, and excluded households leave the others
  re-raked to the same registered totals.

  Domain columns: ``district_code`` always; ``sex`` and ``age_group`` for persons 15+
  and for panel waves (the household respondent's sex and age, age = reference year −
  birth year, grouped by the ``age_groups`` code list); ``income`` (household income
  bracket) wherever the household part asked it; ``household_type`` always (the type the
  sampling frame records for every sampled household, :mod:`surveys.frames`).
  Cross-section households have no sex or age group.

  Catalogue indicators become columns ``indicator__<id>`` (a share as 0/100, so its
  mean is the percentage the catalogue publishes): for a cross-section those of the
  unit's population, for a panel wave every indicator whose items the wave asked
  (answered by the household's respondent).

- :func:`variables` — questionnaire variables usable in crosstabs and regressions:
  ``categorical`` (single choices; scales with at most 11 points) and/or ``numeric``
  (integers, decimals, scales, numeric calculations), with their choice labels.

- :func:`indicator_trend` — the Seoul-wide estimate of one indicator in several
  cross-section years, and each year's change from the previous one with
  :func:`analysis.estimation.differences.independent_difference`: the samples are drawn
  independently, SE = √(SE₁² + SE₂²), normal 95 % interval and two-sided p.

- :func:`wave_change` — the change of a mean between two panel waves with
  :func:`analysis.estimation.differences.panel_wave_difference`: the joint linearization on the
  stacked household design, so households present in both waves add their covariance
  (strata: district at the first wave).

- :func:`fit_regression` — linear (``gaussian``) or logistic (``quasibinomial``)
  :func:`analysis.estimation.regression.svyglm` with design-based (sandwich) SEs; a two-valued
  outcome is modelled as P(outcome = event).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.estimation.design import SurveyDesign, with_columns
from analysis.estimation.differences import calibrated_wave_difference, independent_difference
from analysis.estimation.regression import Regression, svyglm
from analysis.exclusions import active_exclusions
from analysis.indicators import (
    Indicator,
    NothingToEstimate,
    estimate_indicators,
    indicator_values,
    load_catalogue,
)
from analysis.reports.tile_map import short_name, tiles
from analysis.survey_frames import HOUSEHOLD_COLUMNS_FOR_PERSONS, age_group_of, respondent_frames
from analysis.tables import NoWeights
from analysis.weights.survey_weights import calibrated_design, latest_weights
from analysis.weights.wave_calibration import wave_calibrated_design
from data.reference import stored_table
from data.store import Store
from data.weights_tables import version_owner, weighted_units, weights_rows
from surveys.frames import household_frame
from surveys.opening import list_surveys, questionnaire_of, survey_info
from surveys.questionnaire.response_schema import asked_questions

UNITS: tuple[str, ...] = ("persons15", "households")
WEIGHT_UNIT = {"persons15": "person", "households": "household"}
DOMAINS: tuple[str, ...] = ("district_code", "sex", "age_group", "income", "household_type")
INDICATOR_PREFIX = "indicator__"
MAX_CATEGORIES = 11  # a scale of at most 11 points (0–10) is also categorical
SIGNIFICANCE = 0.05
# A wave's strata are districts and its PSUs households: a district where a single household
# answered is centred at the grand mean, as R's options(survey.lonely.psu = "adjust").
WAVE_LONELY_PSU = "adjust"


class ExploreError(ValueError):
    """A request the explorer cannot answer; the message says why (Korean / English)."""


# ---- surveys ---------------------------------------------------------------------------------
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


def _kind(store: Store, survey_id: int) -> str:
    return survey_info(store, int(survey_id)).kind


def _check_unit(unit: str, kind: str) -> None:
    if unit not in UNITS:
        raise ExploreError(
            f"단위는 {UNITS} 중 하나입니다 / unit must be one of {UNITS}, not {unit!r}"
        )
    if kind == "panel_wave" and unit != "households":
        raise ExploreError(
            "패널 차수는 가구 단위(가구당 응답자 1명)로만 분석할 수 있습니다 / a panel wave has one "
            "respondent per household: analyse it with unit 'households', not 'persons15'"
        )


def _weights(
    store: Store, survey_id: int, unit: str, weights_id: int | None = None
) -> tuple[int, pd.DataFrame]:
    """(weights_id, weights) of the unit: the chosen version, else the newest."""
    if weights_id is not None:
        return int(weights_id), _chosen_weights(store, int(survey_id), unit, int(weights_id))
    found = latest_weights(store, int(survey_id), WEIGHT_UNIT[unit])
    if found is None:
        raise NoWeights(
            f"조사 {survey_id} 에 {WEIGHT_UNIT[unit]} 가중치가 아직 없습니다: 조사 관리·패널 화면에서 "
            f"가중치를 먼저 만드세요 / survey {survey_id} has no {WEIGHT_UNIT[unit]} weights yet: "
            "make them first"
        )
    return found[0], found[1]


def _chosen_weights(store: Store, survey_id: int, unit: str, weights_id: int) -> pd.DataFrame:
    owner = version_owner(store, weights_id)
    if owner is None or owner != (survey_id, WEIGHT_UNIT[unit]):
        raise ExploreError(
            f"가중치 {weights_id} 는 조사 {survey_id} 의 {WEIGHT_UNIT[unit]} 가중치가 아닙니다 / "
            f"weights {weights_id} are not {WEIGHT_UNIT[unit]} weights of survey {survey_id}"
        )
    return weights_rows(store, weights_id)


# ---- frames and designs ----------------------------------------------------------------------
def _usable_indicators(frame: pd.DataFrame, unit: str, kind: str) -> list[Indicator]:
    wanted = []
    for indicator in load_catalogue():
        if kind == "cross_section" and indicator.population != unit:
            continue
        if all(item in frame.columns for item in indicator.items):
            wanted.append(indicator)
    return wanted


def _with_indicators(frame: pd.DataFrame, unit: str, kind: str) -> pd.DataFrame:
    """Add ``indicator__<id>`` columns (a share as 0/100, as the catalogue publishes it)."""
    frame = frame.copy()
    for indicator in _usable_indicators(frame, unit, kind):
        values = indicator_values(indicator, frame)
        frame[indicator.column] = values * 100 if indicator.percent else values
    return frame


def _wave_respondents(store: Store, survey_id: int) -> pd.DataFrame:
    """A wave's responding households, household parts excluded from estimation removed."""
    frame = household_frame(store, survey_id)
    frame = frame[frame["response_status"] != "nonrespondent"]
    excluded = active_exclusions(store, survey_id)
    dropped = excluded.loc[excluded["member_no"] == 0, "household_id"]
    frame = frame[~frame["household_id"].isin(dropped)].reset_index(drop=True)
    if "age" not in frame.columns and "birth_year" in frame.columns:
        year = survey_info(store, survey_id).reference_year
        frame["age"] = (year - pd.to_numeric(frame["birth_year"])).astype("Int64")
    if "age" in frame.columns:
        frame["age_group"] = age_group_of(frame["age"], stored_table(store, "age_groups"))
    return frame


def _respondents(store: Store, survey_id: int, unit: str) -> pd.DataFrame:
    """The unit's respondents with domain and indicator columns (no weights yet)."""
    kind = _kind(store, survey_id)
    _check_unit(unit, kind)
    if kind == "panel_wave":
        frame = _wave_respondents(store, survey_id)
    else:
        frame = respondent_frames(store, survey_id, stored_table(store, "age_groups"))[unit]
    return _with_indicators(frame, unit, kind)


def analysis_design(
    store: Store, survey_id: int, unit: str, weights_id: int | None = None
) -> SurveyDesign:
    """The design of a survey's respondents (see the module docstring for waves vs years).

    ``weights_id`` picks a stored weights version of the unit (default: the newest).
    Raises :class:`ExploreError` for ``persons15`` on a panel wave or weights of another
    survey or unit, and :class:`analysis.tables.NoWeights` when the survey has no
    weights for the unit.
    """
    frame = _respondents(store, survey_id, unit)
    _, weights = _weights(store, survey_id, unit, weights_id)
    if _kind(store, survey_id) == "cross_section":
        return calibrated_design(store, frame, WEIGHT_UNIT[unit], weights)
    return wave_calibrated_design(store, survey_id, frame, weights)


def analysis_frame(
    store: Store, survey_id: int, unit: str, weights_id: int | None = None
) -> pd.DataFrame:
    """The design's frame with ``weight`` = the weights estimation uses.

    For a cross-section that is the calibrated weight (re-raked when responses were
    excluded after the weights were made); for a wave the stored final weight.
    """
    design = analysis_design(store, survey_id, unit, weights_id)
    return design.frame.assign(weight=np.asarray(design.weights))


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
    kind = _kind(store, survey_id)
    _check_unit(unit, kind)
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
    for indicator in _usable_indicators(probe, unit, kind):
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
        "결과 변수는 수치형이거나 값이 두 개여야 합니다 / the outcome must be numeric or "
        "have exactly two values"
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
        raise ExploreError("설명 변수를 하나 이상 고르세요 / choose at least one predictor")
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


# ---- trends and changes ----------------------------------------------------------------------
def _indicator(indicator_id: str) -> Indicator:
    for indicator in load_catalogue():
        if indicator.id == indicator_id:
            return indicator
    raise ExploreError(
        f"지표 목록에 없는 지표입니다 / no indicator {indicator_id!r} in the catalogue"
    )


def seoul_estimate(store: Store, survey_id: int, indicator_id: str) -> pd.Series:
    """The Seoul-wide row of one indicator (estimate, se, ci, cv, deff, n, flag) in a year."""
    if _kind(store, survey_id) != "cross_section":
        raise ExploreError(
            f"조사 {survey_id} 는 서울서베이(횡단) 조사가 아닙니다 / survey {survey_id} is not a "
            "Seoul Survey cross-section"
        )
    indicator = replace(_indicator(indicator_id), domains=((),))
    frames = respondent_frames(store, int(survey_id), stored_table(store, "age_groups"))
    _, weights = _weights(store, survey_id, indicator.population)
    unit = WEIGHT_UNIT[indicator.population]
    table = estimate_indicators(
        [indicator], frames, lambda _, frame: calibrated_design(store, frame, unit, weights)
    )
    return table.iloc[0]


def indicator_trend(store: Store, indicator_id: str, survey_ids: Sequence[int]) -> pd.DataFrame:
    """An indicator's Seoul-wide estimate per cross-section year, with the change from the
    year before (independent samples: SE = √(SE₁² + SE₂²)).

    Columns: ``survey_id``, ``code``, ``reference_year``, ``estimate``, ``se``, ``ci_low``,
    ``ci_high``, ``cv``, ``n``, ``flag``, then for every year after the first
    ``difference`` (this year − previous), ``se_difference``, ``ci_low_difference``,
    ``ci_high_difference``, ``p_value`` and ``significant`` (p < 0.05). Years sorted; a
    year whose questionnaire did not ask the indicator is left out.
    """
    rows = []
    for survey_id in survey_ids:
        info = survey_info(store, int(survey_id))
        try:
            row = seoul_estimate(store, int(survey_id), indicator_id)
        except NothingToEstimate:  # that year's questionnaire did not ask the indicator
            continue
        rows.append(
            {
                "survey_id": int(survey_id),
                "code": info.code,
                "reference_year": info.reference_year,
                **{k: row[k] for k in ("estimate", "se", "ci_low", "ci_high", "cv", "n", "flag")},
            }
        )
    if not rows:
        raise ExploreError(
            f"어느 해의 설문지도 지표 {indicator_id} 를 묻지 않습니다 / no year's questionnaire asks"
            f" indicator {indicator_id}"
        )
    trend = pd.DataFrame(rows).sort_values(["reference_year", "survey_id"], ignore_index=True)
    for column in ("difference", "se_difference", "ci_low_difference", "ci_high_difference"):
        trend[column] = np.nan
    trend["p_value"], trend["significant"] = np.nan, pd.array([pd.NA] * len(trend), "boolean")
    for i in range(1, len(trend)):
        change = independent_difference(
            trend.loc[[i], ["estimate", "se"]], trend.loc[[i - 1], ["estimate", "se"]]
        ).iloc[0]
        trend.loc[i, "difference"] = change["difference"]
        trend.loc[i, "se_difference"] = change["se"]
        trend.loc[i, "ci_low_difference"] = change["ci_low"]
        trend.loc[i, "ci_high_difference"] = change["ci_high"]
        trend.loc[i, "p_value"] = change["p_value"]
        if not np.isnan(change["p_value"]):
            trend.loc[i, "significant"] = bool(change["p_value"] < SIGNIFICANCE)
    return trend


def wave_indicator_table(
    store: Store,
    survey_id: int,
    indicators: Sequence[str] | None = None,
    *,
    weights_id: int | None = None,
) -> pd.DataFrame:
    """The catalogue's indicators that a panel wave asks, in the columns of
    :func:`analysis.tables.indicator_table`.

    A wave has one respondent per household: its indicators are the respondents'
    answers weighted with the wave's household weights (population ``households``), for
    every catalogue indicator whose items the wave's questionnaire asks, in every published
    domain the wave's frame can give (Seoul, district, and sex, age group or income when
    the questionnaire asks them). SEs replay the wave's calibration (see the module
    docstring). ``excluded`` counts household parts excluded from estimation.
    ``weights_id`` picks a stored household weights version of the wave (default newest).
    """
    if _kind(store, survey_id) != "panel_wave":
        raise ExploreError(
            f"조사 {survey_id} 는 패널 차수가 아닙니다 / survey {survey_id} is not a panel wave"
        )
    design = analysis_design(store, survey_id, "households", weights_id)
    frame = design.frame
    usable = [
        replace(
            indicator,
            population="households",
            domains=tuple(d for d in indicator.domains if all(c in frame.columns for c in d)),
        )
        for indicator in _usable_indicators(frame, "households", "panel_wave")
        if indicators is None or indicator.id in indicators
    ]
    if not usable:
        raise ExploreError(
            "이 차수의 설문지는 지표 목록의 문항을 묻지 않습니다 / this wave's questionnaire asks "
            "none of the catalogue's indicators"
        )
    # estimate_indicators makes each indicator column afresh (a share as 0/1, scaled to a
    # percentage once estimated): it replaces the design frame's 0/100 explorer column
    table = estimate_indicators(
        usable,
        {"households": frame},
        lambda _, f: with_columns(
            design,
            **{c: f[c] for c in f.columns if c not in frame or c.startswith(INDICATOR_PREFIX)},
        ),
    )
    if weights_id is None:
        weights_id, _ = _weights(store, survey_id, "households")
    excluded = active_exclusions(store, survey_id)
    table.insert(5, "weights_id", int(weights_id))
    table.insert(6, "excluded", int((excluded["member_no"] == 0).sum()))
    return table


def waves_asking(store: Store, indicator_id: str, wave_ids: Sequence[int]) -> list[int]:
    """The waves among ``wave_ids`` whose questionnaire asks every item of the indicator."""
    items = set(_indicator(indicator_id).items)
    asking = []
    for survey_id in wave_ids:
        questionnaire = questionnaire_of(store, int(survey_id))
        asked = {q.name for part in questionnaire.parts for q in part.questions()}
        if items <= asked:
            asking.append(int(survey_id))
    return asking


def wave_trend(store: Store, indicator_id: str, wave_ids: Sequence[int]) -> pd.DataFrame:
    """An indicator's Seoul-wide estimate per panel wave, with the change from the wave before.

    Only the waves that ask the indicator count (:func:`waves_asking`): a wave asking other
    questions is left out, and the change is taken from the previous wave that asked it
    (wave 3 against wave 1 when wave 2 asked other things). The change's SE comes from one
    joint linearization of both waves (:func:`wave_change`), so households answering both
    waves add their covariance. Columns as :func:`indicator_trend`, with ``wave_no`` for
    ``reference_year`` and ``n_both``.
    """
    asking = waves_asking(store, indicator_id, wave_ids)
    if not asking:
        raise ExploreError(
            "고른 차수의 설문지는 모두 이 지표의 문항을 묻지 않습니다 / each chosen wave asks none "
            "of this indicator's questions"
        )
    rows = []
    for survey_id in asking:
        table = wave_indicator_table(store, int(survey_id), [indicator_id])
        seoul = table[table["domain"] == "seoul"].iloc[0]
        info = survey_info(store, int(survey_id))
        rows.append(
            {"survey_id": int(survey_id), "code": info.code,
             **{k: seoul[k] for k in ("estimate", "se", "ci_low", "ci_high", "cv", "n", "flag")}}
        )  # fmt: skip
    trend = pd.DataFrame(rows)
    numbers = panel_wave_numbers(store)
    trend.insert(2, "wave_no", trend["survey_id"].map(numbers))
    trend = trend.sort_values("wave_no", ignore_index=True)
    for column in ("difference", "se_difference", "ci_low_difference", "ci_high_difference"):
        trend[column] = np.nan
    trend["p_value"], trend["n_both"] = np.nan, pd.array([pd.NA] * len(trend), "Int64")
    trend["significant"] = pd.array([pd.NA] * len(trend), "boolean")
    column = _indicator(indicator_id).column
    for i in range(1, len(trend)):
        change = wave_change(
            store, int(trend.loc[i - 1, "survey_id"]), int(trend.loc[i, "survey_id"]), column
        ).iloc[0]
        trend.loc[i, "difference"] = change["difference"]
        trend.loc[i, "se_difference"] = change["se"]
        trend.loc[i, "ci_low_difference"] = change["ci_low"]
        trend.loc[i, "ci_high_difference"] = change["ci_high"]
        trend.loc[i, "p_value"] = change["p_value"]
        trend.loc[i, "n_both"] = int(change["n_both"])
        if not np.isnan(change["p_value"]):
            trend.loc[i, "significant"] = bool(change["p_value"] < SIGNIFICANCE)
    return trend


def panel_wave_numbers(store: Store) -> dict[int, int]:
    """Wave number of each panel wave's survey id."""
    return {w.survey_id: w.wave_no for w in _panel_waves(store)}


def _panel_waves(store: Store) -> list:
    """The panel's waves (wave number per survey), read without importing ``panel``."""
    rows = store.rows("SELECT survey_id, wave_no FROM panel_waves ORDER BY wave_no")
    return [_Wave(int(a), int(b)) for a, b in rows]


@dataclass(frozen=True)
class _Wave:
    survey_id: int
    wave_no: int


def wave_change(
    store: Store,
    survey_a: int,
    survey_b: int,
    variable: str,
    by: str | None = None,
    *,
    statistic: str = "mean",
    level: Hashable | None = None,
) -> pd.DataFrame:
    """Change between two panel waves, wave b − wave a, households in both adding covariance.

    Each wave is its :func:`analysis_design` (household weights of the wave, the wave's
    calibration replayed); the stratum of a household is its district at the first wave it
    appears in (``survey_a`` first). The SE comes from
    :func:`analysis.estimation.differences.calibrated_wave_difference`: each wave's influence values
    residualized for its calibration, then linearized jointly by household. Returns its
    columns (``estimate_a``/``se_a`` of wave a, ``estimate_b``/``se_b`` of wave b) but with
    ``difference`` = b − a, the change, and its ``se``, interval, ``p_value``, ``n_a``,
    ``n_b`` and ``n_both`` (households answering in both waves).
    """
    for survey_id in (survey_a, survey_b):
        if _kind(store, survey_id) != "panel_wave":
            raise ExploreError(
                f"조사 {survey_id} 는 패널 차수가 아닙니다 / survey {survey_id} is not a panel wave"
            )
    if int(survey_a) == int(survey_b):
        raise ExploreError("서로 다른 두 차수를 고르세요 / choose two different waves")
    design_a = analysis_design(store, survey_a, "households")
    design_b = analysis_design(store, survey_b, "households")
    return designs_change(design_a, design_b, variable, by, statistic=statistic, level=level)


def designs_change(
    design_a: SurveyDesign,
    design_b: SurveyDesign,
    variable: str,
    by: str | None = None,
    *,
    statistic: str = "mean",
    level: Hashable | None = None,
) -> pd.DataFrame:
    """:func:`wave_change` on two waves' :func:`analysis_design` s already made (b − a).

    For callers comparing many variables between the same two waves (reports), so the
    designs are made once.
    """
    first = design_a.frame.set_index("household_id")["district_code"]
    stratum_b = design_b.frame["household_id"].map(first).fillna(design_b.frame["district_code"])
    change = calibrated_wave_difference(
        with_columns(design_a, stratum=design_a.frame["district_code"]),
        with_columns(design_b, stratum=stratum_b),
        variable,
        strata="stratum",
        unit="household_id",
        statistic=statistic,  # type: ignore[arg-type]
        by=by,
        level=level,
        lonely_psu=WAVE_LONELY_PSU,
    )
    return _later_minus_earlier(change)


def _later_minus_earlier(change: pd.DataFrame) -> pd.DataFrame:
    """Turn panel_wave_difference's a − b into the change b − a (same SE and p-value)."""
    out = change.copy()
    out["difference"] = -change["difference"]
    out["ci_low"], out["ci_high"] = -change["ci_high"], -change["ci_low"]
    out["z"] = -change["z"]
    return out


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
