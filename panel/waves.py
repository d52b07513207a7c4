"""Panel waves: a survey of kind ``panel_wave`` sent to every household in the panel.

A wave uses the same tables, respondent pages and access-code rules as the
online Seoul Survey (:mod:`surveys`); this module adds what only waves have.

Creating a wave (one transaction) registers the questionnaire version, opens
the survey as a draft and records its *sample*: every household whose status
is ``invited``, ``active`` or ``nonresponding`` (:data:`panel.status.MEMBERS`).
The panel is a stratified single-stage sample of households, so in
``survey_sample`` the stratum is the household's current district, the PSU
is the household itself (``area`` = its id, ``area_households`` = 1) and
``pi`` is its *own* inclusion probability: ``pi_panel`` for households
recruited into the panel, ``pi_reserve`` for replacements called up from the
reserve (:mod:`panel.recruit`). Households taking part for the first time get
``joined_wave`` = this wave's number. The wave's reminder schedule and
attrition rules (:mod:`panel.attrition_rules`) are stored with it.

A new wave can be created only when every earlier wave has had its attrition
applied: the roster's statuses must say who is still in the panel.

Issuing the invitations makes one access code per sampled household
(:func:`surveys.fieldwork.invitations.issue_codes`, hashed at rest), hands the list —
head's name, mobile number, link and code — to a messaging
:class:`panel.messaging.Sender` and puts the wave in the field. Reminder
lists leave out households that have submitted, that refused or that are out
of scope, and are recorded in ``panel_messages`` like the invitations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from data import panel_waves as wave_tables
from data.frame_store import head_contacts
from data.panel_roster import AuditEvent
from data.panel_waves import EarlierWaveOpen, SurveyCodeTaken, WaveRows
from data.store import Store
from data.text import Refusal, Text
from panel.attrition_rules import AttritionRules
from panel.messaging import MessageBatch, Sender
from panel.roster_store import load_roster
from panel.status import MEMBERS
from surveys.fieldwork.invitations import code_status, issue_codes
from surveys.opening import QuestionnaireSource, questionnaire_for, set_status

ENDING_OUTCOMES = ("refused", "moved_out", "dissolved", "deceased", "ineligible")


class WaveError(Refusal, ValueError):
    """A wave operation that cannot be done now: ``reason`` and ``text``."""


@dataclass(frozen=True)
class Wave:
    survey_id: int
    wave_no: int
    code: str
    title_ko: str
    title_en: str | None
    status: str  # draft | in_field | closed
    field_start: date | None
    field_end: date | None
    reminders: tuple[date, ...]
    rules: AttritionRules
    attrition_applied_at: datetime | None

    @property
    def attrition_applied(self) -> bool:
        return self.attrition_applied_at is not None


def _wave(row: dict) -> Wave:
    reminders = tuple(date.fromisoformat(d) for d in json.loads(row["reminders"]))
    return Wave(
        int(row["survey_id"]), int(row["wave_no"]), row["code"], row["title_ko"],
        row["title_en"], row["status"], row["field_start"], row["field_end"], reminders,
        AttritionRules.from_json(row["attrition_rules"]), row["attrition_applied_at"],
    )  # fmt: skip


def wave_info(store: Store, survey_id: int) -> Wave:
    row = wave_tables.wave(store, survey_id)
    if row is None:
        raise WaveError(
            "not_a_wave",
            Text(
                f"패널 차수가 아닙니다: 조사 {survey_id}", f"survey {survey_id} is not a panel wave"
            ),
        )
    return _wave(row)


def list_waves(store: Store) -> list[Wave]:
    return [_wave(row) for row in wave_tables.waves(store)]


def wave_households(store: Store, survey_id: int) -> pd.DataFrame:
    """The wave's sample joined to the roster: one row per invited household."""
    return wave_tables.wave_households(store, survey_id)


# -- creating a wave -------------------------------------------------------------


def _check_schedule(field_start: date, field_end: date, reminders: list[date]) -> None:
    if field_end < field_start:
        raise WaveError(
            "bad_field_period",
            Text("조사 종료일이 시작일보다 앞섭니다", "the field period ends before it starts"),
        )
    outside = [d.isoformat() for d in reminders if not field_start <= d <= field_end]
    if outside:
        raise WaveError(
            "reminder_outside",
            Text(
                f"독려 일정은 조사 기간 안이어야 합니다: {outside}",
                f"reminders must fall inside the field period: {outside}",
            ),
        )
    if list(reminders) != sorted(set(reminders)):
        raise WaveError(
            "bad_reminders",
            Text(
                "독려 일정은 날짜순이고 겹치지 않아야 합니다",
                "reminder dates must be in order, each once",
            ),
        )


def _sample_rows(roster: pd.DataFrame, survey_id: int) -> pd.DataFrame:
    members = roster.loc[roster["status"].isin(MEMBERS)]
    pi = np.where(members["role"] == "reserve", members["pi_reserve"], members["pi_panel"])
    return pd.DataFrame(
        {
            "survey_id": survey_id,
            "household_id": members["household_id"].to_numpy(),
            "stratum": members["district_code"].astype(str).to_numpy(),
            "area": members["household_id"].astype(str).to_numpy(),
            "area_households": 1,
            "pi_area": pi,
            "pi_within": 1.0,
            "pi": pi,
            "design_weight": 1.0 / pi,
        }
    )


def create_wave(
    store: Store,
    questionnaire_source: QuestionnaireSource,
    *,
    code: str,
    title_ko: str,
    title_en: str | None = None,
    field_start: date,
    field_end: date,
    reminders: list[date] | tuple[date, ...] = (),
    rules: AttritionRules | None = None,
    actor: str,
) -> Wave:
    """Open the next wave for every household in the panel (see the module docstring), on a
    questionnaire file or on a version uploaded on the questionnaires page
    (:class:`surveys.opening.VersionRef`)."""
    rules = rules or AttritionRules()
    reminders = list(reminders)
    _check_schedule(field_start, field_end, reminders)
    questionnaire = questionnaire_for(store, questionnaire_source)
    if questionnaire.kind != "panel_wave":
        raise WaveError(
            "not_a_wave_questionnaire",
            Text(
                f"{questionnaire.id} 는 패널 차수용 설문지가 아닙니다 (kind: {questionnaire.kind})",
                f"{questionnaire.id} is not a panel-wave questionnaire (kind {questionnaire.kind})",
            ),
        )
    roster = load_roster(store)
    if roster.empty:
        raise WaveError(
            "no_recruitment", Text("패널을 먼저 모집해 주세요", "recruit the panel first")
        )

    def rows(survey_id: int, wave_no: int) -> WaveRows:
        sample = _sample_rows(roster, survey_id)
        if sample.empty:
            raise WaveError(
                "panel_empty",
                Text("패널에 남은 가구가 없습니다", "no household is left in the panel"),
            )
        joining = roster.loc[
            roster["household_id"].isin(sample["household_id"]) & roster["joined_wave"].isna(),
            ["household_id"],
        ].assign(joined_wave=wave_no)
        design = {
            "design": "panel wave: every household in the panel (stratified single-stage;"
            " PSU = household)",
            "wave_no": wave_no,
            "households": len(sample),
            "joining_now": len(joining),
            "replacements": int((roster.loc[roster["household_id"].isin(sample["household_id"]),
                                 "role"] == "reserve").sum()),
        }  # fmt: skip
        event = AuditEvent(
            actor, "panel_wave_created", code,
            {**design, "questionnaire": questionnaire.id, "rules": rules.to_json()},
        )  # fmt: skip
        return WaveRows(sample, joining, json.dumps(design), event)

    try:  # both checked inside the transaction that opens the wave
        survey_id = wave_tables.open_wave(
            store, code=code, title_ko=title_ko, title_en=title_en,
            questionnaire_hash=questionnaire.source_hash, field_start=field_start,
            field_end=field_end, reminders=json.dumps([d.isoformat() for d in reminders]),
            attrition_rules=rules.to_json(), created_by=actor, rows=rows,
        )  # fmt: skip
    except EarlierWaveOpen as error:
        number, previous = error.wave_no, error.code
        raise WaveError(
            "attrition_first",
            Text(
                f"{number}차 ({previous})의 탈락 규칙을 먼저 적용해 주세요",
                f"apply the attrition of wave {number} ({previous}) before creating the next wave",
            ),
        ) from None
    except SurveyCodeTaken:
        raise WaveError(
            "code_taken",
            Text(f"조사 코드 '{code}' 는 이미 있습니다", f"survey code '{code}' already exists"),
        ) from None
    return wave_info(store, survey_id)


# -- invitations and reminders ---------------------------------------------------


def _contacts(store: Store, household_ids: list[int]) -> pd.DataFrame:
    """Head's name and mobile (the household phone when the head has none), by household."""
    return head_contacts(store, household_ids)


def _log_batch(
    store: Store, survey_id: int, batch: MessageBatch, at: datetime, event: AuditEvent
) -> None:
    """Log the batch (replacing an earlier log of its round) with its audit event."""
    rows = pd.DataFrame(
        {
            "survey_id": survey_id,
            "kind": batch.kind,
            "round": batch.round,
            "household_id": batch.recipients["household_id"].astype("int64").to_numpy(),
            "exported_at": at,
            "exported_by": event.actor,
        }
    )
    wave_tables.log_messages(store, survey_id, batch.round, rows, event)


def issue_invitations(
    store: Store, survey_id: int, *, sender: Sender, base_url: str, actor: str
) -> MessageBatch:
    """One access code per household of the wave, handed to ``sender``; the wave goes in the field.

    Refused when the wave already has codes (re-issue single households from
    the survey page) or its attrition is applied.
    """
    wave = wave_info(store, survey_id)
    if wave.attrition_applied:
        raise WaveError(
            "wave_closed",
            Text(f"{wave.code}: 이미 마감된 차수입니다", f"{wave.code}: this wave is closed"),
        )
    issued = int(code_status(store, survey_id)["codes"].sum())
    if issued:
        raise WaveError(
            "already_issued",
            Text(
                f"{wave.code}: 초대장은 이미 발송되었습니다 ({issued}건)",
                f"{wave.code}: invitations were already "
                f"issued ({issued} codes); re-issue single households' codes instead",
            ),
        )
    households = wave_households(store, survey_id)["household_id"].tolist()
    codes = issue_codes(store, survey_id, households, actor=actor)
    recipients = _contacts(store, households).merge(codes, on="household_id")
    recipients["link"] = base_url.rstrip("/") + "/respond?t=" + recipients["code"]
    recipients = recipients.assign(
        wave=wave.wave_no, field_end=wave.field_end.isoformat() if wave.field_end else ""
    )[
        [
            "household_id",
            "head_name",
            "mobile",
            "district",
            "wave",
            "code_grouped",
            "link",
            "field_end",
        ]
    ]
    batch = MessageBatch(wave.code, "invitation", 0, recipients)
    receipt = sender.send(batch)
    at = datetime.now()

    _log_batch(store, survey_id, batch, at, AuditEvent(
        actor, "panel_invitations_sent", wave.code,
        {"messages": receipt.messages, "where": receipt.where},
    ))  # fmt: skip
    if wave.status == "draft":
        set_status(store, survey_id, "in_field", actor=actor)
    return batch


def reminder_list(store: Store, survey_id: int, round_no: int) -> pd.DataFrame:
    """Who gets reminder ``round_no``: invited, not submitted, not refused or out of scope."""
    wave = wave_info(store, survey_id)
    if not 1 <= round_no <= len(wave.reminders):
        raise WaveError(
            "no_such_reminder",
            Text(
                f"{wave.code}: 독려 {round_no}차는 일정에 없습니다 (1~{len(wave.reminders)})",
                f"{wave.code}: reminder {round_no} is not in the schedule (1-{len(wave.reminders)})",
            ),
        )
    waiting = wave_tables.awaiting_reminder(store, survey_id, ENDING_OUTCOMES)
    contacts = _contacts(store, waiting["household_id"].tolist())
    out = contacts.merge(waiting, on="household_id")
    out["progress"] = np.where(out["started"], "started", "not started")
    return out.assign(
        wave=wave.wave_no,
        reminder=round_no,
        scheduled_for=wave.reminders[round_no - 1].isoformat(),
    )[["household_id", "head_name", "mobile", "district", "wave", "reminder", "scheduled_for",
       "progress"]]  # fmt: skip


def send_reminders(
    store: Store, survey_id: int, round_no: int, *, sender: Sender, actor: str
) -> MessageBatch:
    """Hand reminder ``round_no``'s list to ``sender`` and log it.

    The reminder carries no code: the messaging system resends the link it
    received with the invitation, matched on ``household_id``. Sending a round
    again replaces its log with the new list (those who answered meanwhile
    drop out of it).
    """
    wave = wave_info(store, survey_id)
    if wave.status != "in_field":
        raise WaveError(
            "not_in_field",
            Text(
                f"{wave.code}: 조사 중인 차수가 아닙니다",
                f"{wave.code}: the wave is not in the field",
            ),
        )
    batch = MessageBatch(wave.code, "reminder", round_no, reminder_list(store, survey_id, round_no))
    receipt = sender.send(batch)
    at = datetime.now()

    _log_batch(store, survey_id, batch, at, AuditEvent(
        actor, "panel_reminders_sent", wave.code,
        {"round": round_no, "messages": receipt.messages, "where": receipt.where},
    ))  # fmt: skip
    return batch


def message_log(store: Store, survey_id: int) -> pd.DataFrame:
    """Lists sent for a wave: kind, round, households and when."""
    return wave_tables.message_log(store, survey_id)
