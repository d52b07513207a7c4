"""The published table of a survey: every catalogue indicator, every domain, with flags.

Reads the survey's respondents through the analysis frames, takes the newest
stored weights version of each unit, replays its calibration (so SEs account
for it) and estimates the catalogue. Used by the command line
(``python -m analysis estimate``) and the statistician's page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.exclusions import active_exclusions
from analysis.indicators import Indicator, estimate_indicators, load_catalogue
from analysis.survey_frames import respondent_frames
from analysis.weights.survey_weights import calibrated_design, latest_weights
from data.reference import stored_table
from data.spreadsheet_safety import write_csv, xlsx_bytes
from data.store import Store
from data.text import Refusal, Text
from surveys.opening import questionnaire_of

UNITS = {"persons15": "person", "households": "household"}


class NoWeights(Refusal, LookupError):
    """The survey has no stored weights version yet."""


def indicator_table(
    store: Store, survey_id: int, catalogue: list[Indicator] | None = None
) -> pd.DataFrame:
    """The catalogue estimated for a survey with its newest weights versions.

    ``excluded`` counts the parts of the population excluded from estimation
    (:mod:`analysis.exclusions`) when the table was made.
    """
    catalogue = catalogue or load_catalogue()
    frames = respondent_frames(store, survey_id, stored_table(store, "age_groups"))
    versions = {}
    has_persons = questionnaire_of(store, survey_id).person is not None
    for population, unit in UNITS.items():
        if unit == "person" and not has_persons:  # a questionnaire without a person part
            catalogue = [i for i in catalogue if i.population != population]
            continue
        found = latest_weights(store, survey_id, unit)
        if found is None:
            raise NoWeights(
                "no_weights",
                Text(
                    f"조사 {survey_id} 에 {unit} 가중치가 아직 없습니다",
                    f"survey {survey_id} has no {unit} weights yet: make them first",
                ),
            )
        versions[population] = found

    def design(population: str, frame: pd.DataFrame):
        _, weights, _ = versions[population]
        return calibrated_design(store, survey_id, frame, UNITS[population], weights)

    table = estimate_indicators(catalogue, frames, design)
    table.insert(5, "weights_id", table["population"].map(lambda p: versions[p][0]))
    excluded = active_exclusions(store, survey_id)
    counts = {
        "households": int((excluded["member_no"] == 0).sum()),
        "persons15": int((excluded["member_no"] > 0).sum()),
    }
    table.insert(6, "excluded", table["population"].map(counts).astype("int64"))
    return table


def write_table(table: pd.DataFrame, out: Path) -> Path:
    """Write to .csv (UTF-8 with BOM, opens in Korean Excel), .xlsx or .parquet by suffix.

    CSV and Excel cells that a spreadsheet could run as a formula are prefixed with an
    apostrophe (:mod:`data.spreadsheet_safety`); Parquet keeps every value as it is."""
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_csv(table, out)
    elif suffix == ".xlsx":
        out.write_bytes(excel_bytes(table))
    elif suffix == ".parquet":
        table.to_parquet(out, index=False)
    else:
        raise ValueError(f"write .csv, .xlsx or .parquet, not {suffix or 'a file without suffix'}")
    return out


def excel_bytes(table: pd.DataFrame) -> bytes:
    """The table as one sheet ``indicators``, header frozen and filterable, text neutralized."""
    return xlsx_bytes({"indicators": table}, freeze_header=True, autofilter=True)
