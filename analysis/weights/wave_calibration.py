"""The calibration of a panel wave's household weights, made once and replayed for estimation.

A wave's weights (:mod:`panel.weights`) are raked to the registered households by
district and by household size, the size being the one the sampling frame recorded
at recruitment folded at ``SIZE_CAP`` (5 = 5+). A margin category nobody answered in
cannot be reached: its total is spread over the margin's other categories in
proportion to theirs, so the weights still sum to Seoul's registered households.

Estimation replays that calibration on the stored nonresponse-adjusted weights
(:func:`wave_calibrated_design`), as :func:`analysis.weights.survey_weights.calibrated_design`
does for the cross-sections: the design's linearized variances then use the
residuals of the calibration (Deville & Särndal 1992; R's ``calibrate``/``rake``
designs), so items related to district or household size get their smaller,
calibration-aware SEs, and a household excluded from estimation is left out with the
others re-raked to the same totals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.estimation.design import SurveyDesign
from analysis.weights.survey_weights import (
    DESIGN,
    LONELY_PSU,
    SIZE_CAP,
    household_margins,
    rake_and_trim,
)
from analysis.weights.weighting import reachable_margins
from data.store import Store
from data.survey_tables import sampled_household_sizes
from data.text import InvalidRequest, Text


def size_margin(totals: pd.Series) -> pd.Series:
    """Households by size class 1..SIZE_CAP (the margins' larger sizes folded into 5+)."""
    index = pd.Index(np.minimum(totals.index.astype(int), SIZE_CAP), name=totals.index.name)
    return totals.groupby(index).sum()


def wave_margins(store: Store) -> dict[str, pd.Series]:
    """Registered households by district and by size class (1..5+)."""
    margins = household_margins(store)
    margins["size_class"] = size_margin(margins["size_class"])
    return margins


def frame_size_classes(store: Store, survey_id: int, household_ids: pd.Series) -> pd.Series:
    """Each sampled household's size at recruitment (the sampling frame), folded at SIZE_CAP."""
    sizes = sampled_household_sizes(store, survey_id, SIZE_CAP)
    found = sizes.set_index("household_id")["size_class"].astype(int)
    return pd.Series(household_ids).map(found)


def calibrate_wave(
    store: Store, respondents: pd.DataFrame
) -> tuple[SurveyDesign, dict[str, Any], dict[str, list]]:
    """Rake ``adjusted_weight`` to the wave margins and trim (then rake again).

    ``respondents`` needs ``district_code``, ``ea_id`` and ``size_class``. Returns the
    calibrated design, the calibration's parameters and the unreachable categories.
    """
    reachable, absent = reachable_margins(respondents, wave_margins(store))
    design = SurveyDesign(respondents, weights="adjusted_weight", lonely_psu=LONELY_PSU, **DESIGN)
    final, calibration = rake_and_trim(design, reachable)
    return final, calibration, absent


def wave_calibrated_design(
    store: Store, survey_id: int, frame: pd.DataFrame, weights: pd.DataFrame
) -> SurveyDesign:
    """A wave's respondents with their stored calibration replayed (calibration-aware SEs).

    ``frame`` holds the wave's respondents (one row per household), ``weights`` a stored
    household weights version of the wave (``base_weight``, ``adjusted_weight``,
    ``weight``). With every weighted household present the replay gives the stored
    weights back (checked); with some excluded since, the rest are re-raked.
    """
    columns = ["household_id", "base_weight", "adjusted_weight", "weight"]
    merged = frame.merge(weights[columns], on="household_id", how="inner")
    merged["size_class"] = frame_size_classes(store, survey_id, merged["household_id"]).to_numpy()
    final, _, _ = calibrate_wave(store, merged.reset_index(drop=True))
    if len(merged) == len(weights) and not np.allclose(
        np.asarray(final.weights), merged["weight"].to_numpy(), rtol=1e-6
    ):
        raise InvalidRequest(
            "stale_weights",
            Text(
                "이 차수의 저장된 가중치가 그 매개변수에서 다시 나오지 않습니다: 새 가중치를 만드세요",
                "the wave's stored weights no longer follow from their parameters; make a new version",
            ),
        )
    return final
