"""What the panel health page shows: size, waves, attrition, replacements, composition, R.

The page in ``ui/`` only displays these frames; every number is read from the
store here and every statistic comes from :mod:`panel.health_stats` (not
reimplemented):

- **Size** (:func:`panel_size`): the target of the latest recruitment against
  the households in the panel (:data:`panel.status.MEMBERS`), with the reserve
  left and the shortfall ``max(0, target − in_panel)``.
- **Waves** (:func:`wave_summary`): per wave the AAPOR rates RR1, COOP1, REF1
  and CON1 (:func:`panel.outcomes.wave_rates`, computed from one read of the outcomes; AAPOR *Standard Definitions*,
  10th ed., 2023) with the households that left in the wave's attrition step,
  the replacements made in its replacement step and the households joining.
- **Attrition and replacements** (:func:`attrition_by`, :func:`replacements_by`,
  :func:`replacement_log`) from ``panel_status_history``: a household *left*
  in a history row whose status is in :data:`panel.status.LEFT`; a
  *replacement* is a row ``reserve → invited`` (:mod:`panel.replacement`).
  The wave of a row is its ``survey_id``; rows made outside a wave have
  ``wave_no`` 0. The district is the one recorded with the change.
- **Composition** (:func:`composition`): households in the panel against the
  registered household margins (:func:`analysis.weights.survey_weights.household_margins`)
  by district or size class, with Duncan's dissimilarity index D and Pearson's
  χ² (:func:`panel.health_stats.composition_test`).
- **Representativeness** (:func:`representativeness`): the R-indicator of
  Schouten, Cobben & Bethlehem (2009, *Survey Methodology* 35(1), 101–113) per
  wave, ``R = 1 − 2 S(ρ̂)``, from a design-weighted logit of a complete
  response on district, household type and head's age band
  (:func:`panel.health_stats.r_indicator`). Households found not eligible in
  the wave (moved out of Seoul, dissolved, deceased, out of scope) are left
  out, as they are from every AAPOR denominator, so ``mean_propensity`` is the
  design-weighted RR1.

A database without the panel tables, without a recruitment or without waves
gives empty frames with the same columns (and a :class:`CompositionTest` with
an empty table and NaN statistics), never an error.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from analysis.weights.survey_weights import household_margins
from data.panel_roster import (
    household_cells,
    households_by_status,
    households_joined_per_wave,
    households_per_district,
    households_per_size_class,
    latest_recruitment_target,
    status_history,
)
from data.store import Store
from data.text import InvalidRequest, Text
from panel.health_stats import LEAVING, CompositionTest, attrition_table, composition_test
from panel.health_stats import r_indicator as _r_indicator
from panel.outcomes import wave_outcomes
from panel.response_rates import RATES, rate_table
from panel.status import LEFT, MEMBERS, STATUSES
from panel.waves import Wave, list_waves

GROUPS: tuple[str, ...] = ("wave_no", "district_code", "household_type")
DIMENSIONS: tuple[str, ...] = ("district_code", "size_class")
AUXILIARIES: list[str] = ["district_code", "household_type", "head_age_band"]
MATCH_LEVELS: tuple[int, ...] = (0, 1, 2, 3)
LEVEL_COLUMNS: list[str] = [f"level_{level}" for level in MATCH_LEVELS]

WAVE_COLUMNS: list[str] = [
    "survey_id", "wave_no", "code", "title_ko", "title_en", "status", "invited", "complete", *RATES,
    "left", "replaced", "joined",
]  # fmt: skip
R_COLUMNS: list[str] = ["wave_no", "code", "r", "propensity_sd", "mean_propensity", "n"]
LOG_COLUMNS: list[str] = [
    "household_id", "replaces", "wave_no", "wave_code", "district_code", "replaces_district_code",
    "household_type", "head_age_band", "replaces_household_type", "replaces_head_age_band",
    "match_level", "match_flag", "changed_at", "changed_by",
]  # fmt: skip
COMPOSITION_COLUMNS: list[str] = [
    "category", "panel_n", "panel_share", "population_share", "expected_n", "difference",
]  # fmt: skip

_SIZE_CAP = 5  # size classes 1 .. 4 and 5+

# The panel tables (migrations 0006 and 0007, applied together by data.migrate).
_PANEL_TABLES = frozenset(
    {"panel_households", "panel_status_history", "panel_recruitments", "panel_waves", "surveys"}
)


# ---------------------------------------------------------------- helpers


def _has(store: Store, tables: frozenset[str]) -> bool:
    """Whether every table exists (a database migrated before the panel lacks them)."""
    return tables <= set(store.table_names())


def _waves(store: Store) -> list[Wave]:
    return list_waves(store) if _has(store, _PANEL_TABLES) else []


def _check_by(by: list[str]) -> list[str]:
    unknown = [b for b in by if b not in GROUPS]
    if unknown:
        raise InvalidRequest(
            "unknown_group",
            Text(
                f"묶을 수 없는 열입니다: {unknown} (가능: {', '.join(GROUPS)})",
                f"cannot group by {unknown}; choose from {', '.join(GROUPS)}",
            ),
        )
    return list(dict.fromkeys(by))


_HISTORY_COLUMNS = [
    "history_id", "household_id", "previous_status", "status", "district_code", "changed_at",
    "changed_by", "survey_id", "wave_no", "wave_code", "household_type", "head_age_band",
    "replaces", "match_level", "match_flag",
]  # fmt: skip


def _history(store: Store, statuses: list[str], previous: str | None = None) -> pd.DataFrame:
    """History rows moving to one of ``statuses`` (from ``previous`` when given), newest first,
    with wave number and code and the roster's cell and replacement columns.

    ``wave_no`` is 0 (and ``wave_code`` missing) for changes made outside a wave.
    """
    if not _has(store, _PANEL_TABLES):
        return pd.DataFrame(columns=_HISTORY_COLUMNS)
    frame = status_history(store, statuses, previous)
    return frame.astype({"wave_no": "int64"})[_HISTORY_COLUMNS]


def _leavers(store: Store) -> pd.DataFrame:
    """History rows in which a household left the panel."""
    return _history(store, sorted(LEFT))


def _replacements(store: Store) -> pd.DataFrame:
    """History rows of replacements: a reserve household invited in place of a leaver."""
    return _history(store, ["invited"], "reserve")


# ---------------------------------------------------------------- size


def panel_size(store: Store) -> dict[str, Any]:
    """The panel against its target.

    Keys: ``target`` (of the latest recruitment; ``None`` before any),
    ``active`` (status active), ``in_panel`` (statuses in
    :data:`panel.status.MEMBERS`), ``by_status`` (every status, zeros
    included), ``reserve_left`` (status reserve) and
    ``shortfall = max(0, target − in_panel)`` (0 without a target).
    """
    by_status = dict.fromkeys(STATUSES, 0)
    target = None
    if _has(store, _PANEL_TABLES):
        target = latest_recruitment_target(store)
        by_status.update(households_by_status(store))
    in_panel = sum(by_status[s] for s in MEMBERS)
    return {
        "target": target,
        "active": by_status["active"],
        "in_panel": in_panel,
        "by_status": by_status,
        "reserve_left": by_status["reserve"],
        "shortfall": max(0, (target or 0) - in_panel) if target is not None else 0,
    }


# ---------------------------------------------------------------- waves


def _rates(store: Store, survey_id: int) -> dict[str, Any]:
    """Invited, complete and the four AAPOR rates of one wave (NaN rates without a sample)."""
    outcomes = wave_outcomes(store, survey_id)
    table = rate_table(outcomes) if len(outcomes) else None  # = wave_rates(store, survey_id)
    if table is None or table.empty:
        return {"invited": 0, "complete": 0, **dict.fromkeys(RATES, math.nan)}
    row = table.iloc[0]
    return {
        "invited": int(row["invited"]),
        "complete": int(row["I"]),
        **{rate: float(row[rate]) for rate in RATES},
    }


def _per_survey(frame: pd.DataFrame) -> pd.Series:
    """Distinct households per survey_id."""
    return frame.dropna(subset=["survey_id"]).groupby("survey_id")["household_id"].nunique()


def wave_summary(store: Store) -> pd.DataFrame:
    """One row per wave: :data:`WAVE_COLUMNS`.

    ``invited``, ``complete`` (I) and the rates as :func:`panel.outcomes.wave_rates`;
    ``left``: households moved to a status in LEFT by history rows of the wave
    (its attrition step); ``replaced``: ``reserve → invited`` rows of the wave
    (its replacement step); ``joined``: households whose ``joined_wave`` is
    the wave's number.
    """
    waves = _waves(store)
    if not waves:
        return pd.DataFrame(columns=WAVE_COLUMNS)
    left = _per_survey(_leavers(store))
    replaced = _per_survey(_replacements(store))
    joined = households_joined_per_wave(store)
    rows = [
        {
            "survey_id": w.survey_id,
            "wave_no": w.wave_no,
            "code": w.code,
            "title_ko": w.title_ko,
            "title_en": w.title_en,
            "status": w.status,
            **_rates(store, w.survey_id),
            "left": int(left.get(w.survey_id, 0)),
            "replaced": int(replaced.get(w.survey_id, 0)),
            "joined": int(joined.get(w.wave_no, 0)),
        }
        for w in waves
    ]
    return pd.DataFrame(rows, columns=WAVE_COLUMNS)


# ---------------------------------------------------------------- attrition, replacements


def attrition_by(store: Store, by: list[str]) -> pd.DataFrame:
    """Households that left the panel per group of ``by`` and leaving status.

    ``by`` ⊂ :data:`GROUPS`. Columns: the ``by`` columns, one per leaving
    status (:data:`panel.health_stats.LEAVING`) and ``total``, as
    :func:`panel.health_stats.attrition_table`; ``district_code`` is the
    district recorded with the change, ``wave_no`` 0 a change outside a wave.
    """
    by = _check_by(by)
    history = _leavers(store)
    if history.empty and by:
        return pd.DataFrame(columns=[*by, *LEAVING, "total"])
    return attrition_table(history, by)


def replacements_by(store: Store, by: list[str]) -> pd.DataFrame:
    """Replacements per group of ``by`` (⊂ :data:`GROUPS`), by match level.

    Columns: the ``by`` columns, ``level_0`` (same cell) .. ``level_3``
    (another district) and ``total``. Groups are the replacement's own wave
    step, district (at the change) and household type. Without ``by``: one row.
    """
    by = _check_by(by)
    made = _replacements(store)
    columns = [*by, *LEVEL_COLUMNS, "total"]
    if made.empty:
        return (
            pd.DataFrame([dict.fromkeys(columns, 0)]) if not by else pd.DataFrame(columns=columns)
        )
    made = made.assign(level=pd.Categorical(made["match_level"].astype("int64"), MATCH_LEVELS))
    if by:
        counts = made.groupby([*by, "level"], sort=True, observed=False).size()
        wide = counts.unstack("level", fill_value=0)
        wide = wide.loc[wide.sum(axis=1) > 0]
    else:
        wide = made["level"].value_counts(sort=False).to_frame().T
    wide = wide.reindex(columns=list(MATCH_LEVELS), fill_value=0).astype(np.int64)
    wide.columns = LEVEL_COLUMNS
    wide["total"] = wide.sum(axis=1).astype(np.int64)
    return wide.reset_index() if by else wide.reset_index(drop=True)


def replacement_log(store: Store, limit: int | None = None) -> pd.DataFrame:
    """Every replacement, newest first (:data:`LOG_COLUMNS`), at most ``limit`` rows.

    ``household_id`` is the replacement and ``replaces`` the household it
    stands in for; ``wave_no``/``wave_code`` the wave whose replacement step
    made it (0/None outside a wave); districts and cells (household type,
    head's age band) of both: the replacement's district at the change, the
    replaced household's district when it left (a household that left never
    moves again).
    """
    made = _replacements(store)
    if made.empty:
        return pd.DataFrame(columns=LOG_COLUMNS)
    replaced = household_cells(store, made["replaces"].dropna()).rename(
        columns=lambda column: "replaces" if column == "household_id" else f"replaces_{column}"
    )
    log = made.astype({"replaces": "Int64"}).merge(
        replaced.astype({"replaces": "Int64"}), on="replaces", how="left"
    )
    log = log[LOG_COLUMNS].reset_index(drop=True)
    return log if limit is None else log.head(limit)


# ---------------------------------------------------------------- composition


def _empty_composition() -> CompositionTest:
    return CompositionTest(
        pd.DataFrame(columns=COMPOSITION_COLUMNS), math.nan, math.nan, 0, math.nan
    )


def _panel_counts(store: Store, dimension: str) -> pd.Series:
    """Households in the panel (MEMBERS) per district or size class (5 = 5+)."""
    if dimension == "district_code":
        frame = households_per_district(store, MEMBERS)
        return frame.set_index(frame["category"].astype(str))["n"].astype(float)
    frame = households_per_size_class(store, MEMBERS, _SIZE_CAP)
    return frame.set_index(frame["category"].astype("int64"))["n"].astype(float)


def composition(store: Store, dimension: str) -> CompositionTest:
    """The panel's households against the registered households, by ``dimension``.

    ``dimension`` is ``district_code`` or ``size_class`` (household size, 5 =
    5+): the dimensions with a population margin (there is none for household
    type). D, χ², df and p from :func:`panel.health_stats.composition_test`.
    """
    if dimension not in DIMENSIONS:
        raise InvalidRequest(
            "unknown_dimension",
            Text(
                f"모집단 분포가 없는 차원입니다: {dimension!r} (가능: {', '.join(DIMENSIONS)})",
                f"no population margin for {dimension!r}; choose from {', '.join(DIMENSIONS)}",
            ),
        )
    if not _has(store, _PANEL_TABLES):
        return _empty_composition()
    panel = _panel_counts(store, dimension)
    population = household_margins(store)[dimension]
    if panel.sum() <= 0 or population.sum() <= 0:
        return _empty_composition()
    if dimension == "district_code":
        population.index = population.index.astype(str)
    else:
        population.index = population.index.astype("int64")
    return composition_test(panel.sort_index(), population.sort_index())


# ---------------------------------------------------------------- representativeness


def _wave_r(store: Store, wave: Wave) -> dict[str, Any] | None:
    """R-indicator of one wave's eligible invited households, or None without any."""
    outcomes = wave_outcomes(store, wave.survey_id)
    eligible = outcomes.loc[outcomes["outcome"] != "not_eligible"].copy()
    if eligible.empty:
        return None
    eligible["responded"] = (eligible["outcome"] == "complete").astype(int)
    result = _r_indicator(eligible, "responded", AUXILIARIES, "design_weight")
    return {
        "wave_no": wave.wave_no,
        "code": wave.code,
        "r": result.r,
        "propensity_sd": result.propensity_sd,
        "mean_propensity": result.mean_propensity,
        "n": result.n,
    }


def representativeness(store: Store) -> pd.DataFrame:
    """The R-indicator per wave (:data:`R_COLUMNS`); see the module docstring.

    A wave before any response has constant propensities and ``R = 1``; ``n``
    says how many households the model saw.
    """
    rows = [row for w in _waves(store) if (row := _wave_r(store, w)) is not None]
    return pd.DataFrame(rows, columns=R_COLUMNS).astype({"n": np.int64})
