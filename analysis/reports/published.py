"""The report's tables as published: Korean headings, domain codes with their labels, the codebook.

Why a module of its own: the cross-section's and the panel wave's reports
(:mod:`analysis.reports.content`, :mod:`analysis.reports.wave_content`) lay out their
indicator tables, question-by-question results and codebook the same way, and the
workbook and PDF (:mod:`analysis.reports.excel`, :mod:`analysis.reports.pdf`) read these
headings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.reports.terms import term, value_label
from data.reference import code_labels, stored_table
from data.store import Store
from surveys.questionnaire.model import Questionnaire

SEOUL = "seoul"  # the domain label of Seoul-wide rows in the indicator table

# One sheet / CSV / PDF section per domain dimension of the catalogue, in this order.
DOMAIN_TITLES = {
    SEOUL: "서울 전체",
    "district_code": "자치구",
    "sex": "성별",
    "age_group": "연령대",
    "income": "가구소득",
    "household_type": "가구유형",
    "sex × age_group": "성별×연령대",
}

COLUMN_TITLES = {
    "district_code": "자치구",
    "sex": "성별",
    "age_group": "연령대",
    "income": "가구소득",
    "household_type": "가구유형",
}

CODE_LISTS = {
    "sex": "sex",
    "age_group": "age_groups",
    "income": "income_brackets",
    "household_type": "household_types",
}

FLAG_TITLES = {"": "", "ok": "", "caution": "주의", "suppressed": "비공표"}

# The columns of every published table (Excel sheet, CSV file), Korean headings.
ESTIMATE, SE, CI_LOW, CI_HIGH = "추정값", "표준오차", "95% 하한", "95% 상한"
CV, DEFF, N, N_MISSING, FLAG = "변동계수(CV)", "설계효과", "사례 수(n)", "무응답 수", "표시"
NUMBER_COLUMNS = [ESTIMATE, SE, CI_LOW, CI_HIGH, CV, DEFF]

STAT_COLUMNS = {
    "estimate": ESTIMATE,
    "se": SE,
    "ci_low": CI_LOW,
    "ci_high": CI_HIGH,
    "cv": CV,
    "deff": DEFF,
    "n": N,
    "n_missing": N_MISSING,
}


def domain_labels(store: Store, questionnaire: Questionnaire) -> dict[str, dict[Any, str]]:
    """Korean labels of every domain column's values (districts, code lists, choice lists)."""
    districts = stored_table(store, "districts")
    labels: dict[str, dict[Any, str]] = {
        "district_code": dict(zip(districts["code"].astype(str), districts["name_ko"], strict=True))
    }
    for column, list_name in CODE_LISTS.items():
        labels[column] = code_labels(store, list_name)
        try:
            question = questionnaire.question(column)
        except KeyError:
            continue
        choices = questionnaire.choice_lists.get(question.choices or "")
        if choices is not None:
            labels[column] = {c.code: c.label.ko for c in choices.choices}
    return labels


def domain_columns(domain: str) -> list[str]:
    return [] if domain == SEOUL else [c.strip() for c in domain.split("×")]


def sheet_title(domain: str) -> str:
    """The sheet / file title of a domain dimension (≤ 31 characters, no Excel-forbidden marks)."""
    title = DOMAIN_TITLES.get(domain, domain)
    for mark in "[]:*?/\\":
        title = title.replace(mark, " ")
    return title[:31]


def published_tables(
    table: pd.DataFrame, labels: dict[str, dict[Any, str]]
) -> dict[str, pd.DataFrame]:
    """One table per domain dimension, Korean headings, domain codes with their labels.

    Suppressed estimates, their SE and interval are empty (NaN) here; each
    renderer shows them as '–' (the CV and n stay: they say why).
    """
    out: dict[str, pd.DataFrame] = {}
    for domain in table["domain"].drop_duplicates():
        part = table[table["domain"] == domain]
        shown = pd.DataFrame(
            {"지표 ID": part["indicator"], "지표명": part["name_ko"], "단위": part["unit"]}
        )
        for column in domain_columns(domain):
            title = COLUMN_TITLES.get(column, column)
            values = part[column]
            shown[f"{title} 코드"] = values.astype(object).where(values.notna(), None)
            shown[title] = [value_label(labels.get(column, {}), v) for v in values]
        hidden = (part["flag"] == "suppressed").to_numpy()
        for source, title in STAT_COLUMNS.items():
            values = part[source].to_numpy()
            if source in ("estimate", "se", "ci_low", "ci_high"):
                values = np.where(hidden, np.nan, values.astype(float))
            shown[title] = values
        shown[FLAG] = part["flag"].map(lambda f: FLAG_TITLES.get(f, f)).to_numpy()
        shown["가중치 ID"] = part["weights_id"].to_numpy()
        out[sheet_title(domain)] = shown.reset_index(drop=True)
    return out


QUESTION_DOMAIN_TITLES = {SEOUL: "서울 전체", **COLUMN_TITLES}

PART_TITLES = {"household": "가구", "person": "가구원(15세 이상)"}


def question_table(results: pd.DataFrame, labels: dict[str, dict[Any, str]]) -> pd.DataFrame:
    """:func:`analysis.reports.question_results.question_results` with Korean headings and labels.

    Suppressed estimates are blank (NaN) here; each renderer shows them as '–'.
    """
    domain_title = results["domain"].map(lambda d: QUESTION_DOMAIN_TITLES.get(d, d))
    values = [
        "" if d == SEOUL else value_label(labels.get(d, {}), v)
        for d, v in zip(results["domain"], results["domain_value"], strict=True)
    ]
    return pd.DataFrame(
        {
            "부분": results["part"].map(lambda p: PART_TITLES.get(p, p)),
            "변수명": results["question"],
            "질문": results["label_ko"],
            "통계": results["statistic"].map({"percent": "비율(%)", "mean": "평균"}),
            "단위": results["unit"],
            "보기 코드": results["choice"].astype(object).where(results["choice"].notna(), None),
            "보기": results["choice_ko"],
            "구분": domain_title,
            "범주": values,
            "추정값": results["estimate"],
            "표준오차": results["se"],
            "95% 하한": results["ci_low"],
            "95% 상한": results["ci_high"],
            "변동계수(CV)": results["cv"],
            "사례 수(n)": results["n"],
            "표시": results["flag"].map(lambda f: FLAG_TITLES.get(f, f)),
        }
    )


def codebook(questionnaire: Questionnaire) -> pd.DataFrame:
    """Every question: part, section, name, type, Korean/English label, choices (code=label)."""
    rows = []
    for part, section, question in questionnaire.all_questions():
        choices = questionnaire.choice_lists.get(question.choices or "")
        rows.append(
            {
                "부분": "가구" if part.name == "household" else "가구원",
                "섹션": section.id,
                "섹션 제목": section.title.ko,
                "변수명": question.name,
                "유형": term("question_types", question.type),
                "질문": question.label.ko,
                "Question": question.label.en,
                "보기": "; ".join(f"{c.code}={c.label.ko}" for c in choices.choices)
                if choices
                else "",
                "단위": question.unit.ko if question.unit else "",
                "범위": _range(question.min, question.max),
                "응답 조건": question.relevant.source if question.relevant else "",
                "반복(가구원별)": "예" if section.roster else "",
            }
        )
    return pd.DataFrame(rows)


def _range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    show = lambda v: "" if v is None else f"{v:g}"  # noqa: E731
    return f"{show(low)}~{show(high)}"
