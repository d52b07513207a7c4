"""Matched replacement of households that left the panel (issue #5, part 5).

Each household that left is replaced by an unused reserve household of the
same cell (district × household type × head's age band). When the cell is
exhausted the match widens, cumulatively, in the order of ``widening``
(default: neighbouring age band, then household type, then district):

====  =========================================================================
level match
====  =========================================================================
0     same cell
1     same district and type, head's age band ±1 (younger band first)
2     same district, any household type, age band equal then ±1
3     any district (type and band as at level 2 first, then any household)
====  =========================================================================

``match_level`` and a text ``match_flag`` record the quality. Within a cell
reserve households are taken in a random order fixed by ``seed``, drop-outs in
household-id order, and the matching is vectorized (groupby + rank, one merge
per pass); the loop is over widening passes only.

Guarantees: no reserve household is used twice (only households still
``reserve`` are available; one that left is never re-invited); each
replacement records whom it ``replaces``; a drop-out that already has a
replacement is skipped, so running the same replacement twice changes nothing
the second time; the panel returns to its size whenever the reserve holds
enough households, else ``shortfall`` says how many are missing.
Replacements enter as ``invited`` for the next wave with their own inclusion
probability ``pi_reserve`` (see :mod:`panel.recruit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from data.text import Text
from panel.status import HISTORY_COLUMNS, LEFT, StatusError

WIDENING = ("age_band", "household_type", "district")
_COLUMN = {
    "age_band": "head_age_band",
    "household_type": "household_type",
    "district": "district_code",
}
_FLAG = {
    "age_band": "neighbouring age band",
    "household_type": "other household type",
    "district": "other district",
}
CELL = ["district_code", "household_type", "head_age_band"]


@dataclass(frozen=True)
class Replacement:
    """The outcome of one replacement run."""

    roster: pd.DataFrame
    replacements: pd.DataFrame  # household_id, replaces, match_level, match_flag, cell, pi_reserve
    history: pd.DataFrame  # reserve → invited changes
    shortfall: int  # drop-outs left without a replacement
    unmatched: list[int]  # their ids


def _passes(widening: tuple[str, ...]) -> list[tuple[int, list[str], int]]:
    """(level, key columns, age-band offset) for every matching pass, in order."""
    passes: list[tuple[int, list[str], int]] = [(0, list(CELL), 0)]
    relaxed: set[str] = set()
    for level, step in enumerate(widening, start=1):
        relaxed.add(step)
        keys = [_COLUMN[s] for s in ("district", "household_type") if s not in relaxed]
        offsets = (0, -1, 1) if "age_band" in relaxed else (0,)
        passes += [(level, keys + ["head_age_band"], o) for o in offsets]
    passes.append((len(widening), [], 0))  # last resort at the widest level: any household
    return passes


def _moved_district(frame: pd.DataFrame, moved: pd.Series) -> None:
    """Take the roster's (current) district for households that moved within Seoul."""
    mask = frame["household_id"].isin(moved.index).to_numpy()
    if mask.any():
        frame.loc[mask, "district_code"] = frame.loc[mask, "household_id"].map(moved).to_numpy()


def _flag(level: int, widening: tuple[str, ...]) -> str:
    return "same cell" if level == 0 else " + ".join(_FLAG[s] for s in widening[:level])


def _match(drops: pd.DataFrame, pool: pd.DataFrame, keys: list[str], offset: int) -> pd.DataFrame:
    """Pair drop-outs and pool households with equal keys, k-th with k-th (groupby + rank)."""
    d = drops[["household_id"] + keys].rename(columns={"household_id": "replaces"})
    if offset:
        d["head_age_band"] = d["head_age_band"] + offset
    p = pool[["household_id"] + keys]
    if keys:
        d["rank"] = d.groupby(keys, sort=False).cumcount()
        p = p.assign(rank=p.groupby(keys, sort=False).cumcount())
    else:
        d["rank"] = np.arange(len(d))
        p = p.assign(rank=np.arange(len(p)))
    return d.merge(p, on=keys + ["rank"], how="inner")[["replaces", "household_id"]]


def replace(
    roster: pd.DataFrame,
    dropped_ids: Iterable[int],
    reserve: pd.DataFrame,
    *,
    seed: int,
    widening: tuple[str, ...] = WIDENING,
    who: str = "replacement",
    at: datetime | None = None,
) -> Replacement:
    """Replace every household of ``dropped_ids`` from ``reserve``; see the module docstring.

    ``roster`` has household_id, status, district_code, household_type,
    head_age_band and (optionally) replaces / match_level; the cells of the
    drop-outs and of reserve households that moved are read from it.
    ``reserve`` is the recruited reserve (household_id, cell, pi_reserve).
    """
    if sorted(widening) != sorted(WIDENING):
        raise ValueError(f"widening must order {WIDENING}, not {widening}")
    at = at or datetime.now()
    roster = roster.copy()
    for column, dtype in (("replaces", "Int64"), ("match_level", "Int8")):
        if column not in roster:
            roster[column] = pd.array([pd.NA] * len(roster), dtype=dtype)
    dropped = pd.Index(pd.unique(np.fromiter(dropped_ids, dtype=np.int64)))
    known = roster.set_index("household_id")
    missing = dropped.difference(known.index)
    if len(missing):
        raise StatusError(
            "not_in_roster",
            Text(
                f"명부에 없는 가구입니다: {list(missing[:10])}",
                f"not in the roster: {list(missing[:10])}",
            ),
        )
    not_left = dropped[~known.loc[dropped, "status"].isin(LEFT).to_numpy()]
    if len(not_left):
        raise StatusError(
            "not_left",
            Text(
                f"패널을 떠나지 않은 가구는 대체할 수 없습니다: {list(not_left[:10])}",
                "households that have not left "
                f"the panel cannot be replaced: {list(not_left[:10])}",
            ),
        )
    already = set(roster["replaces"].dropna().astype(np.int64))
    todo = dropped[~dropped.isin(list(already))].sort_values()
    drops = known.loc[todo, CELL].reset_index()

    # available: reserve households not yet used (still "reserve" or not in the roster)
    used = roster.loc[roster["status"] != "reserve", "household_id"]
    pool = reserve.loc[~reserve["household_id"].isin(used)].copy()
    moved = known.loc[known.index.intersection(pool["household_id"]), "district_code"]
    _moved_district(pool, moved)
    pool = pool.sort_values("household_id", kind="stable")
    rng = np.random.default_rng(seed)
    pool = pool.iloc[rng.permutation(len(pool))]

    pairs = []
    for level, keys, offset in _passes(tuple(widening)):
        if drops.empty or pool.empty:
            break
        matched = _match(drops, pool, keys, offset).assign(match_level=level)
        pairs.append(matched)
        drops = drops[~drops["household_id"].isin(matched["replaces"])]
        pool = pool[~pool["household_id"].isin(matched["household_id"])]
    columns = ["replaces", "household_id", "match_level"]
    made = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=columns)
    made = made.astype({"replaces": np.int64, "household_id": np.int64, "match_level": np.int8})
    made["match_flag"] = [_flag(int(x), tuple(widening)) for x in made["match_level"]]
    info = reserve.drop_duplicates("household_id").set_index("household_id")
    keep = [c for c in ("pi_reserve", "pi") if c in info]
    made = made.join(info[CELL + keep], on="household_id")
    _moved_district(made, moved)
    made = made.sort_values("replaces", kind="stable").reset_index(drop=True)

    # roster: replacements become invited members, with whom they replace
    new_rows = made.loc[~made["household_id"].isin(roster["household_id"])]
    if len(new_rows):
        extra = new_rows[["household_id"] + CELL + keep].assign(role="reserve", status="reserve")
        roster = pd.concat([roster, extra], ignore_index=True)
    idx = roster.index[roster["household_id"].isin(made["household_id"])]
    by_id = made.set_index("household_id")
    ids = roster.loc[idx, "household_id"]
    roster.loc[idx, "status"] = "invited"
    roster.loc[idx, "replaces"] = by_id.loc[ids, "replaces"].to_numpy()
    roster.loc[idx, "match_level"] = by_id.loc[ids, "match_level"].to_numpy()
    history = pd.DataFrame(
        {
            "household_id": made["household_id"].to_numpy(),
            "previous": "reserve",
            "status": "invited",
            "who": who,
            "why": [
                f"replaces {r} ({f})"
                for r, f in zip(made["replaces"], made["match_flag"], strict=True)
            ],
            "at": at,
            "previous_district": made["district_code"].to_numpy(),
            "district_code": made["district_code"].to_numpy(),
        },
        columns=HISTORY_COLUMNS,
    )
    unmatched = sorted(int(x) for x in drops["household_id"])
    return Replacement(roster, made, history, len(unmatched), unmatched)
