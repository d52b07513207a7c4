"""Text of the panel health page (ui/panel_health_page.py, ui/panel_health/), Korean first:
merged into ui.i18n.TEXT."""

from __future__ import annotations

HEALTH_TEXT: dict[str, tuple[str, str]] = {
    "page_panel_health": ("패널 현황", "Panel health"),
    "ph_intro": (
        "패널 규모, 차수별 응답률, 이탈과 대체, 모집단 대비 구성, 대표성(R-지표)을 한눈에 봅니다.",
        "Panel size, response per wave, attrition and replacement, composition against the "
        "population and representativeness (R-indicator) at a glance.",
    ),
    "ph_no_panel": (
        "아직 패널이 없습니다. '패널 운영' 화면에서 패널을 모집하세요.",
        "There is no panel yet. Recruit the panel on the 'Panel operations' page.",
    ),
    "ph_none": ("표시할 자료가 없습니다.", "Nothing to show yet."),
    # headline
    "ph_in_panel": ("패널 가구", "Households in the panel"),
    "ph_in_panel_help": (
        "초대·참여·무응답 상태의 가구. 변화량은 목표 대비 부족분입니다.",
        "Households invited, active or non-responding. The delta is the shortfall against the "
        "target.",
    ),
    "ph_target": ("목표", "Target"),
    "ph_target_met": ("목표 충족", "target met"),
    "ph_short": ("부족", "short"),
    "ph_active": ("참여 가구", "Active households"),
    "ph_reserve_left": ("남은 예비 가구", "Reserve left"),
    "ph_status_chart": ("상태별 가구 수", "Households by status"),
    "ph_status": ("상태", "Status"),
    "ph_group": ("구분", "Group"),
    "ph_group_member": ("패널", "In panel"),
    "ph_group_reserve": ("예비", "Reserve"),
    "ph_group_left": ("이탈", "Left"),
    "ph_households": ("가구 수", "Households"),
    # tabs
    "ph_tab_waves": ("차수", "Waves"),
    "ph_tab_attrition": ("이탈", "Attrition"),
    "ph_tab_replacement": ("대체", "Replacement"),
    "ph_tab_composition": ("모집단 대비 구성", "Composition vs population"),
    "ph_tab_r": ("대표성", "Representativeness"),
    # waves
    "ph_wave": ("차수", "Wave"),
    "ph_wave_n": ("{n}차", "Wave {n}"),
    "ph_wave_outside": ("차수 외", "Outside waves"),
    "ph_code": ("코드", "Code"),
    "ph_title": ("제목", "Title"),
    "ph_wave_status": ("상태", "Status"),
    "ph_invited": ("초대", "Invited"),
    "ph_complete": ("완료", "Complete"),
    "ph_left": ("이탈", "Left"),
    "ph_replaced": ("대체", "Replaced"),
    "ph_joined": ("신규 참여", "Joined"),
    "ph_rates_help": (
        "AAPOR 표준 정의: RR1 응답률, COOP1 협조율, REF1 거절률, CON1 접촉률.",
        "AAPOR Standard Definitions: RR1 response, COOP1 cooperation, REF1 refusal, CON1 contact "
        "rate.",
    ),
    "ph_rate": ("비율", "Rate"),
    "ph_rate_kind": ("지표", "Measure"),
    "ph_rr1_chart": ("차수별 응답률", "Response rates per wave"),
    "ph_flow_chart": ("차수별 이탈·대체", "Attrition and replacement per wave"),
    "ph_flow": ("구분", "Flow"),
    # attrition
    "ph_attr_district": ("차수 × 자치구별 이탈 가구", "Households leaving by wave and district"),
    "ph_attr_type": ("가구유형별 이탈 가구", "Households leaving by household type"),
    "ph_district": ("자치구", "District"),
    "ph_household_type": ("가구유형", "Household type"),
    "ph_total": ("합계", "Total"),
    "ph_attr_help": (
        "이탈 = 탈락·거절·서울 외 전출·가구 해체·사망·부적격으로 바뀐 가구. 자치구는 바뀔 때의 자치구입니다.",
        "Leaving = moved to dropped, refused, moved out, dissolved, deceased or ineligible. The "
        "district is the one at the change.",
    ),
    # replacement
    "ph_repl_chart": ("차수별 대체 가구 (대체 수준별)", "Replacements per wave by match level"),
    "ph_level": ("대체 수준", "Match level"),
    "ph_log": ("대체 기록", "Replacement log"),
    "ph_log_shown": (
        "최근 {shown:,}건 / 전체 {total:,}건 (최신순)",
        "Newest {shown:,} of {total:,} replacements",
    ),
    "ph_log_csv": ("전체 대체 기록 CSV 내려받기", "Download the full log as CSV"),
    "ph_household": ("가구", "Household"),
    "ph_replaces": ("대체된 가구", "Replaces"),
    "ph_replaces_district": ("대체된 가구의 자치구", "Replaced household's district"),
    "ph_changed_at": ("일시", "When"),
    "ph_changed_by": ("처리자", "By"),
    # composition
    "ph_comp_district": ("자치구별 구성", "Composition by district"),
    "ph_comp_size": ("가구원 수별 구성", "Composition by household size"),
    "ph_comp_help": (
        "패널 가구(초대·참여·무응답)의 분포와 등록 가구 분포의 비교.",
        "Households in the panel (invited, active, non-responding) against the registered "
        "households.",
    ),
    "ph_category": ("범주", "Category"),
    "ph_share": ("비율", "Share"),
    "ph_source": ("분포", "Distribution"),
    "ph_panel_share": ("패널", "Panel"),
    "ph_population_share": ("모집단", "Population"),
    "ph_expected": ("기대 가구 수", "Expected households"),
    "ph_difference": ("차이 (%p)", "Difference (points)"),
    "ph_dissimilarity": ("비유사성 지수 D", "Dissimilarity index D"),
    "ph_dissimilarity_help": (
        "D = ½ Σ|패널 비율 − 모집단 비율|: 모집단과 같아지려면 옮겨야 할 패널의 비율.",
        "D = ½ Σ|panel share − population share|: the share of the panel that would have to move.",
    ),
    "ph_chi2": ("카이제곱 χ²", "Chi-square χ²"),
    "ph_df": ("자유도", "Degrees of freedom"),
    "ph_p": ("p-값", "p-value"),
    "ph_reading_small": ("분포 차이가 작음 (D < 0.05)", "Small difference (D < 0.05)"),
    "ph_reading_moderate": (
        "분포 차이가 다소 있음 (0.05 ≤ D < 0.10)",
        "Moderate difference (0.05 ≤ D < 0.10)",
    ),
    "ph_reading_large": ("분포 차이가 큼 (D ≥ 0.10)", "Large difference (D ≥ 0.10)"),
    "ph_reading_p_ok": (
        "χ² 검정에서 유의한 차이 없음 (p ≥ 0.05)",
        "no significant difference in the χ² test (p ≥ 0.05)",
    ),
    "ph_reading_p_diff": (
        "χ² 검정에서 유의한 차이 있음 (p < 0.05)",
        "significant difference in the χ² test (p < 0.05)",
    ),
    "ph_size_category": ("가구원 수", "Household size"),
    # representativeness
    "ph_r_chart": ("차수별 R-지표", "R-indicator per wave"),
    "ph_r": ("R-지표", "R-indicator"),
    "ph_r_sd": ("응답성향 표준편차", "Propensity SD"),
    "ph_r_mean": ("평균 응답성향", "Mean propensity"),
    "ph_r_n": ("가구 수", "Households"),
    "ph_r_explain": (
        "R-지표(Schouten, Cobben & Bethlehem 2009)는 R = 1 − 2·S(응답성향)입니다. 응답성향은 자치구, "
        "가구유형, 가구주 연령대로 추정하며, R = 1이면 응답 여부가 이 특성들과 무관하다(대표성이 "
        "높다)는 뜻이고 값이 낮을수록 특정 집단이 더 많이 또는 적게 응답한 것입니다. 부적격 가구는 "
        "제외합니다.",
        "The R-indicator (Schouten, Cobben & Bethlehem 2009) is R = 1 − 2·S(response propensity), "
        "propensities modelled on district, household type and the head's age band. R = 1 means "
        "response is unrelated to them (representative response); lower values mean some groups "
        "answered more or less than others. Ineligible households are left out.",
    ),
}
