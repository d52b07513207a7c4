"""Contact lists a survey's sample is drawn from: the lists, their households, their contacts.

The accepted rows of an uploaded list become *listed households* (``listed_households``: the
district a household is counted in) with their contacts apart (``listed_contacts``), never
beside answers. Listed household ids start at :data:`FIRST_LISTED_ID`, above every frame id.
"""

from __future__ import annotations

import pandas as pd

from data.dialect import in_list
from data.store import Store, Transaction

FIRST_LISTED_ID = 900_000_000_001
HOUSEHOLD_COLUMNS = ("household_id", "list_id", "row_number", "district_code")
CONTACT_COLUMNS = ("household_id", "name", "address", "postal_code", "mobile", "email")


def next_ids(tx: Transaction) -> tuple[int, int]:
    """The next list id and the next listed household id (inside the writing transaction)."""
    tx.execute("SELECT coalesce(max(list_id), 0) + 1 FROM contact_lists")
    list_id = int(tx.fetchall()[0][0])
    tx.execute(
        "SELECT coalesce(max(household_id), ?) + 1 FROM listed_households", [FIRST_LISTED_ID - 1]
    )
    return list_id, int(tx.fetchall()[0][0])


def insert_contact_list(
    store: Store,
    tx: Transaction,
    record: dict[str, object],
    households: pd.DataFrame,
    contacts: pd.DataFrame,
) -> None:
    """Add a list (``record``: the ``contact_lists`` row), its households and their contacts."""
    columns = list(record)
    tx.execute(
        f"INSERT INTO contact_lists ({', '.join(columns)})"  # noqa: S608 - fixed column names
        f" VALUES ({', '.join('?' for _ in columns)})",
        [record[c] for c in columns],
    )
    store.insert_frame(tx, "listed_households", households[list(HOUSEHOLD_COLUMNS)])
    store.insert_frame(tx, "listed_contacts", contacts[list(CONTACT_COLUMNS)])


def contact_lists_of(store: Store, survey_id: int) -> pd.DataFrame:
    """The lists uploaded for a survey: list_id, file_name, rows_read, rows_accepted,
    rows_quarantined, uploaded_by, uploaded_at (newest first)."""
    return store.query(
        "SELECT list_id, file_name, rows_read, rows_accepted, rows_quarantined, uploaded_by,"
        " uploaded_at FROM contact_lists WHERE survey_id = ? ORDER BY list_id DESC",
        [int(survey_id)],
    )


def listed_households_by_district(store: Store, list_id: int) -> pd.Series:
    """A list's households per district (district code → count): its population's margin."""
    rows = store.rows(
        "SELECT district_code, count(*) FROM listed_households WHERE list_id = ?"
        " GROUP BY district_code ORDER BY district_code",
        [int(list_id)],
    )
    return pd.Series({str(code): float(n) for code, n in rows}, dtype=float)


def listed_letter_contacts(store: Store, household_ids: list[int]) -> pd.DataFrame:
    """Where to send listed households' letters, as :func:`data.frame_store.letter_contacts`
    gives them for frame households (``head_name`` is the listed name), plus ``mobile`` and
    ``email``."""
    return store.query(
        "SELECT l.household_id, l.district_code, d.name_ko AS district, c.address,"  # noqa: S608 - fixed fragments from data.dialect
        " c.postal_code, c.name AS head_name, c.mobile, c.email FROM listed_households l"
        " JOIN districts d ON d.code = l.district_code"
        " JOIN listed_contacts c USING (household_id)"
        f" WHERE {in_list('l.household_id')}",
        [[int(h) for h in household_ids]],
    )
