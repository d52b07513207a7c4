"""Shared steps for the wave tests: recruit, open a wave, answer as a household would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data.store import Store
from demo.panel_answers import draw_wave_answers
from panel.attrition_rules import AttritionRules
from panel.messaging import CsvOutbox
from panel.roster_store import recruit_panel
from panel.waves import Wave, create_wave, issue_invitations
from surveys.fieldwork.invitations import find_invitation
from surveys.fieldwork.sessions import open_session, save_draft
from surveys.fieldwork.submit import submit
from surveys.opening import questionnaire_of

DEFINITIONS = Path(__file__).resolve().parents[2] / "surveys" / "definitions"
PARALLEL = DEFINITIONS / "panel_seoul_parallel_2026.yaml"
POLICY = DEFINITIONS / "panel_policy_demand_2026.yaml"
CROSS_SECTION = DEFINITIONS / "seoul_survey_2026.yaml"
RECRUIT = {"target": 120, "reserve": 240, "allocation": "proportional_floor", "floor": 2, "seed": 3}


def recruit(store: Store) -> None:
    recruit_panel(store, actor="operator", **RECRUIT)


def open_wave(
    store: Store, number: int, rules: AttritionRules | None = None, path=PARALLEL
) -> Wave:
    return create_wave(
        store, path, code=f"panel-w{number}", title_ko=f"{number}차 패널조사",
        field_start=date(2026, 3 * number, 1), field_end=date(2026, 3 * number, 20),
        reminders=[date(2026, 3 * number, 8), date(2026, 3 * number, 15)],
        rules=rules or AttritionRules(), actor="operator",
    )  # fmt: skip


def invite(store: Store, wave: Wave, folder: Path) -> pd.DataFrame:
    batch = issue_invitations(
        store, wave.survey_id, sender=CsvOutbox(folder), base_url="https://x.test", actor="operator"
    )
    return batch.recipients


def household_answers(store: Store, survey_id: int, household_ids: list[int]) -> list[dict]:
    """Valid answers drawn for these households from the frame (the demo's generator)."""
    frame = store.query(
        "SELECT h.household_id, h.district_code, h.household_type, h.head_age_band,"
        " h.household_size, h.income_bracket, p.sex AS head_sex, p.birth_year AS head_birth_year"
        " FROM frame_households h JOIN frame_persons p ON p.household_id = h.household_id"
        " AND p.member_no = 1 WHERE list_contains(?, h.household_id) ORDER BY h.household_id",
        [household_ids],
    )
    frame = frame.set_index("household_id").loc[household_ids].reset_index()
    return draw_wave_answers(
        questionnaire_of(store, survey_id), frame, 1, np.random.default_rng(len(household_ids))
    )


def answer(store: Store, codes: pd.DataFrame, household_ids: list[int]) -> None:
    """Each household opens its link's code and submits valid answers."""
    chosen = codes.set_index("household_id").loc[household_ids]
    links = chosen["link"].str.split("t=").str[1]
    invitation = find_invitation(store, links.iloc[0])
    all_answers = household_answers(store, invitation.survey_id, household_ids)
    questionnaire = questionnaire_of(store, invitation.survey_id)
    for code, answers in zip(links, all_answers, strict=True):
        found = find_invitation(store, code)
        session = open_session(store, found.survey_id, found.household_id, 0)
        submit(store, questionnaire, session.submission_id, answers)


def break_off(store: Store, survey_id: int, household_id: int) -> None:
    """A household that saved one screen and left."""
    session = open_session(store, survey_id, household_id, 0)
    save_draft(store, session.submission_id, {"sex": 1}, left="about_you", entered=None)
