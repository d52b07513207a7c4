"""Text of the Fieldwork page (ui/fieldwork_page.py, ui/fieldwork/), Korean first:
merged into ui.i18n.TEXT."""

from __future__ import annotations

FIELDWORK_TEXT: dict[str, tuple[str, str]] = {
    "page_fieldwork": ("현장 점검", "Fieldwork"),
    "fw_intro": (
        "현장 조사 중인 조사나 패널 차수의 진행 상황(일별 응답, 자치구별 응답률, 응답 시간, 중단 화면)과 "
        "응답 품질 표시(과속 응답, 일자 응답, 높은 항목 무응답)를 봅니다. 통계 담당자는 표시된 응답을 "
        "사유와 함께 추정에서 제외하거나 되돌릴 수 있습니다.",
        "Progress of a survey or panel wave in the field (responses per day, response rate by "
        "district, completion times, break-offs by screen) and quality flags (speeders, "
        "straight-lining, high item non-response). Statisticians can exclude a flagged response "
        "from estimation with a reason, and restore it.",
    ),
    "fw_no_surveys": (
        "아직 조사가 없습니다. '조사 관리' 화면에서 조사를 열고 표본을 추출하세요.",
        "There are no surveys yet. Open one and draw its sample on the 'Surveys' page.",
    ),
    "fw_choose": ("조사 또는 패널 차수", "Survey or panel wave"),
    "fw_choose_help": (
        "현장 조사 중인 조사가 먼저 나옵니다 (가장 최근에 시작한 것이 기본).",
        "Surveys in the field come first (the most recently started is the default).",
    ),
    "fw_no_sample": (
        "이 조사에는 아직 표본이 없습니다. '조사 관리' 화면에서 표본을 추출하세요.",
        "This survey has no sample yet. Draw its sample on the 'Surveys' page.",
    ),
    "fw_no_responses": (
        "아직 제출된 응답이 없습니다. 응답이 들어오면 진행 상황과 품질 표시가 여기에 나타납니다.",
        "No responses have been submitted yet. Progress and quality flags appear here once they "
        "come in.",
    ),
    # headline
    "fw_sampled": ("표본 가구", "Sampled households"),
    "fw_parts_in": ("가구 응답 제출", "Household parts in"),
    "fw_parts_in_help": (
        "가구 설문(가구 부분)을 제출한 표본 가구 수입니다.",
        "Sampled households whose household part has been submitted.",
    ),
    "fw_response_rate": ("응답률", "Response rate"),
    "fw_response_rate_help": (
        "가구 응답 제출 ÷ 표본 가구.",
        "Household parts in ÷ sampled households.",
    ),
    "fw_rr1": ("AAPOR RR1", "AAPOR RR1"),
    "fw_rr1_help": (
        "완료 ÷ (완료 + 부분 + 거절 + 접촉 안 됨 + 기타 + 적격 미상). 패널 차수의 응답 결과 기록 기준.",
        "Complete ÷ (complete + partial + refused + no contact + other + unknown eligibility), "
        "from the wave's recorded outcomes.",
    ),
    "fw_median_time": ("응답 시간 중앙값 (가구)", "Median time (household part)"),
    "fw_median_time_help": (
        "제출된 가구 부분의 응답 시간 중앙값(분:초). 화면에 머문 시간의 합이며, 다음 날 이어서 답한 경우 "
        "그 사이 시간은 빠집니다.",
        "Median time of submitted household parts (minutes:seconds): the time spent on its "
        "screens, so a part resumed the next day does not count the night.",
    ),
    "fw_open_parts": ("진행 중(부분) 응답", "Open (partial) parts"),
    "fw_open_parts_help": (
        "시작했지만 아직 제출하지 않은 가구 부분입니다 (중단했거나 아직 답하는 중).",
        "Household parts started but not yet submitted (broken off or still being answered).",
    ),
    # per day
    "fw_daily": ("일별 응답", "Responses per day"),
    "fw_daily_help": (
        "막대: 그날 제출된 가구 부분과, 그날 시작해 아직 열려 있는 가구 부분. 선: 누적 제출.",
        "Bars: household parts submitted that day, and parts started that day that are still "
        "open. Line: running total submitted.",
    ),
    "fw_day": ("날짜", "Day"),
    "fw_submitted": ("제출", "Submitted"),
    "fw_partial": ("부분(진행 중)", "Partial (open)"),
    "fw_submitted_total": ("누적 제출", "Submitted, running total"),
    "fw_parts": ("응답 수", "Parts"),
    "fw_kind": ("구분", "Kind"),
    # districts
    "fw_districts": ("자치구별 응답률", "Response rate by district"),
    "fw_districts_help": (
        "자치구별 가구 응답 제출 ÷ 표본 가구. 검은 선은 전체 응답률입니다.",
        "Household parts in ÷ sampled households per district. The black line is the overall rate.",
    ),
    "fw_district": ("자치구", "District"),
    "fw_overall": ("전체", "Overall"),
    "fw_responded": ("응답 가구", "Responded"),
    "fw_aapor_districts": (
        "자치구별 AAPOR 응답률 (패널 차수)",
        "AAPOR rates by district (panel wave)",
    ),
    "fw_aapor_help": (
        "I 완료, P 부분, R 거절, NC 접촉 안 됨, O 기타, NE 비대상. RR1 응답률, COOP1 협조율, REF1 거절률, "
        "CON1 접촉률.",
        "I complete, P partial, R refused, NC no contact, O other, NE not eligible. RR1 response, "
        "COOP1 cooperation, REF1 refusal, CON1 contact rate.",
    ),
    "fw_invited": ("초대 가구", "Invited"),
    # times
    "fw_times": ("응답 부분·방식별 응답 시간 중앙값", "Median completion time by part and mode"),
    "fw_part": ("응답 부분", "Part"),
    "fw_mode": ("조사 방식", "Mode"),
    "fw_median": ("중앙값 (분:초)", "Median (min:sec)"),
    "fw_median_seconds": ("중앙값 (초)", "Median (seconds)"),
    # break-offs
    "fw_breakoffs": ("화면별 중단", "Break-offs by screen"),
    "fw_breakoffs_help": (
        "아직 열려 있는 응답이 멈춘 화면별 수와, 시작한 응답 중 비율입니다.",
        "Open parts by the screen they stopped on, and their share of the parts started.",
    ),
    "fw_breakoffs_part": (
        "{part} 부분: 시작 {started:,}건 중 {open:,}건 열려 있음",
        "{part} part: {open:,} of {started:,} started still open",
    ),
    "fw_no_breakoffs": ("열려 있는 응답이 없습니다.", "No open parts."),
    "fw_screen": ("화면", "Screen"),
    "fw_start_screen": ("(첫 화면 전)", "(before the first screen)"),
    "fw_share_started": ("시작 대비 비율", "Share of started"),
    "fw_started": ("시작", "Started"),
    # quality
    "fw_quality": ("품질 표시", "Quality flags"),
    "fw_quality_help": (
        "과속 응답: 같은 응답 부분 시간 중앙값의 {ratio} 미만. 일자 응답: 척도 문항 {grid}개 이상 그리드를 "
        "모두 같은 값으로 답함. 높은 항목 무응답: 필수 문항은 늘 답하므로 선택 문항으로 봅니다 — 물어본 선택 "
        "문항이 {optional}개 이상이고 그중 {limit} 넘게 답하지 않음. 표시는 검토 대상일 뿐, 그 자체로 "
        "아무것도 제외하지 않습니다.",
        "Speeder: under {ratio} of the median time of the same part. Straight-lining: a grid of "
        "{grid} or more scale items answered with one value throughout. High item non-response: "
        "required questions are always answered, so this reads the optional ones — at least "
        "{optional} optional questions asked and more than {limit} of them left unanswered. Flags "
        "point at responses worth a look; they exclude nothing by themselves.",
    ),
    "fw_of_parts": ("제출 {n:,}건 중", "of {n:,} parts"),
    "fw_flag_filter": ("표시 종류", "Flag"),
    "fw_no_flagged": ("이 표시가 붙은 응답이 없습니다.", "No parts carry this flag."),
    "fw_household": ("가구", "Household"),
    "fw_member": ("가구원", "Member"),
    "fw_seconds": ("응답 시간 (초)", "Time (seconds)"),
    "fw_grids": ("일자 응답 그리드", "Straight-lined grids"),
    "fw_item_nonresponse": ("선택 문항 무응답 (%)", "Optional items unanswered (%)"),
    "fw_unanswered": ("무응답 / 선택 문항", "Unanswered / optional asked"),
    "fw_flags": ("표시", "Flags"),
    "fw_excluded": ("추정 제외", "Excluded"),
    "fw_excluded_count": (
        "현재 추정에서 제외된 응답: {n:,}건",
        "Responses now excluded from estimation: {n:,}",
    ),
    # exclusions
    "fw_exclude_title": ("추정에서 제외", "Exclude from estimation"),
    "fw_exclude_help": (
        "제외해도 응답은 제출된 그대로 남습니다. 누가, 언제, 왜 제외했는지 기록되며 언제든 되돌릴 수 "
        "있습니다. 추정과 보고서는 제외된 응답 수를 밝힙니다.",
        "The response stays stored as submitted. Who excluded it, when and why is recorded, and it "
        "can be restored at any time. Estimates and reports say how many were excluded.",
    ),
    "fw_ex_part": ("표시된 응답", "Flagged part"),
    "fw_ex_part_label": (
        "{household}-{member} ({flags})",
        "{household}-{member} ({flags})",
    ),
    "fw_ex_reason": ("제외 사유 (필수)", "Reason (required)"),
    "fw_ex_reason_placeholder": (
        "예: 응답 시간 40초, 중앙값의 1/6 — 내용 검토 결과 불성실 응답",
        "e.g. 40 seconds, a sixth of the median — answers implausible on review",
    ),
    "fw_ex_submit": ("제외", "Exclude"),
    "fw_ex_none_left": (
        "제외할 수 있는 표시된 응답이 없습니다 (이미 모두 제외됨).",
        "No flagged part left to exclude (all are already excluded).",
    ),
    "fw_ex_done": (
        "가구 {household}-가구원 {member} 응답을 추정에서 제외했습니다 (제외 {exclusion_id}). 이제 추정에서 "
        "이 응답이 빠집니다.",
        "Excluded household {household}, member {member} (exclusion {exclusion_id}). Estimates now "
        "leave it out.",
    ),
    "fw_ex_only_statisticians": (
        "품질 표시는 읽기 전용입니다. 응답을 추정에서 제외하거나 되돌리는 것은 통계 담당자와 관리자만 "
        "할 수 있습니다.",
        "Flags are read-only here. Only statisticians and administrators can exclude a response "
        "from estimation or restore it.",
    ),
    "fw_active": ("현재 제외된 응답", "Active exclusions"),
    "fw_no_active": ("제외된 응답이 없습니다.", "No response is excluded."),
    "fw_exclusion_id": ("제외 번호", "Exclusion"),
    "fw_flag": ("표시", "Flag"),
    "fw_reason": ("사유", "Reason"),
    "fw_excluded_by": ("제외한 사람", "Excluded by"),
    "fw_excluded_at": ("제외 시각", "Excluded at"),
    "fw_restore_title": ("제외 되돌리기", "Restore an exclusion"),
    "fw_restore_id": ("되돌릴 제외", "Exclusion to restore"),
    "fw_restore_label": (
        "제외 {exclusion_id}: 가구 {household}-가구원 {member}",
        "Exclusion {exclusion_id}: household {household}, member {member}",
    ),
    "fw_restore_reason": ("되돌리는 사유 (필수)", "Reason for restoring (required)"),
    "fw_restore_submit": ("되돌리기", "Restore"),
    "fw_restore_done": (
        "제외 {exclusion_id}를 되돌렸습니다. 가구 {household}-가구원 {member} 응답이 다시 추정에 들어갑니다.",
        "Restored exclusion {exclusion_id}: household {household}, member {member} counts in "
        "estimates again.",
    ),
}
