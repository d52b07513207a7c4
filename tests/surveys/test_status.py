"""The per-survey status: records waiting in the quarantine are counted for their survey."""

from __future__ import annotations

import pandas as pd

from data.quarantine import new_batch_id, quarantine_result
from data.validation import ReasonCode, ValidationResult, make_reason
from surveys.fieldwork.status import survey_counts


def _hold(store, source: str) -> None:
    raw = pd.DataFrame([{"answers": "{}"}])
    result = ValidationResult(
        raw.iloc[0:0], raw, {0: [make_reason(ReasonCode.OUT_OF_RANGE, "x", 1)]}, []
    )
    store.write(lambda cur: quarantine_result(cur, source, new_batch_id("t"), result))


def test_a_surveys_quarantined_records_are_counted_by_its_code(field_survey):
    store = field_survey.store
    for source in ("screen:test-2026", "submission:test-2026", "bulk:test-2026:paper"):
        _hold(store, source)
    _hold(store, "screen:seoul-2026")  # another survey's
    assert survey_counts(store)["test-2026"]["quarantined"] == 3


def test_records_kept_under_a_surveys_id_are_renamed_to_its_code(field_survey):
    from data.migrate import available_migrations

    store, survey_id = field_survey.store, field_survey.survey_id
    for source in (f"screen:{survey_id}", f"submission:{survey_id}", f"bulk:{survey_id}:a:b"):
        _hold(store, source)  # as kept before the sources named the survey's code
    rename = next(m for m in available_migrations() if m.name == "quarantine_sources_by_code")
    store.write(lambda cur: cur.execute(rename.sql()))
    sources = {r[0] for r in store.rows("SELECT source FROM quarantine")}
    assert sources == {"screen:test-2026", "submission:test-2026", "bulk:test-2026:a:b"}
    assert survey_counts(store)["test-2026"]["quarantined"] == 3
