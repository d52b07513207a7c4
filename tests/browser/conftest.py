"""Real-browser tests: the app served by Streamlit, driven in Debian's Chromium by Playwright.

``playwright install`` cannot download browsers here, so the session launches
``/usr/bin/chromium`` (installed by ``make test``) with the flags this closed
network needs. Each test module gets its own server on a free port and its own
copy of the seeded demo database.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser
# A rerun of the app can take several seconds on a loaded 2-core machine: wait up to 30 s
# for what a test expects to see (Playwright's default is 5 s).
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test` (it installs Debian's chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """The real app (``streamlit run server.py``) serving one database file on a free port."""

    def __init__(self, database: Path, folder: Path, env: dict[str, str] | None = None):
        self.database = database
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SEOUL_DB": str(database), "SEOUL_DEMO": "1", **(env or {})}
        self._log_path = folder / "streamlit.log"
        self._log = open(self._log_path, "w")
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "server.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not self._healthy():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("the app did not start: " + self._log_path.read_text()[-2000:])
            time.sleep(0.3)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.read().decode() == "ok"
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server (it holds the database file until then)."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._log.close()


@pytest.fixture(scope="module")
def app_url(demo_template, tmp_path_factory):
    """Start the real app on a copy of the demo database; yield its URL; stop it."""
    folder = tmp_path_factory.mktemp("served")
    database = folder / "demo.duckdb"
    shutil.copy(demo_template, database)
    server = AppServer(database, folder)
    yield server.url
    server.stop()


@pytest.fixture
def served(demo_template, tmp_path):
    """The real app on a private copy of the demo database, for one test (stopped after)."""
    database = tmp_path / "served.duckdb"
    shutil.copy(demo_template, database)
    server = AppServer(database, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def field(demo_template, tmp_path):
    """A copy of the demo with a survey in the field, its codes, and the app serving it.

    Yields (server, codes, questionnaire, survey_id); ``codes`` has the plaintext ``code``
    and ``code_grouped`` of each of its 20 sampled households.
    """
    from data.store import open_store
    from surveys.fieldwork.invitations import issue_codes
    from surveys.fieldwork.sampling import TwoStageDesign
    from surveys.opening import draw_sample, open_survey, questionnaire_of, set_status
    from tests.surveys.conftest import SEOUL_2026

    database = tmp_path / "field.duckdb"
    shutil.copy(demo_template, database)
    store = open_store(database)
    survey = open_survey(
        store,
        SEOUL_2026,
        code="browser-2026",
        title_ko="브라우저 시험",
        reference_year=2026,
        actor="tester",
    )
    sample = draw_sample(
        store, survey.survey_id, TwoStageDesign(n_households=20, per_area=5, seed=4), actor="tester"
    )
    set_status(store, survey.survey_id, "in_field", actor="tester")
    codes = issue_codes(store, survey.survey_id, sample["household_id"], actor="tester")
    questionnaire = questionnaire_of(store, survey.survey_id)
    store.close()
    server = AppServer(database, tmp_path)
    yield server, codes, questionnaire, survey.survey_id
    server.stop()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def sign_in(page, url: str, username: str, password: str, expect_link: str) -> None:
    """Sign in on the staff page and wait until the navigation shows ``expect_link``."""
    page.goto(url)
    wait_idle(page)
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("link", name=expect_link, exact=True)).to_be_visible(timeout=30_000)
    wait_for_session_cookie(page)


def open_sidebar(page) -> None:
    """On a phone the sidebar (navigation, language) is folded: open it as a person would."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.count() and expand.is_visible():
        expand.click()
        page.wait_for_timeout(400)  # the sidebar slides in


def wait_for_session_cookie(page, timeout: float = 15) -> dict:
    """Wait until the browser holds the sign-in cookie (set just after signing in); return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == "seoul_session"]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    pytest.fail("the browser never got the sign-in cookie")


def choose(page, key: str, text: str, attempts: int = 4) -> None:
    """Pick the option containing ``text`` in the selectbox with widget key ``key``.

    Typing into the box filters the options, so the one wanted is on screen however long
    the list. A rerun that began just before (from the previous widget) can close the box
    or redraw its options while they are being clicked, so the whole open-type-click is
    tried again, and the pick counts only once the box shows the chosen text.
    """
    box = page.locator(f".st-key-{key}")
    option = page.get_by_role("option").filter(has_text=text).first
    for attempt in range(attempts):
        wait_idle(page)
        try:
            box.get_by_test_id("stSelectbox").click(timeout=10_000)
            box.locator("input").fill(text, timeout=5_000)
            option.click(timeout=5_000)
            wait_idle(page)
            expect(box.locator("input")).to_have_value(re.compile(re.escape(text)), timeout=5_000)
            return
        except (PlaywrightTimeoutError, AssertionError):
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def wait_idle(page) -> None:
    """Wait until Streamlit has finished its current rerun."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
