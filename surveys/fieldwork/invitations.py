"""Invitations: issuing, re-issuing and revoking access codes; finding a code's household.

Issuing makes one fresh code per household (or per member, for members who
answer through a code of their own) and stores only its hash. The plaintext
codes are returned once, for the letters export; re-issuing revokes the old
code in the same transaction. A code opens its questionnaire while it is
active, not expired, and its survey is in the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from data.audit import log_event, record_event
from data.contact_lists import FIRST_LISTED_ID, listed_letter_contacts
from data.frame_store import letter_contacts
from data.invitation_tables import (
    codes_per_status,
    households_without_active_code,
    insert_invitations,
    invitation_by_hash,
    revoke_active_codes,
)
from data.spreadsheet_safety import csv_bytes
from data.store import Store, Transaction
from data.text import Refusal, Text
from data.transactions import in_transaction
from surveys.fieldwork.access_codes import code_hash, grouped, hash_typed, new_code


@dataclass(frozen=True)
class Invitation:
    invitation_id: int
    survey_id: int
    household_id: int
    member_no: int
    survey_status: str


class CodeRefused(Refusal, LookupError):
    """A typed code that opens nothing: ``reason`` (``"unknown"``, ``"revoked"``…) and its text."""


def issue_codes(
    store: Store,
    survey_id: int,
    household_ids: list[int] | pd.Series,
    *,
    actor: str,
    member_no: int = 0,
    expires_at: datetime | None = None,
) -> pd.DataFrame:
    """New codes for these households (revoking any active ones); returns the plaintext once.

    Columns: household_id, member_no, code (for links), code_grouped (for letters).
    """
    ids = [int(h) for h in household_ids]
    codes = [new_code() for _ in ids]
    rows = pd.DataFrame(
        {
            "survey_id": survey_id,
            "household_id": ids,
            "member_no": member_no,
            "code_hash": [code_hash(c) for c in codes],
            "issued_by": actor,
            "expires_at": pd.Series([expires_at] * len(ids), dtype="datetime64[us]"),
        }
    )

    def work(tx: Transaction) -> None:
        revoke_active_codes(tx, survey_id, ids, actor=actor, member_no=member_no)
        insert_invitations(store, tx, rows)
        record_event(
            tx,
            actor,
            "codes_issued",
            f"survey:{survey_id}",
            {"households": len(ids), "member_no": member_no},
        )

    in_transaction(store, work)
    return pd.DataFrame(
        {
            "household_id": ids,
            "member_no": member_no,
            "code": codes,
            "code_grouped": [grouped(c) for c in codes],
        }
    )


def revoke_codes(store: Store, survey_id: int, household_ids: list[int], *, actor: str) -> int:
    """Revoke every active code of these households (household and member codes)."""

    def work(tx: Transaction) -> int:
        changed = revoke_active_codes(tx, survey_id, household_ids, actor=actor)
        record_event(tx, actor, "codes_revoked", f"survey:{survey_id}", {"codes": changed})
        return changed

    return in_transaction(store, work)


def find_invitation(store: Store, typed: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a typed or linked code opens, or CodeRefused saying why not."""
    hashed = hash_typed(typed)
    if hashed is None:
        raise CodeRefused(
            "malformed",
            Text(
                "접속 코드 형식이 맞지 않습니다. 안내문에 적힌 26자리 코드를 그대로 입력해 주세요.",
                "This is not an access code: type the 26 characters printed in your letter.",
            ),
        )
    found = invitation_by_hash(store, hashed)
    if found is None:
        raise CodeRefused(
            "unknown",
            Text(
                "등록되지 않은 접속 코드입니다. 코드를 다시 확인해 주세요.",
                "This access code is not known; please check it.",
            ),
        )
    status, expires, survey_status = found["status"], found["expires_at"], found["survey_status"]
    if status != "active":
        raise CodeRefused(
            "revoked",
            Text(
                "이 접속 코드는 더 이상 쓸 수 없습니다. 새로 받은 코드를 입력하거나 문의처로 연락해 주세요.",
                "This access code is no longer valid: use the newer code you received, or contact us.",
            ),
        )
    if expires is not None and expires < (now or datetime.now()):
        raise CodeRefused(
            "expired",
            Text("접속 코드의 사용 기간이 끝났습니다.", "This access code has expired."),
        )
    if survey_status != "in_field":
        raise CodeRefused(
            "closed",
            Text(
                "지금은 응답을 받고 있지 않은 조사입니다.",
                "This survey is not accepting answers now.",
            ),
        )
    return Invitation(
        int(found["invitation_id"]),
        int(found["survey_id"]),
        int(found["household_id"]),
        int(found["member_no"]),
        survey_status,
    )


EMPTY = ["household_id", "district_code", "district", "address", "postal_code", "head_name"]


def letters(
    store: Store, survey_id: int, codes: pd.DataFrame, *, base_url: str, actor: str
) -> pd.DataFrame:
    """The mail-merge file for the invitation letters, made once when the codes are issued.

    One row per code: the household's head (name), address and postal code
    from the frame's contact tables (for a sample from an uploaded contact list: the listed
    name, address, postal code, mobile and e-mail), the code grouped for typing, and the
    link. This is the only place the plaintext codes ever exist; the export is
    written to the audit log (who, when, how many), never its content.
    """
    ids = [int(h) for h in codes["household_id"]]
    framed = [h for h in ids if h < FIRST_LISTED_ID]
    listed = [h for h in ids if h >= FIRST_LISTED_ID]
    parts = [letter_contacts(store, framed)] if framed else []
    if listed:  # a sample from an uploaded contact list: its own names and ways to reach them
        parts.append(listed_letter_contacts(store, listed))
    contacts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=EMPTY)
    out = codes.merge(contacts, on="household_id", how="left")
    out["link"] = base_url.rstrip("/") + "/respond?t=" + out["code"]
    log_event(store, actor, "letters_exported", f"survey:{survey_id}", {"codes": len(out)})
    columns = ["household_id", "member_no", "head_name", "district", "address", "postal_code"]
    columns += ["mobile", "email"] if listed else []
    return out[[*columns, "code_grouped", "link"]]


def letters_csv(
    store: Store, survey_id: int, codes: pd.DataFrame, *, base_url: str, actor: str
) -> bytes:
    """:func:`letters` as the file offered for download: CSV in UTF-8 with BOM, a name or
    address that could be read as a formula prefixed with an apostrophe
    (:mod:`data.spreadsheet_safety`)."""
    return csv_bytes(letters(store, survey_id, codes, base_url=base_url, actor=actor))


def code_status(store: Store, survey_id: int) -> pd.DataFrame:
    """Codes per status for a survey (household and member codes)."""
    return codes_per_status(store, survey_id)


def households_without_code(store: Store, survey_id: int) -> list[int]:
    """Sampled households that have no active household code."""
    return households_without_active_code(store, survey_id)
