"""Text of the Microdata release page (ui/microdata_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

MICRODATA_TEXT: dict[str, tuple[str, str]] = {
    "page_microdata": ("마이크로데이터 공개", "Microdata release"),
    "md_intro": (
        "열린데이터광장에 올릴 공개용 파일을 만듭니다. 직접 식별자를 지우고, 가구·가구원 번호를 키 해시 "
        "가명으로 바꾸고, 규칙 파일(analysis/disclosure/rules.yaml)대로 재코딩한 뒤 국소 삭제로 "
        "k-익명성을 맞춥니다. 내보내기는 모두 감사 기록에 남습니다.",
        "Builds the public-use file for the open-data portal: direct identifiers removed, household "
        "and person ids replaced by keyed-hash pseudonyms, recodes from the rules file "
        "(analysis/disclosure/rules.yaml), then local suppression until k-anonymity holds. Every "
        "export is written to the audit log.",
    ),
    "md_no_surveys": ("공개용 파일을 만들 횡단 조사가 없습니다.", "No cross-sectional survey yet."),
    "md_survey": ("조사 선택", "Survey"),
    "md_no_weights_mark": ("가중치 없음", "no weights"),
    "md_no_weights": (
        "이 조사에는 아직 가중치가 없습니다. 공개용 파일에는 최종 가중치가 필요합니다.",
        "This survey has no weights yet; the public-use file needs the final weights.",
    ),
    "md_rules_error": (
        "공개 규칙 파일을 읽을 수 없습니다: {error}",
        "The rules file cannot be read: {error}",
    ),
    # rules
    "md_rules": ("적용 중인 공개 규칙", "Rules in force"),
    "md_rules_file": (
        "규칙 파일: analysis/disclosure/rules.yaml (SHA-256 {sha})",
        "Rules file: analysis/disclosure/rules.yaml (SHA-256 {sha})",
    ),
    "md_keys": ("핵심 변수 (준식별자)", "Key variables (quasi-identifiers)"),
    "md_keys_help": (
        "위에서부터 중요한 순서입니다. 국소 삭제는 가장 덜 중요한 변수(아래쪽)부터 지웁니다.",
        "Most important first. Local suppression blanks the least important key (lowest) first.",
    ),
    "md_importance": ("중요도 순위", "Importance rank"),
    "md_variable": ("변수", "Variable"),
    "md_k_rule": (
        "k = {k}: 모든 핵심 변수 조합을 적어도 {k}개 레코드가 공유해야 합니다 (빈 값은 어떤 값과도 "
        "일치, sdcMicro 방식).",
        "k = {k}: every combination of key values is shared by at least {k} records (a blank "
        "matches any value, as in sdcMicro).",
    ),
    "md_k_sensitive": (
        "민감 변수 중 하나라도 공개하면 파일 전체에 k = {k}: {variables}",
        "If the file releases any sensitive variable, k = {k} for the whole file: {variables}",
    ),
    "md_recodes": ("재코딩", "Recodes"),
    "md_age_bands": (
        "연령대: {source} → {target}, 구간 {breaks}",
        "Age bands: {source} → {target}, bands {breaks}",
    ),
    "md_age_reference": ("참조 코드 목록 age_groups", "the age_groups reference list"),
    "md_top_codes": (
        "상한 코딩 (값이 상한을 넘으면 상한으로)",
        "Top-codes (values above the top become the top)",
    ),
    "md_top": ("상한", "Top"),
    "md_top_label": ("상한 값 이름", "Label of the top"),
    "md_rare": (
        "드문 범주: {min_count}개 레코드 미만 코드를 {code} ‘{label}’로 통합 — {variables}",
        "Rare categories: codes held by fewer than {min_count} records merged into {code} "
        "‘{label}’ — {variables}",
    ),
    "md_dropped": ("항상 지우는 변수", "Always dropped"),
    "md_drop_columns": ("열: {names}", "Columns: {names}"),
    "md_drop_types": ("질문 유형: {names}", "Question types: {names}"),
    "md_drop_patterns": ("이름 패턴: {names}", "Name patterns: {names}"),
    # key file
    "md_key_file": ("가명 키 파일", "Pseudonym key file"),
    "md_key_help": (
        "경로는 설정 SEOUL_PSEUDONYM_KEY_FILE에서 옵니다. 키는 데이터베이스 밖에 있고 git에서 제외되며 "
        "소유자만 읽을 수 있어야 합니다(0600). 키 내용은 이 화면에 표시하지 않습니다.",
        "The path comes from the SEOUL_PSEUDONYM_KEY_FILE setting. The key lives outside the "
        "database, is ignored by git and must be readable by its owner only (0600). Its content is "
        "never shown here.",
    ),
    "md_key_exists": ("키 파일이 있습니다.", "The key file exists."),
    "md_key_missing": (
        "키 파일이 아직 없습니다. 처음 파일을 만들 때 새 무작위 키가 만들어집니다(권한 0600).",
        "No key file yet: a new random key (mode 0600) is made with the first file.",
    ),
    # build
    "md_build": ("공개용 파일 만들기", "Build the public-use file"),
    "md_building": ("공개용 파일을 만드는 중…", "Building the public-use file…"),
    "md_built": (
        "{code}: 레코드 {rows}개, 변수 {columns}개, k = {k}, 가중치 버전 {weights_id}",
        "{code}: {rows} records, {columns} variables, k = {k}, weights version {weights_id}",
    ),
    # risk
    "md_risk": ("공개 위험 보고서", "Disclosure-risk report"),
    "md_before": ("처리 전 (원래 핵심 변수)", "Before (original keys)"),
    "md_after": ("처리 후 (재코딩·국소 삭제)", "After (recodes and local suppression)"),
    "md_violating": ("k-익명성 위반 레코드", "Records violating k-anonymity"),
    "md_expected": ("예상 재식별 건수", "Expected re-identifications"),
    "md_share": ("위험 레코드 비율", "Share of records at risk"),
    "md_records": ("레코드", "Records"),
    "md_riskiest": ("가장 위험한 핵심 변수 조합", "Riskiest key combinations"),
    "md_risk_help": (
        "f_k = 조합이 같은 표본 레코드 수, F_k = 그 가중치 합(추정 모집단 수). 예상 재식별 = Σ 1/F_k. "
        "빈 값(삭제된 값)은 어떤 값과도 일치합니다.",
        "f_k = sample records sharing the keys, F_k = the sum of their weights (estimated "
        "population). Expected re-identifications = Σ 1/F_k. A blank (suppressed) value matches "
        "any value.",
    ),
    "md_suppressed": ("핵심 변수별 국소 삭제 (셀 수)", "Local suppression per key (cells)"),
    "md_suppressed_cells": ("삭제된 셀", "Cells suppressed"),
    "md_suppressed_total": ("삭제된 셀 합계: {cells}", "Cells suppressed in all: {cells}"),
    "md_preview": ("미리 보기 (처음 {rows}행)", "Preview (first {rows} rows)"),
    "md_codebook": ("코드북", "Codebook"),
    "md_preview_help": (
        "열 이름은 공개 파일의 변수 이름 그대로입니다 (뜻은 아래 코드북). – 는 빈 값(국소 삭제 포함)입니다.",
        "Columns carry the file's own variable names (see the codebook below); – is a blank "
        "value (local suppression included).",
    ),
    # export
    "md_export_head": ("내보내기", "Export"),
    "md_format": ("파일 형식", "File format"),
    "md_export": ("내보내기", "Export"),
    "md_exporting": ("파일을 쓰는 중…", "Writing the files…"),
    "md_download_data": ("자료 내려받기 ({name})", "Download the data ({name})"),
    "md_download_codebook": ("코드북 내려받기 ({name})", "Download the codebook ({name})"),
    "md_audited": (
        "{actor}({role})의 이 내보내기는 감사 기록(microdata_released)에 남았습니다.",
        "This export by {actor} ({role}) was written to the audit log (microdata_released).",
    ),
}
