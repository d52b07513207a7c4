"""The report as a Korean PDF (A4): cover, key findings with charts, tables, methodology appendix.

fpdf2 embeds (a subset of) NanumGothic, regular and bold (found by
:func:`analysis.reports.fonts.find_korean_font`), so the Hangul is
real text: it prints, searches and extracts (``pdftotext``). Charts come as
PNG bytes from :mod:`analysis.reports.charts`; every number is formatted by
:func:`analysis.reports.content.format_value`, so a suppressed estimate is
printed '–' exactly as in the workbook.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from analysis.reports.content import ReportContent
from analysis.reports.findings import SUPPRESSED, decimals, format_value, signed_change
from analysis.reports.fonts import FontMissing, find_korean_font
from analysis.reports.published import FLAG_TITLES

__all__ = ["FontMissing", "report_pdf"]

FONT = "Nanum"
BLUE = (31, 78, 121)
HEADER = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)


class _Report(FPDF):
    """A4 portrait with the Korean font and a page footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        font = find_korean_font()  # raises FontMissing, naming the package to install
        self.add_font(FONT, "", str(font.regular))
        self.add_font(FONT, "B", str(font.bold))
        self.footer_text = footer_text
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)


def _heading(pdf: _Report, text: str, size: float = 15) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1.5)


def _paragraph(pdf: _Report, text: str, size: float = 9.5, bullet: bool = False) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, size * 0.55, ("• " if bullet else "") + text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(
    pdf: _Report,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    align: Sequence[str] | None = None,
    size: float = 8,
) -> None:
    pdf.set_font(FONT, "", size)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(align) if align else "LEFT",
        line_height=size * 0.55,
        headings_style=HEADER,
        borders_layout="HORIZONTAL_LINES",
        padding=0.5,
    ) as table:
        heading = table.row()
        for title in header:
            heading.cell(title)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(str(value))
    pdf.ln(3)


def _image(pdf: _Report, png: bytes, width: float) -> None:
    x = (pdf.w - width) / 2
    pdf.image(io.BytesIO(png), x=x, w=width)
    pdf.ln(3)


# ---- pages -----------------------------------------------------------------------------------
def _cover(pdf: _Report, content: ReportContent) -> None:
    pdf.add_page()
    survey = content.survey
    pdf.ln(45)
    pdf.set_font(FONT, "B", 26)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 13, f"{survey.title_ko}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 11, "결과 보고서", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    if survey.title_en:
        pdf.multi_cell(
            0, 6, f"{survey.title_en}: results report", align="C", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(30)
    facts = [
        ("조사 코드", survey.code),
        ("조사 기간", content.field_period or "–"),
        ("가중치 버전", ", ".join(v.label for v in content.versions.values())),
        ("작성일", content.made_at),
    ]
    pdf.set_font(FONT, "", 10.5)
    for label, value in facts:
        pdf.set_x(40)
        pdf.set_font(FONT, "B", 10.5)
        pdf.cell(32, 7, label)
        pdf.set_font(FONT, "", 10.5)
        pdf.multi_cell(pdf.w - 40 - 32 - 18, 7, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(30)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(
        0,
        4.8,
        "이 보고서의 모든 수치는 위 가중치 버전으로 추정한 값입니다. 표의 '주의'는 사례 수 30 미만"
        " 또는 변동계수 0.3 초과, '–'는 변동계수 0.5 초과로 공표하지 않는 추정값입니다.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)


def _findings(pdf: _Report, content: ReportContent, charts: dict[str, bytes]) -> None:
    pdf.add_page()
    _heading(pdf, "1. 주요 결과")
    for line in content.findings:
        _paragraph(pdf, line, bullet=True)
    pdf.ln(2)
    if "tiles" in charts:
        _heading(pdf, "자치구별 행복지수", 12)
        _image(pdf, charts["tiles"], 140)
    if "bars" in charts:
        pdf.add_page()
        _image(pdf, charts["bars"], 140)
    if "questions" in charts:
        pdf.add_page()
        _heading(pdf, "문항별 응답 분포", 12)
        _image(pdf, charts["questions"], 165)
    if content.changes is None or content.previous is None:
        if len(content.table):
            _paragraph(pdf, "비교할 이전 조사가 없어 변화를 보이지 않습니다.")
        return
    pdf.add_page()
    before, now = content.previous_name, content.name
    _heading(pdf, f"{before} 조사 대비 가장 큰 변화", 12)
    _paragraph(
        pdf,
        f"{content.change_note} 지표마다 단위가 달라 그림은 이전 값 대비 변화율로 보이고,"
        " 표는 원래 단위의 차이를 보입니다.",
        size=8.5,
    )
    _image(pdf, charts["changes"], 125)
    rows = []
    for change in content.changes.itertuples(index=False):
        unit = change.unit
        rows.append(
            [
                change.name_ko,
                unit,
                format_value(change.estimate_b, unit),
                format_value(change.estimate_a, unit),
                signed_change(change.difference, unit),
                _interval(change.ci_low, change.ci_high, unit),
                _p_value(change.p_value),
                "유의" if change.significant else "",
            ]
        )
    _table(
        pdf,
        ["지표", "단위", before, now, "차이", "차이의 95% 신뢰구간", "p값", "5% 유의"],
        rows,
        [44, 17, 15, 15, 17, 30, 13, 13],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "CENTER", "RIGHT", "CENTER"],
        size=7.5,
    )


def _interval(low: float, high: float, unit: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return SUPPRESSED
    return f"{format_value(low, unit)} ~ {format_value(high, unit)}"


def _p_value(p: float) -> str:
    if pd.isna(p):
        return SUPPRESSED
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _ci(row: pd.Series, unit: str) -> str:
    if row["flag"] == "suppressed":
        return SUPPRESSED
    return _interval(row["ci_low"], row["ci_high"], unit)


def _stat_cells(row: pd.Series, unit: str) -> list[str]:
    """Estimate, SE, 95% CI, CV, n and flag of one table row, as printed."""
    return [
        format_value(row["estimate"], unit, flag=row["flag"]),
        _se(row, unit),
        _ci(row, unit),
        f"{row['cv']:.3f}" if pd.notna(row["cv"]) else SUPPRESSED,
        f"{int(row['n']):,}",
        FLAG_TITLES.get(row["flag"], row["flag"]),
    ]


def _se(row: pd.Series, unit: str) -> str:
    """The SE with one digit more than its estimate; '–' when the estimate is suppressed."""
    if row["flag"] == "suppressed" or pd.isna(row["se"]):
        return SUPPRESSED
    return f"{float(row['se']):,.{decimals(unit) + 1}f}"


def _tables(pdf: _Report, content: ReportContent) -> None:
    pdf.add_page()
    _heading(pdf, "2. 지표표" if len(content.table) else "2. 결과표")
    if len(content.table):
        _seoul_table(pdf, content)
    if content.happiness_by_district is not None and content.happiness_seoul is not None:
        _district_table(pdf, content.happiness_by_district, str(content.happiness_seoul["unit"]))
    if content.question_results is None or not len(content.question_results):
        return
    if content.kind == "panel_wave" or not len(content.table):  # its answers are its results
        _question_tables(pdf, content.question_results)
    else:
        _paragraph(
            pdf,
            "설문지의 모든 문항별 결과(서울 전체: 보기별 비율과 평균, 표준오차, 신뢰구간)는 엑셀 파일의"
            " '문항별 결과' 시트와 CSV 묶음(questions.csv)에 있습니다.",
            size=8.5,
        )


def _seoul_table(pdf: _Report, content: ReportContent) -> None:
    _heading(pdf, "서울 전체 지표", 12)
    seoul = content.table[content.table["domain"] == "seoul"]
    rows = [
        [row["name_ko"], str(row["unit"]), *_stat_cells(row, str(row["unit"]))]
        for _, row in seoul.iterrows()
    ]
    _table(
        pdf,
        ["지표", "단위", "추정값", "표준오차", "95% 신뢰구간", "CV", "n", "표시"],
        rows,
        [54, 19, 17, 16, 28, 12, 14, 12],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "CENTER", "RIGHT", "RIGHT", "CENTER"],
    )


def _district_table(pdf: _Report, districts: pd.DataFrame, unit: str) -> None:
    _heading(pdf, "자치구별 행복지수", 12)
    rows = [
        [row["district_code"], row["name_ko"], *_stat_cells(row, unit)]
        for _, row in districts.iterrows()
    ]
    _table(
        pdf,
        ["코드", "자치구", "행복지수", "표준오차", "95% 신뢰구간", "CV", "n", "표시"],
        rows,
        [18, 30, 20, 20, 34, 14, 17, 17],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "CENTER", "RIGHT", "RIGHT", "CENTER"],
        size=7.5,
    )


def _question_tables(pdf: _Report, results: pd.DataFrame) -> None:
    """Seoul-wide results of every question (domains are in the workbook and the CSVs)."""
    _heading(pdf, "문항별 결과 (서울 전체)", 12)
    _paragraph(
        pdf,
        "비율은 그 문항에 응답한 가구 중 각 보기를 고른 가중 백분율(%), 평균은 응답한 가구의"
        " 가중 평균입니다. 성별·연령대·가구유형·소득·자치구별 결과는 엑셀 파일과 CSV 묶음에 있습니다.",
        size=8,
    )
    seoul = results[results["domain"] == "seoul"]
    for _question, part in seoul.groupby("question", sort=False):
        first = part.iloc[0]
        _paragraph(pdf, f"{first['label_ko']} ({first['question']})", size=8.5)
        percent = first["statistic"] == "percent"
        unit = "%" if percent else str(first["unit"] or "")
        rows = [
            [
                row["choice_ko"] if percent else f"평균 ({unit})" if unit else "평균",
                *_stat_cells(row, unit),
            ]  # fmt: skip
            for _, row in part.iterrows()
        ]
        _table(
            pdf,
            [
                "보기" if percent else "통계",
                "비율(%)" if percent else "추정값",
                "표준오차",
                "95% 신뢰구간",
                "CV",
                "n",
                "표시",
            ],  # fmt: skip
            rows,
            [58, 18, 18, 32, 14, 16, 14],
            ["LEFT", "RIGHT", "RIGHT", "CENTER", "RIGHT", "RIGHT", "CENTER"],
            size=7,
        )


KNOWN_SECTIONS = frozenset(
    {"표본 설계", "응답률", "자치구별 응답률", "가중치 작성 단계", "보정 총계와 출처",
     "보정 총계 값", "추정 제외 응답", "분산 추정"}
)  # fmt: skip


def _plain(pdf: _Report, frame: pd.DataFrame) -> None:
    """Any small table, columns of equal width, numbers as they print best."""

    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return SUPPRESSED
        if isinstance(value, float):
            return f"{value:.3f}" if abs(value) < 1 else f"{value:,.1f}"
        return f"{value:,}" if isinstance(value, int) else str(value)

    width = (pdf.w - pdf.l_margin - pdf.r_margin) / max(1, len(frame.columns))
    rows = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    _table(pdf, [str(c) for c in frame.columns], rows, [width] * len(frame.columns), size=7)


def _with_basis_said(pdf: _Report, frame: pd.DataFrame) -> pd.DataFrame:
    """A table whose rows share one '기준' (what its figures are as of): say it once, above."""
    if "기준" not in frame.columns or frame["기준"].nunique() != 1:
        return frame
    _paragraph(pdf, f"기준: {frame['기준'].iloc[0]}", size=8)
    return frame.drop(columns=["기준"])


def _methodology(pdf: _Report, content: ReportContent) -> None:
    pdf.add_page()
    _heading(pdf, "부록. 방법론")
    methodology = content.methodology
    _heading(pdf, "표본 설계", 11)
    design = methodology["표본 설계"]
    _table(pdf, ["항목", "값"], design.astype(str).values.tolist(), [50, 124], size=7.5)
    _heading(pdf, "응답률", 11)
    overall = methodology["응답률"]
    rows = [
        [item, f"{int(count):,}", "" if pd.isna(rate) else f"{rate:.1%}", basis]
        for item, count, rate, basis in overall.itertuples(index=False)
    ]
    _table(
        pdf,
        ["항목", "수", "응답률", "기준"],
        rows,
        [62, 16, 16, 80],
        ["LEFT", "RIGHT", "RIGHT", "LEFT"],
        7,
    )
    for title, extra in methodology.items():
        if title not in KNOWN_SECTIONS:
            _heading(pdf, title, 11)
            _plain(pdf, _with_basis_said(pdf, extra))
    _heading(pdf, "자치구별 응답률", 11)
    by_district = _with_basis_said(pdf, methodology["자치구별 응답률"])
    rows = [
        [code, name, f"{sampled:,}", f"{responded:,}", SUPPRESSED if pd.isna(rate) else f"{rate:.1%}"]
        for code, name, sampled, responded, rate in by_district.itertuples(index=False)
    ]  # fmt: skip
    _table(
        pdf,
        ["코드", "자치구", "표본 가구", "응답 가구", "응답률"],
        rows,
        [25, 40, 35, 35, 35],
        ["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
        7.5,
    )
    _heading(pdf, "가중치 작성 단계", 11)
    steps = methodology["가중치 작성 단계"]
    _table(
        pdf, ["단위", "단계", "내용"], steps.astype(str).values.tolist(), [28, 34, 112], size=7.5
    )
    _heading(pdf, "보정 총계와 출처", 11)
    sources = methodology["보정 총계와 출처"]
    rows = [
        [row.단위, row.보정_변수, row.내용, f"{row.참조_자료} (v{row.자료_버전}, 기준일 {row.기준일})",
         row.출처]
        for row in sources.rename(columns=lambda c: c.replace(" ", "_")).itertuples(index=False)
    ]  # fmt: skip
    _table(
        pdf,
        ["단위", "보정 변수", "내용", "참조 자료", "출처"],
        rows,
        [18, 22, 30, 34, 70],
        size=6.5,
    )
    _heading(pdf, "추정 제외 응답", 11)
    exclusions = methodology["추정 제외 응답"]
    _table(pdf, list(exclusions.columns), exclusions.astype(str).values.tolist(), [40, 60, 30])
    if "분산 추정" in methodology:
        _heading(pdf, "분산 추정", 11)
        variance = methodology["분산 추정"]
        _table(pdf, ["항목", "내용"], variance.astype(str).values.tolist(), [50, 124], size=7.5)
    _paragraph(pdf, content.variance_note, size=8)


def report_pdf(content: ReportContent, charts: dict[str, bytes]) -> bytes:
    """The PDF file; ``charts`` holds PNGs 'tiles', 'bars' and (with a comparison) 'changes'."""
    pdf = _Report(f"{content.survey.title_ko} 결과 보고서")
    pdf.set_title(f"{content.survey.title_ko} 결과 보고서")
    pdf.set_author("서울서베이 / Seoul Survey")
    _cover(pdf, content)
    _findings(pdf, content, charts)
    _tables(pdf, content)
    _methodology(pdf, content)
    subsetter = logging.getLogger("fontTools.subset")
    level = subsetter.level
    subsetter.setLevel(logging.ERROR)  # "TSI0 NOT subset": harmless hinting tables, dropped
    try:
        return bytes(pdf.output())
    finally:
        subsetter.setLevel(level)
