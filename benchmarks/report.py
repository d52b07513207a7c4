"""Report benchmark: time and peak memory to build the full managers' report of a survey.

Builds ``panel.reports.survey_report`` (``analysis.reports.bundle.build_report``, plus the
AAPOR rates for a panel wave) for one survey (default ``seoul-2026``; a panel wave
such as ``panel-2026-w3`` works too)
on the configured database (``SEOUL_DB``; the full demo is made by
``SEOUL_DB=/tmp/x.duckdb SEOUL_DEMO=1 python -m data init``) and prints, per
step of the build (the steps are the report's own progress messages): the
seconds, the process's peak resident memory so far (``getrusage``), and, with
``--tracemalloc``, a second build's peak Python allocation within the step;
then the sizes of the three files. The issue's target: under 20 s for the
full Seoul Survey 2026 demo.

    SEOUL_DB=/tmp/report_full.duckdb .venv/bin/python benchmarks/report.py [--survey seoul-2026]
        [--tracemalloc] [--out DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.reports.bundle import Report  # noqa: E402
from data.config import database_config  # noqa: E402
from data.store import open_store  # noqa: E402
from panel.reports import survey_report  # noqa: E402
from surveys.opening import survey_by_code  # noqa: E402

TARGET_SECONDS = 20.0


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_build(store, survey_id: int, trace: bool) -> tuple[Report, list[dict], float]:
    """Build once; one row per progress step: step, seconds, peak RSS, traced peak (MiB)."""
    rows: list[dict] = []
    state = {"message": "start", "t": time.perf_counter()}
    if trace:
        tracemalloc.start()

    def progress(fraction: float, message: str) -> None:
        now = time.perf_counter()
        traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
        rows.append(
            {
                "step": state["message"],
                "seconds": now - state["t"],
                "rss": peak_rss_mib(),
                "traced": traced,
            }
        )
        if trace:
            tracemalloc.reset_peak()
        state["message"], state["t"] = message.split(" / ")[-1], time.perf_counter()

    start = time.perf_counter()
    report = survey_report(store, survey_id, progress=progress)
    total = time.perf_counter() - start
    if trace:
        tracemalloc.stop()
    return report, [r for r in rows if r["step"] != "start"], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--survey", default="seoul-2026", help="survey code (a cross-section or a panel wave)"
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also a traced build: peak allocation per step"
    )
    parser.add_argument("--out", type=Path, help="write the three files into this folder")
    args = parser.parse_args()

    config = database_config()
    opened = time.perf_counter()
    store = open_store(config.path, read_only=True)
    survey = survey_by_code(store, args.survey)
    persons = store.scalar(
        "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no > 0", [survey.survey_id]
    )
    print(f"database {config.path} (opened in {time.perf_counter() - opened:.2f} s)")
    print(f"survey {survey.code}: {survey.title_ko}, {persons:,} person parts\n")

    report, rows, total = timed_build(store, survey.survey_id, trace=False)
    traced = timed_build(store, survey.survey_id, trace=True)[1] if args.tracemalloc else None

    header = f"{'step':<34} {'seconds':>8} {'peak RSS MiB':>13}"
    if traced:
        header += f" {'traced peak MiB':>16}"
    print(header)
    print("-" * len(header))
    for index, row in enumerate(rows):
        line = f"{row['step']:<34} {row['seconds']:>8.2f} {row['rss']:>13.0f}"
        if traced and index < len(traced):
            line += f" {traced[index]['traced']:>16.1f}"
        print(line)
    print("-" * len(header))
    print(f"{'total build_report':<34} {total:>8.2f} {peak_rss_mib():>13.0f}")
    verdict = "OK" if total < TARGET_SECONDS else "OVER"
    print(f"target < {TARGET_SECONDS:.0f} s: {verdict}\n")

    print(f"{'file':<34} {'KiB':>8}")
    for name, content in report.files.items():
        print(f"{name:<34} {len(content) / 1024:>8.1f}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, content in report.files.items():
            (args.out / name).write_bytes(content)
        print(f"\nwritten to {args.out}")
    store.close()


if __name__ == "__main__":
    main()
