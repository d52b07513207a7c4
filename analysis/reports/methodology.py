"""The methodology appendix of a report, as tables: design, response, weighting, margins, exclusions.

Why a module of its own: these tables are read from the survey's sample design
and its weights versions' parameters (what was done, and when), not estimated,
and the cross-section's and the panel wave's reports
(:mod:`analysis.reports.content`, :mod:`analysis.reports.wave_content`) share them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.exclusions import active_exclusions
from analysis.reports.terms import UNIT_TITLES, phrase, term, value_label
from analysis.weights.survey_weights import household_margins, person_margins, target_margins
from data.answer_tables import household_parts_submitted, person_parts_submitted
from data.reference import code_labels, load_manifest, stored_table
from data.store import Store
from data.survey_tables import sample_design
from surveys.fieldwork.monitoring import response_by_district
from surveys.opening import list_surveys

if TYPE_CHECKING:
    from analysis.reports.versions import WeightsVersion

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
        surveys = list_surveys(store)
        codes = {int(i): c for i, c in zip(surveys["survey_id"], surveys["code"], strict=True)}
        return ", ".join(str(codes.get(int(s), s)) for s in value or []) or "없음"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def design_table(store: Store, survey_id: int) -> pd.DataFrame:
    """The survey's sample design as recorded when its sample was drawn, in words."""
    design = sample_design(store, survey_id)
    rows = [
        {"항목": term("design_keys", key), "값": _design_value(store, key, value)}
        for key, value in design.items()
    ]
    return pd.DataFrame(rows, columns=["항목", "값"])


# ---- response --------------------------------------------------------------------------------
# The response rates a report publishes are those of the weights version its estimates use: the
# sample and the respondents as they were when that version was made (its parameters record
# them). Every row says what it counts and as of when; exclusions are applied when the report
# is made, and parts received after the weights are listed as such, not mixed in.
RESPONSE_COLUMNS = ["항목", "수", "응답률", "기준"]
DISTRICT_RESPONSE_COLUMNS = ["자치구 코드", "자치구", "표본 가구", "응답 가구", "응답률", "기준"]


def snapshot_basis(version: WeightsVersion) -> str:
    """'가구 가중치 v1 (ID 3) 작성 시점 2026-12-04 16:40': the weights version's snapshot."""
    unit = UNIT_TITLES.get(version.unit, version.unit)
    return (
        f"{unit} 가중치 v{version.version} (ID {version.weights_id}) 작성 시점 "
        f"{version.created_at[:16]}"
    )


def live_basis(made_at: str) -> str:
    """The database when the report was made."""
    return f"보고서 작성 시점 {made_at}의 데이터베이스"


def _rate(count: int, base: int) -> float:
    return count / base if base else np.nan


def _district_response(store: Store, survey_id: int, household: WeightsVersion, made_at: str):
    """Households sampled and responding by district as the household weights recorded them
    (their nonresponse classes are the districts); the live counts if they were not."""
    nonresponse = household.parameters.get("nonresponse", {})
    table = pd.DataFrame(nonresponse.get("table") or [])
    if nonresponse.get("classes") == "district_code" and not table.empty:
        districts = stored_table(store, "districts")
        names = dict(zip(districts["code"].astype(str), districts["name_ko"], strict=True))
        counts = table.assign(code=table["class"].astype(str)).sort_values("code")
        codes, basis = counts["code"], snapshot_basis(household)
    else:
        counts = response_by_district(store, survey_id)
        codes = counts["district_code"].astype(str)
        names = dict(zip(codes, counts["name_ko"], strict=True))
        basis = live_basis(made_at)
    sampled, responded = counts["sampled"].astype(int), counts["responded"].astype(int)
    return pd.DataFrame(
        {
            "자치구 코드": codes.to_numpy(),
            "자치구": codes.map(names).to_numpy(),
            "표본 가구": sampled.to_numpy(),
            "응답 가구": responded.to_numpy(),
            "응답률": (responded / sampled.where(sampled > 0)).astype(float).to_numpy(),
            "기준": basis,
        },
        columns=DISTRICT_RESPONSE_COLUMNS,
    )


def _received_since(
    store: Store, survey_id: int, versions: dict[str, WeightsVersion], made_at: str
) -> list[tuple[str, int, float, str]]:
    """Rows for the parts in the database now that the weights do not count, if any."""
    rows = []
    live = live_basis(made_at) + " — 가중치·추정에 반영되지 않음"
    households = household_parts_submitted(store, survey_id)
    if households != int(versions["household"].parameters.get("respondents", households)):
        rows.append(("참고: 지금 제출되어 있는 가구 설문 (가구)", households, np.nan, live))
    if "person" in versions:
        persons = person_parts_submitted(store, survey_id)
        if persons != int(versions["person"].parameters.get("respondents", persons)):
            rows.append(
                ("참고: 지금 제출되어 있는 개인 설문 (15세 이상 가구원)", persons, np.nan, live)
            )
    return rows


def response_tables(
    store: Store,
    survey_id: int,
    versions: dict[str, WeightsVersion],
    excluded: dict[str, int],
    made_at: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A cross-section's response: households (household weights' snapshot), persons 15+
    (person weights' snapshot; left out for a questionnaire without a person part),
    exclusions (now); and households by district."""
    household, person = versions["household"], versions.get("person")
    sampled = int(household.parameters.get("sampled", 0))
    responded = int(household.parameters.get("respondents", 0))
    at_household, now = snapshot_basis(household), live_basis(made_at) + " (추정에 적용)"
    rows = [
        ("표본 가구", sampled, np.nan, at_household),
        ("응답 가구 (가구 설문 제출)", responded, _rate(responded, sampled), at_household),
    ]
    if person is not None:
        eligible = int(person.parameters.get("eligible", 0))
        answered = int(person.parameters.get("respondents", 0))
        at_person = snapshot_basis(person)
        rows += [
            ("응답 가구의 15세 이상 가구원", eligible, np.nan, at_person),
            (
                "응답 가구원 (15세 이상, 개인 설문 완료)",
                answered,
                _rate(answered, eligible),
                at_person,
            ),
        ]
    rows += [
        ("추정 제외 가구 설문 (가구)", excluded.get("households", 0), np.nan, now),
        *(
            [("추정 제외 개인 설문 (15세 이상 가구원)", excluded.get("persons15", 0), np.nan, now)]
            if person is not None
            else []
        ),
        *_received_since(store, survey_id, versions, made_at),
    ]
    overall = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return overall, _district_response(store, survey_id, household, made_at)


def wave_response_tables(
    store: Store,
    survey_id: int,
    household: WeightsVersion,
    excluded: dict[str, int],
    made_at: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A panel wave's response: households (the wave weights' snapshot), exclusions (now);
    and households by district."""
    sampled = int(household.parameters.get("sampled", 0))
    responded = int(household.parameters.get("respondents", 0))
    at_household = snapshot_basis(household)
    rows = [
        ("조사 대상 가구", sampled, np.nan, at_household),
        ("응답 가구 (설문 제출)", responded, _rate(responded, sampled), at_household),
        ("추정 제외 응답 (가구)", excluded.get("households", 0), np.nan,
         live_basis(made_at) + " (추정에 적용)"),
        *_received_since(store, survey_id, {"household": household}, made_at),
    ]  # fmt: skip
    overall = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return overall, _district_response(store, survey_id, household, made_at)


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
    survey_id: int | None = None,
) -> pd.DataFrame:
    """The population totals the weights were calibrated to, by unit, variable and category:
    Seoul's, or with ``survey_id`` those of the survey's target (its districts only, none for
    a cell of the panel; :func:`analysis.weights.survey_weights.target_margins`)."""
    rows = []
    labels = {**labels, "size_class": code_labels(store, "household_sizes")}
    for unit in units:
        if survey_id is not None:
            margins = target_margins(store, survey_id, unit)[0]
        elif unit == "household":
            margins = household_margins(store)
        else:
            margins = person_margins(store)
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


def exclusion_table(store: Store, survey_id: int, *, persons: bool = True) -> pd.DataFrame:
    """Responses left out of estimation, by part and reason (in words); ``persons`` False
    for a questionnaire without a person part (a panel wave, a department's own form)."""
    excluded = active_exclusions(store, survey_id)
    if excluded.empty:
        parts = ["가구 설문", "개인 설문"] if persons else ["가구 설문"]
        return pd.DataFrame({"구분": parts, "사유": [""] * len(parts), "건수": [0] * len(parts)})
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
