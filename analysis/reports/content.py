"""What a manager's report says: tables, findings, changes, methodology and codebook, as data.

The workbook, the PDF and the CSV bundle (:mod:`analysis.reports.bundle`) all render
this one :class:`ReportContent`, so the three files can never disagree. It is
gathered from the stores of record only: the published indicator table
(:func:`analysis.tables.indicator_table`, or the same estimation on chosen
weights versions: :mod:`analysis.reports.versions`), the weights versions' parameters
(weighting steps, margins and their sources), the survey's sample design and fieldwork,
the active exclusions and the questionnaire version the survey used. The tables are laid
out by :mod:`analysis.reports.published`, worded by :mod:`analysis.reports.findings`, and
the changes since the previous year come from :mod:`analysis.reports.changes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from analysis.designs import analysis_design
from analysis.indicators import STATS, NothingToEstimate, load_catalogue
from analysis.reports.changes import previous_survey, seoul_changes
from analysis.reports.findings import (
    change_findings,
    exclusion_finding,
    happiness_findings,
    happiness_rows,
)
from analysis.reports.methodology import (
    design_table,
    exclusion_table,
    margin_source_table,
    margin_value_table,
    response_tables,
    variance_table,
    weighting_steps,
)
from analysis.reports.published import codebook, domain_labels, published_tables, question_table
from analysis.reports.question_results import question_results
from analysis.reports.versions import (
    WeightsVersion,
    excluded_counts,
    report_table,
    weights_versions,
)
from analysis.tables import UNITS
from analysis.weights.survey_weights import DESIGN, LONELY_PSU
from data.store import Store
from data.text import InvalidRequest, Text
from surveys.opening import SurveyInfo, list_surveys, questionnaire_of, survey_info
from surveys.questionnaire.model import Questionnaire


@dataclass
class ReportContent:
    survey: SurveyInfo
    field_period: str
    made_at: str
    table: pd.DataFrame  # the indicator table as estimated (tidy, English columns)
    versions: dict[str, WeightsVersion]  # by unit: household, person
    domain_tables: dict[str, pd.DataFrame]  # sheet title -> published table
    summary: pd.DataFrame  # 항목, 값
    findings: list[str]
    happiness_by_district: pd.DataFrame | None  # district_code, name_ko, estimate, ci…, flag
    happiness_seoul: pd.Series | None  # the Seoul-wide happiness index row (None: not asked)
    previous: SurveyInfo | None
    changes: pd.DataFrame | None  # Seoul-wide changes since ``previous``
    methodology: dict[str, pd.DataFrame]  # section title -> table
    codebook: pd.DataFrame
    excluded: dict[str, int] = field(default_factory=dict)  # households / persons parts
    kind: str = "cross_section"  # or "panel_wave"
    # how the survey and the one compared with are named in headings: "2026년 조사", "3차 조사"
    name: str = ""
    previous_name: str = ""
    # how the change's SE was computed, said under every change table
    change_note: str = (
        "두 조사는 독립 표본: 차이의 표준오차 = √(SE₁² + SE₂²); |z| > 1.96이면 5% 수준에서 유의."
    )
    # how every SE was computed, said in the methodology appendix
    variance_note: str = (
        "추정에서 제외된 응답은 저장된 그대로 남고, 남은 응답자에게 보정을 다시 적용하므로"
        " 가중치는 여전히 모집단 총계에 맞습니다. 표준오차는 층(자치구)과 조사구(1차 추출단위)를"
        " 반영한 선형화 방법으로, 보정(레이킹)의 효과를 포함해 계산했습니다."
    )
    questions: pd.DataFrame | None = None  # question-by-question results, Korean headings
    question_results: pd.DataFrame | None = (
        None  # the same, tidy (analysis.reports.question_results)
    )

    @property
    def has_happiness(self) -> bool:
        return self.happiness_seoul is not None and self.happiness_by_district is not None


# The indicator table's columns when the catalogue asks none of the form's questions.
EMPTY_TABLE = ["indicator", "name_ko", "name_en", "unit", "population", "domain"]
EMPTY_TABLE += ["weights_id", "excluded", *STATS]


def seoul_question_results(
    store: Store,
    survey_id: int,
    versions: dict[str, WeightsVersion],
    questionnaire: Questionnaire,
) -> pd.DataFrame:
    """Every question of a cross-section, Seoul-wide: household questions on the household
    design, person questions on the persons' (the chosen weights, calibration replayed).

    Seoul-wide only: by domain the catalogue's indicator sheets carry the published
    breakdowns, and every question by five dimensions would double the report's time.
    """
    parts = [("household", "households")]
    if questionnaire.person is not None:
        parts.append(("person", "persons15"))
    pieces = []
    for part, unit in parts:
        weights_id = versions[UNITS[unit]].weights_id
        design = analysis_design(store, survey_id, unit, weights_id)
        pieces.append(question_results(design, questionnaire, part=part))
    return pd.concat(pieces, ignore_index=True)


def field_period(store: Store, survey_id: int) -> str:
    """The survey's field period as printed: '2026-08-03 ~ 2026-08-21' (empty when unset)."""
    surveys = list_surveys(store)
    row = surveys[surveys["survey_id"] == survey_id]
    if row.empty:
        return ""
    dates = row.iloc[0][["field_start", "field_end"]]
    return " ~ ".join(str(v)[:10] for v in dates if not pd.isna(v))


def _findings(
    seoul: pd.Series | None,
    districts: pd.DataFrame | None,
    previous_name: str,
    changes: pd.DataFrame | None,
    excluded: dict[str, int],
    persons: bool,
) -> list[str]:
    happiness = (
        happiness_findings(seoul, districts, "서울 시민(15세 이상)")
        if seoul is not None and districts is not None
        else ["이 조사의 설문지는 행복지수 문항을 묻지 않습니다."]
    )
    return [
        *happiness,
        *change_findings(
            changes, previous_name, "비교할 이전 조사(가중치가 있는 횡단면 조사)가 없습니다."
        ),
        exclusion_finding(excluded, persons=persons),
    ]


def gather(
    store: Store,
    survey_id: int,
    *,
    weights_ids: list[int] | tuple[int, ...] | None = None,
    progress=lambda fraction, message: None,
    start: float = 0.0,
    stop: float = 0.7,
) -> ReportContent:
    """Everything the report shows; ``progress`` moves from ``start`` to ``stop``."""

    def step(share: float, message: str) -> None:
        progress(start + (stop - start) * share, message)

    survey = survey_info(store, survey_id)
    if survey.kind != "cross_section":
        raise InvalidRequest(
            "not_a_cross_section",
            Text(
                "이 함수는 횡단면 조사용입니다: 패널 차수는 analysis.reports.wave_content.gather_wave",
                "this gathers a cross-section survey: a panel wave's report uses gather_wave",
            ),
        )
    has_persons = questionnaire_of(store, survey_id).person is not None
    units = ("household", "person") if has_persons else ("household",)
    versions = weights_versions(store, survey_id, weights_ids, units)
    catalogue = load_catalogue()
    step(0.05, "지표 추정 중 / estimating the indicators")
    try:
        table = report_table(store, survey_id, versions, catalogue)
    except NothingToEstimate:  # a department's own form: its questions are the results
        table = pd.DataFrame(columns=EMPTY_TABLE)
    questionnaire = questionnaire_of(store, survey_id)
    labels = domain_labels(store, questionnaire)
    excluded = excluded_counts(store, survey_id)

    step(0.4, "문항별 결과 추정 중 / every question, Seoul-wide")
    results = seoul_question_results(store, survey_id, versions, questionnaire)

    step(0.55, "이전 조사와 비교 중 / comparing with the previous survey")
    previous = previous_survey(store, survey)
    changes = seoul_changes(table, store, previous, catalogue) if previous else None
    if changes is not None and changes.empty:  # the earlier year asked none of these
        changes = None

    step(0.85, "방법론·코드북 정리 중 / methodology and codebook")
    try:
        seoul, districts = happiness_rows(table, labels)
    except KeyError:  # a questionnaire without the happiness items
        seoul, districts = None, None
    made_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    overall, by_district = response_tables(store, survey_id, versions, excluded, made_at)
    steps = [row for v in versions.values() for row in weighting_steps(v)]
    methodology = {
        "표본 설계": design_table(store, survey_id),
        "응답률": overall,
        "자치구별 응답률": by_district,
        "가중치 작성 단계": pd.DataFrame(steps, columns=["단위", "단계", "내용"]),
        "보정 총계와 출처": margin_source_table(versions),
        "보정 총계 값": margin_value_table(store, labels, survey_id=survey_id),
        "추정 제외 응답": exclusion_table(store, survey_id, persons=has_persons),
        "분산 추정": variance_table(
            strata=DESIGN["strata"], psu=DESIGN["psu"], lonely_psu=LONELY_PSU
        ),
    }
    period = field_period(store, survey_id)
    name = f"{survey.reference_year or survey.code}년"
    previous_name = f"{previous.reference_year or previous.code}년" if previous else ""
    findings = _findings(seoul, districts, previous_name, changes, excluded, has_persons)
    responded = overall.iloc[1]
    persons = overall.iloc[3] if has_persons else None
    summary = pd.DataFrame(
        [
            ("조사", survey.title_ko),
            ("조사 코드", survey.code),
            ("기준 연도", survey.reference_year),
            ("조사 기간", period),
            ("설문지", f"{questionnaire.id} {questionnaire.version}"),
            ("표본 가구", int(overall.iloc[0]["수"])),
            ("응답 가구", int(responded["수"])),
            ("가구 응답률", float(responded["응답률"])),
            *(
                [
                    ("응답 가구원 (15세 이상)", int(persons["수"])),
                    ("가구원 응답률", float(persons["응답률"])),
                    ("응답률 기준", f"{responded['기준']}; {persons['기준']}"),
                ]
                if persons is not None
                else [
                    ("가구원 설문", "없음 (이 조사표는 가구 설문만 묻습니다)"),
                    ("응답률 기준", responded["기준"]),
                ]
            ),
            ("가중치 버전", ", ".join(v.label for v in versions.values())),
            ("추정 제외 응답", excluded["households"] + excluded["persons15"]),
            ("비교 조사", f"{previous.title_ko} ({previous.code})" if previous else "없음"),
            ("작성 일시", made_at),
        ],
        columns=["항목", "값"],
    )
    step(1.0, "내용 준비 완료 / content ready")
    return ReportContent(
        survey=survey,
        field_period=period,
        made_at=made_at,
        table=table,
        versions=versions,
        domain_tables=published_tables(table, labels),
        summary=summary,
        findings=findings,
        happiness_by_district=districts,
        happiness_seoul=seoul,
        previous=previous,
        changes=changes,
        methodology=methodology,
        codebook=codebook(questionnaire),
        excluded=excluded,
        name=name,
        previous_name=previous_name,
        questions=question_table(results, labels),
        question_results=results,
    )
