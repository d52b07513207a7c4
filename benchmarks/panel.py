"""Panel benchmark: recruitment and replacement on a 1,000,000-household frame.

Builds the frame with :func:`data.synthetic.generate_frame` (no contacts, no
calibration) from the shipped reference CSVs, then times

1. recruiting 20,000 panel households with a 100,000-household reserve;
2. attrition of 2,000 active households (status changes) and their matched
   replacement.

Each should take under 2 s.

    .venv/bin/python benchmarks/panel.py [--households 1000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.reference import shipped_csv  # noqa: E402
from data.synthetic import FrameConfig, generate_frame  # noqa: E402
from panel.recruit import recruit  # noqa: E402
from panel.replacement import replace  # noqa: E402
from panel.status import apply_changes  # noqa: E402

LIMIT = 2.0


def build_frame(households: int) -> pd.DataFrame:
    districts = shipped_csv("districts")
    population = shipped_csv("population_margins").astype(
        {"sex": int, "age_group": int, "population": int}
    )
    margins = shipped_csv("household_margins").astype({"household_size": int, "households": int})
    scale = margins["households"].sum() / households
    config = FrameConfig(scale=scale, candidates_per_household=1)
    return generate_frame(districts, population, margins, config, with_contacts=False).households


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    frame = build_frame(args.households)
    rows = [
        (
            f"build frame ({len(frame):,} households; not timed against the limit)",
            time.perf_counter() - start,
        )
    ]

    start = time.perf_counter()
    rec = recruit(frame, target=20_000, reserve=100_000, seed=1)
    rows.append(("recruit 20,000 panel + 100,000 reserve", time.perf_counter() - start))
    roster = rec.roster()
    at = datetime(2026, 1, 1)
    ids = rec.panel["household_id"].to_numpy()
    roster, _ = apply_changes(
        roster,
        pd.DataFrame(
            {"household_id": ids, "status": "active", "who": "bench", "why": "wave 1", "at": at}
        ),
    )

    start = time.perf_counter()
    dropped = np.random.default_rng(2).choice(ids, 2_000, replace=False)
    changes = pd.DataFrame(
        {"household_id": dropped, "status": "dropped", "who": "bench", "why": "attrition", "at": at}
    )
    roster, _ = apply_changes(roster, changes)
    out = replace(roster, dropped, rec.reserve, seed=3, at=at)
    rows.append(("attrition of 2,000 + matched replacement", time.perf_counter() - start))
    levels = out.replacements["match_level"].value_counts().sort_index().to_dict()

    print(f"{'task':<72} {'seconds':>8}  limit")
    for name, seconds in rows:
        verdict = "" if name.startswith("build") else ("ok" if seconds < LIMIT else "OVER")
        print(f"{name:<72} {seconds:>8.2f}  {verdict}")
    print(
        f"replacements: {len(out.replacements):,}, shortfall {out.shortfall}, match levels {levels}"
    )


if __name__ == "__main__":
    main()
