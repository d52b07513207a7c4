"""What every command shares: the exit codes, opening the configured store, refusals.

Exit codes, the same for every command:

- ``0`` done (``surveys check``: every file clean);
- ``1`` problems found (``surveys check``), or nothing to report (``data status`` of a
  database that does not exist);
- ``2`` a usage error or a refusal, with the reason on stderr (an unknown survey, a
  wave whose attrition was applied, options that do not go together);
- ``3`` the database file is held by another process (usually the running app): the
  message names it, in Korean then English.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from data.audit import log_download
from data.config import database_config
from data.migrate import migrate
from data.store import DatabaseLockedError, Store, open_store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
ACTOR = "cli"

Refusals = tuple[type[BaseException], ...]


def refuse(message: str) -> int:
    """Print why the command will not do it; the usage/refusal exit code."""
    print(message, file=sys.stderr)
    return EXIT_USAGE


def guarded(action: Callable[[], int], refused: Refusals = ()) -> int:
    """Run ``action``; a held database file exits 3 naming its holder, ``refused`` errors 2."""
    try:
        return action()
    except DatabaseLockedError as error:
        print(str(error), file=sys.stderr)
        return EXIT_LOCKED
    except refused as error:
        return refuse(str(error).strip("'\""))  # a KeyError's text comes quoted


def with_store(
    action: Callable[[Store], int],
    refused: Refusals = (),
    *,
    read_only: bool = False,
) -> int:
    """Open the configured database (migrated unless read-only), run ``action``, close it.

    The exit code is ``action``'s, or 3 when another process holds the file, or 2
    with the message when ``action`` raises one of ``refused``.
    """

    def run() -> int:
        store = open_store(database_config().path, read_only=read_only)
        try:
            if not read_only:
                migrate(store)
            return action(store)
        finally:
            store.close()

    return guarded(run, refused)


def audit_written(
    store: Store,
    kind: str,
    paths: Iterable[Path],
    *,
    survey_id: int | None = None,
    survey: str | None = None,
    rows: int | None = None,
) -> None:
    """Write each file a command wrote to the audit log, as the app does for a download:
    the command line as actor, the operating-system user who ran it, the file's kind,
    survey, format, path and rows (when known)."""
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        os_user = None
    for path in paths:
        log_download(
            store,
            ACTOR,
            kind=kind,
            survey_id=survey_id,
            survey=survey,
            fmt=Path(path).suffix.lstrip(".") or None,
            rows=rows,
            file=str(path),
            via="cli",
            extra={"os_user": os_user} if os_user else None,
        )
