"""The managers' report: the workbook, the PDF's text and the CSV bundle carry the published numbers."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.reports.bundle import Report, build_report
from analysis.reports.findings import SUPPRESSED, format_value
from analysis.reports.published import ESTIMATE, FLAG
from analysis.reports.versions import weights_versions
from analysis.tables import indicator_table
from surveys.opening import survey_by_code


@pytest.fixture(scope="module")
def report_store(module_demo_store):
    return module_demo_store


@pytest.fixture(scope="module")
def survey_id(report_store) -> int:
    return survey_by_code(report_store, "seoul-2026").survey_id


@pytest.fixture(scope="module")
def table(report_store, survey_id) -> pd.DataFrame:
    return indicator_table(report_store, survey_id)


@pytest.fixture(scope="module")
def built(report_store, survey_id) -> tuple[Report, list[tuple[float, str]]]:
    calls: list[tuple[float, str]] = []
    report = build_report(report_store, survey_id, progress=lambda f, m: calls.append((f, m)))
    return report, calls


def _text_of(pdf: bytes, folder) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pdf_text(built, tmp_path_factory) -> str:
    return _text_of(built[0].pdf, tmp_path_factory.mktemp("pdf"))


def _seoul(table: pd.DataFrame, indicator: str) -> pd.Series:
    return table[(table["indicator"] == indicator) & (table["domain"] == "seoul")].iloc[0]


# ---- Excel -----------------------------------------------------------------------------------
def test_workbook_has_the_expected_sheets(built):
    sheets = load_workbook(io.BytesIO(built[0].excel), read_only=True).sheetnames
    assert sheets[0] == "요약"
    for name in (
        "서울 전체",
        "자치구",
        "성별",
        "연령대",
        "가구소득",
        "가구유형",
        "성별×연령대",
        "방법론",
        "코드북",
    ):
        assert name in sheets
    assert "전년 대비 변화" in sheets


def test_workbook_seoul_happiness_index_equals_the_indicator_table(built, table):
    sheet = pd.read_excel(io.BytesIO(built[0].excel), sheet_name="서울 전체")
    row = sheet[sheet["지표 ID"] == "happiness_index"].iloc[0]
    expected = _seoul(table, "happiness_index")
    assert row[ESTIMATE] == pytest.approx(expected["estimate"], rel=1e-12)
    assert row["표준오차"] == pytest.approx(expected["se"], rel=1e-12)
    assert int(row["사례 수(n)"]) == int(expected["n"])


def test_workbook_district_sheet_has_every_district_and_flags(built, table):
    sheet = pd.read_excel(
        io.BytesIO(built[0].excel), sheet_name="자치구", dtype={"자치구 코드": str}
    )
    happiness = sheet[sheet["지표 ID"] == "happiness_index"]
    assert len(happiness) == 25
    assert happiness["자치구"].str.endswith("구").all()
    published = table[
        (table["indicator"] == "happiness_index") & (table["domain"] == "district_code")
    ]
    assert happiness["자치구 코드"].tolist() == published["district_code"].astype(str).tolist()
    assert set(sheet[FLAG].dropna()) <= {"주의", "비공표"}


def test_workbook_formats_freeze_and_filter_the_domain_sheets(built):
    book = load_workbook(io.BytesIO(built[0].excel))
    sheet = book["서울 전체"]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    estimate = sheet.cell(row=2, column=header.index(ESTIMATE) + 1)
    assert estimate.number_format in ("#,##0.00", "#,##0.0")


def test_suppressed_estimates_are_not_numbers(built, table):
    suppressed = table[table["flag"] == "suppressed"]
    assert len(suppressed), "the small demo has suppressed estimates to check"
    book = pd.read_excel(io.BytesIO(built[0].excel), sheet_name=None)
    shown = pd.concat([book[s] for s in ("서울 전체", "자치구", "성별", "연령대", "가구소득")])
    hidden = shown[shown[FLAG] == "비공표"]
    assert len(hidden)
    assert (hidden[ESTIMATE] == SUPPRESSED).all()
    assert (hidden["95% 하한"] == SUPPRESSED).all()


def test_summary_and_methodology_sheets(built, table):
    book = pd.read_excel(io.BytesIO(built[0].excel), sheet_name=None, header=None)
    summary = book["요약"].astype(str).to_string()
    for text in ("주요 결과", "응답률", "가중치 버전", "추정 제외 응답", "2026 서울서베이"):
        assert text in summary
    methodology = book["방법론"].astype(str).to_string()
    for text in ("표본 설계", "자치구별 응답률", "가중치 작성 단계", "보정 총계와 출처", "population_margins",
                 "household_margins", "2025-10-31", "종로구"):  # fmt: skip
        assert text in methodology
    codebook = pd.read_excel(io.BytesIO(built[0].excel), sheet_name="코드북")
    assert {"happy_health", "income", "tenure"} <= set(codebook["변수명"])
    tenure = codebook[codebook["변수명"] == "tenure"].iloc[0]
    assert "1=자가" in tenure["보기"]


# ---- PDF -------------------------------------------------------------------------------------
def test_pdf_text_has_the_korean_headings_and_the_happiness_index(pdf_text, table):
    for heading in ("주요 결과", "방법론", "지표표", "자치구별 행복지수", "2026 서울서베이"):
        assert heading in pdf_text
    seoul = _seoul(table, "happiness_index")
    assert format_value(seoul["estimate"], seoul["unit"]) in pdf_text
    assert f"행복지수는 {format_value(seoul['estimate'], seoul['unit'])}점" in pdf_text


def test_pdf_shows_suppressed_estimates_as_a_dash(report_store, survey_id, monkeypatch, tmp_path):
    # The demo's Seoul-wide estimates are all precise enough to publish; a stricter
    # suppression rule hides some of them, as a smaller survey's CVs would.
    from analysis import indicators

    monkeypatch.setattr(indicators, "SUPPRESS_CV", 0.05)
    table = indicator_table(report_store, survey_id)
    seoul = table[table["domain"] == "seoul"]
    hidden = seoul[seoul["flag"] == "suppressed"]
    assert not hidden.empty and hidden["estimate"].isna().all()
    pdf_text = _text_of(build_report(report_store, survey_id).pdf, tmp_path)
    name = hidden.iloc[0]["name_ko"]
    lines = [line for line in pdf_text.splitlines() if line.strip().startswith(name)]
    assert lines
    assert any(SUPPRESSED in line and "비공표" in line for line in lines)


def test_pdf_embeds_nanum_gothic(built):
    assert b"NanumGothic" in built[0].pdf
    assert built[0].pdf.startswith(b"%PDF")


# internal names of methods, as the sample design and the weights versions record them
INTERNAL_NAMES = ("proportional_floor", "rake (IPF)", "maxit", "weighting classes",
                  "median weight", "district_code", "ea_id", "sex x age_group", "households by")  # fmt: skip
METHODS_IN_KOREAN = ("최소 표본 보장 비례배분", "레이킹 (반복비례조정, IPF)", "조정 계층별 무응답 조정",
                     "가중치 중앙값의 5배", "서울 전체 평균과의 편차")  # fmt: skip


def test_pdf_methodology_writes_the_methods_in_korean_not_their_internal_names(pdf_text):
    methodology = pdf_text[pdf_text.index("부록. 방법론") :]
    for wording in METHODS_IN_KOREAN:
        assert wording in methodology
    for name in INTERNAL_NAMES:
        assert name not in methodology


def test_workbook_and_csv_methodology_write_the_methods_in_korean(built):
    sheet = pd.read_excel(io.BytesIO(built[0].excel), sheet_name="방법론", header=None)
    with zipfile.ZipFile(io.BytesIO(built[0].csv_zip)) as bundle:
        csv = pd.read_csv(bundle.open("methodology.csv"), encoding="utf-8-sig")
    for table in (sheet, csv.drop(columns=["자료 ID"])):  # the reference tables' ids, for tracing
        text = " ".join(str(v) for v in table.to_numpy().ravel())
        for wording in METHODS_IN_KOREAN:
            assert wording in text
        for name in INTERNAL_NAMES:
            assert name not in text


def test_codebook_names_question_types_in_korean(built):
    codebook = pd.read_excel(io.BytesIO(built[0].excel), sheet_name="코드북")
    assert codebook.loc[codebook["변수명"] == "tenure", "유형"].iloc[0] == "단일 선택"


# ---- CSV bundle and progress -----------------------------------------------------------------
def test_csv_bundle_holds_the_same_tables(built, table):
    with zipfile.ZipFile(io.BytesIO(built[0].csv_zip)) as bundle:
        names = bundle.namelist()
        assert "methodology.csv" in names and "codebook.csv" in names
        seoul_name = next(n for n in names if n.endswith("서울 전체.csv"))
        raw = bundle.read(seoul_name)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert len([n for n in names if n[:2].isdigit()]) == 7  # one per domain dimension
    seoul = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    row = seoul[seoul["지표 ID"] == "happiness_index"].iloc[0]
    assert row[ESTIMATE] == pytest.approx(_seoul(table, "happiness_index")["estimate"])
    hidden = seoul[seoul[FLAG] == "비공표"]
    assert hidden[ESTIMATE].isna().all()


def test_csv_bundle_states_the_key_findings_as_the_pdf_and_workbook_do(built):
    with zipfile.ZipFile(io.BytesIO(built[0].csv_zip)) as bundle:
        findings = pd.read_csv(bundle.open("findings.csv"), encoding="utf-8-sig")
    assert findings["주요 결과"].tolist() == built[0].summary["findings"]
    summary = pd.read_excel(io.BytesIO(built[0].excel), sheet_name="요약", header=None)
    shown = [str(v)[2:] for v in summary[0] if str(v).startswith("• ")]
    assert shown == built[0].summary["findings"]


def test_progress_increases_to_one(built):
    fractions = [f for f, _ in built[1]]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(b >= a for a, b in zip(fractions, fractions[1:], strict=False))
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert all(message for _, message in built[1])


def test_summary_names_weights_and_comparison(built, report_store, survey_id):
    summary = built[0].summary
    versions = weights_versions(report_store, survey_id)
    assert summary["weights_ids"] == {u: v.weights_id for u, v in versions.items()}
    assert summary["previous_survey"] == "seoul-2025"
    assert summary["excluded"] == {"households": 0, "persons15": 0}


def test_a_chosen_older_weights_version_gives_its_own_table(demo_store):
    from analysis.reports.versions import report_table
    from analysis.weights.survey_weights import make_weights

    survey_id = survey_by_code(demo_store, "seoul-2026").survey_id
    before = indicator_table(demo_store, survey_id)
    old = weights_versions(demo_store, survey_id)
    make_weights(demo_store, survey_id, actor="test")  # newer versions exist now
    assert weights_versions(demo_store, survey_id)["person"].version == 2
    chosen = weights_versions(demo_store, survey_id, [v.weights_id for v in old.values()])
    assert {u: v.version for u, v in chosen.items()} == {"household": 1, "person": 1}
    again = report_table(demo_store, survey_id, chosen)
    assert set(again["weights_id"]) == {v.weights_id for v in old.values()}
    pd.testing.assert_series_equal(again["estimate"], before["estimate"], rtol=1e-9)
    with pytest.raises(ValueError, match="do not belong"):
        weights_versions(demo_store, survey_id, [10_000])


def test_cli_writes_the_report_of_a_year(demo_path, tmp_path):
    import os
    import sys

    env = {**os.environ, "SEOUL_DB": str(demo_path)}
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--survey", "seoul-2026", "--out",
         str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["seoul-2026_report.pdf", "seoul-2026_report.xlsx", "seoul-2026_report_csv.zip"]
    sheets = load_workbook(tmp_path / "out" / "seoul-2026_report.xlsx", read_only=True).sheetnames
    assert "전년 대비 변화" in sheets


def test_a_year_whose_catalogue_has_no_happiness_index_still_gets_its_report(
    report_store, survey_id, monkeypatch
):
    from analysis.indicators import load_catalogue
    from analysis.reports import content as report_content

    without = [i for i in load_catalogue() if i.id != "happiness_index"]
    monkeypatch.setattr(report_content, "load_catalogue", lambda: without)
    report = build_report(report_store, survey_id)
    assert report.summary["happiness_index"] is None
    assert "행복지수 문항을 묻지 않습니다" in " ".join(report.summary["findings"])
    assert report.pdf.startswith(b"%PDF")
    sheets = load_workbook(io.BytesIO(report.excel), read_only=True).sheetnames
    assert "자치구" in sheets  # the other indicators are still published by district


def test_every_question_of_the_year_is_in_the_workbook_seoul_wide(report_store, survey_id, built):
    from analysis.designs import analysis_frame

    sheet = pd.read_excel(io.BytesIO(built[0].excel), sheet_name="문항별 결과")
    sheet = sheet[sheet["부분"].isin(["가구", "가구원(15세 이상)"])]  # the note row is below
    assert set(sheet["부분"]) == {"가구", "가구원(15세 이상)"}
    assert set(sheet["구분"]) == {"서울 전체"}
    frame = analysis_frame(report_store, survey_id, "households")
    answered = frame.dropna(subset=["tenure"])
    w = answered["weight"]
    for code in sorted(answered["tenure"].unique())[:3]:
        expected = 100 * w[answered["tenure"] == code].sum() / w.sum()
        row = sheet[(sheet["변수명"] == "tenure") & (sheet["보기 코드"] == code)]
        assert row["추정값"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert built[0].summary["questions"] == sheet["변수명"].nunique()
