"""Staff accounts: argon2 hashes, audited logins, lock-out, password rules."""

from __future__ import annotations

import pytest

from data.accounts import (
    MAX_FAILED_ATTEMPTS,
    STATISTICIAN,
    AccountError,
    authenticate,
    change_password,
    create_user,
    reset_password,
    set_active,
    unknown_name,
)


@pytest.fixture
def stat_user(store):
    create_user(store, "kim.stat", "correct-horse-42", STATISTICIAN, display_name="김통계")
    return "kim.stat"


def _events(store, action):
    return store.query("SELECT actor, target FROM audit_log WHERE action = ?", [action])


def test_password_is_stored_as_an_argon2id_hash(store, stat_user):
    stored = store.scalar("SELECT password_hash FROM staff_users WHERE username = ?", [stat_user])
    assert stored.startswith("$argon2id$")
    assert "correct-horse-42" not in stored


def test_login_returns_the_user_and_is_audited(store, stat_user):
    user = authenticate(store, "Kim.Stat ", "correct-horse-42")
    assert user is not None and user.role == STATISTICIAN and user.display_name == "김통계"
    assert _events(store, "login")["actor"].tolist() == [stat_user]


def test_wrong_password_is_refused_and_audited(store, stat_user):
    assert authenticate(store, stat_user, "wrong-password-1") is None
    assert authenticate(store, "nobody", "whatever-123") is None
    failed = _events(store, "login_failed")
    assert failed["target"].tolist() == [stat_user, unknown_name("nobody")]


def test_repeated_failures_lock_the_account(store, stat_user):
    for _ in range(MAX_FAILED_ATTEMPTS):
        authenticate(store, stat_user, "wrong-password-1")
    assert authenticate(store, stat_user, "correct-horse-42") is None  # locked now
    assert store.scalar("SELECT locked_until FROM staff_users WHERE username = ?", [stat_user])


def test_short_passwords_are_refused(store):
    with pytest.raises(AccountError) as caught:
        create_user(store, "lee.field", "short1", STATISTICIAN)
    assert "10" in caught.value.message("ko")


def test_duplicate_user_names_are_refused(store, stat_user):
    with pytest.raises(AccountError):
        create_user(store, stat_user, "another-pass-42", STATISTICIAN)


def test_reset_password_forces_a_change_at_next_login(store, stat_user):
    one_time = reset_password(store, stat_user, actor="admin")
    user = authenticate(store, stat_user, one_time)
    assert user is not None and user.must_change_password
    change_password(store, stat_user, one_time, "brand-new-pass-7")
    assert not authenticate(store, stat_user, "brand-new-pass-7").must_change_password


def test_deactivated_account_cannot_sign_in(store, stat_user):
    set_active(store, stat_user, False, actor="admin")
    assert authenticate(store, stat_user, "correct-horse-42") is None


def test_generated_one_time_passwords_always_meet_the_rules():
    from data.accounts import check_password_rules, generate_password

    for _ in range(2_000):  # an all-letter token turns up about once in thirty draws
        check_password_rules(generate_password())
