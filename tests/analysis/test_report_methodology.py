"""The methodology appendix's tables: what they count, as of when, and in words."""

from __future__ import annotations

from analysis.exclusions import exclude
from analysis.report_methodology import exclusion_table
from surveys.opening import survey_by_code


def test_exclusion_reasons_are_worded_in_korean(demo_store):
    survey_id = survey_by_code(demo_store, "seoul-2026").survey_id
    household = demo_store.scalar(
        "SELECT min(household_id) FROM responses WHERE survey_id = ? AND member_no = 0",
        [survey_id],
    )
    exclude(
        demo_store, survey_id, int(household), 0, reason="3분 만에 끝냄", actor="t", flag="speeder"
    )
    table = exclusion_table(demo_store, survey_id)
    assert table.to_dict("records") == [{"구분": "가구 설문", "사유": "과속 응답", "건수": 1}]
