"""Indicators over time: across cross-section years, and across panel waves.

Why a module of its own: the explorer's trend and comparison views and the panel wave
reports both ask how an estimate changed, and the two kinds of sample need different
variances of a change.

- :func:`indicator_trend` — the Seoul-wide estimate of one indicator in several
  cross-section years, and each year's change from the previous one with
  :func:`analysis.estimation.differences.independent_difference`: the samples are drawn
  independently, SE = √(SE₁² + SE₂²), normal 95 % interval and two-sided p.

- :func:`wave_change` / :func:`designs_change` — the change of a mean between two panel
  waves with :func:`analysis.estimation.differences.calibrated_wave_difference`: the joint
  linearization on the stacked household design, so households present in both waves add
  their covariance (strata: district at the first wave); :func:`wave_trend` strings the
  waves asking an indicator together.

Each estimate comes from a design of :mod:`analysis.designs`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.designs import (
    WAVE_LONELY_PSU,
    WEIGHT_UNIT,
    ExploreError,
    analysis_design,
    survey_kind,
    unit_weights,
    wave_indicator_table,
)
from analysis.estimation.design import SurveyDesign, with_columns
from analysis.estimation.differences import calibrated_wave_difference, independent_difference
from analysis.indicators import Indicator, NothingToEstimate, estimate_indicators, load_catalogue
from analysis.survey_frames import respondent_frames
from analysis.weights.survey_weights import calibrated_design
from data.panel_waves import wave_numbers
from data.reference import stored_table
from data.store import Store
from data.text import Text
from surveys.opening import questionnaire_of, survey_info

SIGNIFICANCE = 0.05


def _indicator(indicator_id: str) -> Indicator:
    for indicator in load_catalogue():
        if indicator.id == indicator_id:
            return indicator
    raise ExploreError(
        "unknown_indicator",
        Text(
            f"지표 목록에 없는 지표입니다: {indicator_id!r}",
            f"no indicator {indicator_id!r} in the catalogue",
        ),
    )


def seoul_estimate(store: Store, survey_id: int, indicator_id: str) -> pd.Series:
    """The Seoul-wide row of one indicator (estimate, se, ci, cv, deff, n, flag) in a year."""
    if survey_kind(store, survey_id) != "cross_section":
        raise ExploreError(
            "not_a_cross_section",
            Text(
                f"조사 {survey_id} 는 서울서베이(횡단) 조사가 아닙니다",
                f"survey {survey_id} is not a Seoul Survey cross-section",
            ),
        )
    indicator = replace(_indicator(indicator_id), domains=((),))
    frames = respondent_frames(store, int(survey_id), stored_table(store, "age_groups"))
    _, weights = unit_weights(store, survey_id, indicator.population)
    unit = WEIGHT_UNIT[indicator.population]
    table = estimate_indicators(
        [indicator],
        frames,
        lambda _, frame: calibrated_design(store, survey_id, frame, unit, weights),
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
            "indicator_never_asked",
            Text(
                f"어느 해의 설문지도 지표 {indicator_id} 를 묻지 않습니다",
                f"no year's questionnaire asks indicator {indicator_id}",
            ),
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
            "indicator_never_asked",
            Text(
                "고른 차수의 설문지는 모두 이 지표의 문항을 묻지 않습니다",
                "each chosen wave asks none of this indicator's questions",
            ),
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
    """Wave number of each panel wave's survey id (read without importing ``panel``)."""
    return wave_numbers(store)


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
        if survey_kind(store, survey_id) != "panel_wave":
            raise ExploreError(
                "not_a_wave",
                Text(
                    f"조사 {survey_id} 는 패널 차수가 아닙니다",
                    f"survey {survey_id} is not a panel wave",
                ),
            )
    if int(survey_a) == int(survey_b):
        raise ExploreError(
            "same_wave", Text("서로 다른 두 차수를 고르세요", "choose two different waves")
        )
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
