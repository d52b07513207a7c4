"""The lists handed to the messaging system: a hostile name in them is shown as text."""

from __future__ import annotations

import io
import stat

import pandas as pd

from panel.messaging import CsvOutbox, MessageBatch

HOSTILE = "=cmd|' /C calc'!A0"


def _batch() -> MessageBatch:
    recipients = pd.DataFrame(
        {
            "household_id": [1, 2],
            "name": [HOSTILE, "김서울"],
            "phone": ["010-1234-5678", "+82-10-9876-5432"],
            "code_grouped": ["ABCD-EFGH", "JKMN-PQRS"],
        }
    )
    return MessageBatch("panel-2026-w2", "invitation", 0, recipients)


def test_the_batch_csv_shows_a_hostile_name_as_text_and_ordinary_text_as_typed():
    table = pd.read_csv(io.BytesIO(_batch().to_csv_bytes()), encoding="utf-8-sig", dtype=str)
    assert table["name"].tolist() == ["'" + HOSTILE, "김서울"]
    assert table["phone"].tolist() == ["010-1234-5678", "'+82-10-9876-5432"]
    assert table["code_grouped"].tolist() == ["ABCD-EFGH", "JKMN-PQRS"]


def test_the_outbox_file_is_the_batch_csv_readable_by_its_owner_only(tmp_path):
    receipt = CsvOutbox(tmp_path).send(_batch())
    path = tmp_path / "panel-2026-w2_invitation.csv"
    assert receipt.messages == 2 and receipt.where == str(path)
    assert path.read_bytes() == _batch().to_csv_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
