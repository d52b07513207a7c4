"""The panel roster's status machine: statuses, allowed moves, history.

Statuses and moves (issue #5, part 2)::

    reserve → invited → active ⇄ nonresponding
    invited → nonresponding | dropped | refused | ineligible | moved_out | dissolved | deceased
    active | nonresponding → dropped | refused | moved_out | dissolved | deceased | ineligible

The last six end membership (:data:`LEFT`): nothing moves out of them, so a
household that left is never re-invited. ``invited → …`` covers households
that decline or turn out out of scope before their first interview, and a
newly invited household (a replacement) that does not answer its first wave:
it becomes non-responding, or dropped when the wave's attrition rules say so
(additions to the issue's list: an invitation can go unanswered or be refused). A move within
Seoul is not a status change: :func:`move_within_seoul` keeps the status and
updates the district. Every change records who, when, why and the previous
state; a refused move raises :class:`StatusError` saying why, in Korean and
English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from data.text import Refusal, Text

STATUSES: tuple[str, ...] = (
    "reserve",
    "invited",
    "active",
    "nonresponding",
    "dropped",
    "refused",
    "moved_out",
    "dissolved",
    "deceased",
    "ineligible",
)
LABELS_KO: dict[str, str] = {
    "reserve": "예비",
    "invited": "초대",
    "active": "참여",
    "nonresponding": "무응답",
    "dropped": "탈락",
    "refused": "거절",
    "moved_out": "서울 외 전출",
    "dissolved": "가구 해체",
    "deceased": "사망",
    "ineligible": "부적격",
}
LEFT: frozenset[str] = frozenset(
    {"dropped", "refused", "moved_out", "dissolved", "deceased", "ineligible"}
)
MEMBERS: frozenset[str] = frozenset({"invited", "active", "nonresponding"})

# The transition table as data: (from, to) pairs that are allowed.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {("reserve", "invited"), ("invited", "active")}
    | {("active", "nonresponding"), ("nonresponding", "active")}
    | {("invited", s) for s in LEFT | {"nonresponding"}}
    | {(s, t) for s in ("active", "nonresponding") for t in LEFT}
)
_INDEX = {s: i for i, s in enumerate(STATUSES)}
_ALLOWED = np.zeros((len(STATUSES), len(STATUSES)), dtype=bool)
for _a, _b in TRANSITIONS:
    _ALLOWED[_INDEX[_a], _INDEX[_b]] = True

HISTORY_COLUMNS = [
    "household_id", "previous", "status", "who", "why", "at", "previous_district", "district_code",
]  # fmt: skip


class StatusError(Refusal, ValueError):
    """A refused status change: ``reason`` and ``text``."""


@dataclass(frozen=True)
class Change:
    """One recorded status change."""

    previous: str
    status: str
    who: str
    why: str
    at: datetime
    household_id: int | None = None

    def as_row(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "previous": self.previous,
            "status": self.status,
            "who": self.who,
            "why": self.why,
            "at": self.at,
        }


def refusal_reason(current: str, new: str) -> Text | None:
    """Why ``current → new`` is refused, or ``None`` if allowed."""
    for status in (current, new):
        if status not in _INDEX:
            return Text(f"알 수 없는 상태입니다: {status!r}", f"unknown status {status!r}")
    if (current, new) in TRANSITIONS:
        return None
    ko_from, ko_to = LABELS_KO[current], LABELS_KO[new]
    if current == new:
        return Text(f"이미 '{ko_from}' 상태입니다", f"already {current}")
    if current in LEFT:
        return Text(
            f"'{ko_from}' 가구는 패널을 떠났으므로 '{ko_to}'(으)로 바꿀 수 없습니다",
            f"a {current} household has left the panel and cannot become {new}",
        )
    allowed = sorted(b for a, b in TRANSITIONS if a == current)
    return Text(
        f"'{ko_from}'에서 '{ko_to}'(으)로 바꿀 수 없습니다 (가능: {', '.join(allowed)})",
        f"cannot move from {current} to {new}; allowed: {', '.join(allowed)}",
    )


def transition(
    current: str, new: str, *, who: str, why: str, at: datetime, household_id: int | None = None
) -> Change:
    """Check one move against the table and record it; raise :class:`StatusError` if refused."""
    reason = refusal_reason(current, new)
    if reason is not None:
        if household_id is not None:
            reason = Text(
                f"가구 {household_id}: {reason.ko}", f"household {household_id}: {reason.en}"
            )
        raise StatusError("transition_refused", reason)
    if not who or not why:
        raise StatusError(
            "no_actor_or_reason", Text("변경자와 사유가 필요합니다", "a change needs who and why")
        )
    return Change(current, new, who, why, at, household_id)


def _codes(values: pd.Series) -> np.ndarray:
    return pd.Categorical(values, categories=STATUSES).codes.astype(np.int64)


def apply_changes(roster: pd.DataFrame, changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply status ``changes`` (household_id, status, who, why, at) to ``roster``.

    All or nothing: if any change is refused (unknown household or status, a
    move not in the table), :class:`StatusError` lists every refusal and the
    roster is untouched. Several changes to one household apply in their
    order (one vectorized round per position). Returns the new roster and the
    history rows (with the previous state).
    """
    missing = ~changes["household_id"].isin(roster["household_id"])
    if missing.any():
        ids = changes.loc[missing, "household_id"].tolist()[:10]
        raise StatusError(
            "not_in_roster",
            Text(f"명부에 없는 가구입니다: {ids}", f"households not in the roster: {ids}"),
        )
    if changes[["who", "why"]].isna().any().any():
        raise StatusError(
            "no_actor_or_reason",
            Text("변경자와 사유가 필요합니다", "every change needs who and why"),
        )
    roster = roster.copy()
    position = pd.Series(np.arange(len(roster)), index=roster["household_id"].to_numpy())
    status = _codes(roster["status"])
    new_codes = _codes(changes["status"])
    if (new_codes < 0).any():
        bad = sorted(set(changes.loc[new_codes < 0, "status"]))
        raise StatusError(
            "unknown_status", Text(f"알 수 없는 상태입니다: {bad}", f"unknown statuses {bad}")
        )
    rows = position.loc[changes["household_id"].to_numpy()].to_numpy()
    round_of = changes.groupby("household_id", sort=False).cumcount().to_numpy()
    previous = np.empty(len(changes), dtype=np.int64)
    for r in range(int(round_of.max()) + 1 if len(changes) else 0):
        this = round_of == r
        previous[this] = status[rows[this]]
        status[rows[this]] = new_codes[this]
    refused = ~_ALLOWED[previous, new_codes] if len(changes) else np.zeros(0, dtype=bool)
    if refused.any():
        reasons = [
            (h, refusal_reason(STATUSES[p], STATUSES[n]) or Text("", ""))
            for h, p, n in zip(
                changes["household_id"].to_numpy()[refused][:20],
                previous[refused][:20],
                new_codes[refused][:20],
                strict=True,
            )
        ]
        n = int(refused.sum())
        raise StatusError(
            "transitions_refused",
            Text(
                f"변경 {n}건을 할 수 없습니다:\n"
                + "\n".join(f"가구 {h}: {r.ko}" for h, r in reasons),
                f"{n} change(s) refused:\n"
                + "\n".join(f"household {h}: {r.en}" for h, r in reasons),
            ),
        )
    roster["status"] = np.asarray(STATUSES, dtype=object)[status]
    history = pd.DataFrame(
        {
            "household_id": changes["household_id"].to_numpy(),
            "previous": np.asarray(STATUSES, dtype=object)[previous],
            "status": changes["status"].to_numpy(),
            "who": changes["who"].to_numpy(),
            "why": changes["why"].to_numpy(),
            "at": changes["at"].to_numpy(),
        }
    )
    if "district_code" in roster:
        district = roster["district_code"].to_numpy()[rows]
        history["previous_district"] = district
        history["district_code"] = district
    return roster, history.reindex(columns=HISTORY_COLUMNS)


def move_within_seoul(
    roster: pd.DataFrame,
    household_id: int,
    new_district: str,
    who: str,
    when: datetime,
    *,
    districts: frozenset[str] | None = None,
    why: str = "moved within Seoul",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A household moving within Seoul stays in the panel (tracked, not dropped).

    The status is kept and the district updated; the history row records the
    previous district. Refused for an unknown household, one that has left
    the panel, or a district outside ``districts`` (when given); a move out
    of Seoul is the status ``moved_out`` instead.
    """
    match = np.flatnonzero(roster["household_id"].to_numpy() == household_id)
    if len(match) == 0:
        raise StatusError(
            "not_in_roster",
            Text(
                f"명부에 없는 가구입니다: {household_id}",
                f"household {household_id} is not in the roster",
            ),
        )
    row = match[0]
    status = roster["status"].iat[row]
    if status in LEFT:
        raise StatusError(
            "left_panel",
            Text(
                f"가구 {household_id}는 패널을 떠났습니다('{LABELS_KO[status]}')",
                f"household {household_id} has left the panel ({status}) and cannot move",
            ),
        )
    if districts is not None and str(new_district) not in districts:
        raise StatusError(
            "not_a_district",
            Text(
                f"서울의 자치구 코드가 아닙니다: {new_district}",
                f"{new_district} is not a Seoul "
                "district; a move out of Seoul is the status moved_out",
            ),
        )
    previous_district = roster["district_code"].iat[row]
    roster = roster.copy()
    roster.iloc[row, roster.columns.get_loc("district_code")] = new_district
    history = pd.DataFrame(
        [[household_id, status, status, who, why, when, previous_district, new_district]],
        columns=HISTORY_COLUMNS,
    )
    return roster, history
