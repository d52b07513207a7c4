"""Text of the Reports page (ui/reports_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

REPORTS_TEXT: dict[str, tuple[str, str]] = {
    "page_reports": ("보고서", "Reports"),
    "rp_intro": (
        "서울서베이 조사나 패널 차수와 가중치 버전을 고르면 한 번에 엑셀 통합문서(요약, 영역별 "
        "지표표, 방법론, 코드북), 한국어 PDF 보고서(표지, 주요 결과와 그림, 지표표, 방법론 부록), "
        "같은 표의 CSV 묶음을 만듭니다. 패널 차수 보고서에는 문항별 결과(성별·연령대·가구유형·"
        "소득·자치구별), 이전 차수 대비 변화, AAPOR 응답률이 더해집니다. 세 파일의 수치는 서로 같습니다.",
        "Pick a Seoul Survey or a panel wave and its weights versions: one click makes the Excel "
        "workbook (summary, indicator tables by domain, methodology, codebook), the Korean PDF "
        "report (cover, key findings with charts, tables, methodology appendix) and a CSV bundle "
        "of the same tables. A panel wave's report adds every question's results (by sex, age "
        "group, household type, income and district), the change since the previous wave and the "
        "AAPOR rates. The three files carry the same numbers.",
    ),
    "rp_no_surveys": (
        "보고서를 만들 서울서베이 조사나 패널 차수가 없습니다.",
        "There is no Seoul Survey or panel wave to report on.",
    ),
    "rp_survey": ("조사", "Survey"),
    "rp_weights": ("가중치 버전", "Weights versions"),
    "rp_weights_newest": (
        "가장 최근 버전 (가구·가구원)",
        "Newest versions (household and person)",
    ),
    "rp_weights_newest_wave": ("가장 최근 버전 (가구)", "Newest version (household)"),
    "rp_weights_help": (
        "단위(가구, 가구원)마다 하나까지 고릅니다. 고르지 않은 단위는 가장 최근 버전을 씁니다. "
        "패널 차수는 가구 가중치만 씁니다.",
        "At most one per unit (household, person); a unit not chosen uses its newest version. "
        "A panel wave uses household weights only.",
    ),
    "rp_weights_label": (
        "{unit} v{version} (ID {weights_id}, {created})",
        "{unit} v{version} (ID {weights_id}, {created})",
    ),
    "rp_weights_twice": (
        "단위마다 가중치 버전은 하나만 고를 수 있습니다: {units}",
        "Choose at most one weights version per unit: {units}",
    ),
    "rp_no_weights": (
        "이 조사에는 아직 가중치가 없습니다. 가중치를 먼저 만드세요 (조사: 조사 관리 화면의 "
        "가중치 탭, 패널 차수: 패널 화면).",
        "This survey has no weights yet: make them first (a survey: the Surveys page's Weights "
        "tab; a panel wave: the Panel page).",
    ),
    "rp_excluded": (
        "추정에서 제외된 응답: 가구 설문 {households}건, 개인 설문 {persons}건 (총 {total}건). "
        "이 응답은 보고서의 추정에 쓰이지 않으며, 보고서(요약과 방법론)에도 그 수가 적힙니다.",
        "Responses excluded from estimation: {households} household and {persons} person parts "
        "({total} in all). They are left out of the report's estimates, and the report (summary "
        "and methodology) states their number too.",
    ),
    "rp_none_excluded": (
        "추정에서 제외된 응답은 없습니다. 보고서에도 그렇게 적힙니다.",
        "No response is excluded from estimation; the report says so too.",
    ),
    "rp_build": ("보고서 만들기", "Build the report"),
    "rp_starting": ("보고서 만드는 중 …", "Building the report …"),
    "rp_failed": ("보고서를 만들 수 없습니다: {detail}", "The report cannot be made: {detail}"),
    "rp_done": (
        "{code} 보고서를 만들었습니다 ({made_at}).",
        "The report of {code} is ready ({made_at}).",
    ),
    "rp_happiness": ("서울 행복지수", "Seoul happiness index"),
    # a quarter of the page: the English says "since when" in the help
    "rp_changes": ("전년 대비 유의한 변화", "Significant changes"),
    "rp_changes_wave": ("이전 차수 대비 유의한 변화", "Significant changes"),
    "rp_no_happiness": (
        "이 설문지는 행복지수 문항을 묻지 않습니다",
        "This questionnaire does not ask the happiness items",
    ),
    "rp_questions": ("집계한 문항 수", "Questions tabulated"),
    "rp_changes_help": (
        "비교 조사: {previous} (5% 수준)",
        "Compared with {previous} (at the 5% level)",
    ),
    "rp_no_previous": ("비교할 이전 조사 없음", "No previous survey to compare with"),
    "rp_excluded_metric": ("추정 제외 응답", "Responses excluded"),
    "rp_findings": ("주요 결과", "Key findings"),
    "rp_downloads": ("내려받기", "Downloads"),
    "rp_excel": ("엑셀 (.xlsx) 내려받기", "Download Excel (.xlsx)"),
    "rp_pdf": ("PDF 내려받기", "Download PDF"),
    "rp_csv": ("CSV 묶음 (.zip) 내려받기", "Download CSV bundle (.zip)"),
}
