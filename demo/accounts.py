"""Demo step "accounts": one staff account per role, documented in the README.

Demo databases only; the sign-in page of a demo database lists them.
"""

from __future__ import annotations

from typing import Any

from data.accounts import (
    ADMIN,
    INTERVIEWER,
    PANEL_OPERATOR,
    STATISTICIAN,
    SURVEY_MANAGER,
    create_user,
    list_users,
)
from data.store import Store

# (user name, password, role, display name)
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "demo-admin-2026", ADMIN, "데모 관리자"),
    ("manager", "demo-manager-2026", SURVEY_MANAGER, "데모 조사 관리자"),
    ("operator", "demo-operator-2026", PANEL_OPERATOR, "데모 패널 운영자"),
    ("statistician", "demo-stat-2026", STATISTICIAN, "데모 통계 분석가"),
    ("interviewer", "demo-field-2026", INTERVIEWER, "데모 현장 조사원"),
)


def seed_demo_accounts(store: Store, scale: float, progress=print) -> dict[str, Any]:
    """Create the demo accounts that do not exist yet."""
    existing = set(list_users(store)["username"])
    made = []
    for username, password, role, display in DEMO_ACCOUNTS:
        if username not in existing:
            create_user(store, username, password, role, display_name=display, actor="demo-seed")
            made.append(username)
    return {"accounts": made}
