"""Command line: ``seoul data init|status|reset-password|verify-audit`` (also ``python -m data …``).

``init`` migrates the configured database, loads reference data and seeds the
demo (or creates the first admin); ``status`` prints what is in it as JSON;
``reset-password USER`` gives a staff member a new one-time password;
``verify-audit`` recomputes the audit log's hash chain and says whether it is whole
(exit 0) or names the first event that does not fit and what differs (exit 1). Each
needs the database file to itself: while the app runs, they say which process
holds it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from cli.common import ACTOR, EXIT_OK, EXIT_PROBLEMS, guarded, with_store
from data.accounts import AccountError, reset_password
from data.audit import verify_chain
from data.config import database_config
from data.store import Store
from demo.seed import prepare
from panel.overview import platform_status as status


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the data commands to ``parser`` (``python -m data`` or ``seoul data``)."""
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "init", help="migrate, load reference data, seed the demo or make the first admin"
    )
    sub.add_parser("status", help="print database path, schema version and row counts as JSON")
    reset = sub.add_parser("reset-password", help="set a one-time password for a staff account")
    reset.add_argument("username")
    sub.add_parser(
        "verify-audit", help="check the audit log's hash chain; exit 1 naming the first break"
    )


def run(args: argparse.Namespace) -> int:
    if args.command == "init":
        return guarded(_init, (AccountError,))
    if args.command == "status":
        path = database_config().path
        if not path.exists():
            print(json.dumps({"database": str(path), "exists": False}))
            return EXIT_PROBLEMS
        return with_store(_status, read_only=True)
    if args.command == "verify-audit":
        if not database_config().path.exists():
            print(f"no database at {database_config().path} / 데이터베이스가 없습니다")
            return EXIT_PROBLEMS
        return with_store(_verify_audit, read_only=True)
    return with_store(lambda store: _reset_password(store, args.username), (AccountError,))


def _init() -> int:
    config = database_config()
    prepared = prepare(config)
    kind = "demo" if prepared.demo else "real"
    print(f"database ready: {config.path} ({kind})")
    prepared.store.close()
    return EXIT_OK


def _status(store: Store) -> int:
    print(json.dumps(status(store), ensure_ascii=False, indent=2, default=str))
    return EXIT_OK


def _verify_audit(store: Store) -> int:
    check = verify_chain(store)
    if check.ok:
        print(
            f"감사 로그 해시 사슬 정상: {check.events:,}건 확인 / "
            f"audit chain OK: {check.events:,} events checked"
        )
        print(f"last hash / 마지막 해시: {check.head}")
        return EXIT_OK
    print(
        f"감사 로그 해시 사슬이 끊어졌습니다: 이벤트 {check.broken_at} / "
        f"audit chain BROKEN at event {check.broken_at} "
        f"({check.events:,} events checked up to it): {check.why}"
    )
    print(f"  {check.field} stored / 저장된 값:   {check.stored}")
    print(f"  {check.field} expected / 계산한 값: {check.expected}")
    return EXIT_PROBLEMS


def _reset_password(store: Store, username: str) -> int:
    password = reset_password(store, username, actor=ACTOR)
    print(f"new one-time password for {username}: {password}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__.splitlines()[0])
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
