"""The weights versions a report uses, and the indicator table estimated on them.

Why a module of its own: a report may be made on older weights versions than the newest;
which versions it uses (:func:`weights_versions`), the table they give
(:func:`report_table`) and how many answers are excluded are shared by the
cross-section's and the panel wave's reports, the methodology appendix and the reports page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.exclusions import active_exclusions
from analysis.indicators import Indicator, estimate_indicators, load_catalogue
from analysis.reports.terms import UNIT_TITLES
from analysis.survey_frames import respondent_frames
from analysis.tables import UNITS, NoWeights, indicator_table
from analysis.weights.survey_weights import calibrated_design
from data.reference import stored_table
from data.store import Store
from data.text import InvalidRequest, Text
from data.weights_tables import newest_version_ids, versions_of, weights_rows


@dataclass(frozen=True)
class WeightsVersion:
    weights_id: int
    unit: str
    version: int
    created_at: str
    parameters: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{UNIT_TITLES.get(self.unit, self.unit)} v{self.version} (ID {self.weights_id})"


def all_weights_versions(store: Store, survey_id: int) -> dict[int, WeightsVersion]:
    """Every stored weights version of a survey, by weights id, oldest first."""
    return {row[0]: WeightsVersion(*row) for row in versions_of(store, survey_id)}


def weights_versions(
    store: Store,
    survey_id: int,
    weights_ids: list[int] | tuple[int, ...] | None = None,
    units: tuple[str, ...] = ("household", "person"),
) -> dict[str, WeightsVersion]:
    """The weights versions of ``units`` the report uses: the chosen ones, else the newest."""
    known = all_weights_versions(store, survey_id)
    chosen: dict[str, WeightsVersion] = {}
    for weights_id in weights_ids or ():
        if int(weights_id) not in known:
            raise InvalidRequest(
                "wrong_survey",
                Text(
                    f"가중치 {weights_id} 는 조사 {survey_id} 의 것이 아닙니다",
                    f"weights {weights_id} do not belong to survey {survey_id}",
                ),
            )
        version = known[int(weights_id)]
        if version.unit not in units:
            raise InvalidRequest(
                "wrong_unit",
                Text(
                    f"가중치 {weights_id} 는 {version.unit} 단위입니다: 보고서는 {', '.join(units)}"
                    " 가중치를 씁니다",
                    f"weights {weights_id} are {version.unit} weights; the report"
                    f" uses {', '.join(units)} weights",
                ),
            )
        chosen[version.unit] = version
    for unit in units:
        if unit not in chosen:
            newest = [v for v in known.values() if v.unit == unit]
            if not newest:
                raise NoWeights(
                    "no_weights",
                    Text(
                        f"조사 {survey_id} 에 {unit} 가중치가 아직 없습니다",
                        f"survey {survey_id} has no {unit} weights yet: make them first",
                    ),
                )
            chosen[unit] = max(newest, key=lambda v: v.version)
    return {unit: chosen[unit] for unit in units}


def report_table(
    store: Store,
    survey_id: int,
    versions: dict[str, WeightsVersion],
    catalogue: list[Indicator] | None = None,
) -> pd.DataFrame:
    """The indicator table on the chosen weights versions.

    With the newest versions this *is* :func:`analysis.tables.indicator_table`;
    with an older version the same estimation runs on that version's weights.
    """
    newest = newest_version_ids(store, survey_id)
    if all(newest.get(u) == v.weights_id for u, v in versions.items()):
        return indicator_table(store, survey_id, catalogue)
    catalogue = catalogue or load_catalogue()
    frames = respondent_frames(store, survey_id, stored_table(store, "age_groups"))
    weights = {unit: weights_rows(store, v.weights_id) for unit, v in versions.items()}

    def design(population: str, frame: pd.DataFrame):
        unit = UNITS[population]
        return calibrated_design(store, survey_id, frame, unit, weights[unit])

    table = estimate_indicators(catalogue, frames, design)
    ids = {p: versions[u].weights_id for p, u in UNITS.items() if u in versions}
    table.insert(5, "weights_id", table["population"].map(ids))
    counts = excluded_counts(store, survey_id)
    table.insert(6, "excluded", table["population"].map(counts).astype("int64"))
    return table


def excluded_counts(store: Store, survey_id: int) -> dict[str, int]:
    excluded = active_exclusions(store, survey_id)
    return {
        "households": int((excluded["member_no"] == 0).sum()),
        "persons15": int((excluded["member_no"] > 0).sum()),
    }
