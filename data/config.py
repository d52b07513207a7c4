"""Configuration read from the environment, in one place.

Every setting the platform reads is declared here as a ``Setting`` with its
default and a help text; ``tests/data/test_config.py`` fails if one is not
documented in the README. Nothing else in the code reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEMO_DB = PROJECT_ROOT / "var" / "demo.duckdb"


@dataclass(frozen=True)
class Setting:
    """One environment variable the platform reads."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SEOUL_DB",
        "",
        "Path of the DuckDB database file. Unset: the demo database var/demo.duckdb, "
        "seeded on first start. Any other path starts empty (no demo data, no demo accounts).",
    ),
    Setting(
        "SEOUL_DEMO",
        "",
        "1 to treat the database at SEOUL_DB as a demo database (seeded, demo accounts); "
        "0 to never seed. Default: 1 when SEOUL_DB is unset, else 0.",
    ),
    Setting(
        "SEOUL_DEMO_SCALE",
        "20",
        "Demo size: real Seoul households represented by one frame household. "
        "20 gives the full demo (about 223,000 frame households); tests use 1000.",
    ),
    Setting(
        "SEOUL_PUBLIC_URL",
        "http://localhost:8501",
        "The address respondents reach the app at; invitation links are built on it "
        "(e.g. https://survey.seoul.go.kr).",
    ),
    Setting(
        "SEOUL_ADMIN_USER",
        "admin",
        "User name of the first administrator created in a new non-demo database.",
    ),
    Setting(
        "SEOUL_ADMIN_PASSWORD",
        "",
        "Password of that first administrator. Unset: a one-time password is printed "
        "at first start and must be changed at first login.",
    ),
    Setting(
        "SEOUL_SESSION_IDLE_MINUTES",
        "30",
        "A staff sign-in ends after this many minutes without any action (every page, every "
        "tab, every app process: the session lives in the database).",
    ),
    Setting(
        "SEOUL_SESSION_HOURS",
        "12",
        "A staff sign-in ends this many hours after it began, however active (the cookie's "
        "lifetime too).",
    ),
    Setting(
        "SEOUL_TRUSTED_PROXIES",
        "0",
        "How many reverse proxies stand in front of the app and append the client's address to "
        "X-Forwarded-For (0: use the connection's own address). Sign-in back-off is per client "
        "address, so behind a proxy set this to 1.",
    ),
    Setting(
        "SEOUL_CODE_FREE_FAILURES",
        "20",
        "Wrong access codes one client address may type in 15 minutes before it must wait "
        "(respondent and interviewer code entry; counted apart from staff sign-in).",
    ),
    Setting(
        "SEOUL_CODE_BLOCK_SECONDS",
        "30",
        "The first wait after those free failures; each further wrong code doubles it.",
    ),
    Setting(
        "SEOUL_CODE_MAX_BLOCK_MINUTES",
        "15",
        "The longest wait a wrong access code can cost an address.",
    ),
    Setting(
        "SEOUL_QUESTIONNAIRE_MAX_MB",
        "10",
        "Largest questionnaire file (XLSForm or YAML) a survey manager may upload, in megabytes; "
        "a larger file is refused before it is read. Streamlit's own cap (server.maxUploadSize "
        "in .streamlit/config.toml, 50) stays above it.",
    ),
    Setting(
        "SEOUL_PSEUDONYM_KEY_FILE",
        "var/pseudonym.key",
        "Secret key of the pseudonyms in public-use microdata (relative paths from the project "
        "folder). Created with mode 0600 on first release; kept outside the database and git.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    """The value of a declared setting (environment first, then its default)."""
    return os.environ.get(name, _BY_NAME[name].default)


@dataclass(frozen=True)
class DatabaseConfig:
    """Which database file to open and whether it is the demo."""

    path: Path
    demo: bool
    demo_scale: float


def database_config() -> DatabaseConfig:
    """Resolve SEOUL_DB / SEOUL_DEMO / SEOUL_DEMO_SCALE into a DatabaseConfig."""
    raw_path = setting("SEOUL_DB").strip()
    path = Path(raw_path).expanduser().resolve() if raw_path else DEFAULT_DEMO_DB
    demo_flag = setting("SEOUL_DEMO").strip()
    demo = (demo_flag == "1") if demo_flag else not raw_path
    scale_text = setting("SEOUL_DEMO_SCALE").strip() or "20"
    try:
        scale = float(scale_text)
    except ValueError as exc:
        raise ValueError(
            f"SEOUL_DEMO_SCALE must be a number of real households per frame household, "
            f"got {scale_text!r}"
        ) from exc
    if scale < 1:
        raise ValueError(f"SEOUL_DEMO_SCALE must be at least 1, got {scale}")
    return DatabaseConfig(path=path, demo=demo, demo_scale=scale)


@dataclass(frozen=True)
class SessionPolicy:
    """How long a staff sign-in lasts: idle and absolute limits (see ``data.staff_sessions``)."""

    idle_minutes: float
    max_hours: float


def session_policy() -> SessionPolicy:
    """Resolve SEOUL_SESSION_IDLE_MINUTES / SEOUL_SESSION_HOURS into a SessionPolicy."""
    values = {}
    for name in ("SEOUL_SESSION_IDLE_MINUTES", "SEOUL_SESSION_HOURS"):
        text = setting(name).strip() or _BY_NAME[name].default
        try:
            values[name] = float(text)
        except ValueError as exc:
            raise ValueError(f"{name} must be a number, got {text!r}") from exc
        if values[name] <= 0:
            raise ValueError(f"{name} must be positive, got {text!r}")
    return SessionPolicy(values["SEOUL_SESSION_IDLE_MINUTES"], values["SEOUL_SESSION_HOURS"])
