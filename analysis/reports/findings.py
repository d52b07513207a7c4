"""Numbers as a report prints them, and the key findings it states in words.

Why a module of its own: every renderer (workbook, PDF, charts, the reports page) prints
an estimate the same way — a suppressed one as '–', never a number — and the
cross-section's and the panel wave's reports word their findings with the same sentences.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.reports.published import SEOUL

HAPPINESS = "happiness_index"

CHANGES_LISTED = 5  # significant changes a key finding names (the change table has them all)

SUPPRESSED = "–"


def decimals(unit: str) -> int:
    """Digits shown: one for shares and minutes, two for scores."""
    return 1 if unit.strip() in ("%", "분") else 2


def format_value(value: Any, unit: str = "", *, flag: str = "") -> str:
    """An estimate as printed; suppressed or missing estimates are '–', never a number."""
    if flag == "suppressed" or value is None or pd.isna(value):
        return SUPPRESSED
    return f"{float(value):,.{decimals(unit)}f}"


def signed_change(value: float, unit: str) -> str:
    """A change as printed: '+0.17', '+8.8%p' (percentage points for shares), '–' if unknown."""
    if pd.isna(value):
        return SUPPRESSED
    text = f"{value:+,.{decimals(unit)}f}"
    return text + ("%p" if unit.strip() == "%" else "")


def happiness_rows(
    table: pd.DataFrame, labels: dict[str, dict[Any, str]]
) -> tuple[pd.Series, pd.DataFrame]:
    """The happiness index's Seoul row and its districts (code, Korean name, statistics).

    Raises ``KeyError`` when the table has no Seoul-wide happiness index.
    """
    happiness = table[table["indicator"] == HAPPINESS]
    seoul_rows = happiness[happiness["domain"] == SEOUL]
    if seoul_rows.empty:
        raise KeyError(HAPPINESS)
    districts = happiness[happiness["domain"] == "district_code"].copy()
    districts["district_code"] = districts["district_code"].astype(str)
    districts["name_ko"] = districts["district_code"].map(labels["district_code"])
    districts = districts[
        ["district_code", "name_ko", "estimate", "se", "ci_low", "ci_high", "cv", "n", "flag"]
    ].reset_index(drop=True)
    return seoul_rows.iloc[0], districts


def happiness_findings(seoul: pd.Series, districts: pd.DataFrame, who: str) -> list[str]:
    """The happiness index in Seoul (with its interval) and its highest and lowest districts."""
    unit = str(seoul["unit"])
    lines = [
        f"{who}의 행복지수는 {format_value(seoul['estimate'], unit)}점"
        f" (95% 신뢰구간 {format_value(seoul['ci_low'], unit)}~{format_value(seoul['ci_high'], unit)})입니다."
    ]
    shown = districts.dropna(subset=["estimate"])
    if len(shown):
        top, bottom = shown.loc[shown["estimate"].idxmax()], shown.loc[shown["estimate"].idxmin()]
        lines.append(
            f"자치구별 행복지수는 {top['name_ko']}가 {format_value(top['estimate'], unit)}점으로 가장 높고,"
            f" {bottom['name_ko']}가 {format_value(bottom['estimate'], unit)}점으로 가장 낮습니다."
        )
    hidden = int((districts["flag"] == "suppressed").sum())
    if hidden:
        lines.append(f"{hidden}개 자치구의 행복지수는 변동계수가 커서 공표하지 않습니다 (–).")
    return lines


def change_findings(changes: pd.DataFrame | None, previous_name: str, missing: str) -> list[str]:
    """How many indicators changed significantly since the survey compared with, and which.

    Up to ``CHANGES_LISTED`` are named, the largest standardized changes (|z|) first, as
    ``changes`` is sorted; the sentence says when that is not all of them.
    """
    if changes is None or not previous_name:
        return [missing]
    significant = changes[changes["significant"]]
    if significant.empty:
        return [f"{previous_name} 조사와 비교해 5% 수준에서 유의한 변화를 보인 지표는 없습니다."]
    shown = significant.head(CHANGES_LISTED)
    listed = ", ".join(
        f"{r.name_ko} {signed_change(r.difference, r.unit)}" for r in shown.itertuples()
    )
    count = f"{previous_name} 조사 대비 5% 수준에서 유의하게 변한 지표는 {len(significant)}개입니다"
    if len(shown) == len(significant):
        return [f"{count}: {listed}."]
    return [
        f"{count} — 표준화한 변화(|z|)가 큰 {len(shown)}개: {listed}."
        f" 나머지 {len(significant) - len(shown)}개는 변화 표에 있습니다."
    ]


def exclusion_finding(excluded: dict[str, int], *, persons: bool = True) -> str:
    """How many answers estimation leaves out (household and, where asked, person parts)."""
    households = excluded.get("households", 0)
    if not persons:
        return f"추정에서 제외된 응답: {households}건."
    total = households + excluded.get("persons15", 0)
    return (
        f"추정에서 제외된 응답: 가구 설문 {households}건,"
        f" 개인 설문 {excluded.get('persons15', 0)}건 (총 {total}건)."
    )
