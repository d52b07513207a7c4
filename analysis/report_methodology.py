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
from analysis.report_terms import UNIT_TITLES, phrase, term, value_label
from analysis.survey_weights import household_margins, person_margins
from data.reference import code_labels, load_manifest
from data.store import Store
from surveys.fieldwork import response_by_district

if TYPE_CHECKING:
    from analysis.report_content import WeightsVersion

MARGIN_SOURCE_COLUMNS = [
    "단위",
    "보정 변수",
    "내용",
    "참조 자료",
    "출처",
    "기준일",
    "자료 버전",
    "자료 ID",
]


# ---- the sample design --------------------------------------------------------------------
def _design_value(store: Store, key: str, value: Any) -> str:
    if key == "design":
        return term("designs", value)
    if key == "allocation":
        return term("allocations", value)
    if key in ("stratum", "area"):
        return term("variables", value)
    if key == "excluded_surveys":  # survey ids: shown as the surveys' codes
        codes = dict(store.rows("SELECT survey_id, code FROM surveys"))
        return ", ".join(str(codes.get(int(s), s)) for s in value or []) or "없음"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def design_table(store: Store, survey_id: int) -> pd.DataFrame:
    """The survey's sample design as recorded when its sample was drawn, in words."""
    raw = store.scalar("SELECT sample_design FROM surveys WHERE survey_id = ?", [survey_id])
    design = json.loads(raw) if raw else {}
    rows = [
        {"항목": term("design_keys", key), "값": _design_value(store, key, value)}
        for key, value in design.items()
    ]
    return pd.DataFrame(rows, columns=["항목", "값"])


# ---- response --------------------------------------------------------------------------------
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


# ---- weighting -------------------------------------------------------------------------------
def _nonresponse_text(nonresponse: dict[str, Any]) -> str:
    classes = nonresponse.get("classes", "")
    count = len(nonresponse.get("table", []) or [])
    text = (
        f"{term('nonresponse', nonresponse.get('method', ''))}; 조정 계층: "
        f"{term('variables', classes)} ({count}개)"
    )
    if nonresponse.get("collapse"):
        text += f"; {term('nonresponse', nonresponse['collapse'])}"
    merged = nonresponse.get("merged_into_seoul") or []
    if merged:
        text += f" (합친 계층: {', '.join(map(str, merged))})"
    return text


def weighting_steps(version: WeightsVersion) -> list[tuple[str, str, str]]:
    """The steps that made a weights version, as its parameters recorded them, in words."""
    p = version.parameters
    unit = UNIT_TITLES.get(version.unit, version.unit)
    calibration = p.get("calibration", {})
    if version.unit == "household":
        scale = p.get("scale_factor", "")
        scale_text = f"{scale:,g}" if isinstance(scale, int | float) else str(scale)
        start = f"기초 가중치 = 표본틀 배율 {scale_text} ÷ 포함확률"
        counts = f"응답 가구 {p.get('respondents', '')} / 표본 가구 {p.get('sampled', '')}"
    else:
        start = f"시작 가중치: {term('nonresponse', p.get('start', 'household nonresponse-adjusted weight'))}"
        counts = f"응답 가구원 {p.get('respondents', '')} / 대상 가구원 {p.get('eligible', '')}"
    margins = "; ".join(term("margins", v) for v in (p.get("margins") or {}).values())
    cap = calibration.get("trim_cap")
    cap_text = f"{cap:,.1f}" if isinstance(cap, int | float) else str(cap)
    return [
        (unit, "1. 기초 가중치", start),
        (unit, "2. 무응답 조정", _nonresponse_text(p.get("nonresponse", {}))),
        (unit, "3. 모집단 총계 보정", f"{phrase('calibration', calibration.get('method', ''))} — 보정 총계: {margins}"),
        (unit, "4. 극단 가중치 절사", f"{phrase('trimming', calibration.get('trim_rule', ''))}; 상한 {cap_text}, 절사 {calibration.get('trimmed_units', 0)}건"),
        (unit, "5. 대상", counts),
        (unit, "가중치 버전", f"{version.label}, 작성 {version.created_at[:19]}"),
    ]  # fmt: skip


def margin_source_table(versions: dict[str, WeightsVersion]) -> pd.DataFrame:
    """Each calibration margin: what it counts, the reference table, its source and date."""
    titles = {name: spec.get("title_ko", name) for name, spec in load_manifest().items()}
    rows = []
    for version in versions.values():
        p = version.parameters
        for table_name, source in (p.get("margin_sources") or {}).items():
            for variable, description in (p.get("margins") or {}).items():
                rows.append(
                    {
                        "단위": UNIT_TITLES.get(version.unit, version.unit),
                        "보정 변수": term("variables", variable),
                        "내용": term("margins", description),
                        "참조 자료": titles.get(table_name, table_name),
                        "출처": source.get("source", ""),
                        "기준일": str(source.get("reference_date", "")),
                        "자료 버전": source.get("version_id", ""),
                        "자료 ID": table_name,
                    }
                )
    return pd.DataFrame(rows, columns=MARGIN_SOURCE_COLUMNS)


def margin_value_table(
    store: Store,
    labels: dict[str, dict[Any, str]],
    units: tuple[str, ...] = ("household", "person"),
) -> pd.DataFrame:
    """The population totals the weights were calibrated to, by unit, variable and category."""
    rows = []
    sources = {"household": household_margins, "person": person_margins}
    labels = {**labels, "size_class": code_labels(store, "household_sizes")}
    for unit in units:
        margins = sources[unit](store)
        for variable, totals in margins.items():
            name = term(
                "variables", " × ".join(variable) if isinstance(variable, tuple) else variable
            )
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
    """Responses left out of estimation, by part and reason (in words)."""
    excluded = active_exclusions(store, survey_id)
    if excluded.empty:
        return pd.DataFrame({"구분": ["가구 설문", "개인 설문"], "사유": ["", ""], "건수": [0, 0]})
    part = np.where(excluded["member_no"] == 0, "가구 설문", "개인 설문")
    flags = excluded["flag"].fillna("other").astype(str).map(lambda f: term("exclusion_flags", f))
    counts = pd.DataFrame({"구분": part, "사유": flags}).value_counts().rename("건수")
    return counts.reset_index().sort_values(["구분", "사유"]).reset_index(drop=True)


# ---- variance --------------------------------------------------------------------------------
def variance_table(*, strata: str, psu: str, lonely_psu: str) -> pd.DataFrame:
    """How the standard errors were computed: method, strata, PSUs, single-PSU strata."""
    rows = [
        ("방법", term("variance", "linearization")),
        ("층", term("variables", strata)),
        ("1차 추출단위", term("variables", psu)),
        ("1차 추출단위가 하나뿐인 층", term("variance", lonely_psu)),
    ]
    return pd.DataFrame(rows, columns=["항목", "내용"])
