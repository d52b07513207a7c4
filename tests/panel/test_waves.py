"""Waves: the sample, access codes, invitation and reminder lists, the schedule."""

from __future__ import annotations

import stat
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from panel.messaging import CsvOutbox
from panel.outcomes import record_outcomes
from panel.roster_store import load_roster
from panel.waves import (
    WaveError,
    create_wave,
    issue_invitations,
    list_waves,
    reminder_list,
    send_reminders,
    wave_households,
)
from surveys.fieldwork.access_codes import code_hash
from surveys.fieldwork.invitations import CodeRefused, find_invitation, revoke_codes
from tests.panel.wave_helpers import (
    CROSS_SECTION,
    PARALLEL,
    answer,
    break_off,
    invite,
    open_wave,
    recruit,
)


@pytest.fixture
def panel_store(no_panel_store):
    recruit(no_panel_store)
    return no_panel_store


def test_a_wave_invites_every_panel_household_with_its_own_probability(panel_store):
    wave = open_wave(panel_store, 1)
    sample = wave_households(panel_store, wave.survey_id)
    roster = load_roster(panel_store).set_index("household_id")
    assert len(sample) == 120 and set(sample["role"]) == {"panel"}
    assert (
        sample["pi"].to_numpy() == roster.loc[sample["household_id"], "pi_panel"].to_numpy()
    ).all()
    assert (roster.loc[sample["household_id"], "joined_wave"] == 1).all()
    assert wave.wave_no == 1 and wave.status == "draft"
    kind = panel_store.scalar("SELECT kind FROM surveys WHERE survey_id = ?", [wave.survey_id])
    assert kind == "panel_wave"


def test_a_cross_section_questionnaire_cannot_make_a_wave(panel_store):
    with pytest.raises(WaveError, match="panel-wave"):
        create_wave(
            panel_store, CROSS_SECTION, code="x", title_ko="x", field_start=date(2026, 1, 1),
            field_end=date(2026, 1, 9), actor="operator",
        )  # fmt: skip


def test_reminders_outside_the_field_period_are_refused(panel_store):
    with pytest.raises(WaveError, match="inside the field period"):
        create_wave(
            panel_store, PARALLEL, code="x", title_ko="x", field_start=date(2026, 1, 1),
            field_end=date(2026, 1, 9), reminders=[date(2026, 1, 12)], actor="operator",
        )  # fmt: skip


def test_no_wave_before_the_panel_is_recruited(no_panel_store):
    with pytest.raises(WaveError, match="recruit the panel"):
        open_wave(no_panel_store, 1)


def test_the_next_wave_waits_for_the_attrition_of_the_last(panel_store):
    open_wave(panel_store, 1)
    with pytest.raises(WaveError, match="apply the attrition of wave 1"):
        open_wave(panel_store, 2)
    assert [w.wave_no for w in list_waves(panel_store)] == [1]


def test_invitations_give_one_code_per_household_hashed_at_rest(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    codes = invite(panel_store, wave, tmp_path)
    assert len(codes) == 120 and codes["household_id"].is_unique
    assert codes["head_name"].notna().all() and codes["mobile"].notna().mean() > 0.9
    plain = codes["link"].str.split("t=").str[1]
    stored = {r[0] for r in panel_store.rows("SELECT code_hash FROM invitations")}
    assert set(plain.map(code_hash)) <= stored and not set(plain) & stored
    found = find_invitation(panel_store, plain.iloc[0])
    assert found.household_id == codes["household_id"].iloc[0]
    assert list_waves(panel_store)[0].status == "in_field"


def test_the_invitation_file_is_readable_by_its_owner_only(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    invite(panel_store, wave, tmp_path)
    path = tmp_path / "panel-w1_invitation.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(pd.read_csv(path, encoding="utf-8-sig")) == 120


def test_invitations_are_issued_once(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    invite(panel_store, wave, tmp_path)
    with pytest.raises(WaveError, match="already issued"):
        invite(panel_store, wave, tmp_path)


def test_a_used_code_cannot_open_the_wave_again(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    codes = invite(panel_store, wave, tmp_path)
    first = int(codes["household_id"].iloc[0])
    answer(panel_store, codes, [first])
    from surveys.fieldwork.sessions import AlreadySubmitted, open_session

    with pytest.raises(AlreadySubmitted):
        open_session(panel_store, wave.survey_id, first, 0)


def test_revoked_and_expired_codes_are_refused(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    codes = invite(panel_store, wave, tmp_path)
    plain = codes["link"].str.split("t=").str[1]
    revoke_codes(panel_store, wave.survey_id, [int(codes["household_id"].iloc[0])], actor="op")
    with pytest.raises(CodeRefused) as refused:
        find_invitation(panel_store, plain.iloc[0])
    assert refused.value.reason == "revoked"
    panel_store.execute(
        "UPDATE invitations SET expires_at = ? WHERE survey_id = ?",
        [datetime.now() - timedelta(days=1), wave.survey_id],
    )
    with pytest.raises(CodeRefused) as expired:
        find_invitation(panel_store, plain.iloc[1])
    assert expired.value.reason == "expired"


def test_reminders_leave_out_households_that_answered_or_refused(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    codes = invite(panel_store, wave, tmp_path)
    ids = codes["household_id"].astype(int).tolist()
    answer(panel_store, codes, ids[:10])
    record_outcomes(
        panel_store, wave.survey_id,
        pd.DataFrame({"household_id": ids[10:13], "outcome": "refused"}), actor="operator",
    )  # fmt: skip
    break_off(panel_store, wave.survey_id, ids[13])
    first = reminder_list(panel_store, wave.survey_id, 1)
    assert set(first["household_id"]) == set(ids[13:])
    assert first.set_index("household_id").loc[ids[13], "progress"] == "started"
    assert (first["scheduled_for"] == "2026-03-08").all()


def test_a_later_reminder_leaves_out_who_answered_after_the_first(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    codes = invite(panel_store, wave, tmp_path)
    ids = codes["household_id"].astype(int).tolist()
    sent = send_reminders(panel_store, wave.survey_id, 1, sender=CsvOutbox(tmp_path), actor="op")
    assert len(sent.recipients) == 120
    answer(panel_store, codes, ids[:5])
    second = send_reminders(panel_store, wave.survey_id, 2, sender=CsvOutbox(tmp_path), actor="op")
    assert len(second.recipients) == 115 and not set(ids[:5]) & set(
        second.recipients["household_id"]
    )
    assert "link" not in second.recipients  # reminders carry no code
    logged = panel_store.query(
        "SELECT round, count(*) AS n FROM panel_messages GROUP BY round ORDER BY round"
    )
    assert logged["n"].tolist() == [120, 120, 115]


def test_a_reminder_not_in_the_schedule_is_refused(panel_store):
    wave = open_wave(panel_store, 1)
    with pytest.raises(WaveError, match="not in the schedule"):
        reminder_list(panel_store, wave.survey_id, 3)


def test_issue_invitations_is_audited(panel_store, tmp_path):
    wave = open_wave(panel_store, 1)
    issue_invitations(
        panel_store, wave.survey_id, sender=CsvOutbox(tmp_path), base_url="https://x", actor="kim"
    )
    actions = {r[0] for r in panel_store.rows("SELECT action FROM audit_log WHERE actor = 'kim'")}
    assert {"codes_issued", "panel_invitations_sent"} <= actions


def test_a_wave_opens_on_an_uploaded_questionnaire_version_and_stays_pinned(panel_store):
    from surveys.opening import VersionRef, questionnaire_of, uploaded_of_kind
    from surveys.questionnaire.uploads import receive_upload

    text = PARALLEL.read_text(encoding="utf-8")
    first = receive_upload(panel_store, "wave.yaml", text.encode(), actor="manager").saved
    assert first is not None
    listed = uploaded_of_kind(panel_store, "panel_wave")
    assert (first.questionnaire_id, first.version_no) in set(
        zip(listed["questionnaire_id"], listed["version_no"], strict=True)
    )
    cross = receive_upload(panel_store, "cs.yaml", CROSS_SECTION.read_bytes(), actor="manager")
    assert cross.saved is not None and cross.saved.questionnaire_id not in set(
        uploaded_of_kind(panel_store, "panel_wave")["questionnaire_id"]
    )
    wave = open_wave(panel_store, 1, path=VersionRef(first.questionnaire_id, first.version_no))
    assert len(wave_households(panel_store, wave.survey_id)) == 120
    newer = text.replace("version:", "# a correction\nversion:", 1)
    second = receive_upload(panel_store, "wave-2.yaml", newer.encode(), actor="manager").saved
    assert second is not None and second.version_no == first.version_no + 1
    assert questionnaire_of(panel_store, wave.survey_id).source_hash == first.source_hash


def test_a_wave_on_a_version_that_does_not_exist_is_refused(panel_store):
    from data.text import InvalidRequest
    from surveys.opening import VersionRef

    with pytest.raises(InvalidRequest, match="no version 9"):
        open_wave(panel_store, 1, path=VersionRef("panel_seoul_parallel_2026", 9))
