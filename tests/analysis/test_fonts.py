"""The Korean font is found where it is installed, and its absence names the package to install."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager

from analysis.reports import pdf
from analysis.reports.fonts import (
    BOLD,
    FAMILY,
    REGULAR,
    FontMissing,
    find_korean_font,
    use_korean_font,
)


@pytest.fixture(scope="module")
def system_font():
    return find_korean_font()


def test_the_system_font_is_nanum_gothic_regular_and_bold(system_font):
    assert system_font.regular.name == REGULAR and system_font.bold.name == BOLD
    assert system_font.regular.is_file() and system_font.bold.is_file()
    assert system_font.family == FAMILY


def test_a_font_in_any_folder_is_found(tmp_path, system_font):
    folder = tmp_path / "fonts" / "korean"  # not the usual place, and one level down
    folder.mkdir(parents=True)
    for path in (system_font.regular, system_font.bold):
        shutil.copy(path, folder / path.name)
    found = find_korean_font([tmp_path])
    assert (found.regular, found.bold) == (folder / REGULAR, folder / BOLD)
    assert found.directories == (folder,)


def test_a_missing_font_names_the_debian_package(tmp_path):
    with pytest.raises(FontMissing, match="fonts-nanum") as missing:
        find_korean_font([tmp_path])
    assert REGULAR in str(missing.value) and str(tmp_path) in str(missing.value)


def test_a_missing_bold_face_is_missing_too(tmp_path, system_font):
    shutil.copy(system_font.regular, tmp_path / REGULAR)
    with pytest.raises(FontMissing, match=BOLD):
        find_korean_font([tmp_path])


def test_the_pdf_uses_the_found_font_and_stops_without_it(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "find_korean_font", lambda: find_korean_font([tmp_path]))
    with pytest.raises(FontMissing, match="fonts-nanum"):
        pdf._Report("보고서")


def test_matplotlib_charts_draw_in_the_found_font(system_font):
    font = use_korean_font()
    assert font == system_font
    assert matplotlib.rcParams["font.family"] == [FAMILY]
    found = font_manager.findfont(font_manager.FontProperties(family=FAMILY))
    assert Path(found) == system_font.regular
