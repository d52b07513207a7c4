"""Time and peak memory to seed the demo frame at full size (SEOUL_DEMO_SCALE, default 20).

Runs in a fresh temporary database: migrate, load reference data, generate the
synthetic frame, validate every table with its Pandera schema and store it.
Prints one table of stages with wall-clock seconds and the process's peak
resident memory after each stage.

    .venv/bin/python benchmarks/seed.py [--scale 20] [--repeat 1]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.migrate import migrate  # noqa: E402
from data.reference import load_shipped_reference  # noqa: E402
from data.store import open_store  # noqa: E402
from demo.frame import demo_config, generate_demo_frame, store_demo_frame  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(scale: float) -> list[tuple[str, float, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store = open_store(Path(folder) / "bench.duckdb")
        migrate(store)
        load_shipped_reference(store)
        rows.append(("migrate + reference data", time.perf_counter() - start, peak_mib()))

        mark = time.perf_counter()
        config = demo_config(scale)
        frame = generate_demo_frame(store, config)
        rows.append(
            (
                f"generate frame ({len(frame.households):,} hh, {len(frame.persons):,} persons)",
                time.perf_counter() - mark,
                peak_mib(),
            )
        )

        mark = time.perf_counter()
        report = store_demo_frame(store, frame, config, "benchmark")
        quarantined = sum(report.quarantined.values())
        rows.append(
            (
                f"validate + store ({quarantined} quarantined)",
                time.perf_counter() - mark,
                peak_mib(),
            )
        )
        rows.append(("total", time.perf_counter() - start, peak_mib()))
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for attempt in range(args.repeat):
        rows = run(args.scale)
        print(f"\nseed benchmark, scale {args.scale:g} (run {attempt + 1}/{args.repeat})")
        print(f"{'stage':<55} {'seconds':>8} {'peak RSS MiB':>13}")
        for stage, seconds, memory in rows:
            print(f"{stage:<55} {seconds:>8.2f} {memory:>13.0f}")


if __name__ == "__main__":
    main()
