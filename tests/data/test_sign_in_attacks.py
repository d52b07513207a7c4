"""Sign-in under attack: bursts cannot beat the lock-out, names cannot be probed, the audit log
cannot be flooded, and failing from one address costs that address time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

import data.accounts as accounts
from data.accounts import MAX_FAILED_ATTEMPTS, STATISTICIAN, authenticate, create_user
from data.throttle import FREE_FAILURES, block_for

PASSWORD = "correct-horse-42"


@pytest.fixture
def checked(monkeypatch, store):
    """Counts the password checks made against real account hashes."""
    create_user(store, "kim.stat", PASSWORD, STATISTICIAN)
    real = store.scalar("SELECT password_hash FROM staff_users WHERE username = 'kim.stat'")
    calls = {"real": 0, "stand_in": 0}
    verify = accounts._verify
    lock = threading.Lock()

    def counting(hashed, password):
        with lock:
            calls["real" if hashed == real else "stand_in"] += 1
        return verify(hashed, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    return calls


def test_64_simultaneous_wrong_passwords_check_exactly_five_and_lock(store, checked):
    errors: list[BaseException] = []
    start = threading.Barrier(64)

    def attempt(i: int) -> None:
        try:
            start.wait()
            assert authenticate(store, "kim.stat", f"wrong-{i}-password") is None
        except BaseException as error:  # noqa: BLE001 - every uncaught error is a finding
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert checked["real"] == MAX_FAILED_ATTEMPTS
    assert store.scalar("SELECT locked_until FROM staff_users WHERE username = 'kim.stat'")
    assert authenticate(store, "kim.stat", PASSWORD) is None  # the right password: still locked
    assert checked["real"] == MAX_FAILED_ATTEMPTS


def test_an_expired_lock_lets_the_right_password_in_again(store, checked):
    for i in range(MAX_FAILED_ATTEMPTS):
        authenticate(store, "kim.stat", f"wrong-{i}-password")
    later = datetime.now() + timedelta(minutes=16)
    assert authenticate(store, "kim.stat", PASSWORD, now=later) is not None


def test_every_refusal_costs_one_password_check_whatever_the_name(store, checked):
    authenticate(store, "nobody-here", "whatever-123")
    authenticate(store, "kim.stat", "wrong-password-1")
    store.execute("UPDATE staff_users SET active = false WHERE username = 'kim.stat'")
    authenticate(store, "kim.stat", "wrong-password-1")
    assert checked == {"real": 1, "stand_in": 2}  # unknown and inactive check a stand-in


def test_an_unknown_name_never_reaches_the_audit_log_as_typed(store, checked):
    typed = "MySecret-Passw0rd!"  # a password typed into the name field
    authenticate(store, typed, "")
    authenticate(store, "x" * 1_000_000, "")
    log = store.query("SELECT actor, target, detail FROM audit_log").to_string()
    assert "MySecret" not in log.lower() and "mysecret" not in log
    longest = store.scalar(
        "SELECT max(length(actor) + length(target) + length(detail)) FROM audit_log"
    )
    assert longest < 300


def test_failing_from_one_address_blocks_that_address_not_others(store, checked):
    now = datetime.now()
    for i in range(FREE_FAILURES + 1):
        authenticate(store, f"guess-{i}", "nope-nope-1", address="203.0.113.9", now=now)
    assert accounts.sign_in_wait(store, "203.0.113.9", now) > 0
    before = dict(checked)
    assert authenticate(store, "kim.stat", PASSWORD, address="203.0.113.9", now=now) is None
    assert checked == before  # refused without checking anything
    assert authenticate(store, "kim.stat", PASSWORD, address="198.51.100.7", now=now) is not None
    waited = now + block_for(FREE_FAILURES + 1) + timedelta(seconds=1)
    assert authenticate(store, "kim.stat", PASSWORD, address="203.0.113.9", now=waited)


def test_the_back_off_doubles_and_is_capped():
    assert block_for(FREE_FAILURES) == timedelta(0)
    first = block_for(FREE_FAILURES + 1)
    assert block_for(FREE_FAILURES + 2) == 2 * first
    assert block_for(FREE_FAILURES + 40) == timedelta(hours=1)
