"""Whatever text a user types is stored byte for byte and read back the same, from the file.

The corpus (``tests/naughty_strings.yaml``: formulas, script and markup, SQL, right-to-left
overrides, zero-width and control characters, emoji, a long Korean text) goes through the data
functions that store user text; the database file is closed and opened again before reading.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from data.accounts import STATISTICIAN, create_user, list_users
from data.quarantine import list_quarantine, quarantine_result
from data.store import open_store
from data.survey_tables import insert_survey, survey_record
from data.text import Text
from data.transactions import in_transaction
from data.validation import Reason, ReasonCode, ValidationResult
from tests.naughty_strings import NAUGHTY


@pytest.fixture
def reopen(store, db_path):
    """Close the fixture's store (so everything is on disk) and open the file again."""
    opened = []

    def again():
        store.close()
        opened.append(open_store(db_path))
        return opened[-1]

    yield again
    for handle in opened:
        handle.close()


def _bytes(texts) -> list[bytes]:
    return [t.encode("utf-8") for t in texts]


def test_survey_titles_come_back_byte_for_byte(store, reopen):
    ids = [
        in_transaction(
            store,
            lambda tx, n=n, text=text: insert_survey(
                tx,
                code=f"naughty-{n}",
                title_ko=text,
                title_en=text[::-1],
                kind="cross_section",
                reference_year=2026,
                questionnaire_hash="x",
                created_by="tester",
            ),
        )
        for n, text in enumerate(NAUGHTY)
    ]
    again = reopen()
    records = [survey_record(again, survey_id) for survey_id in ids]
    assert _bytes(r["title_ko"] for r in records) == _bytes(NAUGHTY)
    assert _bytes(r["title_en"] for r in records) == _bytes(t[::-1] for t in NAUGHTY)


def test_account_display_names_come_back_byte_for_byte(store, reopen, monkeypatch):
    monkeypatch.setattr("data.accounts.hash_password", lambda password: "not-a-hash")  # speed
    texts = [t for t in NAUGHTY if t]  # an empty display name means "use the user name"
    for n, text in enumerate(texts):
        create_user(
            store, f"user{n:03d}", "x", STATISTICIAN, display_name=text, enforce_rules=False
        )
    users = list_users(reopen()).set_index("username")
    shown = [users.loc[f"user{n:03d}", "display_name"] for n in range(len(texts))]
    assert _bytes(shown) == _bytes(texts)


def test_quarantined_records_and_their_reasons_come_back_byte_for_byte(store, reopen):
    raw = pd.DataFrame({"title": NAUGHTY, "note": [t[::-1] for t in NAUGHTY]})
    reasons = {
        index: [Reason(ReasonCode.RULE, "title", text, Text(text, "why: " + text))]
        for index, text in enumerate(NAUGHTY)
    }
    result = ValidationResult(raw.iloc[0:0], raw, reasons)
    in_transaction(store, lambda tx: quarantine_result(tx, "naughty", "batch-1", result))
    held = list_quarantine(reopen(), source="naughty").sort_values("row_number")
    records = [json.loads(text) for text in held["raw_record"]]
    assert _bytes(r["title"] for r in records) == _bytes(NAUGHTY)
    assert _bytes(r["note"] for r in records) == _bytes(t[::-1] for t in NAUGHTY)
    stored = [json.loads(text)[0] for text in held["reasons"]]
    assert _bytes(r["value"] for r in stored) == _bytes(NAUGHTY)
    assert _bytes(r["message_ko"] for r in stored) == _bytes(NAUGHTY)
    assert _bytes(r["message_en"] for r in stored) == _bytes("why: " + t for t in NAUGHTY)
