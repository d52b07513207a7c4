"""The Korean font of the PDF and its charts (NanumGothic, regular and bold), found, not assumed.

One helper for everything that draws Hangul: the PDF (fpdf2 embeds the two files),
the altair charts exported by vl-convert (:mod:`analysis.reports.vega` registers
the font's directory) and the matplotlib charts (:func:`use_korean_font`).

The files are looked for by name (``NanumGothic.ttf``, ``NanumGothicBold.ttf``) among
the fonts that matplotlib's :func:`~matplotlib.font_manager.findSystemFonts` lists:
fontconfig's ``fc-list`` where it exists, and the standard font directories
(``/usr/share/fonts``, ``/usr/local/share/fonts``, ``~/.local/share/fonts``, ``~/.fonts``
…), so a font installed anywhere fontconfig knows is found. Debian and Ubuntu ship
it in the package ``fonts-nanum``; when it is missing, :class:`FontMissing` says so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from data.text import Refusal, Text

FAMILY = "NanumGothic"
REGULAR, BOLD = "NanumGothic.ttf", "NanumGothicBold.ttf"
PACKAGE = "fonts-nanum"


class FontMissing(Refusal, FileNotFoundError):
    """NanumGothic (regular and bold) is not installed (Debian: apt-get install fonts-nanum)."""


@dataclass(frozen=True)
class KoreanFont:
    """Where NanumGothic was found: the two files and the family name they carry."""

    regular: Path
    bold: Path
    family: str = FAMILY

    @property
    def directories(self) -> tuple[Path, ...]:
        """The directories holding the files (one, usually), for renderers that load a folder."""
        return tuple(dict.fromkeys((self.regular.parent, self.bold.parent)))


def find_korean_font(directories: Sequence[Path | str] | None = None) -> KoreanFont:
    """NanumGothic's regular and bold files, looked for in ``directories`` (and their
    sub-directories), or by default among the system's fonts; raises :class:`FontMissing`
    naming the Debian package when either is not found."""
    if directories is None:
        return _system_font()
    return _pick(_font_files([str(d) for d in directories]), [str(d) for d in directories])


@functools.cache
def _system_font() -> KoreanFont:
    return _pick(_font_files(None), ["the system's font directories (fc-list)"])


def _font_files(directories: list[str] | None) -> list[str]:
    from matplotlib import font_manager

    return font_manager.findSystemFonts(fontpaths=directories, fontext="ttf")


def _pick(files: Iterable[str], where: Sequence[str]) -> KoreanFont:
    by_name: dict[str, Path] = {}
    for file in sorted(files):
        by_name.setdefault(Path(file).name.lower(), Path(file))
    regular, bold = by_name.get(REGULAR.lower()), by_name.get(BOLD.lower())
    if regular is None or bold is None:
        missing = ", ".join(n for n, p in ((REGULAR, regular), (BOLD, bold)) if p is None)
        raise FontMissing(
            "font_missing",
            Text(
                f"한글 글꼴 {FAMILY} 이(가) 없습니다 ({missing}; 찾은 곳 {', '.join(where)}): "
                f"{PACKAGE} 패키지를 설치하세요 (apt-get install {PACKAGE})",
                f"the Korean font {FAMILY} is missing ({missing}; looked in {', '.join(where)}): "
                f"install the Debian package {PACKAGE} (apt-get install {PACKAGE})",
            ),
        )
    return KoreanFont(regular, bold)


def use_korean_font() -> KoreanFont:
    """Make matplotlib draw Hangul with NanumGothic; raises :class:`FontMissing` without it.

    Figures are made with :class:`matplotlib.figure.Figure` directly (no pyplot,
    no GUI backend), so charts can be drawn from any thread of the app.
    """
    import matplotlib
    from matplotlib import font_manager

    font = find_korean_font()
    for path in (font.regular, font.bold):
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = font.family
    matplotlib.rcParams["axes.unicode_minus"] = False
    return font
