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

import duckdb
import pandas as pd

from data.audit import record_event
from data.store import Store, insert_frame
from surveys.fieldwork.access_codes import code_hash, grouped, hash_typed, new_code


@dataclass(frozen=True)
class Invitation:
    invitation_id: int
    survey_id: int
    household_id: int
    member_no: int
    survey_status: str


class CodeRefused(LookupError):
    """A typed code that opens nothing, with the reason in Korean and English."""

    def __init__(self, reason: str, message_ko: str, message_en: str):
        self.reason = reason
        self.message_ko = message_ko
        self.message_en = message_en
        super().__init__(message_en)

    def message(self, lang: str = "ko") -> str:
        return self.message_ko if lang == "ko" else self.message_en


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

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute(
            "UPDATE invitations SET status = 'revoked', revoked_at = current_timestamp,"
            " revoked_by = ? WHERE survey_id = ? AND member_no = ? AND status = 'active'"
            " AND list_contains(?, household_id)",
            [actor, survey_id, member_no, ids],
        )
        insert_frame(cur, "invitations", rows)
        record_event(
            cur,
            actor,
            "codes_issued",
            f"survey:{survey_id}",
            {"households": len(ids), "member_no": member_no},
        )

    store.write(work)
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

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        changed = cur.execute(
            "UPDATE invitations SET status = 'revoked', revoked_at = current_timestamp,"
            " revoked_by = ? WHERE survey_id = ? AND status = 'active'"
            " AND list_contains(?, household_id) RETURNING invitation_id",
            [actor, survey_id, [int(h) for h in household_ids]],
        ).fetchall()
        record_event(cur, actor, "codes_revoked", f"survey:{survey_id}", {"codes": len(changed)})
        return len(changed)

    return store.write(work)


def find_invitation(store: Store, typed: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a typed or linked code opens, or CodeRefused saying why not."""
    hashed = hash_typed(typed)
    if hashed is None:
        raise CodeRefused(
            "malformed",
            "접속 코드 형식이 맞지 않습니다. 안내문에 적힌 26자리 코드를 그대로 입력해 주세요.",
            "This is not an access code: type the 26 characters printed in your letter.",
        )
    rows = store.rows(
        "SELECT i.invitation_id, i.survey_id, i.household_id, i.member_no, i.status,"
        " i.expires_at, s.status FROM invitations i JOIN surveys s USING (survey_id)"
        " WHERE i.code_hash = ?",
        [hashed],
    )
    if not rows:
        raise CodeRefused(
            "unknown",
            "등록되지 않은 접속 코드입니다. 코드를 다시 확인해 주세요.",
            "This access code is not known; please check it.",
        )
    invitation_id, survey_id, household_id, member_no, status, expires, survey_status = rows[0]
    if status != "active":
        raise CodeRefused(
            "revoked",
            "이 접속 코드는 더 이상 쓸 수 없습니다. 새로 받은 코드를 입력하거나 문의처로 연락해 주세요.",
            "This access code is no longer valid: use the newer code you received, or contact us.",
        )
    if expires is not None and expires < (now or datetime.now()):
        raise CodeRefused(
            "expired",
            "접속 코드의 사용 기간이 끝났습니다.",
            "This access code has expired.",
        )
    if survey_status != "in_field":
        raise CodeRefused(
            "closed",
            "지금은 응답을 받고 있지 않은 조사입니다.",
            "This survey is not accepting answers now.",
        )
    return Invitation(
        int(invitation_id), int(survey_id), int(household_id), int(member_no), survey_status
    )


def letters(
    store: Store, survey_id: int, codes: pd.DataFrame, *, base_url: str, actor: str
) -> pd.DataFrame:
    """The mail-merge file for the invitation letters, made once when the codes are issued.

    One row per code: the household's head (name), address and postal code
    from the frame's contact tables, the code grouped for typing, and the
    link. This is the only place the plaintext codes ever exist; the export is
    written to the audit log (who, when, how many), never its content.
    """
    contacts = store.query(
        "SELECT h.household_id, h.district_code, d.name_ko AS district, c.address, c.postal_code,"
        " p.name AS head_name FROM frame_households h"
        " JOIN districts d ON d.code = h.district_code"
        " JOIN frame_household_contacts c USING (household_id)"
        " LEFT JOIN frame_persons fp ON fp.household_id = h.household_id AND fp.member_no = 1"
        " LEFT JOIN frame_person_contacts p ON p.person_id = fp.person_id"
        " WHERE list_contains(?, h.household_id)",
        [[int(h) for h in codes["household_id"]]],
    )
    out = codes.merge(contacts, on="household_id", how="left")
    out["link"] = base_url.rstrip("/") + "/respond?t=" + out["code"]
    store.write(
        lambda cur: record_event(
            cur, actor, "letters_exported", f"survey:{survey_id}", {"codes": len(out)}
        )
    )
    return out[
        [
            "household_id",
            "member_no",
            "head_name",
            "district",
            "address",
            "postal_code",
            "code_grouped",
            "link",
        ]
    ]


def code_status(store: Store, survey_id: int) -> pd.DataFrame:
    """Codes per status for a survey (household and member codes)."""
    return store.query(
        "SELECT CASE WHEN member_no = 0 THEN 'household' ELSE 'member' END AS kind, status,"
        " count(*) AS codes FROM invitations WHERE survey_id = ? GROUP BY ALL ORDER BY ALL",
        [survey_id],
    )


def households_without_code(store: Store, survey_id: int) -> list[int]:
    """Sampled households that have no active household code."""
    return [
        int(r[0])
        for r in store.rows(
            "SELECT s.household_id FROM survey_sample s WHERE s.survey_id = ? AND NOT EXISTS ("
            " SELECT 1 FROM invitations i WHERE i.survey_id = s.survey_id"
            " AND i.household_id = s.household_id AND i.member_no = 0 AND i.status = 'active')"
            " ORDER BY s.household_id",
            [survey_id],
        )
    ]
