"""The ``surveys`` and ``survey_sample`` tables: what analysis reads of a survey and its sample.

Reports print the sample design a survey recorded when its sample was drawn; a panel
wave's weights use the size each sampled household had in the sampling frame.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from data.store import Store


def sample_design(store: Store, survey_id: int) -> dict[str, Any]:
    """The sample design recorded when the survey's sample was drawn ({} when none)."""
    raw = store.scalar("SELECT sample_design FROM surveys WHERE survey_id = ?", [survey_id])
    return json.loads(raw) if raw else {}


def sampled_household_sizes(store: Store, survey_id: int, cap: int) -> pd.DataFrame:
    """household_id, size_class: each sampled household's size in the sampling frame,
    folded at ``cap`` (cap = cap or more)."""
    return store.query(
        "SELECT s.household_id, least(f.household_size, ?) AS size_class FROM survey_sample s"
        " JOIN frame_households f ON f.household_id = s.household_id WHERE s.survey_id = ?",
        [cap, int(survey_id)],
    )
