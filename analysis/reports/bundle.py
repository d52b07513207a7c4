"""The managers' report of a survey: one call makes the Excel workbook, the Korean PDF and a CSV bundle.

``build_report(store, survey_id)`` gathers the content once
(:mod:`analysis.reports.content`: indicator tables on the chosen weights
versions, key findings, changes since the previous survey, methodology,
codebook) and renders it three ways — :mod:`analysis.reports.excel`,
:mod:`analysis.reports.pdf` with charts from :mod:`analysis.reports.charts`, and
the zip of CSVs here — so the files agree number for number. ``progress`` is
called with increasing fractions from 0 to 1 and a Korean / English message,
for a page's progress bar.

A cross-section's content comes from :func:`analysis.reports.content.gather`
(persons 15+ and households, calibration-aware SEs, change since the previous
year with independent samples); a panel wave's from
:func:`analysis.reports.wave_content.gather_wave` (one respondent per household,
every question's results, change since the previous wave with the joint SE).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.reports.charts import changes_chart, happiness_bars, happiness_tiles, question_chart
from analysis.reports.content import ReportContent, gather
from analysis.reports.excel import workbook_bytes
from analysis.reports.pdf import report_pdf
from analysis.reports.wave_content import gather_wave
from data.spreadsheet_safety import csv_bytes
from data.store import Store
from surveys.opening import survey_info

Progress = Callable[[float, str], None]


@dataclass
class Report:
    excel: bytes
    pdf: bytes
    csv_zip: bytes
    summary: dict[str, Any] = field(default_factory=dict)
    file_stem: str = "report"

    @property
    def files(self) -> dict[str, bytes]:
        """File name -> bytes, for download buttons."""
        return {
            f"{self.file_stem}.xlsx": self.excel,
            f"{self.file_stem}.pdf": self.pdf,
            f"{self.file_stem}_csv.zip": self.csv_zip,
        }

    def write(self, folder: Path) -> list[Path]:
        """Write the three files into ``folder`` (made if missing); returns their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in self.files.items():
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
        return paths


def csv_bundle(content: ReportContent) -> bytes:
    """A zip: one CSV per domain dimension, changes.csv, questions.csv, methodology.csv,
    codebook.csv, summary.csv and findings.csv (the key findings, as the PDF and the
    workbook's summary state them).

    Suppressed estimates are empty cells. methodology.csv stacks the
    methodology sections with a ``구분`` (section) column. Every file is UTF-8 with BOM, and a
    text cell a spreadsheet could run as a formula (a survey title ``=HYPERLINK(…)``) starts with
    an apostrophe (:mod:`data.spreadsheet_safety`).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for number, (title, table) in enumerate(content.domain_tables.items(), start=1):
            bundle.writestr(f"{number:02d}_{title}.csv", csv_bytes(table))
        if content.changes is not None:
            bundle.writestr("changes.csv", csv_bytes(content.changes))
        if content.questions is not None:
            bundle.writestr("questions.csv", csv_bytes(content.questions))
        sections = [t.assign(구분=title) for title, t in content.methodology.items()]
        methodology = pd.concat(sections, ignore_index=True)
        methodology = methodology[["구분", *[c for c in methodology.columns if c != "구분"]]]
        bundle.writestr("methodology.csv", csv_bytes(methodology))
        bundle.writestr("codebook.csv", csv_bytes(content.codebook))
        bundle.writestr("summary.csv", csv_bytes(content.summary.astype(str)))
        findings = pd.DataFrame(
            {"번호": range(1, len(content.findings) + 1), "주요 결과": content.findings}
        )
        bundle.writestr("findings.csv", csv_bytes(findings))
    return buffer.getvalue()


def _summary(content: ReportContent) -> dict[str, Any]:
    seoul = content.happiness_seoul
    changes = content.changes
    happiness = None if seoul is None or pd.isna(seoul["estimate"]) else float(seoul["estimate"])
    return {
        "survey_id": content.survey.survey_id,
        "survey_code": content.survey.code,
        "title_ko": content.survey.title_ko,
        "kind": content.kind,
        "weights_ids": {unit: v.weights_id for unit, v in content.versions.items()},
        "happiness_index": happiness,
        "excluded": dict(content.excluded),
        "previous_survey": content.previous.code if content.previous else None,
        "significant_changes": None if changes is None else int(changes["significant"].sum()),
        "findings": list(content.findings),
        "sheets": list(content.domain_tables),
        "questions": 0
        if content.question_results is None
        else int(content.question_results["question"].nunique()),
        "made_at": content.made_at,
    }


def build_report(
    store: Store,
    survey_id: int,
    *,
    weights_ids: list[int] | tuple[int, ...] | None = None,
    extra_methodology: dict[str, pd.DataFrame] | None = None,
    progress: Progress = lambda fraction, message: None,
) -> Report:
    """The full report of a cross-section survey or a panel wave on the chosen weights versions.

    ``weights_ids`` names weights versions of the survey (at most one per unit,
    household and person; a wave has household weights only); a unit not named uses
    its newest version. ``extra_methodology`` (waves) adds methodology sections after
    the response rates — the panel passes its AAPOR rates.
    """
    progress(0.0, "보고서 준비 중 / preparing the report")
    if survey_info(store, survey_id).kind == "panel_wave":
        content = gather_wave(
            store,
            survey_id,
            weights_ids=weights_ids,
            extra_methodology=extra_methodology,
            progress=progress,
            stop=0.6,
        )
    else:
        content = gather(store, survey_id, weights_ids=weights_ids, progress=progress, stop=0.6)
    progress(0.65, "그림 그리는 중 / drawing the charts")
    charts = {}
    if content.has_happiness:
        charts["tiles"] = happiness_tiles(content)
        charts["bars"] = happiness_bars(content)
    if content.changes is not None and content.previous is not None:
        charts["changes"] = changes_chart(content.changes, content.previous_name)
    answers_are_findings = content.kind == "panel_wave" or not len(content.table)
    if answers_are_findings and content.question_results is not None:
        chart = question_chart(content.question_results)  # a wave's (or an own form's) findings
        if chart is not None:
            charts["questions"] = chart
    progress(0.75, "엑셀 파일 작성 중 / writing the Excel workbook")
    excel = workbook_bytes(content)
    progress(0.82, "PDF 작성 중 / writing the PDF")
    pdf = report_pdf(content, charts)
    progress(0.95, "CSV 묶음 작성 중 / writing the CSV bundle")
    csv_zip = csv_bundle(content)
    progress(1.0, "완료 / done")
    return Report(excel, pdf, csv_zip, _summary(content), f"{content.survey.code}_report")
