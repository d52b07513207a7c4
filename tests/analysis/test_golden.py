"""Every estimate, SE, interval and design effect against R ``survey`` goldens.

The goldens (``tests/golden/survey_goldens.csv``) come from
``tests/golden/make_golden.R``; one golden ``case`` is
``dataset:statistic:variable[:by+by]``, one row per domain (``a|b``) and level.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from tests.analysis.golden_designs import GOLDEN, design

RTOL = 1e-8


@cache
def goldens() -> pd.DataFrame:
    table = pd.read_csv(GOLDEN / "survey_goldens.csv", dtype={"domain": str, "level": str})
    return table.fillna({"domain": "", "level": ""})


def _cases() -> list[str]:
    return sorted(goldens()["case"].unique())


def _keyed(result: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    result = result.copy()
    result["domain"] = result[by].astype(str).agg("|".join, axis=1) if by else ""
    result["level"] = result["level"].astype(str) if "level" in result else ""
    return result.set_index(["domain", "level"])


def _compute(case: str, ci: str) -> tuple[pd.DataFrame, list[str]]:
    dataset, statistic, variable, *rest = case.split(":")
    by = rest[0].split("+") if rest else []
    d = design(dataset)
    if statistic in ("mean", "total"):
        result = getattr(d, statistic)(variable, by, ci=ci)
    elif statistic == "proportion":
        result = d.proportion(variable, by, ci=ci, categorical=True)
    elif statistic == "count":
        result = d.count(variable, by, ci=ci)
    elif statistic == "ratio":
        numerator, denominator = variable.split("/")
        result = d.ratio(numerator, denominator, by, ci=ci)
    else:  # ciprop_logit, ciprop_beta: the interval method is fixed by the case
        method = {"ciprop_logit": "logit", "ciprop_beta": "korn-graubard"}[statistic]
        result = d.proportion(variable, by, ci=method)
    return _keyed(result, by), by


def _close(actual: pd.Series, expected: pd.Series, what: str) -> None:
    np.testing.assert_allclose(
        actual.to_numpy(dtype=float),
        expected.to_numpy(dtype=float),
        rtol=RTOL,
        atol=1e-13,
        equal_nan=True,
        err_msg=what,
    )


@pytest.mark.parametrize("case", _cases())
def test_matches_r(case: str) -> None:
    expected = goldens()[goldens()["case"] == case].set_index(["domain", "level"])
    dataset, statistic = case.split(":")[:2]
    if statistic == "degf":
        assert design(dataset).degf == int(expected["estimate"].iloc[0])
        return
    result, _ = _compute(case, "normal")
    assert sorted(result.index) == sorted(expected.index)
    result = result.loc[expected.index]
    _close(result["estimate"], expected["estimate"], f"{case} estimate")
    _close(result["se"], expected["se"], f"{case} se")
    _close(result["ci_low"], expected["ci_low"], f"{case} ci_low")
    _close(result["ci_high"], expected["ci_high"], f"{case} ci_high")
    if statistic.startswith("ciprop"):
        return
    _close(result["deff"], expected["deff"], f"{case} deff")
    _close(result["cv"], result["se"] / result["estimate"], f"{case} cv")
    t_result = _compute(case, "t")[0].loc[expected.index]
    _close(t_result["ci_low"], expected["ci_t_low"], f"{case} t ci_low")
    _close(t_result["ci_high"], expected["ci_t_high"], f"{case} t ci_high")
