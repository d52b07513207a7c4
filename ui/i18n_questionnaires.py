"""Text of the Questionnaires page (ui/questionnaires_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

QUESTIONNAIRES_TEXT: dict[str, tuple[str, str]] = {
    "page_questionnaires": ("조사표", "Questionnaires"),
    "qn_intro": (
        "XLSForm 통합 문서(.xlsx, .xls)나 설문 정의 YAML 파일을 올리면 모든 문제를 시트·행(또는 "
        "줄), 문항, 무엇이 잘못되었고 어떻게 고칠지와 함께 보여 줍니다. 문제가 하나도 없을 때만 "
        "조사표의 새 버전으로 저장합니다. 같은 파일을 다시 올리면 새 버전이 생기지 않습니다. "
        "문제가 있는 통합 문서와 저장된 버전은 아래 표에서 바로 고칠 수 있고, 저장된 버전은 시험 "
        "응답으로 미리 보고 조사 관리 화면에서 조사를 열 수 있습니다.",
        "Upload an XLSForm workbook (.xlsx, .xls) or a questionnaire YAML file: every problem is "
        "listed with its sheet and row (or line), its question, what is wrong and how to fix it. "
        "Only a file without problems is stored, as the questionnaire's next version; the same "
        "file again makes no new version. Below, fix a workbook's problems or edit a stored "
        "version in place, walk a stored version in test mode; open a survey on it on the "
        "Surveys page.",
    ),
    "qn_upload": ("조사표 올리기", "Upload a questionnaire"),
    "qn_file": (
        "조사표 파일 (.xlsx, .xls, .yaml, .yml)",
        "Questionnaire file (.xlsx, .xls, .yaml, .yml)",
    ),
    "qn_file_help": (
        "파일당 최대 {mb} MB. 매크로가 든 통합 문서(.xlsm)는 받지 않고, 수식은 계산하지 않고 "
        "저장된 값만 읽습니다.",
        "At most {mb} MB per file. Workbooks with macros (.xlsm) are refused; formulas are "
        "never evaluated, only their saved values read.",
    ),
    "qn_note": ("메모 (무엇을 바꿨는지)", "Note (what changed)"),
    "qn_submit": ("검사하고 저장", "Check and store"),
    "qn_need_file": ("올릴 파일을 고르세요.", "Choose a file to upload."),
    "qn_refused": ("이 파일은 받을 수 없습니다: {why}", "This file cannot be accepted: {why}"),
    "qn_problems": (
        "{file}: 문제 {n}건. 아무것도 저장하지 않았습니다. 모두 고친 뒤 다시 올리세요.",
        "{file}: {n} problem(s). Nothing was stored; fix them all and upload the file again.",
    ),
    "qn_saved": (
        "조사표 {qid} 의 버전 {no} 로 저장했습니다 (SHA-256 {sha}).",
        "Stored as version {no} of questionnaire {qid} (SHA-256 {sha}).",
    ),
    "qn_unchanged": (
        "바뀐 것이 없습니다: 이 파일은 이미 조사표 {qid} 의 버전 {no} 입니다. 새 버전을 만들지 "
        "않았습니다.",
        "Unchanged: this file is already version {no} of questionnaire {qid}; no new version "
        "was made.",
    ),
    "qn_place": ("위치", "Where"),
    "qn_question": ("문항", "Question"),
    "qn_problem": ("문제와 고칠 방법", "What is wrong, and how to fix it"),
    "qn_line": ("{n}번째 줄", "line {n}"),
    "qn_sheet_row": ("{sheet} 시트 {n}행", "{sheet} sheet, row {n}"),
    "qn_workbook": ("통합 문서 전체", "the whole workbook"),
    "qn_sheet": ("{sheet} 시트", "{sheet} sheet"),
    "qn_none": (
        "저장된 조사표가 없습니다. 위에서 파일을 올리세요.",
        "No questionnaire stored yet; upload a file above.",
    ),
    "qn_list": ("조사표와 버전", "Questionnaires and their versions"),
    "qn_choose": ("조사표", "Questionnaire"),
    "qn_versions": ("버전", "Versions"),
    "qn_diff": ("두 버전의 차이", "What changed between two versions"),
    "qn_diff_from": ("이전 버전", "From version"),
    "qn_diff_to": ("다음 버전", "To version"),
    "qn_diff_one": (
        "버전이 하나뿐이라 비교할 것이 없습니다.",
        "There is only one version, so nothing to compare.",
    ),
    "qn_diff_same": ("두 버전의 문항은 같습니다.", "The two versions ask the same questions."),
    "qn_diff_broken": (
        "저장된 버전을 다시 읽을 수 없습니다: {why}",
        "A stored version can no longer be read: {why}",
    ),
    "qn_change": ("변경", "Change"),
    "qn_what": ("내용", "What changed"),
    "qn_download": ("버전 파일 내려받기", "Download a version's file"),
    "qn_download_version": ("내려받을 버전", "Version to download"),
    "qn_download_button": ("버전 {no} 파일 ({file})", "Version {no} file ({file})"),
    "qn_download_xlsform": ("XLSForm으로 내려받기", "Download as XLSForm"),
    "qn_download_xlsform_help": (
        "이 버전을 ODK Collect·KoBoToolbox 에서 쓰는 XLSForm 통합 문서(.xlsx)로 내려받습니다. "
        "그대로 다시 올리면 같은 조사표로 읽힙니다 (문항, 규칙, 보기, 모든 언어의 문구).",
        "This version as an XLSForm workbook (.xlsx) for ODK Collect or KoBoToolbox. Uploaded "
        "again as it is, it reads as the same questionnaire (questions, rules, choices, the "
        "wording in every language).",
    ),
    "qn_xlsform_broken": (
        "이 버전을 XLSForm 으로 쓸 수 없습니다: {why}",
        "This version cannot be written as an XLSForm: {why}",
    ),
    # kinds of change (surveys.questionnaire.version_diff.KINDS)
    "qn_preview": ("미리보기 (시험 응답)", "Preview (test mode)"),
    "qn_preview_help": (
        "조사를 열기 전에 응답자가 보는 화면 그대로 답해 볼 수 있습니다. 시험 응답은 저장되지 "
        "않으며 응답, 분석 자료, 추정치에 들어가지 않습니다.",
        "Answer any version exactly as respondents will see it, before a survey exists. Test "
        "answers are never stored and never reach responses, analysis frames or estimates.",
    ),
    "qn_preview_version": ("미리 볼 버전", "Version to preview"),
    "qn_preview_language": ("응답 언어", "Respondent's language"),
    "qn_preview_phone": ("휴대전화 폭 (390px)", "Phone width (390 px)"),
    "qn_preview_start": ("버전 {no} 시험 응답 시작", "Start a test answer of version {no}"),
    "qn_preview_restart": ("처음부터 다시", "Start again"),
    "qn_preview_nothing_stored": (
        "시험 모드: 이 화면의 답은 어디에도 저장되지 않습니다.",
        "Test mode: nothing answered here is stored anywhere.",
    ),
    "qn_kind_title": ("제목", "title"),
    "qn_kind_section": ("화면", "screen"),
    "qn_kind_added": ("추가", "added"),
    "qn_kind_removed": ("삭제", "removed"),
    "qn_kind_moved": ("이동", "moved"),
    "qn_kind_relabelled": ("문구", "wording"),
    "qn_kind_type": ("유형", "type"),
    "qn_kind_range": ("범위", "range"),
    "qn_kind_required": ("필수 여부", "required"),
    "qn_kind_relevance": ("표시 조건", "relevance"),
    "qn_kind_constraint": ("응답 제약", "constraint"),
    "qn_kind_choices": ("보기", "choices"),
    "qn_kind_calculation": ("계산식", "calculation"),
    "qn_kind_choice_filter": ("보기 필터", "choice filter"),
    "qn_kind_unit": ("단위", "unit"),
    "qn_kind_appearance": ("표시 방식", "appearance"),
    "qn_kind_roster": ("가구원 명단", "roster"),
    "qn_kind_eligibility": ("응답 대상", "who answers"),
    # the grid editor (ui/questionnaire_editor.py)
    "qn_edit": ("표에서 고치기", "Edit in place"),
    "qn_edit_help": (
        "저장된 버전을 XLSForm 시트(survey, choices, settings) 그대로 표에서 고칩니다: 문항 "
        "유형, 모든 언어의 문구, 필수 여부, 표시 조건(relevant), 응답 제약(constraint), "
        "계산식(calculation), 보기 목록. 행 번호는 엑셀의 행 번호이고, 표 아래 + 로 행을 더하고 "
        "행을 골라 지울 수 있습니다. 고칠 때마다 올릴 때와 같은 검사를 다시 하여 문제와 경고를 "
        "표 아래에 보여 줍니다. 문제가 하나도 없을 때만 새 버전으로 저장합니다.",
        "Edit a stored version as its XLSForm sheets (survey, choices, settings): question "
        "types, the wording in every language, required, relevance, constraints, calculations, "
        "choice lists. Row numbers are the workbook's; add rows with + below a table, select "
        "rows to delete them. Every change re-runs the checks an upload runs; problems and "
        "warnings appear below the tables. Only a questionnaire without problems is stored, as "
        "a new version.",
    ),
    "qn_edit_upload": (
        "올린 파일 {file} 을 표에서 고치기: 아래 문제를 고치고 새 버전으로 저장하세요.",
        "Fix the uploaded file {file} in place: correct the problems below and save it as a "
        "new version.",
    ),
    "qn_edit_upload_help": (
        "행 번호는 엑셀의 행 번호입니다 (문제 표의 행과 같습니다). 표 아래 + 로 행을 더하고, 행을 "
        "골라 지울 수 있습니다. 고칠 때마다 올릴 때와 같은 검사를 다시 합니다.",
        "Row numbers are the workbook's (as in the problems table). Add rows with + below a "
        "table, select rows to delete them. Every change re-runs the checks an upload runs.",
    ),
    "qn_edit_version": ("고칠 버전", "Version to edit"),
    "qn_edit_broken": (
        "이 버전은 표로 열 수 없습니다: {why}",
        "This version cannot be opened as tables: {why}",
    ),
    "qn_edit_sheet": ("{sheet} 시트", "{sheet} sheet"),
    "qn_edit_row": ("행", "Row"),
    "qn_edit_clean": (
        "문제가 없습니다: 새 버전으로 저장할 수 있습니다.",
        "No problems: this can be stored as a new version.",
    ),
    "qn_edit_problems": (
        "문제 {n}건: 모두 고쳐야 새 버전으로 저장할 수 있습니다.",
        "{n} problem(s): fix them all to store this as a new version.",
    ),
    "qn_edit_findings": (
        "경고 {n}건: 저장은 되지만, 응답자가 만나기 전에 고치는 것이 좋습니다.",
        "{n} warning(s): it can be stored, but these are worth fixing before respondents "
        "meet them.",
    ),
    "qn_edit_unchanged": (
        "버전 {no} 에서 아직 바꾼 것이 없습니다.",
        "Nothing changed from version {no} yet.",
    ),
    "qn_edit_note": ("메모 (무엇을 바꿨는지, 필수)", "Note (what changed; required)"),
    "qn_edit_save": ("새 버전으로 저장", "Save as a new version"),
    "qn_edit_need_note": (
        "무엇을 바꿨는지 메모를 적으세요.",
        "Write a note saying what changed.",
    ),
    "qn_edit_nothing": (
        "바꾼 것이 없어 저장하지 않았습니다.",
        "Nothing changed, so nothing was stored.",
    ),
    "qn_edit_download": ("고친 통합 문서 내려받기 (.xlsx)", "Download the edited workbook (.xlsx)"),
    "qn_edit_refused": (
        "이 표는 통합 문서로 쓸 수 없습니다: {why}",
        "These tables cannot be written as a workbook: {why}",
    ),
    # static checks' findings on a stored upload (ui/questionnaire_findings.py)
    "qn_findings": (
        "경고 {n}건: 파일은 저장했지만, 응답자가 만나기 전에 고치는 것이 좋습니다.",
        "{n} warning(s): the file was stored, but these are worth fixing before respondents "
        "meet them.",
    ),
    "qn_finding": (
        "{kind} · {question} ({rule}){likely}: {text}",
        "{kind} · {question} ({rule}){likely}: {text}",
    ),
    "qn_finding_likely": (" · 아마도", " · likely"),
    "qn_finding_never_shown": ("표시되지 않음", "Never shown"),
    "qn_finding_unmeetable_constraint": ("만족할 수 없는 제약", "Constraint no answer meets"),
    "qn_finding_empty_choice_filter": ("빈 보기 목록", "Empty choice list"),
    "qn_finding_reads_later": ("뒤의 질문을 읽는 규칙", "Rule reads a later question"),
    "qn_finding_required_never_shown": ("답할 수 없는 필수 질문", "Required but never shown"),
    "qn_finding_ignored": ("무시되는 칸", "Cell ignored"),
}
