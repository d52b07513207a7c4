"""The platform at a glance: the data layer's status with the surveys' and the panel's sections.

What ``python -m data status`` prints and the home page shows: tables, frame, schema,
quarantine and seeding (:func:`data.status.status`), responses per survey
(:func:`surveys.fieldwork.status.survey_counts`) and the panel's households and waves
(:func:`panel.counts.panel_counts`). It lives here, at the top of the domain, because it
is the one place that may see every package.
"""

from __future__ import annotations

from typing import Any

from data.status import status
from data.store import Store
from panel.counts import panel_counts
from surveys.fieldwork.status import survey_counts

SECTIONS = {"surveys": survey_counts, "panel": panel_counts}


def platform_status(store: Store) -> dict[str, Any]:
    """Everything ``python -m data status`` reports, as a plain dict."""
    return status(store, SECTIONS)
