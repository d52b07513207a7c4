"""A panel wave's report: :func:`analysis.reports.bundle.build_report` with the wave's AAPOR rates.

The analysis package builds the report of any weighted survey; a wave's outcome
dispositions live with the panel (:mod:`panel.outcomes`), so the panel adds them as a
methodology section: counts of complete (I), partial (P), refused (R), no contact (NC),
other (O) and not eligible (NE) households, and RR1, COOP1, REF1, CON1
(:mod:`panel.response_rates`), Seoul-wide and by district, as recorded when the report is
made (the household response above it is the wave weights' snapshot; each table says which).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from analysis.reports.bundle import Progress, Report, build_report
from data.reference import stored_table
from data.store import Store
from panel.outcomes import wave_rates
from surveys.opening import survey_info

RATE_SECTION = "AAPOR 응답 결과와 응답률"
RATE_COLUMNS = {
    "invited": "조사 대상",
    "I": "완료(I)",
    "P": "부분(P)",
    "R": "거절(R)",
    "NC": "비접촉(NC)",
    "O": "기타(O)",
    "NE": "비적격(NE)",
    "RR1": "RR1",
    "COOP1": "COOP1",
    "REF1": "REF1",
    "CON1": "CON1",
}


def rate_section(store: Store, survey_id: int) -> pd.DataFrame:
    """The wave's dispositions and AAPOR rates: a Seoul row, then one row per district."""
    overall = wave_rates(store, survey_id).assign(구분="서울 전체")
    by_district = wave_rates(store, survey_id, by="district_code")
    districts = stored_table(store, "districts")
    names = dict(zip(districts["code"].astype(str), districts["name_ko"], strict=True))
    by_district["구분"] = (
        by_district["district_code"]
        .astype(str)
        .map(names)
        .fillna(by_district["district_code"].astype(str))
    )
    table = pd.concat([overall, by_district], ignore_index=True)
    table = table[["구분", *RATE_COLUMNS]].rename(columns=RATE_COLUMNS)
    counts = [RATE_COLUMNS[c] for c in ("invited", "I", "P", "R", "NC", "O", "NE")]
    table[counts] = table[counts].astype("int64")
    # the dispositions as recorded now (no weights version keeps them): said on every row
    table["기준"] = f"응답 결과 기록, 보고서 작성 시점 {datetime.now():%Y-%m-%d %H:%M}"
    return table


def survey_report(
    store: Store,
    survey_id: int,
    *,
    weights_ids: list[int] | tuple[int, ...] | None = None,
    progress: Progress = lambda fraction, message: None,
) -> Report:
    """The report of any survey: a wave's carries its AAPOR rates, a cross-section's is as is."""
    extra = None
    if survey_info(store, survey_id).kind == "panel_wave":
        extra = {RATE_SECTION: rate_section(store, survey_id)}
    return build_report(
        store, survey_id, weights_ids=weights_ids, extra_methodology=extra, progress=progress
    )
