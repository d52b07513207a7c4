"""The one glossary (ui/glossary.yaml): complete, agreeing with the domain, read the same way."""

from __future__ import annotations

import pandas as pd

from panel.outcomes import LABELS_KO as OUTCOMES_KO
from panel.status import LABELS_KO as STATUSES_KO
from panel.status import STATUSES
from surveys.opening import SURVEY_STATUSES
from ui.glossary import MISSING, glossary, shown


def test_every_code_has_a_korean_and_an_english_name():
    empty = [
        (group, code)
        for group, entries in glossary().items()
        for code, (ko, en) in entries.items()
        if not ko.strip() or not en.strip()
    ]
    assert empty == []


def test_statuses_and_outcomes_agree_with_the_domain():
    assert set(glossary()["survey_status"]) == set(SURVEY_STATUSES)
    panel = glossary()["panel_status"]
    assert set(panel) == set(STATUSES)
    assert {code: ko for code, (ko, _) in panel.items()} == STATUSES_KO
    assert {code: ko for code, (ko, _) in glossary()["outcome"].items()} == OUTCOMES_KO


def test_a_table_is_shown_with_names_and_no_missing_markers():
    frame = pd.DataFrame(
        {"status": ["closed", None], "households_responded": [3, None], "kind": ["x", "y"]}
    )
    view = shown(frame, codes={"status": "survey_status"})
    assert list(view.columns) == ["상태", "응답 가구", "종류"]
    assert view["상태"].tolist() == ["마감", MISSING]
    assert view["응답 가구"].tolist() == ["3", MISSING]
