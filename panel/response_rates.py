"""AAPOR outcome rates of a panel wave: RR1, COOP1, REF1, CON1.

Final dispositions (AAPOR, *Standard Definitions*, 10th ed., 2023), with the
panel's households all of known eligibility (they were enumerated at
recruitment), so the unknown-eligibility counts UH and UO are zero unless a
caller passes them:

- ``I``  complete interview — the household part was submitted;
- ``P``  partial interview — answers saved, not submitted (a break-off);
- ``R``  refusal — the household declined this wave (recorded by the operator);
- ``NC`` non-contact — invited, nothing heard back;
- ``O``  other — eligible, no interview for another recorded reason;
- ``NE`` not eligible — moved out of Seoul, dissolved, deceased, out of scope:
  excluded from every denominator.

Rates::

    RR1   = I / ((I + P) + (R + NC + O) + (UH + UO))
    COOP1 = I / ((I + P) + R + O)
    REF1  = R / ((I + P) + (R + NC + O) + (UH + UO))
    CON1  = ((I + P) + R + O) / ((I + P) + (R + NC + O) + (UH + UO))

A rate whose denominator is zero is missing (NaN), not zero.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from data.text import InvalidRequest, Text

DISPOSITIONS = ("I", "P", "R", "NC", "O", "NE")
RATES = ("RR1", "COOP1", "REF1", "CON1")

# wave outcome (panel.outcomes.OUTCOMES) → AAPOR disposition
DISPOSITION_OF: dict[str, str] = {
    "complete": "I",
    "partial": "P",
    "refused": "R",
    "no_contact": "NC",
    "other": "O",
    "not_eligible": "NE",
}


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else float("nan")


def aapor_rates(counts: Mapping[str, float]) -> dict[str, float]:
    """RR1, COOP1, REF1 and CON1 from disposition counts (missing keys count 0)."""
    c = {k: float(counts.get(k, 0) or 0) for k in (*DISPOSITIONS, "UH", "UO")}
    interviews = c["I"] + c["P"]
    eligible_or_unknown = interviews + c["R"] + c["NC"] + c["O"] + c["UH"] + c["UO"]
    return {
        "RR1": _ratio(c["I"], eligible_or_unknown),
        "COOP1": _ratio(c["I"], interviews + c["R"] + c["O"]),
        "REF1": _ratio(c["R"], eligible_or_unknown),
        "CON1": _ratio(interviews + c["R"] + c["O"], eligible_or_unknown),
    }


def rate_table(outcomes: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Dispositions and rates per group of ``by`` (one row per group, plus nothing else).

    ``outcomes`` has one row per invited household with an ``outcome`` column
    (keys of :data:`DISPOSITION_OF`). Columns: the ``by`` columns, ``invited``,
    the six disposition counts and the four rates.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    frame = outcomes.assign(_d=outcomes["outcome"].map(DISPOSITION_OF))
    unknown = frame["_d"].isna()
    if unknown.any():
        bad = sorted(set(frame.loc[unknown, "outcome"].astype(str)))
        raise InvalidRequest(
            "unknown_outcome", Text(f"알 수 없는 응답 결과: {bad}", f"unknown outcomes {bad}")
        )
    if keys:
        counts = pd.crosstab([frame[k] for k in keys], frame["_d"])
    else:
        counts = frame["_d"].value_counts().to_frame().T
    counts = counts.reindex(columns=list(DISPOSITIONS), fill_value=0).astype(np.int64)
    rates = pd.DataFrame([aapor_rates(row) for _, row in counts.iterrows()], index=counts.index)
    table = pd.concat([counts.sum(axis=1).rename("invited"), counts, rates], axis=1)
    table.columns.name = None
    return table.reset_index() if keys else table.reset_index(drop=True)
