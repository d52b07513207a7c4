"""The audit log is a hash chain: it verifies, and any change, removal or insertion after the
fact is found, naming the event; its fields cannot grow without limit."""

from __future__ import annotations

import json
import threading

import pytest

from data.audit import (
    GENESIS,
    log_download,
    log_event,
    recent_events,
    seal_unchained,
    verify_chain,
)


def _some_events(store, n: int = 5) -> None:
    for i in range(n):
        log_event(store, "admin", "user_created", f"user{i}", {"role": "statistician"})


def test_the_chain_of_a_busy_log_verifies(store):
    before = store.scalar("SELECT count(*) FROM audit_log")
    _some_events(store)
    threads = [threading.Thread(target=_some_events, args=(store, 10)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = verify_chain(store)
    assert check.ok and check.events == before + 85


def test_a_changed_event_is_found(store):
    _some_events(store)
    third = int(store.scalar("SELECT event_id FROM audit_log ORDER BY event_id LIMIT 1 OFFSET 2"))
    store.execute("UPDATE audit_log SET actor = 'someone-else' WHERE event_id = ?", [third])
    check = verify_chain(store)
    assert not check.ok and check.broken_at == third and "changed" in check.why


def test_a_removed_event_is_found(store):
    _some_events(store)
    ids = [int(r[0]) for r in store.rows("SELECT event_id FROM audit_log ORDER BY event_id")]
    store.execute("DELETE FROM audit_log WHERE event_id = ?", [ids[2]])
    assert verify_chain(store).broken_at == ids[3]
    store.execute("DELETE FROM audit_log WHERE event_id = ?", [ids[-1]])  # the newest, too
    store.execute("DELETE FROM audit_log WHERE event_id > ?", [ids[1]])
    assert not verify_chain(store).ok  # the head still names the removed last event


def test_events_from_before_the_chain_are_sealed_once_in_order(store):
    store.execute(  # a database made before the chain: events without hashes
        "INSERT INTO audit_log (actor, action, target, detail) VALUES ('old', 'login', 'old', '{}')"
    )
    store.execute("UPDATE audit_log SET prev_hash = NULL, row_hash = NULL")
    store.execute("UPDATE audit_head SET last_event_id = 0, last_hash = ?", [GENESIS])
    events = store.scalar("SELECT count(*) FROM audit_log")
    assert seal_unchained(store) == events and seal_unchained(store) == 0
    _some_events(store, 2)
    assert verify_chain(store).ok


def test_oversized_fields_are_cut_and_marked(store):
    log_event(store, "x" * 10_000, "login_failed", "y" * 10_000, {"note": "z" * 100_000})
    row = recent_events(store, 1).iloc[0]
    assert len(row["actor"]) <= 200 and len(row["target"]) <= 200 and len(row["detail"]) <= 4000
    assert row["actor"].endswith("[truncated]")
    assert verify_chain(store).ok


def test_a_broken_chain_says_what_differs(store):
    _some_events(store)
    ids = [int(r[0]) for r in store.rows("SELECT event_id FROM audit_log ORDER BY event_id")]
    stored = store.scalar("SELECT row_hash FROM audit_log WHERE event_id = ?", [ids[1]])
    store.execute("UPDATE audit_log SET detail = '{}' WHERE event_id = ?", [ids[1]])
    check = verify_chain(store)
    assert (check.broken_at, check.field, check.stored) == (ids[1], "row_hash", stored)
    assert check.expected not in (None, stored) and len(check.expected) == 64


def test_a_whole_chain_reports_its_head_hash(store):
    _some_events(store, 3)
    check = verify_chain(store)
    assert check.ok and check.head == store.scalar("SELECT last_hash FROM audit_head")


def test_sealing_never_rewrites_an_event_already_chained(store):
    _some_events(store, 3)
    store.execute(  # an unchained event after chained ones (as a tamperer might add)
        "INSERT INTO audit_log (actor, action, target, detail) VALUES ('x', 'login', 'x', '{}')"
    )
    hashes = store.rows("SELECT row_hash FROM audit_log WHERE row_hash IS NOT NULL ORDER BY 1")
    with pytest.raises(RuntimeError, match="not sealing"):
        seal_unchained(store)
    assert (
        store.rows("SELECT row_hash FROM audit_log WHERE row_hash IS NOT NULL ORDER BY 1") == hashes
    )


def test_a_download_names_who_what_and_how_many_never_the_content(store):
    log_download(
        store, "kim", kind="estimates", survey_id=7, survey="seoul-2026", fmt="xlsx", rows=120,
        file="indicators-7.xlsx", role="statistician",
    )  # fmt: skip
    row = recent_events(store, 1).iloc[0]
    detail = json.loads(row["detail"])
    assert (row["actor"], row["action"], row["target"]) == ("kim", "download", "survey:7")
    assert detail == {
        "kind": "estimates", "survey": "seoul-2026", "format": "xlsx", "rows": 120,
        "file": "indicators-7.xlsx", "via": "app", "role": "statistician",
    }  # fmt: skip
    assert verify_chain(store).ok
