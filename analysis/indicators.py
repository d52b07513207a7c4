"""The indicator catalogue: what the Seoul Survey publishes, computed for every domain.

``analysis/indicators.yaml`` (statisticians edit it) names each indicator, its
population (persons 15+ or households), its definition — the mean of an item,
the share answering some codes, or an index (the mean of a person's items,
e.g. the happiness index = mean of the five 0–10 items) — and the domains it
is published for. :func:`estimate_indicators` turns catalogue + analysis
frames + design into one tidy table, every estimate with its SE, confidence
interval, CV, design effect and n, and a publication flag:

- ``n < 30`` or ``CV > 0.3``: "caution" (use with caution);
- ``CV > 0.5``: "suppressed" (the estimate and interval are blanked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis.estimation.design import SurveyDesign
from data.text import Refusal, Text

CATALOGUE = Path(__file__).resolve().parent / "indicators.yaml"
POPULATIONS = ("persons15", "households")
KINDS = ("mean", "share", "index")
CAUTION_N, CAUTION_CV, SUPPRESS_CV = 30, 0.3, 0.5


@dataclass(frozen=True)
class Indicator:
    id: str
    name_ko: str
    name_en: str
    unit_ko: str
    unit_en: str
    population: str
    kind: str
    items: tuple[str, ...]
    codes: tuple[int, ...]
    domains: tuple[tuple[str, ...], ...]

    @property
    def column(self) -> str:
        return f"indicator__{self.id}"

    @property
    def percent(self) -> bool:
        return self.kind == "share"


def _indicator(entry: dict[str, Any], defaults: dict[str, Any]) -> Indicator:
    ident = entry.get("id") or "?"
    kinds = [k for k in KINDS if k in entry]
    if len(kinds) != 1:
        raise ValueError(f"indicator {ident}: give exactly one of {', '.join(KINDS)}")
    kind = kinds[0]
    spec = entry[kind]
    items: tuple[str, ...]
    codes: tuple[int, ...]
    if kind == "mean":
        items, codes = (str(spec),), ()
    elif kind == "share":
        items, codes = (str(spec["item"]),), tuple(int(c) for c in spec["codes"])
    else:
        items, codes = tuple(str(i) for i in spec), ()
    population = entry.get("population", "persons15")
    if population not in POPULATIONS:
        raise ValueError(f"indicator {ident}: population must be one of {POPULATIONS}")
    unit = entry.get("unit") or {}
    domains = entry.get("domains", defaults.get("domains", [[]]))
    for key in ("id", "name_ko", "name_en"):
        if not entry.get(key):
            raise ValueError(f"indicator {ident}: '{key}' is required")
    return Indicator(
        str(entry["id"]),
        str(entry["name_ko"]),
        str(entry["name_en"]),
        str(unit.get("ko", "")),
        str(unit.get("en", "")),
        population,
        kind,
        items,
        codes,
        tuple(tuple(str(c) for c in d) for d in domains),
    )


def load_catalogue(path: Path | str = CATALOGUE) -> list[Indicator]:
    """The catalogue's indicators (a ValueError names a malformed or repeated one)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    defaults = data.get("defaults") or {}
    indicators = [_indicator(entry, defaults) for entry in data.get("indicators") or []]
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.id in seen:
            raise ValueError(f"indicator id {indicator.id} appears twice")
        seen.add(indicator.id)
    return indicators


def indicator_values(indicator: Indicator, frame: pd.DataFrame) -> pd.Series:
    """Each unit's value of the indicator: the item, 1/0 for a share, a person's item mean."""
    missing = [item for item in indicator.items if item not in frame.columns]
    if missing:
        raise KeyError(f"indicator {indicator.id}: no column {missing[0]!r} in the analysis frame")
    if indicator.kind == "mean":
        return pd.to_numeric(frame[indicator.items[0]], errors="coerce").astype("Float64")
    if indicator.kind == "share":
        item = pd.to_numeric(frame[indicator.items[0]], errors="coerce")
        return item.isin(indicator.codes).astype("Float64").mask(item.isna())
    items = frame[list(indicator.items)].apply(pd.to_numeric, errors="coerce")
    return items.mean(axis=1).astype("Float64").mask(items.isna().any(axis=1))


class NothingToEstimate(Refusal, ValueError):
    """No indicator of the catalogue can be estimated from the survey's questionnaire."""


def flag(n: pd.Series, cv: pd.Series) -> pd.Series:
    """'' / 'caution' (n < 30 or CV > 0.3) / 'suppressed' (CV > 0.5)."""
    out = pd.Series("", index=n.index, dtype=object)
    out[(n < CAUTION_N) | (cv > CAUTION_CV)] = "caution"
    out[cv > SUPPRESS_CV] = "suppressed"
    return out


def _one_domain(
    design: SurveyDesign, indicator: Indicator, domain: tuple[str, ...]
) -> pd.DataFrame:
    table = design.mean(indicator.column, by=list(domain) or None)
    if indicator.percent:
        for column in ("estimate", "se", "ci_low", "ci_high"):
            table[column] = table[column] * 100
    table.insert(0, "domain", " × ".join(domain) if domain else "seoul")
    return table


DesignMaker = Callable[[str, pd.DataFrame], SurveyDesign]


def plain_design(**arguments: Any) -> DesignMaker:
    """A design maker giving ``SurveyDesign(frame, **arguments)`` for every population."""
    return lambda population, frame: SurveyDesign(frame, **arguments)


def estimate_indicators(
    catalogue: list[Indicator],
    frames: dict[str, pd.DataFrame],
    design: DesignMaker,
) -> pd.DataFrame:
    """Every indicator for every published domain, with flags.

    ``frames`` maps a population (``persons15``, ``households``) to its
    analysis frame (respondents only, with the domain columns); ``design``
    makes the design of a population's frame once the indicator columns are
    added (:func:`plain_design`, or a calibrated design that replays the
    stored weights' calibration so that SEs account for it).

    An indicator whose items the survey's questionnaire does not ask (no such column
    in the frame) is left out, and so is a domain the frame cannot give (a questionnaire
    without the income question has no income domain); when no indicator is left,
    :class:`NothingToEstimate` says so.
    """
    tables = []
    for population in POPULATIONS:
        wanted = [i for i in catalogue if i.population == population]
        if not wanted:
            continue
        if population not in frames:
            raise KeyError(f"no analysis frame for population {population}")
        columns = frames[population].columns
        wanted = [
            replace(i, domains=tuple(d for d in i.domains if all(c in columns for c in d)))
            for i in wanted
            if all(item in columns for item in i.items)
        ]
        if not wanted:
            continue
        frame = frames[population].copy()
        for indicator in wanted:
            frame[indicator.column] = indicator_values(indicator, frame)
        survey_design = design(population, frame)
        for indicator in wanted:
            for domain in indicator.domains:
                table = _one_domain(survey_design, indicator, domain)
                table.insert(0, "indicator", indicator.id)
                table.insert(1, "name_ko", indicator.name_ko)
                table.insert(2, "name_en", indicator.name_en)
                table.insert(3, "unit", indicator.unit_ko)
                table.insert(4, "population", population)
                tables.append(table)
    if not tables:
        raise NothingToEstimate(
            "no_indicators",
            Text(
                "이 조사의 설문지는 지표 목록(analysis/indicators.yaml)의 문항을 하나도 묻지 않습니다",
                "this survey's questionnaire asks none of the items of the indicator catalogue"
                " (analysis/indicators.yaml)",
            ),
        )
    result = pd.concat(tables, ignore_index=True)
    result["flag"] = flag(result["n"], result["cv"])
    hidden = result["flag"] == "suppressed"
    result.loc[hidden, ["estimate", "ci_low", "ci_high"]] = np.nan
    first = ["indicator", "name_ko", "name_en", "unit", "population", "domain"]
    domain_columns = [c for c in result.columns if c not in first and c not in STATS]
    return result[[*first, *domain_columns, *STATS]]


# The statistics every row of an indicator table carries, in order.
STATS = ["estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "n_missing", "flag"]
