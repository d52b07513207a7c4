"""Staff sign-in sessions: found again by id or cookie token, ended by sign-out, idleness,
their time limit, a deactivation or a new password — for every tab at once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from data.accounts import (
    authenticate,
    change_password,
    create_user,
    reset_password,
    set_active,
)
from data.config import SessionPolicy
from data.staff_sessions import (
    EXPIRED,
    IDLE,
    SIGN_OUT,
    end_session,
    redeem_handoff,
    resolve,
    start_session,
)

POLICY = SessionPolicy(idle_minutes=30, max_hours=12)
NOON = datetime(2026, 12, 4, 12, 0)


@pytest.fixture
def signed_in(store):
    create_user(store, "kim", "first-password-1", "statistician")
    user = authenticate(store, "kim", "first-password-1")
    started = start_session(store, user, POLICY, now=NOON)
    token, _ = redeem_handoff(store, started.handoff, now=NOON)
    return store, started.session_id, token


def test_the_cookie_token_and_the_tab_id_find_the_same_sign_in(signed_in):
    store, session_id, token = signed_in
    by_token = resolve(store, POLICY, token=token, now=NOON).session
    by_id = resolve(store, POLICY, session_id=session_id, now=NOON).session
    assert by_token.session_id == by_id.session_id == session_id
    assert by_token.user.username == "kim" and by_token.user.role == "statistician"


def test_the_database_keeps_only_a_hash_of_the_token(signed_in):
    store, _, token = signed_in
    stored = store.rows("SELECT token_hash, handoff_hash FROM staff_sessions")
    assert stored[0][0] != token and len(stored[0][0]) == 64 and stored[0][1] is None


def test_a_handoff_is_redeemed_once_and_only_while_fresh(store):
    create_user(store, "lee", "first-password-1", "statistician")
    user = authenticate(store, "lee", "first-password-1")
    late = start_session(store, user, POLICY, now=NOON)
    with pytest.raises(LookupError):
        redeem_handoff(store, late.handoff, now=NOON + timedelta(minutes=3))
    fresh = start_session(store, user, POLICY, now=NOON)
    redeem_handoff(store, fresh.handoff, now=NOON)
    with pytest.raises(LookupError):
        redeem_handoff(store, fresh.handoff, now=NOON)
    with pytest.raises(LookupError):
        redeem_handoff(store, "made-up", now=NOON)


def test_an_unknown_token_signs_nobody_in(signed_in):
    store, _, _ = signed_in
    assert resolve(store, POLICY, token="not-a-token", now=NOON).session is None


def test_sign_out_ends_the_sign_in_for_every_tab(signed_in):
    store, session_id, token = signed_in
    end_session(store, session_id, SIGN_OUT, actor="kim", now=NOON)
    assert resolve(store, POLICY, token=token, now=NOON).ended_why == SIGN_OUT
    assert resolve(store, POLICY, session_id=session_id, now=NOON).session is None
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'sign_out'") == 1


def test_activity_keeps_a_session_alive_and_idleness_ends_it(signed_in):
    store, _, token = signed_in
    later = NOON
    for _ in range(4):  # an action every 20 minutes for 80 minutes
        later += timedelta(minutes=20)
        assert resolve(store, POLICY, token=token, now=later).session is not None
    gone = resolve(store, POLICY, token=token, now=later + timedelta(minutes=31))
    assert gone.session is None and gone.ended_why == IDLE
    assert resolve(store, POLICY, token=token, now=later).ended_why == IDLE  # stays ended
    ended = store.rows(
        "SELECT actor, detail FROM audit_log WHERE action = 'session_ended' ORDER BY event_id"
    )
    assert len(ended) == 1 and ended[0][0] == "kim" and '"idle"' in ended[0][1]  # audited once


def test_the_absolute_limit_ends_even_an_active_session(signed_in):
    store, _, token = signed_in
    moment = NOON
    while moment < NOON + timedelta(hours=12):
        assert resolve(store, POLICY, token=token, now=moment).session is not None
        moment += timedelta(minutes=25)
    assert resolve(store, POLICY, token=token, now=moment).ended_why == EXPIRED
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'session_ended'") == 1


def test_deactivating_the_account_ends_its_sessions(signed_in):
    store, _, token = signed_in
    create_user(store, "boss", "boss-password-1", "admin")
    set_active(store, "kim", False, actor="boss")
    assert resolve(store, POLICY, token=token, now=NOON).session is None


def test_a_new_password_ends_the_other_sign_ins_but_not_the_one_that_changed_it(signed_in):
    store, session_id, token = signed_in
    user = authenticate(store, "kim", "first-password-1")
    here = start_session(store, user, POLICY, now=NOON)
    change_password(
        store, "kim", "first-password-1", "second-password-2", keep_session=here.session_id
    )
    assert resolve(store, POLICY, token=token, now=NOON).ended_why == "password_changed"
    assert resolve(store, POLICY, session_id=here.session_id, now=NOON).session is not None


def test_an_admins_reset_ends_every_sign_in_of_the_account(signed_in):
    store, session_id, _ = signed_in
    reset_password(store, "kim", actor="boss")
    assert resolve(store, POLICY, session_id=session_id, now=NOON).session is None


def test_the_role_is_read_from_the_database_on_every_check(signed_in):
    store, _, token = signed_in
    store.execute("UPDATE staff_users SET role = 'admin' WHERE username = 'kim'")
    assert resolve(store, POLICY, token=token, now=NOON).session.user.role == "admin"
