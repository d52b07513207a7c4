"""First start: demo databases are seeded with demo accounts; real ones start empty with one admin."""

from __future__ import annotations

from data.accounts import ROLES, authenticate
from data.bootstrap import database_kind, prepare
from data.config import DatabaseConfig
from demo.accounts import DEMO_ACCOUNTS


def test_demo_database_has_one_working_account_per_role(demo_store):
    assert database_kind(demo_store) == "demo"
    roles = {role for _, _, role, _ in DEMO_ACCOUNTS}
    assert roles == set(ROLES)
    for username, password, role, _ in DEMO_ACCOUNTS:
        user = authenticate(demo_store, username, password)
        assert user is not None and user.role == role


def test_demo_database_is_seeded_with_a_frame(demo_store):
    assert demo_store.scalar("SELECT count(*) FROM frame_households") > 3000
    assert demo_store.scalar("SELECT scale_factor FROM frame_info") == 1000
    steps = {r[0] for r in demo_store.rows("SELECT step FROM seed_log")}
    assert {"accounts", "frame"} <= steps


def test_preparing_a_ready_demo_again_changes_nothing(demo_path):
    config = DatabaseConfig(path=demo_path, demo=True, demo_scale=1000)
    prepared = prepare(config, progress=lambda _: None)
    try:
        assert prepared.migrations_applied == 0 and prepared.steps_seeded == []
    finally:
        prepared.store.close()


def test_real_database_starts_empty_with_a_printed_one_time_admin(db_path):
    printed: list[str] = []
    prepared = prepare(DatabaseConfig(path=db_path, demo=False, demo_scale=1000), printed.append)
    store = prepared.store
    try:
        assert database_kind(store) == "real"
        assert store.scalar("SELECT count(*) FROM frame_households") == 0
        assert [r[0] for r in store.rows("SELECT username FROM staff_users")] == ["admin"]
        password = prepared.first_admin_password
        assert password and any(password in line for line in printed)
        user = authenticate(store, "admin", password)
        assert user.must_change_password
        demo_names = {name for name, _, _, _ in DEMO_ACCOUNTS} - {"admin"}
        assert not demo_names & {r[0] for r in store.rows("SELECT username FROM staff_users")}
    finally:
        store.close()


def test_first_admin_can_come_from_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("SEOUL_ADMIN_USER", "park.admin")
    monkeypatch.setenv("SEOUL_ADMIN_PASSWORD", "city-hall-2026!")
    prepared = prepare(DatabaseConfig(path=db_path, demo=False, demo_scale=1000), lambda _: None)
    try:
        assert prepared.first_admin_password is None
        user = authenticate(prepared.store, "park.admin", "city-hall-2026!")
        assert user is not None and not user.must_change_password
    finally:
        prepared.store.close()


def test_a_real_database_never_becomes_a_demo(db_path):
    prepare(DatabaseConfig(path=db_path, demo=False, demo_scale=1000), lambda _: None).store.close()
    again = prepare(DatabaseConfig(path=db_path, demo=True, demo_scale=1000), lambda _: None)
    try:
        assert not again.demo and again.steps_seeded == []
    finally:
        again.store.close()
