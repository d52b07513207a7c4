"""The methodology appendix of a report, as tables: design, response, weighting, margins, exclusions.

Why a module of its own: these tables are read from the survey's sample design
and its weights versions' parameters (what was done, and when), not estimated,
and the cross-section's and the panel wave's reports
(:mod:`analysis.report_content`, :mod:`analysis.report_wave_content`) share them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.exclusions import active_exclusions
from analysis.survey_weights import household_margins, person_margins
from data.store import Store
from surveys.fieldwork import response_by_district

if TYPE_CHECKING:
    from analysis.report_content import WeightsVersion

UNIT_TITLES = {"household": "가구", "person": "가구원(15세 이상)"}


def value_label(labels: dict[Any, str], value: Any) -> str:
    """The label of a code (as stored, as text or as an integer); the value itself if unknown."""
    if value is None or pd.isna(value):
        return ""
    for key in (value, str(value)):
        if key in labels:
            return labels[key]
    try:
        return labels.get(int(value), str(value))
    except (TypeError, ValueError):
        return str(value)


# ---- the sample design --------------------------------------------------------------------
DESIGN_KEYS = {
    "design": "표본 설계",
    "n_households": "목표 표본 가구 수",
    "per_area": "조사구당 가구 수",
    "floor": "자치구 최소 표본 가구 수",
    "allocation": "표본 배분",
    "stratum": "층화 변수",
    "area": "1차 추출단위 (조사구)",
    "seed": "난수 시드",
    "frame_households": "표본틀 가구 수",
    "excluded_surveys": "중복 배제 조사",
    "excluded_households": "중복 배제 가구 수",
    "wave_no": "차수",
    "households": "조사 대상 가구 수",
    "joining_now": "이번 차수 신규 참여 가구 수",
    "replacements": "대체 가구 수",
    "demo_note": "비고",
}


def design_table(store: Store, survey_id: int) -> pd.DataFrame:
    raw = store.scalar("SELECT sample_design FROM surveys WHERE survey_id = ?", [survey_id])
    design = json.loads(raw) if raw else {}
    rows = [
        {
            "항목": DESIGN_KEYS.get(key, key),
            "값": json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else str(v),
        }
        for key, v in design.items()
    ]
    return pd.DataFrame(rows, columns=["항목", "값"])


def response_tables(
    store: Store, survey_id: int, versions: dict[str, WeightsVersion], excluded: dict[str, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_district = response_by_district(store, survey_id)
    sampled, responded = int(by_district["sampled"].sum()), int(by_district["responded"].sum())
    person = versions["person"].parameters
    eligible, answered = int(person.get("eligible", 0)), int(person.get("respondents", 0))
    overall = pd.DataFrame(
        [
            ("표본 가구", sampled, None),
            ("응답 가구 (가구 설문 제출)", responded, responded / sampled if sampled else np.nan),
            ("응답 가구의 15세 이상 가구원", eligible, None),
            ("응답 가구원 (개인 설문 완료)", answered, answered / eligible if eligible else np.nan),
            ("추정 제외 가구 설문", excluded.get("households", 0), None),
            ("추정 제외 개인 설문", excluded.get("persons15", 0), None),
        ],
        columns=["항목", "수", "응답률"],
    )
    district = pd.DataFrame(
        {
            "자치구 코드": by_district["district_code"].astype(str),
            "자치구": by_district["name_ko"],
            "표본 가구": by_district["sampled"].astype(int),
            "응답 가구": by_district["responded"].astype(int),
            "응답률": by_district["response_rate"].astype(float),
        }
    )
    return overall, district


def wave_response_tables(
    store: Store, survey_id: int, excluded: dict[str, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_district = response_by_district(store, survey_id)
    sampled, responded = int(by_district["sampled"].sum()), int(by_district["responded"].sum())
    overall = pd.DataFrame(
        [
            ("조사 대상 가구", sampled, None),
            ("응답 가구 (설문 제출)", responded, responded / sampled if sampled else np.nan),
            ("추정 제외 응답", excluded.get("households", 0), None),
        ],
        columns=["항목", "수", "응답률"],
    )
    district = pd.DataFrame(
        {
            "자치구 코드": by_district["district_code"].astype(str),
            "자치구": by_district["name_ko"],
            "표본 가구": by_district["sampled"].astype(int),
            "응답 가구": by_district["responded"].astype(int),
            "응답률": by_district["response_rate"].astype(float),
        }
    )
    return overall, district


def weighting_steps(version: WeightsVersion) -> list[tuple[str, str, str]]:
    p = version.parameters
    unit = UNIT_TITLES.get(version.unit, version.unit)
    nonresponse = p.get("nonresponse", {})
    calibration = p.get("calibration", {})
    classes = len(nonresponse.get("table", []) or [])
    if version.unit == "household":
        start = f"기초가중치 = 표본틀 배율 {p.get('scale_factor', '')} / 포함확률 (design weight)"
        counts = f"응답 가구 {p.get('respondents', '')} / 표본 가구 {p.get('sampled', '')}"
    else:
        start = f"시작 가중치: {p.get('start', '가구의 무응답 조정 가중치')}"
        counts = f"응답 가구원 {p.get('respondents', '')} / 대상 가구원 {p.get('eligible', '')}"
    margins = "; ".join(f"{k}: {v}" for k, v in (p.get("margins") or {}).items())
    cap = calibration.get("trim_cap")
    cap_text = f"{cap:,.1f}" if isinstance(cap, int | float) else str(cap)
    return [
        (unit, "1. 기초 가중치", start),
        (unit, "2. 무응답 조정", f"{nonresponse.get('method', '')}, 조정 계층 {nonresponse.get('classes', '')} ({classes}개)"),
        (unit, "3. 사후층화 보정 (raking)", f"{calibration.get('method', '')} — 보정 총계: {margins}"),
        (unit, "4. 절사 (trimming)", f"{calibration.get('trim_rule', '')}; 상한 {cap_text}, 절사 {calibration.get('trimmed_units', 0)}건"),
        (unit, "5. 대상", counts),
        (unit, "가중치 버전", f"{version.label}, 작성 {version.created_at[:19]}"),
    ]  # fmt: skip


def margin_source_table(versions: dict[str, WeightsVersion]) -> pd.DataFrame:
    rows = []
    for version in versions.values():
        p = version.parameters
        for table_name, source in (p.get("margin_sources") or {}).items():
            for variable, description in (p.get("margins") or {}).items():
                rows.append(
                    {
                        "단위": UNIT_TITLES.get(version.unit, version.unit),
                        "보정 변수": variable,
                        "내용": description,
                        "참조 자료": table_name,
                        "출처": source.get("source", ""),
                        "기준일": str(source.get("reference_date", "")),
                        "자료 버전": source.get("version_id", ""),
                    }
                )
    return pd.DataFrame(
        rows, columns=["단위", "보정 변수", "내용", "참조 자료", "출처", "기준일", "자료 버전"]
    )


def margin_value_table(
    store: Store,
    labels: dict[str, dict[Any, str]],
    units: tuple[str, ...] = ("household", "person"),
) -> pd.DataFrame:
    """The population totals the weights were calibrated to, by unit, variable and category."""
    rows = []
    sources = {"household": household_margins, "person": person_margins}
    for unit in units:
        margins = sources[unit](store)
        for variable, totals in margins.items():
            name = " × ".join(variable) if isinstance(variable, tuple) else variable
            for key, total in totals.items():
                parts = key if isinstance(key, tuple) else (key,)
                columns = variable if isinstance(variable, tuple) else (variable,)
                text = " × ".join(
                    value_label(labels.get(c, {}), k) or str(k)
                    for c, k in zip(columns, parts, strict=True)
                )
                rows.append(
                    {
                        "단위": UNIT_TITLES[unit],
                        "보정 변수": name,
                        "범주": text,
                        "모집단 총계": float(total),
                    }
                )
    return pd.DataFrame(rows, columns=["단위", "보정 변수", "범주", "모집단 총계"])


def exclusion_table(store: Store, survey_id: int) -> pd.DataFrame:
    excluded = active_exclusions(store, survey_id)
    if excluded.empty:
        return pd.DataFrame({"구분": ["가구 설문", "개인 설문"], "사유": ["", ""], "건수": [0, 0]})
    part = np.where(excluded["member_no"] == 0, "가구 설문", "개인 설문")
    flags = excluded["flag"].fillna("other").astype(str)
    counts = pd.DataFrame({"구분": part, "사유": flags}).value_counts().rename("건수")
    return counts.reset_index().sort_values(["구분", "사유"]).reset_index(drop=True)
