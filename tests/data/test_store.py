"""The store: migrations, the one write path, concurrency, and the lock message."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import duckdb
import pytest

from data.migrate import available_migrations, migrate, schema_version
from data.store import DatabaseLockedError, open_store


def test_migrations_are_recorded_and_run_once(db_path):
    store = open_store(db_path)
    applied = migrate(store)
    assert [m.version for m in applied] == [m.version for m in available_migrations()]
    assert schema_version(store) == len(available_migrations())
    assert migrate(store) == []
    recorded = store.rows("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in recorded] == list(range(1, len(applied) + 1))


def test_failed_write_leaves_nothing_behind(store):
    def work(cur):
        cur.execute("INSERT INTO audit_log (actor, action) VALUES ('t', 'first')")
        raise RuntimeError("crash between the two statements")

    with pytest.raises(RuntimeError):
        store.write(work)
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'first'") == 0


def test_concurrent_writers_from_threads_lose_nothing(store):
    threads, per_thread = 8, 100
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(per_thread):
                store.execute(
                    "INSERT INTO audit_log (actor, action, target) VALUES (?, 'load', ?)",
                    [f"thread{n}", str(i)],
                )
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert (
        store.scalar("SELECT count(*) FROM audit_log WHERE action = 'load'") == threads * per_thread
    )


def test_conflicting_updates_are_retried_until_each_counts(store):
    store.execute("INSERT INTO database_info (key, value) VALUES ('counter', '0')")

    def bump(cur):
        value = int(
            cur.execute("SELECT value FROM database_info WHERE key = 'counter'").fetchone()[0]
        )
        time.sleep(0.001)
        cur.execute("UPDATE database_info SET value = ? WHERE key = 'counter'", [str(value + 1)])

    store.max_attempts = 200
    workers = [
        threading.Thread(target=lambda: [store.write(bump) for _ in range(10)]) for _ in range(4)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert store.scalar("SELECT value FROM database_info WHERE key = 'counter'") == "40"


def test_conflict_error_surfaces_after_the_last_attempt(store):
    store.max_attempts = 2
    calls = []

    def always_conflicts(cur):
        calls.append(1)
        raise duckdb.TransactionException("Conflict on update!")

    with pytest.raises(duckdb.TransactionException):
        store.write(always_conflicts)
    assert len(calls) == 2


HOLD = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
    "print('held', flush=True); time.sleep(60)"
)


@pytest.fixture
def held_file(db_path):
    open_store(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    yield db_path, holder
    holder.kill()
    holder.wait()


def test_locked_file_names_the_holding_process(held_file):
    path, holder = held_file
    with pytest.raises(DatabaseLockedError) as caught:
        open_store(path)
    assert caught.value.holder.pid == holder.pid
    assert f"PID {holder.pid}" in caught.value.message("ko")
    assert "다른 프로세스가 사용 중" in caught.value.message("ko")
    assert "stop the app" in caught.value.message("en")


def test_cli_says_who_holds_the_database(held_file):
    path, holder = held_file
    result = subprocess.run(
        [sys.executable, "-m", "data", "status"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "SEOUL_DB": str(path)},
    )
    assert result.returncode == 3
    assert f"PID {holder.pid}" in result.stderr


def test_the_database_and_its_wal_are_readable_by_their_owner_only(tmp_path):
    import os

    path = tmp_path / "private.duckdb"
    os.umask(0o022)  # as a shell leaves it
    store = open_store(path)
    store.execute("CREATE TABLE t (a INTEGER)")
    store.execute("INSERT INTO t VALUES (1)")
    wal = path.with_name(path.name + ".wal")
    modes = {f.name: oct(f.stat().st_mode & 0o777) for f in (path, wal) if f.exists()}
    store.close()
    assert modes and set(modes.values()) == {"0o600"}, modes


def test_an_existing_world_readable_database_is_made_private_when_opened(tmp_path):
    path = tmp_path / "old.duckdb"
    open_store(path).close()
    path.chmod(0o644)
    open_store(path).close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_bulk_insert_that_breaks_a_constraint_fails_at_once_without_retrying(store):
    import duckdb
    import pandas as pd

    from data.store import insert_frame

    store.execute("CREATE TABLE once (id INTEGER PRIMARY KEY)")
    calls = []

    def work(cur):
        calls.append(1)
        insert_frame(cur, "once", pd.DataFrame({"id": [1, 1]}))

    with pytest.raises(duckdb.ConstraintException):
        store.write(work)
    assert len(calls) == 1 and store.scalar("SELECT count(*) FROM once") == 0
