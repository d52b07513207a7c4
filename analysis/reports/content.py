"""What a manager's report says: tables, findings, changes, methodology and codebook, as data.

The workbook, the PDF and the CSV bundle (:mod:`analysis.reports.bundle`) all render
this one :class:`ReportContent`, so the three files can never disagree. It is
gathered from the stores of record only: the published indicator table
(:func:`analysis.tables.indicator_table`, or the same estimation on chosen
weights versions), the weights versions' parameters (weighting steps, margins
and their sources), the survey's sample design and fieldwork, the active
exclusions and the questionnaire version the survey used.

"The largest changes since the previous year" compare the Seoul-wide
estimates with the newest earlier cross-section that has weights; the two
samples are drawn independently, so the difference's SE is
sqrt(SE₁² + SE₂²) (:func:`analysis.estimation.differences.independent_difference`) and a
change is significant at 5 % when |Δ / SE| > 1.96.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from analysis.designs import analysis_design
from analysis.estimation.differences import independent_difference
from analysis.exclusions import active_exclusions
from analysis.indicators import Indicator, NothingToEstimate, estimate_indicators, load_catalogue
from analysis.reports.methodology import (
    design_table,
    exclusion_table,
    margin_source_table,
    margin_value_table,
    response_tables,
    variance_table,
    weighting_steps,
)
from analysis.reports.question_results import question_results
from analysis.reports.terms import UNIT_TITLES, term, value_label
from analysis.survey_frames import respondent_frames
from analysis.tables import UNITS, NoWeights, indicator_table
from analysis.weights.survey_weights import DESIGN, LONELY_PSU, calibrated_design
from data.reference import code_labels, stored_table
from data.store import Store
from data.weights_tables import newest_version_ids, units_weighted, versions_of, weights_rows
from surveys.opening import SurveyInfo, list_surveys, questionnaire_of, same_series, survey_info
from surveys.questionnaire.model import Questionnaire

HAPPINESS = "happiness_index"
SEOUL = "seoul"  # the domain label of Seoul-wide rows in the indicator table
Z_95 = 1.959963984540054
CHANGES_LISTED = 5  # significant changes a key finding names (the change table has them all)

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
SUPPRESSED = "–"

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


@dataclass(frozen=True)
class WeightsVersion:
    weights_id: int
    unit: str
    version: int
    created_at: str
    parameters: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{UNIT_TITLES.get(self.unit, self.unit)} v{self.version} (ID {self.weights_id})"


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


# ---- numbers as the tables show them ---------------------------------------------------------
def decimals(unit: str) -> int:
    """Digits shown: one for shares and minutes, two for scores."""
    return 1 if unit.strip() in ("%", "분") else 2


def format_value(value: Any, unit: str = "", *, flag: str = "") -> str:
    """An estimate as printed; suppressed or missing estimates are '–', never a number."""
    if flag == "suppressed" or value is None or pd.isna(value):
        return SUPPRESSED
    return f"{float(value):,.{decimals(unit)}f}"


# ---- weights versions ------------------------------------------------------------------------
def all_weights_versions(store: Store, survey_id: int) -> dict[int, WeightsVersion]:
    """Every stored weights version of a survey, by weights id, oldest first."""
    return {row[0]: WeightsVersion(*row) for row in versions_of(store, survey_id)}


def weights_versions(
    store: Store,
    survey_id: int,
    weights_ids: list[int] | tuple[int, ...] | None = None,
    units: tuple[str, ...] = ("household", "person"),
) -> dict[str, WeightsVersion]:
    """The weights versions of ``units`` the report uses: the chosen ones, else the newest."""
    known = all_weights_versions(store, survey_id)
    chosen: dict[str, WeightsVersion] = {}
    for weights_id in weights_ids or ():
        if int(weights_id) not in known:
            raise ValueError(
                f"가중치 {weights_id} 는 조사 {survey_id} 의 것이 아닙니다 / weights "
                f"{weights_id} do not belong to survey {survey_id}"
            )
        version = known[int(weights_id)]
        if version.unit not in units:
            raise ValueError(
                f"가중치 {weights_id} 는 {version.unit} 단위입니다: 보고서는 {', '.join(units)}"
                f" 가중치를 씁니다 / weights {weights_id} are {version.unit} weights; the report"
                f" uses {', '.join(units)} weights"
            )
        chosen[version.unit] = version
    for unit in units:
        if unit not in chosen:
            newest = [v for v in known.values() if v.unit == unit]
            if not newest:
                raise NoWeights(
                    f"survey {survey_id} has no {unit} weights yet: make them first"
                    f" (조사 {survey_id} 에 {unit} 가중치가 아직 없습니다)"
                )
            chosen[unit] = max(newest, key=lambda v: v.version)
    return {unit: chosen[unit] for unit in units}


def report_table(
    store: Store,
    survey_id: int,
    versions: dict[str, WeightsVersion],
    catalogue: list[Indicator] | None = None,
) -> pd.DataFrame:
    """The indicator table on the chosen weights versions.

    With the newest versions this *is* :func:`analysis.tables.indicator_table`;
    with an older version the same estimation runs on that version's weights.
    """
    newest = newest_version_ids(store, survey_id)
    if all(newest.get(u) == v.weights_id for u, v in versions.items()):
        return indicator_table(store, survey_id, catalogue)
    catalogue = catalogue or load_catalogue()
    frames = respondent_frames(store, survey_id, stored_table(store, "age_groups"))
    weights = {unit: weights_rows(store, v.weights_id) for unit, v in versions.items()}

    def design(population: str, frame: pd.DataFrame):
        unit = UNITS[population]
        return calibrated_design(store, frame, unit, weights[unit])

    table = estimate_indicators(catalogue, frames, design)
    ids = {p: versions[u].weights_id for p, u in UNITS.items()}
    table.insert(5, "weights_id", table["population"].map(ids))
    counts = excluded_counts(store, survey_id)
    table.insert(6, "excluded", table["population"].map(counts).astype("int64"))
    return table


def excluded_counts(store: Store, survey_id: int) -> dict[str, int]:
    excluded = active_exclusions(store, survey_id)
    return {
        "households": int((excluded["member_no"] == 0).sum()),
        "persons15": int((excluded["member_no"] > 0).sum()),
    }


# ---- labels of domain values ----------------------------------------------------------------
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


# ---- question-by-question results --------------------------------------------------------------
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


# ---- changes since the previous cross-section ------------------------------------------------
def previous_survey(store: Store, survey: SurveyInfo) -> SurveyInfo | None:
    """The newest earlier cross-section of the same series with household and person weights.

    Same series: :func:`surveys.opening.same_series` ('seoul-2025' for 'seoul-2026').
    """
    surveys = same_series(store, survey.survey_id)
    earlier = surveys[
        (surveys["kind"] == "cross_section")
        & (surveys["survey_id"] != survey.survey_id)
        & (surveys["reference_year"].notna())
        & (surveys["reference_year"] < (survey.reference_year or 0))
    ].sort_values(["reference_year", "survey_id"], ascending=False)
    for survey_id in earlier["survey_id"]:
        if {"household", "person"} <= units_weighted(store, int(survey_id)):
            return survey_info(store, int(survey_id))
    return None


def seoul_changes(
    current: pd.DataFrame, store: Store, previous: SurveyInfo, catalogue: list[Indicator]
) -> pd.DataFrame:
    """Seoul-wide estimates now and in ``previous``, their difference, SE, z, p and significance.

    Sorted by |z|, the largest (most certain) changes first: the indicators have
    different units, so the standardized change ranks them.
    """
    seoul_only = [replace(i, domains=((),)) for i in catalogue]
    try:
        before = indicator_table(store, previous.survey_id, seoul_only)
    except NothingToEstimate:  # that year asked none of these indicators
        before = current.iloc[:0]
    now = current[current["domain"] == SEOUL]
    keys = ["indicator", "estimate", "se"]
    diff = independent_difference(now[keys], before[keys], on=["indicator"])
    names = now.set_index("indicator")[["name_ko", "name_en", "unit"]]
    return ranked_changes(diff.join(names, on="indicator"))


def ranked_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Add the change relative to the earlier estimate (%) and its 5 % significance, and sort
    by |z|: the indicators have different units, so the standardized change ranks them."""
    changes = changes.copy()
    changes["relative"] = changes["difference"] / changes["estimate_b"].abs() * 100
    changes["significant"] = changes["z"].abs() > Z_95
    order = changes["z"].abs().fillna(-1).sort_values(ascending=False).index
    return changes.loc[order].reset_index(drop=True)


def field_period(store: Store, survey_id: int) -> str:
    """The survey's field period as printed: '2026-08-03 ~ 2026-08-21' (empty when unset)."""
    surveys = list_surveys(store)
    row = surveys[surveys["survey_id"] == survey_id]
    if row.empty:
        return ""
    dates = row.iloc[0][["field_start", "field_end"]]
    return " ~ ".join(str(v)[:10] for v in dates if not pd.isna(v))


# ---- codebook --------------------------------------------------------------------------------
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


# ---- findings --------------------------------------------------------------------------------
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


def _findings(
    seoul: pd.Series | None,
    districts: pd.DataFrame | None,
    previous_name: str,
    changes: pd.DataFrame | None,
    excluded: dict[str, int],
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
        exclusion_finding(excluded),
    ]


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


# ---- everything ------------------------------------------------------------------------------
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
        raise ValueError(
            "이 함수는 횡단면 조사용입니다: 패널 차수는 analysis.reports.wave_content.gather_wave /"
            " this gathers a cross-section survey: a panel wave's report uses gather_wave"
        )
    versions = weights_versions(store, survey_id, weights_ids)
    catalogue = load_catalogue()
    step(0.05, "지표 추정 중 / estimating the indicators")
    table = report_table(store, survey_id, versions, catalogue)
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
        "보정 총계 값": margin_value_table(store, labels),
        "추정 제외 응답": exclusion_table(store, survey_id),
        "분산 추정": variance_table(
            strata=DESIGN["strata"], psu=DESIGN["psu"], lonely_psu=LONELY_PSU
        ),
    }
    period = field_period(store, survey_id)
    name = f"{survey.reference_year or survey.code}년"
    previous_name = f"{previous.reference_year or previous.code}년" if previous else ""
    findings = _findings(seoul, districts, previous_name, changes, excluded)
    responded = overall.iloc[1]
    persons = overall.iloc[3]
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
            ("응답 가구원 (15세 이상)", int(persons["수"])),
            ("가구원 응답률", float(persons["응답률"])),
            ("응답률 기준", f"{responded['기준']}; {persons['기준']}"),
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
