"""A panel wave's report: every question's results, the change since the previous wave, its weights."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.designs import analysis_frame
from analysis.reports.bundle import Report, build_report
from analysis.reports.versions import weights_versions
from analysis.trends import wave_change
from surveys.opening import survey_by_code


@pytest.fixture(scope="module")
def wave_store(module_demo_store):
    return module_demo_store


def _wave(store, number: int) -> int:
    return survey_by_code(store, f"panel-2026-w{number}").survey_id


@pytest.fixture(scope="module")
def policy(wave_store) -> Report:
    """Wave 2, the policy-demand survey: it asks none of the catalogue's indicators."""
    return build_report(wave_store, _wave(wave_store, 2))


@pytest.fixture(scope="module")
def parallel(wave_store) -> Report:
    """Wave 3, the Seoul Survey parallel survey again: indicators, and a change since wave 1."""
    return build_report(wave_store, _wave(wave_store, 3))


def _sheets(report: Report) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(report.excel), sheet_name=None)


def _pdf_text(report: Report, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    path = tmp_path / "wave.pdf"
    path.write_bytes(report.pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_a_policy_wave_reports_every_question_share_as_weighted_by_its_wave_weights(
    wave_store, policy
):
    sheet = _sheets(policy)["문항별 결과"]
    frame = analysis_frame(wave_store, _wave(wave_store, 2), "households")
    answered = frame.dropna(subset=["top_priority"])
    w = answered["weight"]
    for code in (1, 2, 7):
        expected = 100 * w[answered["top_priority"] == code].sum() / w.sum()
        row = sheet[
            (sheet["변수명"] == "top_priority") & (sheet["구분"] == "서울 전체")
            & (sheet["보기 코드"] == code)
        ]  # fmt: skip
        assert row["추정값"].iloc[0] == pytest.approx(expected, rel=1e-9)
    by_sex = sheet[(sheet["변수명"] == "top_priority") & (sheet["구분"] == "성별")]
    assert set(by_sex["범주"]) == {"남자", "여자"} or set(by_sex["범주"]) == {"남성", "여성"}


def test_a_policy_wave_has_no_indicator_sheets_and_says_no_happiness(policy):
    sheets = _sheets(policy)
    assert "자치구" not in sheets and "이전 차수 대비 변화" not in sheets
    assert policy.summary["happiness_index"] is None
    assert policy.summary["kind"] == "panel_wave"
    assert policy.summary["questions"] == 8  # single, multiple and number questions
    assert any("가장 많이 고른 응답" in line for line in policy.summary["findings"])


def test_the_policy_wave_pdf_prints_the_questions_in_korean(policy, tmp_path):
    text = _pdf_text(policy, tmp_path)
    for expected in ("문항별 결과", "서울시가 가장 먼저 힘써야 할 분야는", "일자리·경제", "방법론"):
        assert expected in text


def test_the_csv_bundle_carries_the_same_question_table(policy):
    with zipfile.ZipFile(io.BytesIO(policy.csv_zip)) as bundle:
        questions = pd.read_csv(bundle.open("questions.csv"), encoding="utf-8-sig")
    sheet = _sheets(policy)["문항별 결과"]
    assert "복수 응답" in str(sheet.iloc[-1, 0])  # the note under the table
    sheet = sheet.iloc[: len(questions)]
    assert sheet["변수명"].tolist() == questions["변수명"].tolist()
    np.testing.assert_allclose(
        questions["추정값"].to_numpy(float),
        pd.to_numeric(sheet["추정값"].replace("–", np.nan)).to_numpy(float),  # '–': suppressed
        equal_nan=True,
    )


def test_a_parallel_wave_compares_with_the_previous_wave_asking_the_same_indicators(
    wave_store, parallel
):
    # wave 2 (policy demand) asks none of them, so wave 3 is compared with wave 1
    assert parallel.summary["previous_survey"] == "panel-2026-w1"
    changes = _sheets(parallel)["이전 차수 대비 변화"]
    happiness = changes[changes["지표 ID"] == "happiness_index"].iloc[0]
    expected = wave_change(
        wave_store, _wave(wave_store, 1), _wave(wave_store, 3), "indicator__happiness_index"
    ).iloc[0]
    assert happiness["차이"] == pytest.approx(expected["difference"], rel=1e-9)
    assert happiness["차이 표준오차"] == pytest.approx(expected["se"], rel=1e-9)
    assert happiness["3차"] == pytest.approx(expected["estimate_b"], rel=1e-9)
    assert happiness["1차"] == pytest.approx(expected["estimate_a"], rel=1e-9)
    assert happiness["두 차수 모두 응답한 가구"] == expected["n_both"] > 0


def test_a_parallel_wave_reports_the_happiness_index_by_district(wave_store, parallel, tmp_path):
    sheets = _sheets(parallel)
    assert "자치구" in sheets and "문항별 결과" in sheets
    assert parallel.summary["happiness_index"] is not None
    text = _pdf_text(parallel, tmp_path)
    assert "자치구별 행복지수" in text and "1차 조사 대비 가장 큰 변화" in text
    assert "공분산" in text  # the joint SE is explained


def test_a_wave_report_uses_the_chosen_household_weights_and_refuses_others(wave_store):
    wave = _wave(wave_store, 3)
    versions = weights_versions(wave_store, wave, units=("household",))
    report = build_report(wave_store, wave, weights_ids=[versions["household"].weights_id])
    assert report.summary["weights_ids"] == {"household": versions["household"].weights_id}
    longitudinal = wave_store.scalar(
        "SELECT weights_id FROM weights_versions WHERE survey_id = ? AND unit = 'longitudinal'",
        [wave],
    )
    if longitudinal is not None:
        with pytest.raises(ValueError, match="longitudinal"):
            build_report(wave_store, wave, weights_ids=[int(longitudinal)])


def test_a_wave_without_weights_cannot_be_reported_and_says_so(wave_store):
    from analysis.tables import NoWeights

    with pytest.raises(NoWeights, match="weights"):
        build_report(wave_store, _wave(wave_store, 4))
