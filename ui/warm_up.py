"""Before the first visit: the database opened and every page's module imported.

Run by ``server.py`` in a background thread once the server is up, so the first visit to a
page does not wait for its libraries (pages are imported lazily, see :mod:`ui.pages`).
"""

from __future__ import annotations

import importlib
import time

from data.store import DatabaseLockedError
from panel.overview import platform_status as status
from ui.context import get_store
from ui.pages import PAGES


def warm_up() -> None:
    """Open the database, count what the home page shows, and import every page's module
    (and the libraries behind it)."""
    started = time.perf_counter()
    try:
        status(get_store())
    except DatabaseLockedError:
        pass  # the pages say so, naming the holder, when someone opens them
    for page in PAGES:
        importlib.import_module(page.module)
    print(f"pages warmed up in {time.perf_counter() - started:.1f} s", flush=True)
