"""Design assembly: the design of a weighted survey's respondents, as estimation needs it.

Why a module of its own: the explorer (:mod:`analysis.explore`), the changes over time
(:mod:`analysis.trends`), the reports (:mod:`analysis.reports`) and the command line all
estimate on the same designs, made here from the stores of record.

- :func:`analysis_design` / :func:`analysis_frame` — the design every explorer and report
  number on a chosen weights version comes from.

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

- :func:`wave_indicator_table` — a panel wave's catalogue indicators on its design, in the
  columns of :func:`analysis.tables.indicator_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.estimation.design import LonelyPSU, SurveyDesign, with_columns
from analysis.exclusions import active_exclusions
from analysis.indicators import Indicator, estimate_indicators, indicator_values, load_catalogue
from analysis.survey_frames import age_group_of, respondent_frames
from analysis.tables import NoWeights
from analysis.weights.survey_weights import calibrated_design, latest_weights
from analysis.weights.wave_calibration import wave_calibrated_design
from data.reference import stored_table
from data.store import Store
from data.text import Refusal, Text
from data.weights_tables import version_owner, weights_rows
from surveys.frames import household_frame
from surveys.opening import survey_info

UNITS: tuple[str, ...] = ("persons15", "households")
WEIGHT_UNIT = {"persons15": "person", "households": "household"}
INDICATOR_PREFIX = "indicator__"
# A wave's strata are districts and its PSUs households: a district where a single household
# answered is centred at the grand mean, as R's options(survey.lonely.psu = "adjust").
WAVE_LONELY_PSU: LonelyPSU = "adjust"


class ExploreError(Refusal, ValueError):
    """A design, trend or change the explorer or a report cannot make: ``reason`` and ``text``."""


def survey_kind(store: Store, survey_id: int) -> str:
    """``cross_section`` or ``panel_wave``."""
    return survey_info(store, int(survey_id)).kind


def check_unit(unit: str, kind: str) -> None:
    """Refuse a unit that is not in :data:`UNITS`, or persons on a panel wave."""
    if unit not in UNITS:
        raise ExploreError(
            "unknown_unit",
            Text(
                f"단위는 {UNITS} 중 하나입니다 ({unit!r} 아님)",
                f"unit must be one of {UNITS}, not {unit!r}",
            ),
        )
    if kind == "panel_wave" and unit != "households":
        raise ExploreError(
            "wave_is_households",
            Text(
                "패널 차수는 가구 단위(가구당 응답자 1명)로만 분석할 수 있습니다",
                "a panel wave has one "
                "respondent per household: analyse it with unit 'households', not 'persons15'",
            ),
        )


def unit_weights(
    store: Store, survey_id: int, unit: str, weights_id: int | None = None
) -> tuple[int, pd.DataFrame]:
    """(weights_id, weights) of the unit: the chosen version, else the newest."""
    if weights_id is not None:
        return int(weights_id), _chosen_weights(store, int(survey_id), unit, int(weights_id))
    found = latest_weights(store, int(survey_id), WEIGHT_UNIT[unit])
    if found is None:
        raise NoWeights(
            "no_weights",
            Text(
                f"조사 {survey_id} 에 {WEIGHT_UNIT[unit]} 가중치가 아직 없습니다: 조사 관리·패널 화면에서 "
                "가중치를 먼저 만드세요",
                f"survey {survey_id} has no {WEIGHT_UNIT[unit]} weights yet: make them first",
            ),
        )
    return found[0], found[1]


def _chosen_weights(store: Store, survey_id: int, unit: str, weights_id: int) -> pd.DataFrame:
    owner = version_owner(store, weights_id)
    if owner is None or owner != (survey_id, WEIGHT_UNIT[unit]):
        raise ExploreError(
            "wrong_weights",
            Text(
                f"가중치 {weights_id} 는 조사 {survey_id} 의 {WEIGHT_UNIT[unit]} 가중치가 아닙니다",
                f"weights {weights_id} are not {WEIGHT_UNIT[unit]} weights of survey {survey_id}",
            ),
        )
    return weights_rows(store, weights_id)


# ---- frames and designs ----------------------------------------------------------------------
def usable_indicators(frame: pd.DataFrame, unit: str, kind: str) -> list[Indicator]:
    """The catalogue indicators ``frame`` has every item of (a cross-section: of ``unit``'s
    population only)."""
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
    for indicator in usable_indicators(frame, unit, kind):
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
    kind = survey_kind(store, survey_id)
    check_unit(unit, kind)
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
    _, weights = unit_weights(store, survey_id, unit, weights_id)
    if survey_kind(store, survey_id) == "cross_section":
        return calibrated_design(store, survey_id, frame, WEIGHT_UNIT[unit], weights)
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
    if survey_kind(store, survey_id) != "panel_wave":
        raise ExploreError(
            "not_a_wave",
            Text(
                f"조사 {survey_id} 는 패널 차수가 아닙니다",
                f"survey {survey_id} is not a panel wave",
            ),
        )
    design = analysis_design(store, survey_id, "households", weights_id)
    frame = design.frame
    usable = [
        replace(
            indicator,
            population="households",
            domains=tuple(d for d in indicator.domains if all(c in frame.columns for c in d)),
        )
        for indicator in usable_indicators(frame, "households", "panel_wave")
        if indicators is None or indicator.id in indicators
    ]
    if not usable:
        raise ExploreError(
            "no_indicators",
            Text(
                "이 차수의 설문지는 지표 목록의 문항을 묻지 않습니다",
                "this wave's questionnaire asks none of the catalogue's indicators",
            ),
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
        weights_id, _ = unit_weights(store, survey_id, "households")
    excluded = active_exclusions(store, survey_id)
    table.insert(5, "weights_id", int(weights_id))
    table.insert(6, "excluded", int((excluded["member_no"] == 0).sum()))
    return table
