"""The largest changes since the previous year: the Seoul-wide estimates of two cross-sections.

A report compares the Seoul-wide estimates with the newest earlier cross-section of the
same series that has weights; the two samples are drawn independently, so the
difference's SE is sqrt(SE₁² + SE₂²)
(:func:`analysis.estimation.differences.independent_difference`) and a change is
significant at 5 % when |Δ / SE| > 1.96. Changes are ranked by |z| (:func:`ranked_changes`,
also used for the changes between panel waves).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.estimation.differences import independent_difference
from analysis.indicators import Indicator, NothingToEstimate
from analysis.reports.published import SEOUL
from analysis.tables import indicator_table
from data.store import Store
from data.weights_tables import units_weighted
from surveys.opening import SurveyInfo, same_series, survey_info

Z_95 = 1.959963984540054


def previous_survey(store: Store, survey: SurveyInfo) -> SurveyInfo | None:
    """The newest earlier cross-section of the same series with household and person weights.

    Same series: :func:`surveys.opening.same_series` ('seoul-2025' for 'seoul-2026').
    """
    surveys = same_series(store, survey.survey_id)
    earlier = surveys[
        (surveys["kind"] == "cross_section")
        & (surveys["survey_id"] != survey.survey_id)
        & (surveys["reference_year"].notna())
        & (surveys["reference_year"] < (survey.reference_year or 0))
    ].sort_values(["reference_year", "survey_id"], ascending=False)
    for survey_id in earlier["survey_id"]:
        if {"household", "person"} <= units_weighted(store, int(survey_id)):
            return survey_info(store, int(survey_id))
    return None


def seoul_changes(
    current: pd.DataFrame, store: Store, previous: SurveyInfo, catalogue: list[Indicator]
) -> pd.DataFrame:
    """Seoul-wide estimates now and in ``previous``, their difference, SE, z, p and significance.

    Sorted by |z|, the largest (most certain) changes first: the indicators have
    different units, so the standardized change ranks them.
    """
    seoul_only = [replace(i, domains=((),)) for i in catalogue]
    try:
        before = indicator_table(store, previous.survey_id, seoul_only)
    except NothingToEstimate:  # that year asked none of these indicators
        before = current.iloc[:0]
    now = current[current["domain"] == SEOUL]
    keys = ["indicator", "estimate", "se"]
    diff = independent_difference(now[keys], before[keys], on=["indicator"])
    names = now.set_index("indicator")[["name_ko", "name_en", "unit"]]
    return ranked_changes(diff.join(names, on="indicator"))


def ranked_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Add the change relative to the earlier estimate (%) and its 5 % significance, and sort
    by |z|: the indicators have different units, so the standardized change ranks them."""
    changes = changes.copy()
    changes["relative"] = changes["difference"] / changes["estimate_b"].abs() * 100
    changes["significant"] = changes["z"].abs() > Z_95
    order = changes["z"].abs().fillna(-1).sort_values(ascending=False).index
    return changes.loc[order].reset_index(drop=True)
