"""Text of the Explore page (ui/explore_page.py, ui/explore/), Korean first:
merged into ui.i18n.TEXT."""

from __future__ import annotations

EXPLORE_TEXT: dict[str, tuple[str, str]] = {
    "page_explore": ("탐색", "Explore"),
    "ex_intro": (
        "서울서베이 연도나 패널 차수를 골라 지표를 영역별로 보고, 질문 변수로 가중 교차표와 회귀분석을 하고, "
        "두 영역·두 연도·두 차수를 비교합니다. 모든 수치는 최신 가중치와 표본설계(층: 자치구, 집락: 조사구)를 "
        "반영한 표준오차와 함께 보입니다.",
        "Pick a Seoul Survey year or a panel wave: indicators by domain, weighted crosstabs and "
        "regressions of questionnaire variables, and comparisons of two domains, years or waves. "
        "Every number comes with its design-based standard error (newest weights; strata: "
        "districts, PSUs: enumeration areas).",
    ),
    "ex_tab_indicators": ("지표", "Indicators"),
    "ex_tab_crosstab": ("교차표", "Crosstab"),
    "ex_tab_regression": ("회귀", "Regression"),
    "ex_tab_compare": ("비교", "Compare"),
    "ex_no_surveys": (
        "가중치가 있는 조사가 없습니다. 조사 관리(서울서베이) 또는 패널 화면(차수 가중치)에서 가중치를 먼저 만드세요.",
        "No survey has weights yet. Make them first: Surveys (Seoul Survey) or Panel (wave weights).",
    ),
    "ex_no_weights": (
        "이 조사에는 아직 가중치가 없습니다. 가중치를 만든 뒤 다시 여세요. ({detail})",
        "This survey has no weights yet. Make them, then come back. ({detail})",
    ),
    "ex_failed": (
        "계산할 수 없습니다: {detail}",
        "This cannot be computed: {detail}",
    ),
    "ex_survey": ("조사", "Survey"),
    "ex_unit": ("분석 단위", "Unit of analysis"),
    "ex_unit_persons15": ("15세 이상 가구원", "Persons 15+"),
    "ex_unit_households": ("가구", "Households"),
    "ex_wave_note": (
        "패널 차수는 가구당 응답자 1명이므로 가구 단위로만 분석합니다. 표준오차는 차수 가중치의 "
        "보정(자치구·가구원 수 레이킹)을 다시 적용해 그 효과를 반영합니다.",
        "A panel wave has one respondent per household, so it is analysed by household. Standard "
        "errors replay the wave weights' calibration (raking to districts and household sizes).",
    ),
    # indicators tab
    "ex_indicators": ("지표", "Indicators"),
    "ex_domain": ("영역", "Domain"),
    "ex_pick_indicator": ("지표를 하나 이상 고르세요.", "Choose at least one indicator."),
    "ex_seoul": ("서울 전체", "Seoul"),
    "ex_questions_intro": (
        "이 조사표의 문항은 지표 목록에 없어, 문항별 가중 결과(보기별 비율 또는 평균)를 보여줍니다. "
        "보고서의 문항별 결과와 같은 계산입니다.",
        "The indicator catalogue has none of this questionnaire's questions, so each "
        "question's weighted results (the % of each choice, or the mean) are shown, computed "
        "as in the report's question sheet.",
    ),
    "ex_questions_none": (
        "표로 만들 문항(선택·숫자 문항)에 응답이 없습니다.",
        "No choice or number question has answers to tabulate.",
    ),
    "ex_question": ("문항", "Question"),
    "ex_col_choice": ("보기", "Choice"),
    "ex_mean": ("평균", "Mean"),
    "ex_seoul_help": (
        "{name} ({unit}) · 표준오차 {se} · 95% 신뢰구간 {low}–{high} · n = {n}",
        "{name} ({unit}) · SE {se} · 95% CI {low}–{high} · n = {n}",
    ),
    "ex_excluded": (
        "추정에서 제외된 응답: 가구 {households}건, 가구원 {persons}건 (가중치는 남은 응답자로 다시 보정).",
        "Responses excluded from estimation: {households} household and {persons} person parts "
        "(the weights are re-calibrated on the remaining respondents).",
    ),
    "ex_col_indicator": ("지표", "Indicator"),
    "ex_col_group": ("집단", "Group"),
    "ex_col_estimate": ("추정값", "Estimate"),
    "ex_col_se": ("표준오차", "SE"),
    "ex_col_ci_low": ("95% 하한", "95% CI low"),
    "ex_col_ci_high": ("95% 상한", "95% CI high"),
    "ex_col_cv": ("변동계수", "CV"),
    "ex_col_n": ("사례 수", "n"),
    "ex_col_flag": ("표시", "Flag"),
    "ex_flags": (
        "표시: '{caution}' = 사례 수 30 미만 또는 변동계수 0.3 초과, '{suppressed}' = 변동계수 0.5 초과 (값은 –).",
        "Flags: '{caution}' = n < 30 or CV > 0.3; '{suppressed}' = CV > 0.5 (shown as –).",
    ),
    "ex_chart_bars": (
        "{name}: 추정값과 95% 신뢰구간",
        "{name}: estimates with 95% confidence intervals",
    ),
    "ex_chart_districts": (
        "{name}: 자치구별 (빨간 점선 = 서울 전체 {seoul})",
        "{name} by district (red dashed line = Seoul, {seoul})",
    ),
    "ex_tile_title": ("자치구 타일 지도", "District tile map"),
    "ex_tile_note": (
        "25개 자치구를 같은 크기의 칸으로 실제 위치에 가깝게 배치했습니다. 회색·– 은 공표 제외.",
        "The 25 districts as equal tiles in their geographic places; grey / – means suppressed.",
    ),
    "ex_trend": ("연도별 추이: {name}", "Trend across years: {name}"),
    "ex_trend_one": (
        "가중치가 있는 서울서베이 연도가 하나뿐이어서 추이를 그릴 수 없습니다.",
        "Only one Seoul Survey year has weights: no trend to draw yet.",
    ),
    "ex_col_year": ("연도", "Year"),
    "ex_col_difference": ("전년 대비 차이", "Change from previous year"),
    "ex_col_se_difference": ("차이의 표준오차", "SE of change"),
    "ex_col_p": ("p 값", "p-value"),
    "ex_col_significant": ("5% 유의", "Significant at 5%"),
    "ex_yes": ("예", "yes"),
    "ex_no": ("아니오", "no"),
    "ex_trend_note": (
        "연도별 표본은 독립적으로 뽑으므로 차이의 표준오차 = √(SE₁² + SE₂²).",
        "Years are independent samples: SE of a change = √(SE₁² + SE₂²).",
    ),
    # crosstab tab
    "ex_row": ("행 변수", "Row variable"),
    "ex_col": ("열 변수", "Column variable"),
    "ex_pct": ("백분율", "Percentages"),
    "ex_pct_row": ("행 %", "Row %"),
    "ex_pct_col": ("열 %", "Column %"),
    "ex_pct_cell": ("전체 %", "Cell %"),
    "ex_same_variable": ("서로 다른 두 변수를 고르세요.", "Choose two different variables."),
    "ex_ct_caption": (
        "가중 백분율, 괄호 안은 표준오차(%p). 응답이 없는 경우 {excluded}명은 제외. 사례 수 {n}.",
        "Weighted percentages, SE in brackets (points). {excluded} units missing either variable "
        "are left out; n = {n}.",
    ),
    "ex_tests": ("독립성 검정 (Rao–Scott)", "Test of independence (Rao–Scott)"),
    "ex_test": ("검정", "Test"),
    "ex_test_f": ("Rao–Scott F (2차 보정)", "Rao–Scott F (second order)"),
    "ex_test_chisq": ("Rao–Scott 카이제곱 (1차 보정)", "Rao–Scott chi-square (first order)"),
    "ex_statistic": ("통계량", "Statistic"),
    "ex_df": ("자유도", "df"),
    "ex_rs_p": ("Rao–Scott p 값", "Rao–Scott p-value"),
    "ex_rs_f": ("F", "F"),
    "ex_ct_dependent": (
        "p = {p} < 0.05: {row}와(과) {col}은(는) 서로 관련이 있다고 볼 근거가 있습니다 (표본설계를 반영한 검정).",
        "p = {p} < 0.05: there is evidence that {row} and {col} are associated (design-adjusted test).",
    ),
    "ex_ct_independent": (
        "p = {p} ≥ 0.05: {row}와(과) {col}이(가) 관련이 있다는 근거는 5% 수준에서 없습니다.",
        "p = {p} ≥ 0.05: no evidence at the 5% level that {row} and {col} are associated.",
    ),
    # regression tab
    "ex_outcome": ("결과 변수", "Outcome"),
    "ex_predictors": ("설명 변수", "Predictors"),
    "ex_pick_predictor": ("설명 변수를 하나 이상 고르세요.", "Choose at least one predictor."),
    "ex_linear": (
        "선형회귀 (수치형 결과): 계수 = 설명 변수가 1 늘 때(범주는 기준 범주 대비) 결과의 평균 변화.",
        "Linear regression (numeric outcome): a coefficient is the change in the mean outcome per "
        "unit of the predictor (for a category: against the reference category).",
    ),
    "ex_logistic": (
        "로지스틱 회귀 (quasibinomial, 두 값 결과): P({outcome} = {event}) 의 로그 오즈. 계수 = 로그 오즈비.",
        "Logistic regression (quasibinomial, two-valued outcome): the log odds of "
        "P({outcome} = {event}); a coefficient is a log odds ratio.",
    ),
    "ex_model": (
        "모형: {formula} · n = {n} · 잔차 자유도 {df} · 표준오차는 표본설계 기반(샌드위치).",
        "Model: {formula} · n = {n} · residual df {df} · design-based (sandwich) SEs.",
    ),
    "ex_df_low": (
        "설계 자유도(집락 수 − 층 수)가 계수 수보다 작아 p 값과 신뢰구간을 낼 수 없습니다. 설명 변수를 줄이세요.",
        "The design df (PSUs − strata) is too small for this many coefficients: no p-values or "
        "intervals. Use fewer predictors.",
    ),
    "ex_col_term": ("항", "Term"),
    "ex_intercept": ("(절편)", "(Intercept)"),
    "ex_term": ("{level} (기준: {reference})", "{level} (ref.: {reference})"),
    "ex_col_t": ("t", "t"),
    # compare tab
    "ex_cmp_mode": ("비교", "Compare"),
    "ex_cmp_domains": ("두 영역", "Two domains"),
    "ex_cmp_years": ("두 연도", "Two years"),
    "ex_cmp_waves": ("두 패널 차수", "Two panel waves"),
    "ex_variable": ("변수", "Variable"),
    "ex_by": ("영역 변수", "Domain variable"),
    "ex_group_a": ("집단 A", "Group A"),
    "ex_group_b": ("집단 B", "Group B"),
    "ex_year_a": ("연도 A", "Year A"),
    "ex_year_b": ("연도 B", "Year B"),
    "ex_wave_a": ("차수 A", "Wave A"),
    "ex_wave_b": ("차수 B", "Wave B"),
    "ex_need_two": (
        "비교할 두 개를 서로 다르게 고르세요.",
        "Choose two different ones to compare.",
    ),
    "ex_need_two_waves": (
        "가중치가 있는 패널 차수가 두 개 이상 있어야 합니다. 패널 화면에서 차수 가중치를 만드세요.",
        "At least two panel waves need weights: make the wave weights on the Panel page.",
    ),
    "ex_need_two_years": (
        "가중치가 있는 서울서베이 연도가 두 개 이상 있어야 합니다.",
        "At least two Seoul Survey years need weights.",
    ),
    "ex_difference": ("차이 (B − A)", "Difference (B − A)"),
    "ex_cmp_significant": (
        "{b}의 값이 {a}보다 {diff} (표준오차 {se}, 95% 신뢰구간 {low}–{high}) {direction}, p = {p} 로 5% 수준에서 유의합니다.",
        "{b} is {diff} {direction} than {a} (SE {se}, 95% CI {low} to {high}); p = {p}: "
        "significant at the 5% level.",
    ),
    "ex_cmp_not_significant": (
        "{b}와(과) {a}의 차이는 {diff} (표준오차 {se}, 95% 신뢰구간 {low}–{high}), p = {p} 로 5% 수준에서 유의하지 않습니다.",
        "The difference between {b} and {a} is {diff} (SE {se}, 95% CI {low} to {high}); p = {p}: "
        "not significant at the 5% level.",
    ),
    "ex_higher": ("높고", "higher"),
    "ex_lower": ("낮고", "lower"),
    "ex_cmp_domain_note": (
        "같은 표본의 두 영역: 차이의 표준오차는 두 추정값의 공분산을 반영합니다. n: A {n_a}, B {n_b}.",
        "Two domains of one sample: the SE of the difference includes their covariance. "
        "n: A {n_a}, B {n_b}.",
    ),
    "ex_cmp_wave_note": (
        "두 차수에 모두 응답한 가구 {n_both}곳의 공분산을 반영한 표준오차 (n: A {n_a}, B {n_b}; 층 = 첫 차수의 자치구).",
        "The SE accounts for the {n_both} households answering both waves (n: A {n_a}, B {n_b}; "
        "strata = district at the first wave).",
    ),
    "ex_wave_indicators": (
        "패널 차수: 가구마다 응답자 한 명의 답을 그 차수의 가구 가중치로 추정합니다 (설문지가 묻는 "
        "지표만). 표준오차는 가중치의 보정을 다시 적용해 계산하며, 차수 간 변화의 표준오차는 "
        "각 차수의 보정을 반영해 두 차수를 가구 단위로 함께 선형화합니다.",
        "Panel wave: one respondent per household, estimated with the wave's household weights "
        "(only the indicators its questionnaire asks); the standard errors replay the weights' "
        "calibration, and changes between waves are linearized jointly by household with each "
        "wave's calibration accounted for.",
    ),
    "ex_wave_trend": ("{name}: 패널 차수별 추이", "{name}: across panel waves"),
    "ex_aliased": (
        "추정할 수 없는 항이 있어 비워 두었습니다 (다른 항과 겹치거나, 이 자료에 해당 응답이 "
        "없음): {terms}. R과 같이 나머지 계수는 그대로 추정합니다.",
        "Not estimable, left empty (the same as other terms, or no units with that answer "
        "here): {terms}. As in R, the other coefficients are estimated as usual.",
    ),
    "ex_wave_trend_one": (
        "가중치가 있는 차수 가운데 이 지표를 묻는 차수가 하나뿐이어서 추이를 그릴 수 없습니다.",
        "Only one weighted wave asks this indicator: no trend to draw yet.",
    ),
    "ex_wave_trend_skipped": (
        "이 지표를 묻지 않은 차수는 추이에서 뺐습니다: {waves}. 변화는 이 지표를 물은 앞 차수와 "
        "비교합니다.",
        "Waves that did not ask this indicator are left out: {waves}. Each change is from the "
        "previous wave that asked it.",
    ),
    "ex_col_wave": ("차수", "Wave"),
    "ex_col_n_both": ("두 차수 모두 응답", "Answered both"),
    "ex_wave_trend_note": (
        "변화 = 이번 차수 − 앞 차수. 두 차수에 모두 응답한 가구의 공분산을 반영해 한 번에 "
        "선형화한 표준오차입니다 (가구 단위).",
        "Change = this wave − the wave before. The SE linearizes both waves jointly with the "
        "household as the unit, so households answering both add their covariance.",
    ),
}
