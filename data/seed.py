"""The one demo-seeding entry point: each package's demo step, in order, once each.

Steps are named by dotted path and imported only when they run, so ``data``
never imports the domain packages; later issues append their step to
``DEMO_STEPS`` (frame → Seoul Survey cross-sections → weights → panel and
waves → fieldwork extras). A step runs once: ``seed_log`` records it, so a demo
database made before a new step existed gains it at the next start.

The size is set by ``SEOUL_DEMO_SCALE`` (real households per frame household):
20 builds the full demo, tests use 1000.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from data.accounts import (
    ADMIN,
    INTERVIEWER,
    PANEL_OPERATOR,
    STATISTICIAN,
    SURVEY_MANAGER,
    create_user,
)
from data.store import Store

Progress = Callable[[str], None]

# Demo accounts, one per role (documented in the README). Demo databases only.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "demo-admin-2026", ADMIN, "데모 관리자"),
    ("manager", "demo-manager-2026", SURVEY_MANAGER, "데모 조사 관리자"),
    ("operator", "demo-operator-2026", PANEL_OPERATOR, "데모 패널 운영자"),
    ("statistician", "demo-stat-2026", STATISTICIAN, "데모 통계 분석가"),
    ("interviewer", "demo-field-2026", INTERVIEWER, "데모 현장 조사원"),
)


@dataclass(frozen=True)
class DemoStep:
    name: str
    target: str  # "package.module:function", called as function(store, scale, progress) -> dict


DEMO_STEPS: list[DemoStep] = [
    DemoStep("accounts", "data.seed:seed_demo_accounts"),
    DemoStep("frame", "data.demo_frame:seed_frame"),
    DemoStep("seoul_survey", "surveys.demo:seed_cross_sections"),
    DemoStep("weights", "analysis.survey_weights:seed_weights"),
    DemoStep("panel", "panel.demo:seed_panel"),
    DemoStep("fieldwork", "panel.demo_fieldwork:seed_wave_in_field"),
]


def seed_demo_accounts(store: Store, scale: float, progress: Progress) -> dict[str, Any]:
    existing = {r[0] for r in store.rows("SELECT username FROM staff_users")}
    made = []
    for username, password, role, display in DEMO_ACCOUNTS:
        if username not in existing:
            create_user(store, username, password, role, display_name=display, actor="demo-seed")
            made.append(username)
    return {"accounts": made}


def _resolve(target: str) -> Callable[..., dict[str, Any]]:
    module_name, _, function = target.partition(":")
    return getattr(importlib.import_module(module_name), function)


def done_steps(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT step FROM seed_log")}


def seed_demo(store: Store, scale: float, progress: Progress = print) -> list[str]:
    """Run every demo step not yet recorded in ``seed_log``; return the steps run now."""
    already = done_steps(store)
    ran = []
    for number, step in enumerate(DEMO_STEPS, start=1):
        if step.name in already:
            continue
        progress(f"[{number}/{len(DEMO_STEPS)}] demo: {step.name} …")
        started = datetime.now()
        detail = _resolve(step.target)(store, scale, progress) or {}
        finished = datetime.now()
        store.execute(
            "INSERT INTO seed_log (step, started_at, finished_at, scale, detail) VALUES (?, ?, ?, ?, ?)",
            [
                step.name,
                started,
                finished,
                scale,
                json.dumps(detail, ensure_ascii=False, default=str),
            ],
        )
        progress(
            f"[{number}/{len(DEMO_STEPS)}] demo: {step.name} done in "
            f"{(finished - started).total_seconds():.1f} s"
        )
        ran.append(step.name)
    return ran


def last_seeding(store: Store) -> dict[str, Any] | None:
    row = store.rows("SELECT max(finished_at), count(*), any_value(scale) FROM seed_log")
    if not row or row[0][1] == 0:
        return None
    return {"finished_at": row[0][0], "steps": int(row[0][1]), "scale": row[0][2]}
