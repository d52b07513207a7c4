"""The shipped questionnaire definitions become version 1 of their questionnaires in the demo.

Why: the 조사표 / Questionnaires page lists stored versions, and a survey manager's next
upload of, say, the Seoul Survey questionnaire should be its version 2 with a difference to
read. Each YAML file of ``surveys/definitions/`` is received exactly as an upload is
(:func:`surveys.questionnaire.uploads.receive_upload`: checked, loaded, stored, audited), by
``demo-seed``. Idempotent: a file already stored (by an earlier run, or by a survey opened on
it) is "unchanged" and keeps its number.
"""

from __future__ import annotations

from typing import Any

from data.bootstrap import Progress
from data.store import Store
from surveys.questionnaire.loader import YAML_SUFFIXES, list_definitions
from surveys.questionnaire.uploads import receive_upload

NOTE = "surveys/definitions/ 의 정의 파일 (데모) / shipped definition (demo)"


def seed_questionnaires(store: Store, scale: float, progress: Progress = print) -> dict[str, Any]:
    """Store every shipped YAML definition as a version; the ids stored and those unchanged."""
    stored: list[str] = []
    unchanged: list[str] = []
    for path in list_definitions():
        if path.suffix.lower() not in YAML_SUFFIXES:
            continue
        outcome = receive_upload(store, path.name, path.read_bytes(), actor="demo-seed", note=NOTE)
        if outcome.saved is None:  # a shipped definition with problems: tests/surveys say so
            raise ValueError(f"{path.name}: {outcome.problems[:3]}")
        (stored if outcome.saved.created else unchanged).append(outcome.saved.questionnaire_id)
    return {"stored": stored, "unchanged": unchanged}
