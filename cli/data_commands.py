"""Command line: ``python -m data init|status|reset-password``.

``init`` migrates the configured database, loads reference data and seeds the
demo (or creates the first admin); ``status`` prints what is in it as JSON;
``reset-password USER`` gives a staff member a new one-time password. Each
needs the database file to itself: while the app runs, they say which process
holds it.
"""

from __future__ import annotations

import argparse
import json
import sys

from data.accounts import AccountError, reset_password
from data.config import database_config
from data.migrate import migrate
from data.store import DatabaseLockedError, open_store
from demo.seed import prepare
from panel.overview import platform_status as status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "init", help="migrate, load reference data, seed the demo or make the first admin"
    )
    sub.add_parser("status", help="print database path, schema version and row counts as JSON")
    reset = sub.add_parser("reset-password", help="set a one-time password for a staff account")
    reset.add_argument("username")
    args = parser.parse_args(argv)
    config = database_config()
    try:
        if args.command == "init":
            prepared = prepare(config)
            kind = "demo" if prepared.demo else "real"
            print(f"database ready: {config.path} ({kind})")
            prepared.store.close()
            return 0
        if args.command == "status":
            if not config.path.exists():
                print(json.dumps({"database": str(config.path), "exists": False}))
                return 1
            store = open_store(config.path, read_only=True)
            print(json.dumps(status(store), ensure_ascii=False, indent=2, default=str))
            return 0
        store = open_store(config.path)
        migrate(store)
        password = reset_password(store, args.username, actor="cli")
        print(f"new one-time password for {args.username}: {password}")
        return 0
    except DatabaseLockedError as error:
        print(str(error), file=sys.stderr)
        return 3
    except AccountError as error:
        print(str(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
