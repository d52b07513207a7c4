"""The designs the R goldens were made with (tests/golden/make_golden.R), built once each.

Every golden test compares against R on these same designs of the committed inputs:

- ``seoul``: ``svydesign(id=~psu, strata=~district, weights=~weight)``
- ``apistrat``: ``svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc)``
- ``apiclus1``: ``svydesign(id=~dnum, weights=~pw, fpc=~fpc)``
- ``apiclus2``: ``svydesign(id=~dnum+snum, weights=~pw)`` — first stage only (no FPC)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from analysis import SurveyDesign

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@cache
def design(name: str) -> SurveyDesign:
    if name == "seoul":
        frame = pd.read_csv(GOLDEN / "seoul_sample.csv")
        return SurveyDesign(frame, weights="weight", strata="district", psu="psu")
    frame = pd.read_csv(GOLDEN / f"{name}.csv")
    if name == "apistrat":
        return SurveyDesign(frame, weights="pw", strata="stype", fpc="fpc")
    if name == "apiclus1":
        return SurveyDesign(frame, weights="pw", psu="dnum", fpc="fpc")
    if name == "apiclus2":
        return SurveyDesign(frame, weights="pw", psu="dnum")
    raise KeyError(f"no golden design {name!r}")
