"""The ``responses`` table, as analysis needs it beside the analysis frames: counts.

Analysis reads the answers themselves through :mod:`surveys.frames`; these counts say
whether the responses changed (to reuse frames already built) and how many parts are
submitted now (to compare with what a weights version counted).
"""

from __future__ import annotations

from data.store import Store


def responses_state(store: Store, survey_id: int) -> tuple[int, int]:
    """(number of stored responses, newest response_id or 0) of a survey: submitted responses
    never change, so these two change whenever its responses do."""
    count, newest = store.rows(
        "SELECT count(*), coalesce(max(response_id), 0) FROM responses WHERE survey_id = ?",
        [survey_id],
    )[0]
    return int(count), int(newest)


def household_parts_submitted(store: Store, survey_id: int) -> int:
    """How many household parts (member 0) of the survey are submitted."""
    return int(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no = 0", [survey_id]
        )
    )


def person_parts_submitted(store: Store, survey_id: int) -> int:
    """How many person parts (members 1, 2, …) of the survey are submitted."""
    return int(
        store.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no > 0", [survey_id]
        )
    )
