"""Getting a database ready: migrate, load reference data, seed the demo or make the first admin.

Called by ``python -m data init`` (what ``make run`` does before starting the
app) and by the app itself at start, so the same steps run whichever way the
platform is started. A database's kind — demo or real — is recorded when it is
created and never changes: a real database never receives demo data or demo
accounts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from data.accounts import ADMIN, AccountError, create_user, generate_password
from data.audit import log_event, seal_unchained
from data.config import DatabaseConfig, setting
from data.migrate import migrate, schema_version
from data.reference import load_shipped_reference
from data.store import Store, open_store

Progress = Callable[[str], None]
# A demo seeder: runs the demo steps a demo database still lacks; returns the steps it ran.
Seeder = Callable[[Store, float, Progress], list[str]]


@dataclass
class Preparation:
    store: Store
    demo: bool
    migrations_applied: int
    steps_seeded: list[str]
    first_admin_password: str | None = None  # one-time password, when one was generated


def database_kind(store: Store) -> str | None:
    row = store.rows("SELECT value FROM database_info WHERE key = 'kind'")
    return row[0][0] if row else None


def _record_kind(store: Store, demo: bool) -> bool:
    kind = database_kind(store)
    if kind is None:
        kind = "demo" if demo else "real"
        store.execute("INSERT INTO database_info (key, value) VALUES ('kind', ?)", [kind])
    return kind == "demo"


def ensure_first_admin(store: Store, progress: Progress) -> str | None:
    """In a database with no staff account, create the first admin.

    The password comes from SEOUL_ADMIN_PASSWORD, or is generated, printed once,
    and must be changed at first login. Returns the generated password, if any.
    """
    if store.scalar("SELECT count(*) FROM staff_users"):
        return None
    username = setting("SEOUL_ADMIN_USER").strip() or "admin"
    password = setting("SEOUL_ADMIN_PASSWORD")
    generated = None
    if not password:
        generated = password = generate_password()
    try:
        create_user(
            store,
            username,
            password,
            ADMIN,
            display_name="관리자",
            must_change_password=generated is not None,
            actor="bootstrap",
        )
    except AccountError as error:
        raise SystemExit(f"SEOUL_ADMIN_USER / SEOUL_ADMIN_PASSWORD: {error}") from error
    if generated:
        progress(
            "\n"
            "  ┌─ 첫 관리자 계정 / first administrator ─────────────────────────\n"
            f"  │ user: {username}\n"
            f"  │ one-time password: {generated}\n"
            "  │ 처음 로그인할 때 비밀번호를 바꿔야 합니다 / change it at first login.\n"
            "  └───────────────────────────────────────────────────────────────\n"
        )
    else:
        progress(f"first administrator '{username}' created from SEOUL_ADMIN_PASSWORD")
    return generated


def prepare_store(
    store: Store, config: DatabaseConfig, progress: Progress = print, *, seed: Seeder | None = None
) -> Preparation:
    """Bring an open store up to date (idempotent: a ready database is left as it is).

    A demo database is seeded by ``seed`` (``demo.seed.seed_demo``, passed in by the
    caller: the data layer knows nothing of the demo); without one it is only migrated.
    """
    applied = migrate(store)
    sealed = seal_unchained(store)
    if sealed:
        progress(f"audit log: {sealed} earlier events chained")
    if applied:
        progress(f"schema migrated to version {schema_version(store)}")
    demo = _record_kind(store, config.demo)
    if not store.scalar("SELECT count(*) FROM reference_versions"):
        load_shipped_reference(store)
        progress("reference data loaded from data/reference/")
    steps: list[str] = []
    password = None
    if demo:
        steps = seed(store, config.demo_scale, progress) if seed is not None else []
    else:
        password = ensure_first_admin(store, progress)
    if applied or steps:
        log_event(
            store,
            "system",
            "database_prepared",
            str(config.path),
            {"migrations": [m.version for m in applied], "seeded": steps, "demo": demo},
        )
    return Preparation(store, demo, len(applied), steps, password)


def prepare(
    config: DatabaseConfig, progress: Progress = print, *, seed: Seeder | None = None
) -> Preparation:
    """Open the configured database and bring it up to date (see :func:`prepare_store`)."""
    return prepare_store(open_store(config.path), config, progress, seed=seed)
