"""The report's charts: the happiness tile map says what its colours mean."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from analysis.reports.charts import happiness_tile_figure
from data.reference import shipped_csv


def test_the_reports_tile_map_has_a_legend_with_the_index_and_its_unit():
    districts = shipped_csv("districts")
    by_district = pd.DataFrame(
        {
            "district_code": districts["code"].astype(str),
            "name_ko": districts["name_ko"],
            "estimate": np.linspace(5.9, 7.3, len(districts)),
        }
    )
    seoul = pd.Series({"estimate": 6.7, "unit": "점 (0~10)"})
    content = SimpleNamespace(happiness_by_district=by_district, happiness_seoul=seoul)
    figure = happiness_tile_figure(content)
    legend = figure.axes[1]
    assert legend.get_ylabel() == "행복지수, 점 (0~10)"
    assert [t.get_text() for t in legend.get_yticklabels()][::2] == ["5.90", "7.30"]
