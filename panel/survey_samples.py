"""A survey's sample drawn from the citizen panel: the whole panel, some districts, some cells.

A survey manager who opens a survey on a questionnaire (a department's own form, say) may
field it on the panel's households instead of drawing a fresh sample from the frame: every
household now in the panel (status ``invited``, ``active`` or ``nonresponding``,
:data:`panel.status.MEMBERS`), restricted to a *target* — some districts, some matching cells
(household type × head's age band) — and optionally sub-sampled to ``n`` households.

Probabilities. The panel is a stratified single-stage sample of households
(:mod:`panel.recruit`); each household's own inclusion probability is ``pi_panel`` (recruited
into the panel) or ``pi_reserve`` (called up from the reserve), as a panel wave records it
(:mod:`panel.waves`). The sub-sample is a stratified simple random sample without replacement
within each district: ``n`` is allocated to the target's districts in proportion to their
panel households ``N_h`` (:func:`surveys.fieldwork.sampling.allocate`, controlled rounding),
and ``n_h`` of the ``N_h`` are drawn. So, for a household ``k`` of district ``h``,

    pi_k = pi_own,k × n_h / N_h,      design weight d_k = 1 / pi_k,

recorded in ``survey_sample`` with the district as stratum and the household as its own PSU
(``area`` = its id, ``area_households`` = 1, ``pi_area`` = ``pi_own``, ``pi_within`` =
``n_h / N_h``). Without ``n`` every target household is taken (``pi_within`` = 1).

These probabilities are conditional on the panel's current membership: households that left
the panel are not represented by those that stay except through weighting. The survey's
weights (:mod:`analysis.weights.survey_weights`) adjust for nonresponse within districts and
calibrate to the registered totals **of the target districts only** (never spreading Seoul's
totals over a district); a target restricted to cells has no registered totals, so its
weights stop at the nonresponse adjustment and say so. The target is stored in the survey's
sample design (``target``) so that the weights and every replay of them see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data.audit import record_event
from data.store import Store, Transaction
from data.survey_tables import SAMPLE_COLUMNS, insert_sample, set_sample_design
from data.text import InvalidRequest, Text
from data.transactions import in_transaction
from panel.roster_store import load_roster
from panel.status import MEMBERS
from surveys.fieldwork.sampling import allocate
from surveys.opening import refuse_second_sample


@dataclass(frozen=True)
class PanelSampleDesign:
    """Which panel households a survey goes to.

    Empty ``districts`` / ``household_types`` / ``head_age_bands`` mean no restriction on
    that variable; ``n`` None means every household of the target.
    """

    districts: tuple[str, ...] = ()
    household_types: tuple[int, ...] = ()
    head_age_bands: tuple[int, ...] = ()
    n: int | None = None
    seed: int = 1

    def target(self) -> dict[str, list[Any]]:
        """The target population as stored in the sample design (only what restricts it)."""
        out: dict[str, list[Any]] = {}
        if self.districts:
            out["districts"] = sorted(str(d) for d in self.districts)
        if self.household_types:
            out["household_types"] = sorted(int(v) for v in self.household_types)
        if self.head_age_bands:
            out["head_age_bands"] = sorted(int(v) for v in self.head_age_bands)
        return out


def target_households(roster: pd.DataFrame, design: PanelSampleDesign) -> pd.DataFrame:
    """The panel's current households within the design's target, by id, with ``pi_own``."""
    members = roster.loc[roster["status"].isin(MEMBERS)].copy()
    if design.districts:
        members = members[members["district_code"].astype(str).isin(design.districts)]
    if design.household_types:
        members = members[members["household_type"].isin(design.household_types)]
    if design.head_age_bands:
        members = members[members["head_age_band"].isin(design.head_age_bands)]
    members["pi_own"] = np.where(
        members["role"] == "reserve", members["pi_reserve"], members["pi_panel"]
    )
    return members.sort_values("household_id").reset_index(drop=True)


def panel_sample_rows(
    roster: pd.DataFrame, design: PanelSampleDesign, survey_id: int
) -> pd.DataFrame:
    """The ``survey_sample`` rows of the design (see the module docstring for ``pi``).

    Raises :class:`data.text.InvalidRequest` when the target holds no household or ``n``
    exceeds it.
    """
    target = target_households(roster, design)
    if target.empty:
        raise InvalidRequest(
            "panel_target_empty",
            Text(
                "선택한 대상(구·가구 유형·연령대)에 해당하는 패널 가구가 없습니다;"
                " 대상을 넓혀 주세요",
                "no panel household is in the chosen target (districts, household types,"
                " age bands); widen it",
            ),
        )
    stratum = target["district_code"].astype(str)
    sizes = stratum.value_counts().sort_index()
    if design.n is None:
        chosen = target.assign(pi_within=1.0)
    else:
        if not 1 <= design.n <= len(target):
            raise InvalidRequest(
                "panel_sample_too_large",
                Text(
                    f"표본 {design.n:,}가구를 뽑을 수 없습니다: 대상 패널 가구는"
                    f" {len(target):,}가구입니다",
                    f"cannot draw {design.n:,} households: the target holds {len(target):,}"
                    " panel households",
                ),
            )
        rng = np.random.default_rng(design.seed)
        n_h = allocate(sizes, design.n, method="proportional", capacity=sizes, rng=rng)
        picks = []
        for code, group in target.groupby(stratum, sort=True):
            take = int(n_h[code])
            if take:
                rows = rng.choice(len(group), size=take, replace=False)
                picks.append(group.iloc[np.sort(rows)].assign(pi_within=take / len(group)))
        chosen = pd.concat(picks).sort_values("household_id")
    pi = chosen["pi_own"].to_numpy() * chosen["pi_within"].to_numpy()
    return pd.DataFrame(
        {
            "survey_id": survey_id,
            "household_id": chosen["household_id"].to_numpy(),
            "stratum": chosen["district_code"].astype(str).to_numpy(),
            "area": chosen["household_id"].astype(str).to_numpy(),
            "area_households": 1,
            "pi_area": chosen["pi_own"].to_numpy(),
            "pi_within": chosen["pi_within"].to_numpy(),
            "pi": pi,
            "design_weight": 1.0 / pi,
        }
    )[list(SAMPLE_COLUMNS)]


def draw_from_panel(
    store: Store, survey_id: int, design: PanelSampleDesign, *, actor: str
) -> pd.DataFrame:
    """Record the survey's sample drawn from the panel, with its design, in one transaction
    (audited as ``sample_drawn`` with ``source: panel``). Returns the sample rows."""
    refuse_second_sample(store, survey_id)
    roster = load_roster(store)
    if roster.empty:
        raise InvalidRequest(
            "no_recruitment", Text("패널을 먼저 모집해 주세요", "recruit the panel first")
        )
    rows = panel_sample_rows(roster, design, survey_id)
    eligible = len(target_households(roster, design))
    details = {
        "source": "panel",
        "design": "sub-sample of the citizen panel: stratified SRSWOR within districts,"
        " PSU = household, pi = pi_panel (or pi_reserve) x n_h / N_h",
        "target": design.target(),
        "households": len(rows),
        "target_households": eligible,
        "n": design.n,
        "seed": design.seed if design.n is not None else None,
    }

    def work(tx: Transaction) -> None:
        insert_sample(store, tx, rows)
        set_sample_design(tx, survey_id, details)
        record_event(tx, actor, "sample_drawn", f"survey:{survey_id}", details)

    in_transaction(store, work)
    return rows


def panel_households_by_district(store: Store) -> pd.Series:
    """The panel's current households per district (district code → count), for choosing a
    target; empty before the panel is recruited."""
    roster = load_roster(store)
    if roster.empty:
        return pd.Series(dtype="int64")
    current = target_households(roster, PanelSampleDesign())
    return current["district_code"].astype(str).value_counts().sort_index()
