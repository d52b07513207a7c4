"""What a panel wave's report says, in the same :class:`ReportContent` as a cross-section's.

A wave has one respondent per household, weighted by the wave's household weights
(:mod:`panel.weights`: base weight → district nonresponse → raking to households by
district and size → trimming). The report gathers, from the stores of record:

- the catalogue indicators the wave's questionnaire asks
  (:func:`analysis.designs.wave_indicator_table`, every published domain), so the
  Seoul Survey parallel survey reports the happiness index by district as the
  cross-section does;
- every question's weighted results (:func:`analysis.reports.question_results.question_results`):
  percentages of each choice, means of numbers — Seoul-wide and by sex, age group,
  household type, income and district — so a wave that asks none of the catalogue
  (a policy-demand survey) still has its full report;
- the changes since the previous wave that asked the same indicators, with the SE of
  the joint linearization (:func:`analysis.trends.designs_change`), each wave's
  calibration accounted for: households answering
  both waves add their covariance, Var(ŷ_b − ŷ_a) = Var(ŷ_a) + Var(ŷ_b) − 2 Cov(ŷ_a, ŷ_b);
- methodology: the wave's design, response by district (and the AAPOR rates the caller
  passes, :mod:`panel.response_rates`), the weighting steps, the margins and their
  sources, the exclusions.

SEs replay the wave's calibration (:mod:`analysis.weights.wave_calibration`): stratified by
district, the household as the PSU, calibration-aware — the SE of a change between
waves too.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from analysis.designs import WAVE_LONELY_PSU, ExploreError, analysis_design, wave_indicator_table
from analysis.estimation.design import SurveyDesign
from analysis.indicators import Indicator, load_catalogue
from analysis.reports.changes import ranked_changes
from analysis.reports.content import ReportContent, field_period
from analysis.reports.findings import (
    change_findings,
    exclusion_finding,
    format_value,
    happiness_findings,
    happiness_rows,
)
from analysis.reports.methodology import (
    design_table,
    exclusion_table,
    margin_source_table,
    margin_value_table,
    variance_table,
    wave_response_tables,
    weighting_steps,
)
from analysis.reports.published import (
    SEOUL,
    codebook,
    domain_labels,
    published_tables,
    question_table,
)
from analysis.reports.question_results import COLUMNS as QUESTION_COLUMNS
from analysis.reports.question_results import question_results
from analysis.reports.versions import excluded_counts, weights_versions
from analysis.trends import designs_change, panel_wave_numbers
from data.store import Store
from data.text import InvalidRequest, Text
from data.weights_tables import units_weighted
from surveys.opening import SurveyInfo, questionnaire_of, survey_info
from surveys.questionnaire.model import Questionnaire

WAVE_CHANGE_NOTE = (
    "두 차수는 같은 패널 가구를 다시 조사하므로, 차이의 표준오차는 두 차수를 가구 단위로 함께"
    " 선형화해 구합니다(각 차수의 보정을 반영한 잔차 사용): Var(차이) = Var(이전) + Var(이번)"
    " - 2·Cov, 두 차수에 모두 응답한 가구가 공분산을 더합니다. |z| > 1.96이면 5% 수준에서 유의."
)
WAVE_VARIANCE_NOTE = (
    "패널 차수의 표준오차는 자치구를 층으로, 가구를 1차 추출단위로 하는 선형화 방법으로"
    " 계산했으며, 차수 가중치의 보정(자치구·가구원 수 레이킹)을 다시 적용해 그 효과를 포함합니다."
    " 추정에서 제외된 응답은 저장된 그대로 남고, 남은 응답자에게 보정을 다시 적용하므로 가중치는"
    " 여전히 등록 가구 총계에 맞습니다. 이전 차수 대비 변화의 표준오차도 각 차수의 보정을"
    " 반영한 잔차로 두 차수를 함께 선형화해 구합니다."
)
MAX_QUESTION_FINDINGS = 5
QUESTION_DOMAINS = ("sex", "age_group", "household_type", "income", "district_code")


# ---- the questions ---------------------------------------------------------------------------
def question_findings(results: pd.DataFrame) -> list[str]:
    """For each single-choice question (first few), the choice most often given in Seoul."""
    lines = []
    seoul = results[(results["domain"] == SEOUL) & (results["type"] == "single")]
    for _question, rows in seoul.groupby("question", sort=False):
        shown = rows.dropna(subset=["estimate"])
        if shown.empty:
            continue
        top = shown.loc[shown["estimate"].idxmax()]
        lines.append(
            f"'{top['label_ko']}' 문항에서 가장 많이 고른 응답은 '{top['choice_ko']}'"
            f" ({format_value(top['estimate'], '%')}%, 95% 신뢰구간"
            f" {format_value(top['ci_low'], '%')}~{format_value(top['ci_high'], '%')}%)입니다."
        )
        if len(lines) == MAX_QUESTION_FINDINGS:
            break
    return lines


# ---- the previous wave and the changes -------------------------------------------------------
def _asked(questionnaire: Questionnaire) -> set[str]:
    return {q.name for part, _s, q in questionnaire.all_questions() if part.name == "household"}


def _indicators_asked(questionnaire: Questionnaire, catalogue: list[Indicator]) -> list[Indicator]:
    asked = _asked(questionnaire)
    return [i for i in catalogue if all(item in asked for item in i.items)]


def previous_wave(store: Store, survey_id: int, indicators: list[Indicator]) -> SurveyInfo | None:
    """The newest earlier wave with household weights asking one of ``indicators``, or None."""
    if not indicators:
        return None
    numbers = panel_wave_numbers(store)
    current = numbers.get(int(survey_id))
    if current is None:
        return None
    wanted = {i.id for i in indicators}
    earlier = sorted(((n, s) for s, n in numbers.items() if n < current), reverse=True)
    for _number, other in earlier:
        if "household" not in units_weighted(store, other):
            continue
        asked = _indicators_asked(questionnaire_of(store, other), load_catalogue())
        if wanted & {i.id for i in asked}:
            return survey_info(store, other)
    return None


def wave_changes(
    earlier: SurveyDesign, now: SurveyDesign, indicators: list[Indicator]
) -> pd.DataFrame:
    """Seoul-wide change of each indicator both waves ask, now − earlier, joint SE.

    Columns as :func:`analysis.reports.changes.seoul_changes` (``estimate_a`` now,
    ``estimate_b`` the earlier wave, ``difference`` = a − b) plus ``n_both``, the
    households answering both waves. Sorted by |z|.
    """
    rows = []
    for indicator in indicators:
        column = indicator.column
        if column not in earlier.frame.columns or column not in now.frame.columns:
            continue
        change = designs_change(earlier, now, column).iloc[0]
        rows.append(
            {
                "indicator": indicator.id,
                "estimate_a": change["estimate_b"],
                "se_a": change["se_b"],
                "estimate_b": change["estimate_a"],
                "se_b": change["se_a"],
                "difference": change["difference"],
                "se": change["se"],
                "ci_low": change["ci_low"],
                "ci_high": change["ci_high"],
                "z": change["z"],
                "p_value": change["p_value"],
                "name_ko": indicator.name_ko,
                "name_en": indicator.name_en,
                "unit": indicator.unit_ko,
                "n_both": int(change["n_both"]),
            }
        )
    changes = pd.DataFrame(rows)
    return changes if changes.empty else ranked_changes(changes)


def _empty_indicator_table() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["indicator", "name_ko", "name_en", "unit", "population", "weights_id",
                 "excluded", "domain", "estimate", "se", "ci_low", "ci_high", "cv", "deff",
                 "n", "n_missing", "flag"]
    )  # fmt: skip


# ---- everything ------------------------------------------------------------------------------
def gather_wave(
    store: Store,
    survey_id: int,
    *,
    weights_ids: list[int] | tuple[int, ...] | None = None,
    extra_methodology: dict[str, pd.DataFrame] | None = None,
    progress=lambda fraction, message: None,
    start: float = 0.0,
    stop: float = 0.7,
) -> ReportContent:
    """Everything a panel wave's report shows; ``progress`` moves from ``start`` to ``stop``.

    ``weights_ids`` may name one household weights version of the wave (default newest);
    ``extra_methodology`` adds sections (the panel's AAPOR rates) after the response rates.
    """

    def step(share: float, message: str) -> None:
        progress(start + (stop - start) * share, message)

    survey = survey_info(store, survey_id)
    if survey.kind != "panel_wave":
        raise InvalidRequest(
            "not_a_wave",
            Text(
                f"조사 {survey_id} 는 패널 차수가 아닙니다",
                f"survey {survey_id} is not a panel wave",
            ),
        )
    versions = weights_versions(store, survey_id, weights_ids, units=("household",))
    weights_id = versions["household"].weights_id
    catalogue = load_catalogue()
    questionnaire = questionnaire_of(store, survey_id)
    labels = domain_labels(store, questionnaire)
    excluded = excluded_counts(store, survey_id)
    number = panel_wave_numbers(store).get(int(survey_id))

    step(0.05, "지표 추정 중 / estimating the indicators")
    try:
        table = wave_indicator_table(store, survey_id, weights_id=weights_id)
    except ExploreError:  # the questionnaire asks none of the catalogue's indicators
        table = _empty_indicator_table()
    design = analysis_design(store, survey_id, "households", weights_id)

    step(0.25, "문항별 결과 추정 중 / estimating every question")
    results = question_results(design, questionnaire, QUESTION_DOMAINS)
    if results.empty:
        results = pd.DataFrame(columns=QUESTION_COLUMNS)

    step(0.6, "이전 차수와 비교 중 / comparing with the previous wave")
    asked = [i for i in catalogue if i.id in set(table["indicator"])]
    previous = previous_wave(store, survey_id, asked)
    changes = None
    previous_name = ""
    if previous is not None:
        earlier = analysis_design(store, previous.survey_id, "households")
        changes = wave_changes(earlier, design, asked)
        previous_name = f"{panel_wave_numbers(store).get(previous.survey_id)}차"

    step(0.85, "방법론·코드북 정리 중 / methodology and codebook")
    try:
        seoul, districts = happiness_rows(table, labels)
    except KeyError:
        seoul, districts = None, None
    made_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    overall, by_district = wave_response_tables(
        store, survey_id, versions["household"], excluded, made_at
    )
    methodology = {
        "표본 설계": design_table(store, survey_id),
        "응답률": overall,
        **(extra_methodology or {}),
        "자치구별 응답률": by_district,
        "가중치 작성 단계": pd.DataFrame(
            weighting_steps(versions["household"]), columns=["단위", "단계", "내용"]
        ),
        "보정 총계와 출처": margin_source_table(versions),
        "보정 총계 값": margin_value_table(store, labels, units=("household",)),
        "추정 제외 응답": exclusion_table(store, survey_id, persons=False),
        "분산 추정": variance_table(
            strata="district_code", psu="household", lonely_psu=WAVE_LONELY_PSU
        ),
    }
    period = field_period(store, survey_id)
    findings = []
    if seoul is not None and districts is not None:
        findings += happiness_findings(seoul, districts, "패널 가구 응답자")
    findings += question_findings(results)
    if len(table):
        findings += change_findings(
            changes, previous_name, "같은 지표를 물은 이전 차수(가중치가 있는 차수)가 없습니다."
        )
    findings.append(exclusion_finding(excluded, persons=False))
    responded = overall.iloc[1]
    summary = pd.DataFrame(
        [
            ("조사", survey.title_ko),
            ("조사 코드", survey.code),
            ("패널 차수", f"{number}차" if number else "–"),
            ("조사 기간", period),
            ("설문지", f"{questionnaire.id} {questionnaire.version}"),
            ("조사 대상 가구", int(overall.iloc[0]["수"])),
            ("응답 가구", int(responded["수"])),
            ("가구 응답률", float(responded["응답률"])),
            ("응답률 기준", responded["기준"]),
            ("가중치 버전", ", ".join(v.label for v in versions.values())),
            ("추정 제외 응답", excluded["households"]),
            ("비교 차수", f"{previous.title_ko} ({previous.code})" if previous else "없음"),
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
        changes=changes if changes is not None and len(changes) else None,
        methodology=methodology,
        codebook=codebook(questionnaire),
        excluded=excluded,
        kind="panel_wave",
        name=f"{number}차" if number else survey.code,
        previous_name=previous_name,
        change_note=WAVE_CHANGE_NOTE,
        variance_note=WAVE_VARIANCE_NOTE,
        questions=question_table(results, labels),
        question_results=results,
    )
