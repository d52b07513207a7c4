"""What a report says in words: the key findings agree with the numbers they announce."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.reports.findings import change_findings


def _changes(significant: int, other: int = 2) -> pd.DataFrame:
    """Changes sorted as the report sorts them (largest |z| first)."""
    n = significant + other
    return pd.DataFrame(
        {
            "name_ko": [f"지표{i:02d}" for i in range(n)],
            "difference": [0.5 - 0.01 * i for i in range(n)],
            "unit": ["점"] * n,
            "significant": [i < significant for i in range(n)],
        }
    )


@pytest.mark.parametrize(("significant", "named"), [(3, 3), (5, 5), (10, 5)])
def test_the_change_finding_names_as_many_indicators_as_it_says(significant, named):
    (line,) = change_findings(_changes(significant), "2025년", "없음")
    assert f"유의하게 변한 지표는 {significant}개입니다" in line
    listed = re.findall(r"지표\d\d", line)
    assert listed == [f"지표{i:02d}" for i in range(named)]  # the largest first
    if named < significant:
        assert f"큰 {named}개:" in line and f"나머지 {significant - named}개" in line
