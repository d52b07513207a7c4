"""Altair charts as images: vl-convert renders the same Vega-Lite spec that the explorer shows.

The explorer hands a chart to ``st.altair_chart`` and the browser draws it; the PDF
needs a picture, so :func:`png` renders the spec here, offline and without a browser
(vl-convert bundles Vega-Lite and a renderer). Text is drawn in NanumGothic, found
by :func:`analysis.reports.fonts.find_korean_font` and registered with vl-convert;
the spec itself names no font (the browser keeps its own), the font is applied as
configuration when exporting. vl-convert is imported on the first export, so the
pages that only show charts do not load it.
"""

from __future__ import annotations

import functools
from typing import Any

import altair as alt

from analysis.reports.fonts import find_korean_font


@functools.cache
def _converter() -> tuple[Any, dict]:
    """vl_convert with NanumGothic's directory registered, and the export configuration."""
    import vl_convert

    font = find_korean_font()
    for directory in font.directories:
        vl_convert.register_font_directory(str(directory))
    return vl_convert, {"font": font.family}


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (``scale`` 2: sharp when the PDF prints it about 14 cm wide)."""
    convert, config = _converter()
    return convert.vegalite_to_png(chart.to_dict(), scale=scale, config=config)


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text: its texts are readable there (and name their font)."""
    convert, config = _converter()
    return convert.vegalite_to_svg(chart.to_dict(), config=config)
