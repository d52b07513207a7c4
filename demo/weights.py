"""Demo step "weights": a first weights version for each Seoul Survey cross-section."""

from __future__ import annotations

from typing import Any

from analysis.weights.survey_weights import make_weights
from data.store import Store
from surveys.opening import list_surveys

ACTOR = "demo-seed"


def seed_weights(store: Store, scale: float, progress=print) -> dict[str, Any]:
    """Make and store the household and person weights of ``seoul-2025`` and ``seoul-2026``."""
    detail = {}
    surveys = list_surveys(store)
    for row in surveys[surveys["code"].str.startswith("seoul-")].sort_values("code").itertuples():
        detail[row.code] = make_weights(store, int(row.survey_id), actor=ACTOR)
        progress(f"    {row.code}: weights version stored")
    return detail
