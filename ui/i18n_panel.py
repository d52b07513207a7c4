"""Text of the panel operator's page (ui/panel_page.py, ui/panel_ops/), Korean first:
merged into ui.i18n.TEXT."""

from __future__ import annotations

PANEL_TEXT: dict[str, tuple[str, str]] = {
    "page_panel": ("패널 운영", "Panel operations"),
    # header and metrics
    "pn_intro": (
        "서울시민패널의 모집, 차수 운영(초대·독려·응답 결과), 마감(탈락·대체)과 가중치를 관리합니다.",
        "Recruit the citizen panel, run its waves (invitations, reminders, outcomes), close them "
        "(attrition, replacement) and store their weights.",
    ),
    "pn_in_panel": ("패널 가구 (목표 {target})", "In the panel (target {target})"),
    "pn_in_panel_no_target": ("패널 가구", "In the panel"),
    "pn_in_panel_help": (
        "초대·참여·무응답 상태의 가구 수와 마지막 모집의 목표",
        "Households invited, active or non-responding, against the last recruitment's target",
    ),
    "pn_active": ("참여 가구", "Active households"),
    "pn_reserve_left": ("남은 예비 가구", "Reserve left"),
    "pn_replacements": ("대체 가구", "Replacements"),
    # recruitment
    "pn_no_panel": (
        "아직 패널이 없습니다. 아래에서 패널과 예비 가구를 모집하세요 (한 번만 할 수 있습니다).",
        "There is no panel yet. Recruit the panel and its reserve below (this can be done once).",
    ),
    "pn_recruit": ("패널 모집", "Recruit the panel"),
    "pn_target": ("목표 가구 수", "Target households"),
    "pn_reserve": ("예비 가구 수", "Reserve households"),
    "pn_allocation": ("자치구 배분", "Allocation to districts"),
    "pn_alloc_proportional": ("비례 배분", "Proportional"),
    "pn_alloc_proportional_floor": ("비례 배분 + 최소 가구 수", "Proportional with a floor"),
    "pn_alloc_sqrt": ("제곱근 배분", "Square root"),
    "pn_floor": ("자치구별 최소 가구 수", "Minimum households per district"),
    "pn_seed": ("난수 시드", "Random seed"),
    "pn_recruited": (
        "패널을 모집했습니다 (모집 {rid}).",
        "The panel was recruited (recruitment {rid}).",
    ),
    # tabs
    "pn_tab_waves": ("차수", "Waves"),
    "pn_tab_roster": ("명부", "Roster"),
    # waves table and new wave
    "pn_no_waves": ("아직 차수가 없습니다.", "No waves yet."),
    "pn_col_wave": ("차수", "Wave"),
    "pn_col_code": ("코드", "Code"),
    "pn_col_title": ("제목", "Title"),
    "pn_col_status": ("상태", "Status"),
    "pn_col_field": ("조사 기간", "Field period"),
    "pn_col_invited": ("초대", "Invited"),
    "pn_col_complete": ("완료", "Complete"),
    "pn_new_wave": ("새 차수", "New wave"),
    "pn_new_help": (
        "패널의 모든 가구(초대·참여·무응답)가 새 차수의 표본이 됩니다. 이전 차수의 탈락 규칙을 먼저 "
        "적용해야 합니다.",
        "Every household in the panel (invited, active, non-responding) is the new wave's "
        "sample. The previous wave's attrition must be applied first.",
    ),
    "pn_questionnaire": ("설문지 (패널 차수용)", "Questionnaire (panel waves)"),
    "pn_uploaded_version": ("{qid} 버전 {no} (올린 조사표)", "{qid} version {no} (uploaded)"),
    "pn_no_questionnaire": (
        "surveys/definitions 에 패널 차수용(kind: panel_wave) 설문지가 없습니다. 설문지를 추가해 주세요.",
        "There is no panel-wave questionnaire (kind: panel_wave) in surveys/definitions; add one.",
    ),
    "pn_code": ("차수 코드", "Wave code"),
    "pn_title_ko": ("제목 (한국어)", "Title (Korean)"),
    "pn_title_en": ("제목 (영어)", "Title (English)"),
    "pn_field_start": ("조사 시작일", "Field start"),
    "pn_field_end": ("조사 종료일", "Field end"),
    "pn_reminders": (
        "독려 일정 (YYYY-MM-DD, 쉼표로 구분)",
        "Reminder dates (YYYY-MM-DD, comma-separated)",
    ),
    "pn_missed": (
        "연속 무응답 탈락 기준 (회, 0 = 없음)",
        "Drop after missed waves in a row (0 = off)",
    ),
    "pn_drop_refusals": ("명시적 거절은 탈락", "An explicit refusal leaves the panel"),
    "pn_drop_moved": ("서울 외 전출은 탈락", "A move out of Seoul leaves the panel"),
    "pn_create": ("차수 만들기", "Create the wave"),
    "pn_need_code_title": (
        "차수 코드와 한국어 제목을 입력해 주세요.",
        "Enter the wave code and the Korean title.",
    ),
    "pn_bad_dates": (
        "독려 일정을 읽을 수 없습니다: {text}. YYYY-MM-DD 형식의 날짜를 쉼표로 구분해 입력해 주세요 "
        "(예: 2026-11-09, 2026-11-16).",
        "The reminder dates cannot be read: {text}. Enter YYYY-MM-DD dates separated by commas "
        "(e.g. 2026-11-09, 2026-11-16).",
    ),
    "pn_created": ("{no}차 ({code})를 만들었습니다.", "Wave {no} ({code}) was created."),
    "pn_choose_wave": ("차수 선택", "Wave"),
    "pn_wave_no": ("{no}차", "Wave {no}"),
    "pn_rules": ("탈락 규칙", "Attrition rules"),
    # invitations
    "pn_invitations": ("1. 초대", "1. Invitations"),
    "pn_invited_already": (
        "초대장 {n}건을 {at}에 보냈습니다.",
        "{n} invitations were sent at {at}.",
    ),
    "pn_issue_help": (
        "가구마다 접속 코드를 만들고 명단(이름, 휴대전화, 링크, 코드)을 메시지 발송함(outbox)에 넘깁니다. "
        "차수는 조사 중 상태가 됩니다.",
        "Makes one access code per household and hands the list (name, mobile, link, code) to "
        "the messaging outbox; the wave goes in the field.",
    ),
    "pn_issue": ("초대장 발송 ({n}가구)", "Send invitations ({n} households)"),
    "pn_closed": ("마감된 차수입니다.", "This wave is closed."),
    "pn_sent_to": (
        "{n}건을 발송함에 넘겼습니다: {where}",
        "{n} messages were handed to the outbox: {where}",
    ),
    "pn_codes_once": (
        "이 파일에는 접속 코드가 들어 있습니다. 코드는 암호화되어 저장되므로 지금 한 번만 내려받을 수 "
        "있습니다. 안전하게 보관하세요.",
        "This file holds the access codes. They are stored hashed, so this is the only time they "
        "can be downloaded; keep the file safe.",
    ),
    "pn_download": ("명단 파일 (CSV) 내려받기", "Download the list (CSV)"),
    # reminders
    "pn_reminders_title": ("2. 독려", "2. Reminders"),
    "pn_no_reminders": (
        "이 차수에는 독려 일정이 없습니다.",
        "This wave has no reminders scheduled.",
    ),
    "pn_reminder_round": (
        "{round}차 독려 ({date}): 대상 {n}가구",
        "Reminder {round} ({date}): {n} households",
    ),
    "pn_send_reminder": ("{round}차 독려 발송", "Send reminder {round}"),
    "pn_not_in_field": (
        "독려는 조사 중인 차수에만 보낼 수 있습니다 (먼저 초대장을 발송하세요).",
        "Reminders can be sent only while the wave is in the field (send the invitations first).",
    ),
    "pn_message_log": ("발송 기록", "Messages sent"),
    "pn_no_messages": ("아직 발송 기록이 없습니다.", "Nothing sent yet."),
    # outcomes
    "pn_outcomes": ("3. 응답 결과", "3. Outcomes"),
    "pn_rates_help": (
        "AAPOR 표준 정의: RR1 응답률, COOP1 협조율, REF1 거절률, CON1 접촉률. 비대상 가구는 분모에서 "
        "빠집니다.",
        "AAPOR standard definitions: RR1 response, COOP1 cooperation, REF1 refusal, CON1 "
        "contact rate. Households found not eligible are left out of every denominator.",
    ),
    "pn_by_district": ("자치구별", "By district"),
    "pn_record_one": ("한 가구의 결과 기록", "Record one household's outcome"),
    "pn_household": ("가구 번호", "Household id"),
    "pn_need_household": ("가구 번호를 입력해 주세요.", "Enter the household id."),
    "pn_outcome": ("결과", "Outcome"),
    "pn_note": ("메모", "Note"),
    "pn_record": ("기록", "Record"),
    "pn_recorded": ("{n}가구의 결과를 기록했습니다.", "Outcomes of {n} households recorded."),
    "pn_upload": (
        "CSV 올리기 (열: household_id, outcome, note)",
        "Upload a CSV (columns household_id, outcome, note)",
    ),
    "pn_upload_help": (
        "첫 줄에 열 이름(household_id, outcome, note)이 있는 UTF-8 CSV 파일 하나를 끌어다 놓거나 골라 "
        "올리세요. outcome 은 refused, moved_out, dissolved, deceased, ineligible, other 중 하나입니다.",
        "One UTF-8 CSV file whose first line names the columns (household_id, outcome, note); "
        "drag it in or pick it. The outcome is one of refused, moved_out, dissolved, deceased, "
        "ineligible, other.",
    ),
    "pn_upload_button": ("CSV 결과 기록", "Record the CSV"),
    "pn_bad_csv": (
        "CSV 파일에 household_id 와 outcome 열이 있어야 합니다 (없는 열: {missing}). 첫 줄에 열 이름을 "
        "넣어 다시 올려 주세요.",
        "The CSV needs household_id and outcome columns (missing: {missing}); put the column "
        "names in the first line and upload it again.",
    ),
    "pn_unreadable_csv": (
        "CSV 파일을 읽을 수 없습니다: {error}. UTF-8 로 저장한 쉼표 구분 파일을 올려 주세요.",
        "The CSV file cannot be read: {error}. Upload a comma-separated file saved as UTF-8.",
    ),
    "pn_outcomes_closed": (
        "마감된 차수에는 결과를 기록할 수 없습니다.",
        "Outcomes cannot be recorded for a closed wave.",
    ),
    # close-out
    "pn_closeout": ("4. 마감 (탈락과 대체)", "4. Close-out (attrition and replacement)"),
    "pn_preview": ("미리보기", "Preview attrition"),
    "pn_apply": ("적용", "Apply"),
    "pn_apply_help": (
        "미리보기한 결과 그대로 한 번에 적용하고 차수를 마감합니다. 되돌릴 수 없습니다.",
        "Commits exactly the previewed plan and closes the wave. This cannot be undone.",
    ),
    "pn_preview_first": (
        "적용하기 전에 먼저 미리보기를 해 주세요.",
        "Preview the attrition before applying it.",
    ),
    "pn_plan_summary": ("상태 변화", "Status changes"),
    "pn_leaving": ("패널을 떠나는 가구 ({n})", "Households leaving the panel ({n})"),
    "pn_no_changes": ("상태가 바뀌는 가구가 없습니다.", "No household changes status."),
    "pn_applied": (
        "{code}의 탈락 규칙을 적용했습니다: {n}가구 상태 변경, {left}가구 탈락.",
        "Attrition of {code} applied: {n} households changed status, {left} left the panel.",
    ),
    "pn_applied_at": ("탈락 규칙 적용: {at}", "Attrition applied: {at}"),
    "pn_awaiting": ("대체를 기다리는 탈락 가구: {n}", "Leavers awaiting a replacement: {n}"),
    "pn_replace_seed": ("대체 난수 시드", "Replacement seed"),
    "pn_replace": ("대체", "Replace leavers"),
    "pn_replaced": (
        "{n}가구를 예비 가구로 대체했습니다 (부족 {shortfall}).",
        "{n} households replaced from the reserve (shortfall {shortfall}).",
    ),
    "pn_households": ("가구", "Households"),
    "pn_from": ("현재 상태", "Status"),
    "pn_to": ("새 상태", "New status"),
    "pn_why": ("사유", "Why"),
    # weights
    "pn_weights": ("5. 가중치", "5. Weights"),
    "pn_wave_weights": (
        "이 차수의 횡단 가중치 계산",
        "Compute this wave's cross-sectional weights",
    ),
    "pn_weights_stored": (
        "가중치를 저장했습니다 (weights_id {wid}).",
        "Weights stored (weights_id {wid}).",
    ),
    "pn_long_waves": (
        "종단 가중치 차수 묶음 (마감된 차수)",
        "Waves of the longitudinal set (closed waves)",
    ),
    "pn_long_weights": ("종단 가중치 계산", "Compute longitudinal weights"),
    "pn_long_versions": (
        "이 차수에 저장된 종단 가중치",
        "Longitudinal weights stored under this wave",
    ),
    "pn_no_long": ("저장된 종단 가중치가 없습니다.", "No longitudinal weights stored."),
    "pn_need_waves": ("차수를 하나 이상 고르세요.", "Choose at least one wave."),
    # roster
    "pn_by_status": ("상태별 가구", "Households by status"),
    "pn_status": ("상태", "Status"),
    "pn_lookup": ("가구 조회 (가구 번호)", "Look up a household (id)"),
    "pn_not_in_roster": (
        "가구 {hid}은(는) 명부에 없습니다. 가구 번호를 확인해 주세요.",
        "Household {hid} is not in the roster; check the id.",
    ),
    "pn_history_note": (
        "상태 변경 이력은 패널 현황 화면(탈락·대체 기록)과 감사 로그에서 볼 수 있습니다.",
        "The status history is shown on the panel health page (leavers and replacements) and "
        "in the audit log.",
    ),
    "pn_change_status": ("상태 변경", "Change status"),
    "pn_new_status": ("새 상태", "New status"),
    "pn_change": ("변경", "Change"),
    "pn_need_why": (
        "사유를 입력해 주세요 (이력에 남습니다).",
        "Enter why (it is kept in the history).",
    ),
    "pn_changed": (
        "가구 {hid}: {status}(으)로 바꿨습니다.",
        "Household {hid}: now {status}.",
    ),
    "pn_move": ("서울 안 이사", "Move within Seoul"),
    "pn_move_help": (
        "서울 밖으로 이사한 가구는 이사가 아니라 상태 '서울 외 전출'로 기록하세요.",
        "A move out of Seoul is the status 'moved out', not a move.",
    ),
    "pn_new_district": ("새 자치구", "New district"),
    "pn_moved": (
        "가구 {hid}: {district}(으)로 옮겼습니다.",
        "Household {hid}: moved to {district}.",
    ),
}
