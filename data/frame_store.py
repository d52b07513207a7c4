"""Storing a sampling frame: validate every table in bulk, insert in one transaction.

The frame (synthetic for the demo, or later a real one) arrives as DataFrames.
Each is validated with its Pandera schema; a person whose household was refused
is refused too (reason ``rule``), so the stored frame stays consistent. Valid
rows are inserted in one transaction together with the quarantine of the
invalid ones and the ``frame_info`` row recording the scale factor.

The surveys read the stored frame through the functions at the end: the households'
areas a sample is drawn from, and the contacts their invitation letters go to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.dialect import in_list
from data.quarantine import new_batch_id, quarantine_result
from data.reference import codes_from_store
from data.schemas import (
    frame_household_contacts_schema,
    frame_households_schema,
    frame_person_contacts_schema,
    frame_persons_schema,
)
from data.store import Store, Transaction, insert_frame, quote_identifier
from data.text import Text
from data.validation import ReasonCode, ValidationResult, make_reason, validate_frame

FRAME_TABLES = (
    "frame_households",
    "frame_persons",
    "frame_household_contacts",
    "frame_person_contacts",
)


@dataclass
class FrameLoadReport:
    batch_id: str
    stored: dict[str, int]
    quarantined: dict[str, int]


HOUSEHOLD = Text("가구", "household")


def _drop_orphans(
    result: ValidationResult, key: str, keep: pd.Series, what: Text
) -> ValidationResult:
    """Move valid rows whose ``key`` is not in ``keep`` to the invalid side with a reason."""
    orphan = ~result.valid[key].isin(keep)
    if not orphan.any():
        return result
    reason = make_reason(
        ReasonCode.RULE,
        key,
        text=Text(
            f"{what.ko} 이(가) 검증을 통과하지 못해 이 행도 보류합니다.",
            f"the {what.en} this row belongs to was refused, so this row is held back too.",
        ),
    )
    reasons = dict(result.reasons)
    for index in result.valid.index[orphan]:
        reasons.setdefault(index, []).append(reason)
    moved = result.valid[orphan].astype(object)
    return ValidationResult(
        result.valid[~orphan], pd.concat([result.invalid, moved]), reasons, result.batch_reasons
    )


def store_frame(
    store: Store,
    households: pd.DataFrame,
    persons: pd.DataFrame,
    household_contacts: pd.DataFrame,
    person_contacts: pd.DataFrame,
    *,
    scale_factor: float,
    reference_year: int,
    generator: str,
    seed: int | None = None,
) -> FrameLoadReport:
    """Validate and store a whole frame, replacing any frame already stored."""
    codes = codes_from_store(store)
    hh = validate_frame(households, frame_households_schema(codes))
    pp = validate_frame(persons, frame_persons_schema(codes, reference_year))
    pp = _drop_orphans(pp, "household_id", hh.valid["household_id"], HOUSEHOLD)
    hc = validate_frame(household_contacts, frame_household_contacts_schema())
    hc = _drop_orphans(hc, "household_id", hh.valid["household_id"], HOUSEHOLD)
    pc = validate_frame(person_contacts, frame_person_contacts_schema())
    pc = _drop_orphans(pc, "person_id", pp.valid["person_id"], Text("가구원", "person"))
    results = dict(zip(FRAME_TABLES, (hh, pp, hc, pc), strict=True))
    batch_id = new_batch_id("frame")

    def work(cur: Transaction) -> FrameLoadReport:
        for table in reversed(FRAME_TABLES):
            cur.execute("DELETE FROM " + quote_identifier(table))  # noqa: S608 - identifiers via quote_identifier
        cur.execute("DELETE FROM frame_info")
        stored, quarantined = {}, {}
        for table, result in results.items():
            stored[table] = insert_frame(cur, table, result.valid.reset_index(drop=True))
            quarantined[table] = quarantine_result(cur, f"seed:{table}", batch_id, result)
        cur.execute(
            "INSERT INTO frame_info (frame_id, generator, seed, scale_factor, reference_year,"
            " households, persons) VALUES (1, ?, ?, ?, ?, ?, ?)",
            [
                generator,
                seed,
                scale_factor,
                reference_year,
                stored["frame_households"],
                stored["frame_persons"],
            ],
        )
        return FrameLoadReport(batch_id, stored, quarantined)

    return store.write(work)


def frame_info(store: Store) -> dict | None:
    """The stored frame's scale factor, reference year and size (None when no frame)."""
    frame = store.query("SELECT * FROM frame_info WHERE frame_id = 1")
    return None if frame.empty else frame.iloc[0].to_dict()


def households_by_district(store: Store) -> pd.DataFrame:
    """Frame households and persons per district, with the districts' names."""
    return store.query(
        "SELECT d.code AS district_code, d.name_ko, d.name_en,"
        " count(DISTINCT h.household_id) AS households, count(p.person_id) AS persons"
        " FROM districts d"
        " LEFT JOIN frame_households h ON h.district_code = d.code"
        " LEFT JOIN frame_persons p ON p.household_id = h.household_id"
        " GROUP BY ALL ORDER BY d.code"
    )


def household_cells(store: Store) -> pd.DataFrame:
    """Every frame household's ``household_id``, ``district_code``, ``household_type`` and
    ``head_age_band``, by id."""
    return store.query(
        "SELECT household_id, district_code, household_type, head_age_band "
        "FROM frame_households ORDER BY household_id"
    )


def head_contacts(store: Store, household_ids: list[int]) -> pd.DataFrame:
    """The households' ``district`` (Korean name), head's name (``head_name``) and ``mobile``
    (the household phone when the head has none), by ``household_id``."""
    return store.query(
        "SELECT h.household_id, d.name_ko AS district, p.name AS head_name,"  # noqa: S608 - fixed text
        " coalesce(p.mobile, c.phone) AS mobile FROM frame_households h"
        " JOIN districts d ON d.code = h.district_code"
        " LEFT JOIN frame_household_contacts c USING (household_id)"
        " LEFT JOIN frame_persons fp ON fp.household_id = h.household_id AND fp.member_no = 1"
        " LEFT JOIN frame_person_contacts p ON p.person_id = fp.person_id"
        " WHERE " + in_list("h.household_id") + " ORDER BY h.household_id",
        [[int(h) for h in household_ids]],
    )


def household_areas(store: Store) -> pd.DataFrame:
    """Every frame household with its district and enumeration area: household_id,
    district_code, ea_id (what a sample is drawn from)."""
    return store.query("SELECT household_id, district_code, ea_id FROM frame_households")


def letter_contacts(store: Store, household_ids: list[int]) -> pd.DataFrame:
    """Where to send these households' letters: household_id, district_code, district (its
    Korean name), address, postal_code and head_name (member 1's name, when listed)."""
    return store.query(
        "SELECT h.household_id, h.district_code, d.name_ko AS district, c.address, c.postal_code,"  # noqa: S608 - fixed fragments from data.dialect
        " p.name AS head_name FROM frame_households h"
        " JOIN districts d ON d.code = h.district_code"
        " JOIN frame_household_contacts c USING (household_id)"
        " LEFT JOIN frame_persons fp ON fp.household_id = h.household_id AND fp.member_no = 1"
        " LEFT JOIN frame_person_contacts p ON p.person_id = fp.person_id"
        f" WHERE {in_list('h.household_id')}",
        [[int(h) for h in household_ids]],
    )
