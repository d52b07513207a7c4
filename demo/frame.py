"""Demo step 'frame': generate the synthetic Seoul frame and store it.

Split in two so ``benchmarks/seed.py`` times exactly what the demo does.
"""

from __future__ import annotations

from typing import Any

from data.frame_store import FrameLoadReport, store_frame
from data.reference import stored_table
from data.store import Store
from data.synthetic import Frame, FrameConfig, generate_frame

DEMO_FRAME_SEED = 20260101
# About 5,600 enumeration areas at full size: enough for two 20,000-household
# cross-sections of 10 households per area and the panel beside them.
DEMO_HOUSEHOLDS_PER_EA = 40


def demo_config(scale: float) -> FrameConfig:
    return FrameConfig(scale=scale, seed=DEMO_FRAME_SEED, households_per_ea=DEMO_HOUSEHOLDS_PER_EA)


def generate_demo_frame(store: Store, config: FrameConfig) -> Frame:
    """The synthetic frame for the stored reference margins."""
    return generate_frame(
        stored_table(store, "districts"),
        stored_table(store, "population_margins"),
        stored_table(store, "household_margins"),
        config,
    )


def store_demo_frame(
    store: Store, frame: Frame, config: FrameConfig, generator: str
) -> FrameLoadReport:
    """Validate and store a generated frame with its scale factor."""
    return store_frame(
        store,
        frame.households,
        frame.persons,
        frame.household_contacts,
        frame.person_contacts,
        scale_factor=frame.scale_factor,
        reference_year=config.reference_year,
        generator=generator,
        seed=config.seed,
    )


def seed_frame(store: Store, scale: float, progress=print) -> dict[str, Any]:
    config = demo_config(scale)
    frame = generate_demo_frame(store, config)
    progress(
        f"    frame generated: {len(frame.households):,} households, "
        f"{len(frame.persons):,} persons; validating and storing …"
    )
    report = store_demo_frame(store, frame, config, "data.synthetic (Faker ko_KR)")
    return {
        "stored": report.stored,
        "quarantined": report.quarantined,
        "seed": config.seed,
        "scale_factor": frame.scale_factor,
    }
