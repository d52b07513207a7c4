"""The one demo-seeding entry point: each demo step, in order, once each.

the shipped questionnaires as version 1 → frame → Seoul Survey cross-sections → weights →
the panel and its waves → a wave in the field (fieldwork extras). A step runs once: ``seed_log`` records it
(:mod:`data.seed_log`), so a demo database made before a new step existed gains it at
the next start. The size is set by ``SEOUL_DEMO_SCALE`` (real households per frame
household): 20 builds the full demo, tests use 1000.

:func:`prepare` is :func:`data.bootstrap.prepare` with this seeder: the data layer gets
a database ready and calls back here for a demo database, without importing the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from data.bootstrap import Preparation, Progress
from data.bootstrap import prepare as prepare_database
from data.config import DatabaseConfig
from data.seed_log import done_steps, record_step
from data.store import Store
from demo.accounts import seed_demo_accounts
from demo.cross_sections import seed_cross_sections
from demo.frame import seed_frame
from demo.panel import seed_panel
from demo.questionnaires import seed_questionnaires
from demo.wave_in_field import seed_wave_in_field
from demo.weights import seed_weights


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[Store, float, Progress], dict[str, Any]]


DEMO_STEPS: tuple[DemoStep, ...] = (
    DemoStep("accounts", seed_demo_accounts),
    DemoStep("questionnaires", seed_questionnaires),
    DemoStep("frame", seed_frame),
    DemoStep("seoul_survey", seed_cross_sections),
    DemoStep("weights", seed_weights),
    DemoStep("panel", seed_panel),
    DemoStep("fieldwork", seed_wave_in_field),
)


def seed_demo(store: Store, scale: float, progress: Progress = print) -> list[str]:
    """Run every demo step not yet recorded in ``seed_log``; return the steps run now."""
    already = done_steps(store)
    ran = []
    for number, step in enumerate(DEMO_STEPS, start=1):
        if step.name in already:
            continue
        progress(f"[{number}/{len(DEMO_STEPS)}] demo: {step.name} …")
        started = datetime.now()
        detail = step.run(store, scale, progress) or {}
        finished = datetime.now()
        record_step(store, step.name, started, finished, scale, detail)
        progress(
            f"[{number}/{len(DEMO_STEPS)}] demo: {step.name} done in "
            f"{(finished - started).total_seconds():.1f} s"
        )
        ran.append(step.name)
    return ran


def prepare(config: DatabaseConfig, progress: Progress = print) -> Preparation:
    """Open and prepare the configured database, seeding it when it is a demo database."""
    return prepare_database(config, progress, seed=seed_demo)
