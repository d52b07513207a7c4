"""Sign-in benchmark: from opening the site to the signed-in home page, in real Chromium.

Starts the app (``streamlit run server.py``) on a copy of the configured database
(``SEOUL_DB``, default the full demo ``var/demo.duckdb``; ``make run`` or ``python -m data
init`` makes it), opens the site in Debian's Chromium and signs in as the demo
administrator, several times in one browser, signed out in between: the first visit right
after the server started (nothing cached, in the server or the browser), then a member of
staff coming back (the browser keeps the app's files, as any browser does). Each row splits
the wait a person sees:

- *page*: the browser loads the app's HTML and JavaScript (Streamlit's frontend);
- *form*: the sign-in form is drawn (the first script run: database, session check);
- *home*: from pressing 로그인 to the home page settled (password check, session, the
  home page's counts);
- *reload*: a reload of the signed-in home page (the cookie signs in again).

Then the server-side parts of the home page, timed in this process on the same database.
The issue's goal: open → signed in under 2 s (it was 10–13 s).

    .venv/bin/python benchmarks/sign_in.py [--db PATH] [--rounds 4] [--after-warm-up]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.config import database_config  # noqa: E402

GOAL_SECONDS = 2.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(database: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "SEOUL_DB": str(database), "SEOUL_DEMO": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.headless",
         "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the app did not start: " + log.read_text()[-2000:])


def _one_sign_in(context, url: str) -> dict[str, float]:
    context.clear_cookies()  # signed out, but the browser keeps the app's cached files
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    loaded = time.perf_counter()
    page.get_by_label("사용자 이름").wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    form = time.perf_counter()
    page.get_by_label("사용자 이름").fill("admin")
    page.get_by_label("비밀번호").fill("demo-admin-2026")
    pressed = time.perf_counter()
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("heading", name="데이터 현황").wait_for(timeout=120_000)
    page.wait_for_timeout(50)
    page.wait_for_selector(IDLE, timeout=120_000)
    home = time.perf_counter()
    while not [c for c in context.cookies() if c["name"] == "seoul_session"]:
        page.wait_for_timeout(50)
    before = time.perf_counter()
    page.reload(wait_until="load")
    page.get_by_role("heading", name="데이터 현황").wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    reloaded = time.perf_counter()
    page.close()
    return {
        "page": loaded - start,
        "form": form - loaded,
        "home": home - pressed,
        "open→home": (form - start) + (home - pressed),
        "reload": reloaded - before,
    }


def _server_side(database: Path) -> list[tuple[str, float]]:
    """The home page's own work, timed here on a read-only connection (cold, then warm)."""
    from data.store import open_store
    from panel.overview import platform_status as status

    store = open_store(database, read_only=True)
    try:
        out = []
        for label in ("home counts, first", "home counts, again"):
            clock = time.perf_counter()
            status(store)
            out.append((label, time.perf_counter() - clock))
        return out
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--after-warm-up",
        action="store_true",
        help="start the first visit once the server has imported its pages (else at once)",
    )
    args = parser.parse_args()
    source = args.db or database_config().path
    if not source.exists():
        raise SystemExit(f"no database at {source}: run `make init` (the full demo) first")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.duckdb"
        shutil.copy(source, database)
        port = _free_port()
        clock = time.perf_counter()
        log = Path(folder) / "streamlit.log"
        server = _serve(database, port, log)
        started = time.perf_counter() - clock
        if args.after_warm_up:  # as a person arriving a little after a restart would
            while "pages warmed up" not in log.read_text():
                time.sleep(0.2)
        rows = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    headless=True,
                    args=CHROMIUM_ARGS,
                )
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                for round_no in range(args.rounds):
                    rows.append((round_no, _one_sign_in(context, f"http://127.0.0.1:{port}")))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
        print(f"database: {source}  (server up in {started:.1f} s)")
        print(f"{'round':<10}{'page':>8}{'form':>8}{'home':>8}{'open→home':>11}{'reload':>8}")
        for round_no, t in rows:
            name = "first" if round_no == 0 else f"again {round_no}"
            print(
                f"{name:<10}{t['page']:>8.2f}{t['form']:>8.2f}{t['home']:>8.2f}"
                f"{t['open→home']:>11.2f}{t['reload']:>8.2f}"
            )
        worst = max(t["open→home"] for _, t in rows)
        print(f"goal: open → signed in under {GOAL_SECONDS:.0f} s; worst here {worst:.2f} s "
              f"({'met' if worst < GOAL_SECONDS else 'not met'})")  # fmt: skip
        for label, seconds in _server_side(database):
            print(f"server side: {label:<22}{seconds:>7.3f} s")


if __name__ == "__main__":
    main()
