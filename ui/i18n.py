"""User-facing text, Korean first with English available.

``t(key)`` returns the text in the language chosen in the sidebar (Korean by
default). Every string a page shows lives in ``TEXT`` as (Korean, English).
``say(text_or_error)`` shows what the domain says — a ``data.text.Text`` or a
``Refusal``'s text — in that language.
"""

from __future__ import annotations

import re

import streamlit as st

from data.text import Refusal, Text
from ui.i18n_common import COMMON_TEXT
from ui.i18n_explore import EXPLORE_TEXT
from ui.i18n_fieldwork import FIELDWORK_TEXT
from ui.i18n_health import HEALTH_TEXT
from ui.i18n_microdata import MICRODATA_TEXT
from ui.i18n_panel import PANEL_TEXT
from ui.i18n_questionnaires import QUESTIONNAIRES_TEXT
from ui.i18n_reports import REPORTS_TEXT

LANGUAGES = {"ko": "한국어", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("서울서베이·시민패널 플랫폼", "Seoul Survey & Panel Platform"),
    "language": ("언어", "Language"),
    "login_title": ("직원 로그인", "Staff sign-in"),
    "login_intro": (
        "서울시 통계 담당 직원용 화면입니다. 응답자는 안내문에 적힌 접속 코드로 들어옵니다.",
        "This is the staff entrance. Respondents enter with the access code in their letter.",
    ),
    "username": ("사용자 이름", "User name"),
    "password": ("비밀번호", "Password"),
    "sign_in": ("로그인", "Sign in"),
    "sign_out": ("로그아웃", "Sign out"),
    "login_failed": (
        "사용자 이름 또는 비밀번호가 맞지 않습니다. 5번 틀리면 15분 동안 잠깁니다.",
        "Wrong user name or password. Five failures in a row lock the account for 15 minutes.",
    ),
    "login_throttled": (
        "이 기기에서 로그인 실패가 너무 많습니다. 약 {minutes}분 뒤에 다시 시도하세요.",
        "Too many failed sign-ins from this device. Try again in about {minutes} minutes.",
    ),
    "demo_accounts": ("데모 계정", "Demo accounts"),
    "demo_accounts_help": (
        "데모 데이터베이스에는 역할마다 계정이 하나씩 있습니다 (README 참조).",
        "The demo database has one account per role (see the README).",
    ),
    "login_asked": (
        "'{page}' 화면을 보려면 로그인하세요. 로그인하면 바로 그 화면이 열립니다.",
        "Sign in to open '{page}'; it opens as soon as you are signed in.",
    ),
    "session_ended_sign_out": ("로그아웃되었습니다.", "You have signed out."),
    "session_ended_idle": (
        "한동안 사용하지 않아 로그인이 끝났습니다. 다시 로그인하세요.",
        "You were signed out after a while without activity. Please sign in again.",
    ),
    "session_ended_expired": (
        "로그인 유효 시간이 지났습니다. 다시 로그인하세요.",
        "Your sign-in has reached its time limit. Please sign in again.",
    ),
    "session_ended_account_changed": (
        "계정이 비활성화되어 로그인이 끝났습니다. 관리자에게 문의하세요.",
        "Your account was deactivated, which ended the sign-in. Please ask an administrator.",
    ),
    "session_ended_password_changed": (
        "비밀번호가 바뀌어 이 로그인은 끝났습니다. 새 비밀번호로 로그인하세요.",
        "The password was changed, which ended this sign-in. Sign in with the new password.",
    ),
    "signed_in_as": ("로그인: {name} ({role})", "Signed in: {name} ({role})"),
    "not_allowed": (
        "이 화면을 볼 권한이 없습니다. 필요한 역할: {roles}",
        "You do not have access to this page. Roles allowed: {roles}",
    ),
    "not_allowed_anyone": (
        "이 화면을 볼 권한이 없습니다. 이 화면은 어떤 역할에도 열려 있지 않습니다.",
        "You do not have access to this page: it is not open to any role.",
    ),
    "audit_chain_ok": (
        "감사 기록 {n:,}건의 해시 사슬이 온전합니다 (바뀌거나 지워진 기록 없음).",
        "The hash chain of {n:,} audit events is intact (nothing changed or removed).",
    ),
    "audit_chain_broken": (
        "감사 기록의 해시 사슬이 {event}번 기록에서 끊어졌습니다 ({why}). 기록이 사후에 바뀌었거나 "
        "지워졌습니다: 보안 담당자에게 알리세요.",
        "The audit log's hash chain breaks at event {event} ({why}): events were changed or "
        "removed after the fact. Tell the security officer.",
    ),
    "db_locked": ("데이터베이스를 열 수 없습니다", "The database cannot be opened"),
    "service_paused": (
        "지금은 서비스를 잠시 이용할 수 없습니다. 입력하신 응답은 저장되어 있으니, 몇 분 뒤에 "
        "이 페이지를 새로 고쳐 다시 시도해 주세요.",
        "The service is paused for a moment. Answers you saved are kept; please reload this "
        "page in a few minutes.",
    ),
    "unexpected_error": (
        "예기치 않은 문제가 생겼습니다. 잠시 후 다시 시도해 주세요. 계속되면 관리자에게 참조 "
        "번호 {reference} 를 알려 주세요.",
        "Something unexpected went wrong. Please try again in a moment; if it persists, give "
        "the administrator the reference {reference}.",
    ),
    # pages
    "page_home": ("홈", "Home"),
    "page_admin": ("관리", "Administration"),
    "page_account": ("내 계정", "My account"),
    "page_interview": ("면접 조사", "Interview"),
    "page_respond": ("응답하기", "Answer the survey"),
    "page_surveys": ("조사 관리", "Surveys"),
    "page_estimates": ("지표 추정", "Indicator estimates"),
    "est_intro": (
        "지표 목록(analysis/indicators.yaml)의 모든 지표를 공표 영역별로 추정합니다. 최신 가중치 버전을 쓰며 "
        "표준오차는 보정(레이킹)을 반영합니다.",
        "Every catalogue indicator (analysis/indicators.yaml) for each published domain, with the "
        "newest weights version; standard errors account for the calibration.",
    ),
    "est_no_surveys": ("아직 조사가 없습니다.", "No surveys yet."),
    "est_indicators": ("지표", "Indicators"),
    "est_domains": ("영역", "Domains"),
    "est_flags": (
        "표시: '{caution}' = 표본 30 미만 또는 변동계수 0.3 초과 (해석 주의), '{suppressed}' = 변동계수 "
        "0.5 초과 (추정값 비공개).",
        "Flags: '{caution}' = n < 30 or CV > 0.3 (use with caution); '{suppressed}' = CV > 0.5 "
        "(estimate withheld).",
    ),
    "est_csv": ("CSV 내려받기", "Download CSV"),
    "est_excel": ("Excel 내려받기", "Download Excel"),
    "sv_open": ("새 조사 열기", "Open a new survey"),
    "sv_choose": ("조사 선택", "Survey"),
    "sv_sample": ("표본", "Sample"),
    "sv_codes": ("접속 코드와 안내문", "Access codes and letters"),
    "sv_status": ("현장 조사 상태", "Fieldwork status"),
    "sv_questionnaire": ("조사표와 버전", "Questionnaire and version"),
    "sv_version": ("조사표 버전", "Questionnaire version"),
    "sv_version_now": (
        "이 조사는 조사표 **{qid}** 버전 **{no}** 을(를) 씁니다.",
        "This survey uses questionnaire **{qid}**, version **{no}**.",
    ),
    "sv_version_help": (
        "현장 조사 중에 고친 버전으로 바꿀 수 있습니다. 이미 받은 모든 답이 새 버전에서도 "
        "유효할 때만 바뀌며, 바뀐 내용과 이유는 감사 기록에 남습니다.",
        "A survey in the field can move to a corrected version. It moves only when every "
        "answer already given stays valid under the new version; the change and its reason "
        "are kept in the audit log.",
    ),
    "sv_version_none": (
        "이 조사표에는 다른 버전이 없습니다. 조사표 화면에서 고친 버전을 올리세요.",
        "This questionnaire has no other version; upload a corrected one on the "
        "Questionnaires page.",
    ),
    "sv_version_unknown": (
        "이 조사의 조사표 파일이 버전으로 저장되어 있지 않습니다.",
        "This survey's questionnaire file is not stored as a version.",
    ),
    "sv_version_to": ("바꿀 버전", "Move to version"),
    "sv_version_note": ("바꾸는 이유 (필수)", "Why it changes (required)"),
    "sv_version_change": ("버전 {no}(으)로 바꾸기", "Move to version {no}"),
    "sv_version_changed": (
        "조사가 이제 버전 {no}을(를) 씁니다.",
        "The survey now uses version {no}.",
    ),
    "sv_version_parts": ("맞지 않는 응답 수", "Parts that break"),
    "sv_shipped_file": ("{name} (기본 제공 조사표 파일)", "{name} (shipped questionnaire file)"),
    "sv_uploaded_version": (
        "{qid} 버전 {no} · {title} (올린 사람 {who}, {when})",
        "{qid} version {no} · {title} (uploaded by {who}, {when})",
    ),
    "sv_code": ("조사 코드", "Survey code"),
    "sv_title_ko": ("제목 (한국어)", "Title (Korean)"),
    "sv_title_en": ("제목 (영어)", "Title (English)"),
    "sv_year": ("기준 연도", "Reference year"),
    "sv_kind": ("종류", "Kind"),
    "sv_opened": ("조사 {code} 을(를) 열었습니다.", "Survey {code} opened."),
    "sv_sample_help": (
        "자치구를 층으로, 가구 수에 비례하되 자치구마다 최소 가구 수를 보장해 배분하고, 조사구를 크기 비례 "
        "확률(PPS)로 뽑은 뒤 조사구마다 같은 수의 가구를 뽑습니다. 모든 포함확률이 기록됩니다.",
        "Districts are strata; households are allocated in proportion with a floor per district; "
        "enumeration areas are drawn with probability proportional to size, then a fixed number "
        "of households per area. Every inclusion probability is recorded.",
    ),
    "sv_sample_source": ("표본을 어디에서 뽑을까요?", "Where is the sample drawn from?"),
    "sv_source_frame": (
        "표본틀 (서울서베이 2단 추출)",
        "The frame (Seoul Survey two-stage design)",
    ),
    "sv_source_panel": ("시민패널 가구", "The citizen panel's households"),
    "sv_panel_none": (
        "패널이 아직 모집되지 않았습니다. 패널 페이지에서 먼저 모집하세요.",
        "The panel is not recruited yet; recruit it on the Panel page first.",
    ),
    "sv_panel_help": (
        "지금 패널 가구 {n:,}가구 가운데에서 뽑습니다. 자치구·가구 유형·가구주 연령대를 고르지 않으면 "
        "제한하지 않습니다. 가구 수를 정하면 자치구별로 비례 배분해 단순무작위로 뽑고, 각 가구의 "
        "포함확률(패널 포함확률 × 자치구 안 추출률)을 기록합니다. 가중치는 고른 자치구의 등록 "
        "가구 수에만 맞춥니다.",
        "Drawn from the panel's {n:,} current households. Districts, household types and age "
        "bands left empty do not restrict it. With a number of households, it is allocated to "
        "districts in proportion and drawn at random within each; every household's probability "
        "(its panel probability × the rate within its district) is recorded. The weights are "
        "calibrated to the chosen districts' registered households only.",
    ),
    "sv_panel_districts": ("자치구", "Districts"),
    "sv_panel_district": ("{name} (패널 {n:,}가구)", "{name} ({n:,} panel households)"),
    "sv_panel_everywhere": ("서울 전체", "All of Seoul"),
    "sv_panel_types": ("가구 유형 (선택)", "Household types (optional)"),
    "sv_panel_bands": ("가구주 연령대 (선택)", "Head's age bands (optional)"),
    "sv_panel_n": ("표본 가구 수 (0 = 대상 가구 모두)", "Households to sample (0 = all of them)"),
    "sv_panel_n_help": (
        "0이면 대상 패널 가구에 모두 보냅니다.",
        "0 sends the survey to every panel household of the target.",
    ),
    "sv_draw_panel": ("패널에서 표본 추출", "Draw the sample from the panel"),
    "sv_weights": ("가중치", "Weights"),
    "sv_weights_help": (
        "응답이 들어오면 가중치를 만드세요: 설계가중치(1/포함확률)에 자치구별 무응답 보정을 하고, "
        "표본의 대상 모집단 총계(자치구·가구원 수, 성×연령)에 레이킹으로 맞춘 뒤 중앙값의 5배에서 "
        "절단합니다. 누를 때마다 새 버전이 저장되고(감사 기록), 보고서와 추정은 가장 새 버전을 "
        "씁니다. 개인 설문이 있는 조사표는 가구원 가중치도 만듭니다.",
        "Make the weights once answers are in: design weights (1/inclusion probability), a "
        "nonresponse adjustment by district, raking to the target population's totals "
        "(district and household size; sex × age), then trimming at 5× the median. Each click "
        "stores a new version (audited); reports and estimates use the newest. A questionnaire "
        "with a person part gets person weights too.",
    ),
    "sv_weights_none": ("아직 가중치가 없습니다.", "No weights yet."),
    "sv_weights_make": ("가중치 만들기", "Make the weights"),
    "sv_weights_failed": (
        "가중치를 만들 수 없습니다: {detail}",
        "Cannot make the weights: {detail}",
    ),
    "sv_weights_done": ("가중치를 만들었습니다: {units}", "Weights made: {units}"),
    "sv_weights_panel": (
        "패널 차수의 가중치는 패널 화면에서 만듭니다.",
        "A panel wave's weights are made on the Panel page.",
    ),
    "sv_weights_unit": ("단위", "Unit"),
    "sv_weights_version": ("버전", "Version"),
    "sv_weights_id": ("가중치 번호", "Weights ID"),
    "sv_weights_respondents": ("응답 수", "Respondents"),
    "sv_weights_calibrated": ("보정 기준", "Calibrated to"),
    "sv_weights_uncalibrated": (
        "보정 없음 (대상의 총계가 없음)",
        "none (no totals for the target)",
    ),
    "sv_weights_created": ("만든 때", "Made"),
    "sv_source_contact_list": ("연락처 목록 (CSV 올리기)", "A contact list (upload a CSV)"),
    "sv_list_help": (
        "조사 대상이 목록(사업 참여자, 시설 이용자 등)이면 CSV로 올리세요. 열: name(이름), "
        "district(자치구: 코드나 이름), address(주소), postal_code(우편번호), mobile(휴대전화), "
        "email(이메일). 이름과 자치구는 꼭 있어야 하고, 행마다 연락할 방법(주소·휴대전화·이메일) "
        "하나는 있어야 합니다. 잘못된 행은 이유와 함께 격리되고 나머지로 표본을 뽑습니다. "
        "연락처는 응답과 따로 보관됩니다. 가중치는 목록의 자치구별 가구 수에 맞춥니다.",
        "If the survey's population is a list (a programme's participants, a facility's users), "
        "upload it as CSV with the columns name, district (a code or name), address, "
        "postal_code, mobile, email. Name and district are required, and each row needs one way "
        "to reach it (address, mobile or e-mail). Rows in error are quarantined with their "
        "reasons and the sample drawn from the rest. Contacts are kept apart from answers. The "
        "weights are calibrated to the list's households per district.",
    ),
    "sv_list_template": ("빈 목록 양식 내려받기 (CSV)", "Download an empty list template (CSV)"),
    "sv_list_file": (
        "연락처 목록 (CSV, UTF-8 또는 CP949, 20MB까지)",
        "Contact list (CSV, UTF-8 or CP949, up to 20 MB)",
    ),
    "sv_list_n": ("표본 가구 수 (0 = 목록 전체)", "Households to sample (0 = the whole list)"),
    "sv_list_n_help": (
        "0이면 받은 행 모두에 보냅니다. 가구 수를 정하면 자치구별로 비례 배분해 단순무작위로 뽑고 "
        "포함확률(n_h / N_h)을 기록합니다.",
        "0 sends the survey to every accepted row. With a number, it is allocated to districts "
        "in proportion and drawn at random within each; the probability n_h / N_h is recorded.",
    ),
    "sv_draw_list": ("목록에서 표본 추출", "Draw the sample from the list"),
    "sv_list_missing": ("먼저 CSV 파일을 고르세요.", "Choose the CSV file first."),
    "sv_list_done": (
        "목록 {read:,}행을 읽어 {accepted:,}행을 받고 {quarantined:,}행을 격리했습니다. "
        "표본 {sampled:,}가구를 뽑았습니다.",
        "Read {read:,} rows of the list: {accepted:,} accepted, {quarantined:,} quarantined. "
        "{sampled:,} households sampled.",
    ),
    "sv_list_refused": (
        "격리된 행과 그 이유입니다. 격리된 행은 관리 페이지의 격리함에 보관됩니다.",
        "The rows quarantined and why; they are kept in the Administration page's quarantine.",
    ),
    "sv_list_row": ("행", "Row"),
    "sv_list_behind": (
        "연락처 목록 '{file}'에서 뽑은 표본입니다: {read:,}행 가운데 {accepted:,}행을 받고 "
        "{quarantined:,}행을 격리 ({who}, {when}).",
        "Sampled from the contact list '{file}': {accepted:,} of {read:,} rows accepted, "
        "{quarantined:,} quarantined ({who}, {when}).",
    ),
    "sv_list_reasons": ("이유", "Reasons"),
    "sv_n": ("표본 가구 수", "Households to sample"),
    "sv_per_area": ("조사구당 가구 수", "Households per area"),
    "sv_floor": ("자치구별 최소 가구 수", "Minimum households per district"),
    "sv_seed": ("난수 시드 (재현용)", "Random seed (to reproduce)"),
    "sv_draw": ("표본 추출", "Draw the sample"),
    "sv_need_sample": ("먼저 표본을 추출하세요.", "Draw the sample first."),
    "sv_codes_help": (
        "접속 코드가 없는 표본 가구: {n}. 코드는 발급하는 순간 안내문 파일에만 평문으로 담기고, "
        "데이터베이스에는 해시만 남습니다.",
        "Sampled households without a code: {n}. Codes exist in plain text only in the letters "
        "file made now; the database keeps only their hash.",
    ),
    "sv_issue": ("{n}가구에 코드 발급", "Issue codes for {n} households"),
    "sv_download_once": (
        "안내문 파일은 지금 한 번만 내려받을 수 있습니다. 안전한 곳에 보관하세요.",
        "The letters file can be downloaded only now; keep it somewhere safe.",
    ),
    "sv_download": ("안내문 파일 (CSV) 내려받기", "Download the letters file (CSV)"),
    "sv_field_start": ("조사 시작일", "Field start"),
    "sv_field_end": ("조사 종료일", "Field end"),
    "interview_new": ("다른 가구 시작", "Start another household"),
    "respondent_link": (
        "조사 응답자이신가요? 안내문의 접속 코드로 응답하기",
        "Answering the survey? Use the access code from your letter",
    ),
    # home
    "home_title": ("데이터 현황", "State of the data"),
    "home_kind_demo": ("데모 데이터베이스 (합성 데이터)", "Demo database (synthetic data)"),
    "home_kind_real": ("운영 데이터베이스", "Production database"),
    "frame_households": ("표본틀 가구", "Frame households"),
    "frame_persons": ("표본틀 가구원", "Frame persons"),
    "scale_factor": ("가구당 대표 가구수", "Real households per frame household"),
    "schema_version": ("스키마 버전", "Schema version"),
    "last_seeding": ("마지막 데모 생성", "Last demo seeding"),
    "never": ("없음", "never"),
    "quarantine_open": ("격리 대기 건수", "Open quarantine records"),
    "staff_users": ("직원 계정", "Staff accounts"),
    "households_by_district": ("자치구별 표본틀 가구 수", "Frame households by district"),
    "reference_tables": ("참조 데이터", "Reference data"),
    "surveys_state": ("조사별 응답 현황", "Responses per survey"),
    "no_frame": (
        "아직 표본틀이 없습니다. 데모 데이터베이스는 처음 시작할 때 만들어집니다.",
        "No frame yet. The demo database builds one on first start.",
    ),
    # account
    "change_password": ("비밀번호 변경", "Change password"),
    "must_change_password": (
        "처음 로그인했거나 비밀번호가 초기화되었습니다. 계속하려면 비밀번호를 바꾸세요.",
        "This is a first login or a reset password: change it to continue.",
    ),
    "current_password": ("현재 비밀번호", "Current password"),
    "new_password": ("새 비밀번호", "New password"),
    "repeat_password": ("새 비밀번호 확인", "Repeat the new password"),
    "passwords_differ": ("새 비밀번호가 서로 다릅니다.", "The new passwords differ."),
    "password_changed": ("비밀번호를 바꿨습니다.", "Password changed."),
    "save": ("저장", "Save"),
    # admin
    "tab_reference": ("참조 데이터", "Reference data"),
    "tab_report": ("검증 보고서", "Validation report"),
    "tab_quarantine": ("격리 보관함", "Quarantine"),
    "tab_users": ("사용자", "Users"),
    "tab_database": ("데이터베이스", "Database"),
    "ref_loaded": ("적재된 참조 데이터", "Loaded reference data"),
    "ref_choose": ("표 선택", "Table"),
    "ref_current": ("현재 내용", "Current contents"),
    "ref_download": (
        "현재 표를 CSV로 내려받기 (업로드 양식)",
        "Download the current table as CSV (upload template)",
    ),
    "ref_shape": ("업로드 양식", "Upload shape"),
    "ref_upload": ("새 CSV로 교체", "Replace with a new CSV"),
    "ref_file": ("CSV 파일 (UTF-8 또는 CP949)", "CSV file (UTF-8 or CP949)"),
    "ref_source": ("출처 (기관, 통계표 이름)", "Source (publisher, table name)"),
    "ref_date": ("기준일 (예: 2025-12-31)", "Reference date (e.g. 2025-12-31)"),
    "ref_approximated": ("추정치 설명 (있으면)", "Approximated figures (if any)"),
    "ref_submit": ("검증 후 교체", "Validate and replace"),
    "ref_need_file": ("CSV 파일을 고르세요.", "Choose a CSV file."),
    "reasons_by_code": ("문제 종류별 건수", "Problems by kind"),
    "first_reasons": ("첫 문제들", "First problems"),
    "row": ("행", "Row"),
    "message": ("내용", "Message"),
    "uploads": ("최근 업로드", "Recent uploads"),
    "quarantine_by_source": ("출처별 격리 건수", "Quarantined records by source"),
    "q_status": ("상태", "Status"),
    "q_source": ("출처", "Source"),
    "q_all": ("전체", "All"),
    "q_empty": ("격리된 기록이 없습니다.", "No quarantined records."),
    "q_select": ("처리할 기록 번호", "Records to resolve"),
    "q_note": ("처리 메모 (무엇을 했는지)", "Resolution note (what was done)"),
    "q_resolve": ("처리됨으로 표시", "Mark resolved"),
    "q_resolved_n": ("{n}건을 처리됨으로 표시했습니다.", "{n} records marked resolved."),
    "q_raw": ("받은 그대로의 기록", "Record as received"),
    "users_list": ("직원 계정", "Staff accounts"),
    "user_create": ("계정 만들기", "Create an account"),
    "display_name": ("표시 이름", "Display name"),
    "role": ("역할", "Role"),
    "initial_password": ("초기 비밀번호 (10자 이상)", "Initial password (10+ characters)"),
    "create": ("만들기", "Create"),
    "user_created": (
        "계정 {name} 을(를) 만들었습니다. 처음 로그인할 때 비밀번호를 바꿔야 합니다.",
        "Account {name} created; the password must be changed at first login.",
    ),
    "user_manage": ("계정 관리", "Manage an account"),
    "reset_password": ("비밀번호 초기화", "Reset password"),
    "new_one_time": (
        "새 일회용 비밀번호: {pw} (지금 한 번만 보입니다)",
        "New one-time password: {pw} (shown only now)",
    ),
    "deactivate": ("비활성화", "Deactivate"),
    "activate": ("활성화", "Activate"),
    "done": ("완료했습니다.", "Done."),
    "db_path": ("데이터베이스 파일", "Database file"),
    "db_kind": ("종류", "Kind"),
    "db_holder": ("파일을 잡고 있는 프로세스 (이 앱)", "Process holding the file (this app)"),
    "db_holder_help": (
        "DuckDB 파일은 한 프로세스만 열 수 있습니다. 앱이 실행 중일 때 `python -m data ...` 명령은 "
        "이 프로세스를 이름으로 알려 주고 멈춥니다. 명령을 쓰려면 앱을 먼저 멈추세요.",
        "Only one process can open a DuckDB file. While the app runs, `python -m data ...` "
        "commands stop and name this process; stop the app to use them.",
    ),
    "table_rows": ("표별 행 수", "Rows per table"),
    "audit_log": ("감사 로그 (최근)", "Audit log (recent)"),
    "home_panel": ("서울시민패널", "Seoul citizen panel"),
    "home_panel_in": ("패널 가구 (목표 {target})", "In the panel (target {target})"),
    "home_panel_active": ("참여 가구", "Active households"),
    "home_panel_reserve": ("예비 가구", "Reserve left"),
    "home_panel_waves": ("차수", "Waves"),
    "est_excluded": (
        "추정에서 제외된 응답: 가구 {households}건, 개인 {persons}건 (제외 사유는 현장 점검 화면에 기록)",
        "Responses excluded from estimation: {households} household and {persons} person parts "
        "(the reasons are recorded on the fieldwork page)",
    ),
}
TEXT.update(PANEL_TEXT)  # the panel operator's page (ui/i18n_panel.py)
TEXT.update(HEALTH_TEXT)  # the panel health page (ui/i18n_health.py)
for _page_text in (EXPLORE_TEXT, FIELDWORK_TEXT, MICRODATA_TEXT, QUESTIONNAIRES_TEXT, REPORTS_TEXT):
    TEXT.update(_page_text)  # one module per page: ui/i18n_<page>.py
TEXT.update(COMMON_TEXT)  # shared words and the wording pass's additions (ui/i18n_common.py)


def lang() -> str:
    return st.session_state.get("lang", "ko")


def t(key: str, **values: object) -> str:
    ko, en = TEXT[key]
    text = ko if lang() == "ko" else en
    return text.format(**values) if values else text


def say(message: Text | BaseException) -> str:
    """A :class:`~data.text.Text`, or a refused operation's text, in the session's language;
    any other error as it prints."""
    if isinstance(message, Refusal):
        message = message.text
    return message.pick(lang()) if isinstance(message, Text) else str(message)


def language_switch() -> None:
    """The sidebar language choice (Korean first). Staff pages speak Korean and English: a
    questionnaire's other language chosen on the respondent page becomes English here."""
    if st.session_state.get("lang", "ko") not in LANGUAGES:
        st.session_state["lang"] = "en"
    st.sidebar.radio(
        "언어 / Language",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        horizontal=True,
    )


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """A user's own text (a name, a title, a note) made safe to show where Streamlit reads
    markdown: every markdown character escaped, so ``![x](http://…)`` stays those characters
    and fetches nothing."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def streamlit_words() -> None:
    """Streamlit's own words in the chosen language where it offers no setting for them.

    The file uploader's button ("Upload") and its size line ("50MB per file") are fixed
    English in Streamlit's frontend; on the Korean pages a style sheet shows Korean instead.
    """
    if lang() != "ko":
        return
    size = int(st.get_option("server.maxUploadSize"))
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    st.html(
        f"<style>{button} {{font-size: 0;}} {button}::after {{content: '파일 선택';"
        f" font-size: 1rem;}} {hint} {{font-size: 0;}} {hint}::after {{content: '파일당 최대"
        f" {size}MB'; font-size: 0.875rem;}}</style>"
    )
