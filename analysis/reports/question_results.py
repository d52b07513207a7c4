"""Question-by-question weighted results of a questionnaire: the tables a survey report lists.

For each question of a part (the household part — a panel wave's one respondent per
household answers it — or the person part), on that part's design:

- *single choice*: the weighted percentage of each choice among those who answered
  it, ``100 · Σ w·1[y = k] / Σ w`` (``proportion``, one row per choice);
- *multiple choice*: the weighted percentage choosing each option among those asked
  (an option is the 0/1 item "chose k"; the percentages add up to more than 100);
- *scale, integer, decimal*: the weighted mean among those who answered
  (``mean``).

Each in Seoul and in every domain asked for, with SE (Taylor linearization of the
ratio, the design's strata and PSUs), 95 % normal interval, CV, n (respondents who
answered the question in the domain) and the catalogue's publication flag
(:func:`analysis.indicators.flag`: caution when n < 30 or CV > 0.3, suppressed when
CV > 0.5). Free text, dates and notes are not tabulated; neither are the questions
that only feed a domain (sex, birth year).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.estimation.design import SurveyDesign, with_columns
from analysis.estimation.estimators import mean, proportion
from analysis.indicators import flag
from surveys.questionnaire.model import Questionnaire

TABULATED = ("single", "multiple", "scale", "integer", "decimal")
DOMAIN_SOURCES = frozenset({"sex", "birth_year", "age", "age_group", "household_type"})
SEOUL = "seoul"
COLUMNS = [
    "part", "question", "label_ko", "label_en", "type", "statistic", "unit", "choice", "choice_ko",
    "choice_en", "domain", "domain_value", "estimate", "se", "ci_low", "ci_high", "cv",
    "n", "flag",
]  # fmt: skip


def _part_questions(questionnaire: Questionnaire, part_name: str) -> list:
    """Questions of one part in questionnaire order, tabulable and not domain sources.

    The household part's roster questions are the members' (persons), not the household's.
    """
    found = []
    for part, section, question in questionnaire.all_questions():
        if part.name != part_name or section.roster or question.type not in TABULATED:
            continue
        if question.name in DOMAIN_SOURCES:
            continue
        found.append(question)
    return found


def _choice_labels(questionnaire: Questionnaire, question) -> dict[object, tuple[str, str]]:
    choices = questionnaire.choice_lists.get(question.choices or "")
    if choices is None:
        return {}
    return {c.code: (c.label.ko, c.label.en or c.label.ko) for c in choices.choices}


def _chosen(values: pd.Series, code: object) -> pd.Series:
    """1.0 if the list of choices holds ``code``, 0.0 if not, NaN when not asked."""

    def one(value: Any) -> float:  # a cell of the Series
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        try:
            return float(code in list(value))
        except TypeError:
            return np.nan

    return values.map(one).astype(float)


def _every_choice(result: pd.DataFrame, codes: list, by: str | None) -> pd.DataFrame:
    """Add the choices nobody in a domain gave: 0 % (SE 0), with the domain's n.

    The percentages are estimated from the answers given; a choice of the list that
    nobody chose is still a result a table must show, not a missing row.
    """
    if not codes:
        return result
    keys = [by] if by else []
    domains = (
        result.drop_duplicates(keys)[[*keys, "n", "n_missing"]]
        if keys
        else (result.iloc[:1][["n", "n_missing"]])
    )
    full = domains.merge(pd.DataFrame({"level": codes}), how="cross")
    have = result[[*keys, "level"]].astype(str).agg("|".join, axis=1)
    wanted = full[[*keys, "level"]].astype(str).agg("|".join, axis=1)
    missing = full[~wanted.isin(set(have))].assign(
        estimate=0.0, se=0.0, ci_low=0.0, ci_high=0.0, cv=np.nan, deff=np.nan
    )
    if missing.empty:
        return result
    out = pd.concat([result, missing[result.columns]], ignore_index=True)
    order = {code: i for i, code in enumerate(codes)}
    out["_order"] = out["level"].map(lambda c: order.get(c, len(order)))
    return out.sort_values([*keys, "_order"], kind="stable").drop(columns="_order")


def _rows(result: pd.DataFrame, domain: str, **fixed: object) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "domain": domain,
            "domain_value": None if domain == SEOUL else result[domain].to_numpy(),
            **fixed,
            "estimate": result["estimate"].to_numpy(dtype=float),
            "se": result["se"].to_numpy(dtype=float),
            "ci_low": result["ci_low"].to_numpy(dtype=float),
            "ci_high": result["ci_high"].to_numpy(dtype=float),
            "cv": result["cv"].to_numpy(dtype=float),
            "n": result["n"].to_numpy(dtype="int64"),
        },
        index=result.index,
    )
    return out


def question_results(
    design: SurveyDesign,
    questionnaire: Questionnaire,
    domains: Sequence[str] = (),
    *,
    part: str = "household",
) -> pd.DataFrame:
    """Weighted results of every tabulated question of ``part``, Seoul-wide and by ``domains``.

    ``design`` is the part's design: households for the household part (a panel wave's
    respondent answers it), persons for the person part.

    Columns: ``part``, ``question``, ``label_ko``/``label_en``, ``type``, ``statistic`` (``percent``
    or ``mean``), ``unit`` ('%' or the question's unit), ``choice`` (code; empty for
    means) with ``choice_ko``/``choice_en``, ``domain`` (``seoul`` or the domain column) and ``domain_value``, ``estimate`` (a
    percentage 0–100 for choices), ``se``, ``ci_low``, ``ci_high``, ``cv``, ``n``, ``flag``.
    Questions missing from the design's frame (not stored) are skipped.
    """
    frame = design.frame
    wanted = [SEOUL, *[d for d in domains if d in frame.columns]]
    pieces: list[pd.DataFrame] = []
    for question in _part_questions(questionnaire, part):
        if question.name not in frame.columns or frame[question.name].isna().all():
            continue
        about = {
            "part": part,
            "question": question.name,
            "label_ko": question.label.ko,
            "label_en": question.label.en or question.label.ko,
            "type": question.type,
        }
        unit = question.unit.ko if question.unit else ""
        labels = _choice_labels(questionnaire, question)
        asked = design
        if question.type == "multiple":
            options = {f"{question.name}__{code}": code for code in labels}
            asked = with_columns(
                design, **{c: _chosen(frame[question.name], k) for c, k in options.items()}
            )
        for domain in wanted:
            by = None if domain == SEOUL else domain
            if question.type == "single":
                result = proportion(design, question.name, by=by, categorical=True)
                result = _every_choice(result, list(labels), by)
                for code, of_choice in result.groupby("level", sort=False):
                    ko, en = labels.get(code, (str(code), str(code)))
                    rows = _rows(of_choice, domain, **about, statistic="percent", unit="%", choice=code,
                                 choice_ko=ko, choice_en=en)  # fmt: skip
                    pieces.append(_percent(rows))
            elif question.type == "multiple":
                for column, code in options.items():
                    ko, en = labels[code]
                    result = mean(asked, column, by=by)
                    rows = _rows(result, domain, **about, statistic="percent", unit="%", choice=code,
                                 choice_ko=ko, choice_en=en)  # fmt: skip
                    pieces.append(_percent(rows))
            else:
                result = mean(design, question.name, by=by)
                rows = _rows(result, domain, **about, statistic="mean", unit=unit, choice=None,
                             choice_ko="", choice_en="")  # fmt: skip
                pieces.append(rows)
    if not pieces:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(pieces, ignore_index=True)
    table["flag"] = flag(table["n"], table["cv"]).to_numpy()
    hidden = table["flag"] == "suppressed"
    table.loc[hidden, ["estimate", "se", "ci_low", "ci_high"]] = np.nan
    return table[COLUMNS]


def _percent(rows: pd.DataFrame) -> pd.DataFrame:
    """Shares as percentages (the CV does not change)."""
    rows = rows.copy()
    for column in ("estimate", "se", "ci_low", "ci_high"):
        rows[column] = rows[column] * 100
    return rows
