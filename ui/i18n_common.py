"""Text shared by the staff pages, and the home, admin, surveys and estimates pages' additions.

Merged into ui.i18n.TEXT. The names of codes and columns are not here but in the one
glossary (ui/glossary.yaml); this module holds sentences and Streamlit's own placeholders.
"""

from __future__ import annotations

COMMON_TEXT: dict[str, tuple[str, str]] = {
    # Streamlit shows "Choose options" / "Choose an option" unless a page says otherwise
    "choose": ("고르세요", "Choose"),
    "choose_many": ("하나 이상 고르세요 (비우면 전체)", "Choose one or more (none: all)"),
    # home
    "last_seeding_help": ("끝난 시각: {at}", "Finished at {at}"),
    # admin
    "ref_table_option": ("{title} ({file})", "{title} ({file})"),
    "ref_col_name": ("열 이름 (CSV)", "Column name (CSV)"),
    "ref_nullable_yes": ("예", "Yes"),
    "ref_reason_code": ("문제 종류", "Problem"),
    "ref_reason_n": ("건수", "Rows"),
    "ref_file_help": (
        "위 '업로드 양식'의 열을 그대로 담은 CSV 파일 하나를 끌어다 놓거나 골라 올리세요. 현재 표를 "
        "CSV로 내려받아 고친 뒤 올려도 됩니다.",
        "One CSV file with exactly the columns of the 'Upload shape' above; dragging it in or "
        "picking it both work. You can also download the current table, edit it and upload it.",
    ),
    # surveys
    "sv_questionnaire_id": ("조사표", "Questionnaire"),
}
