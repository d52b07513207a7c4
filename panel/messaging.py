"""Handing invitation and reminder lists to the city's messaging system.

Sending (SMS, KakaoTalk, mail) is the messaging system's job, not ours: the
platform prepares each list as a :class:`MessageBatch` and gives it to a
:class:`Sender`. The one shipped sender, :class:`CsvOutbox`, writes the batch
as a CSV file (UTF-8 with BOM, so Excel opens Korean text) into a folder the
messaging system picks up; a sender that calls the system's API instead only
needs a ``send`` method returning a :class:`SendReceipt`.

Invitation batches carry the plaintext access codes (the only moment they
exist, see :mod:`surveys.fieldwork.invitations`), so the outbox writes its files
readable by their owner only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from data.spreadsheet_safety import csv_bytes


@dataclass(frozen=True)
class MessageBatch:
    survey_code: str
    kind: str  # invitation | reminder
    round: int  # 0 for the invitation, 1.. for reminders
    recipients: pd.DataFrame

    @property
    def name(self) -> str:
        suffix = "invitation" if self.kind == "invitation" else f"reminder-{self.round}"
        return f"{self.survey_code}_{suffix}"

    def to_csv_bytes(self) -> bytes:
        """UTF-8 with BOM; a name or address that could be read as a formula starts with an
        apostrophe (:mod:`data.spreadsheet_safety`)."""
        return csv_bytes(self.recipients)


@dataclass(frozen=True)
class SendReceipt:
    messages: int
    where: str


class Sender(Protocol):
    def send(self, batch: MessageBatch) -> SendReceipt: ...


@dataclass(frozen=True)
class CsvOutbox:
    """Writes each batch to ``folder/<survey>_<invitation|reminder-n>.csv`` (mode 0600)."""

    folder: Path

    def send(self, batch: MessageBatch) -> SendReceipt:
        folder = Path(self.folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{batch.name}.csv"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(batch.to_csv_bytes())
        return SendReceipt(len(batch.recipients), str(path))
