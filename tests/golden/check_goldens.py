"""Re-make every golden CSV in a temporary folder and compare it with the committed one.

``make goldens`` runs this after installing R (``scripts/system-packages.sh --r``).
Usage, from the repository root: ``python tests/golden/check_goldens.py [--keep]``
(``--keep`` leaves the temporary folder and prints where it is).

The scripts run as tests/golden/README.md says, in a copy of the repository's layout
(``tests/golden`` holding only the scripts, ``data/reference/districts.csv``), so
every CSV is written afresh and nothing here is touched:

1. ``make_seoul_sample.py`` → ``seoul_sample.csv``
2. ``make_golden.R`` → ``api*.csv``, ``survey_goldens.csv`` and, through the
   ``golden_*.R`` it sources, the crosstab, regression and difference goldens
3. ``make_golden_replicates.R`` and ``make_golden_calibration.R`` → the rest

Each produced CSV must have the committed one's columns and rows. Text cells must be
equal; numbers may differ by the file's tolerance (``TOLERANCE``): relative to the
larger magnitude, plus an absolute floor for values that are zero up to rounding
(an R or BLAS update can move the last printed digit). A committed CSV that no script
wrote, or a new CSV nobody committed, is a difference too. Exit status 0 when every
file matches, 1 with the list of differences otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SCRIPTS = [
    [sys.executable, "tests/golden/make_seoul_sample.py"],
    ["Rscript", "tests/golden/make_golden.R"],
    ["Rscript", "tests/golden/make_golden_replicates.R"],
    ["Rscript", "tests/golden/make_golden_calibration.R"],
]
INPUTS = ["data/reference/districts.csv"]  # what the scripts read besides each other's CSVs

# (relative, absolute) per file. The tests hold Python to these numbers at 1e-8 (weights
# and calibration-aware SEs at 1e-6), so a golden that moves by less than 1e-10 of itself
# cannot change a test's verdict. Data files (the sample, the api exports, the margins)
# must come out the same to the printed digit.
EXACT = (0.0, 0.0)
DEFAULT = (1e-10, 1e-14)
TOLERANCE: dict[str, tuple[float, float]] = {
    "seoul_sample.csv": EXACT,
    "apistrat.csv": EXACT,
    "apiclus1.csv": EXACT,
    "apiclus2.csv": EXACT,
    "calibration_margins.csv": EXACT,
    "survey_goldens.csv": DEFAULT,
    "crosstab_goldens.csv": DEFAULT,
    "regression_goldens.csv": DEFAULT,
    "difference_goldens.csv": DEFAULT,
    "bad_input_goldens.csv": DEFAULT,
    "replicate_goldens.csv": DEFAULT,
    "quantile_goldens.csv": DEFAULT,
    "bootstrap_weights_boot_apistrat.csv": DEFAULT,
    "bootstrap_weights_subboot_apiclus1.csv": DEFAULT,
    "calibration_goldens.csv": DEFAULT,
    "calibration_weights_apistrat.csv": DEFAULT,
    "calibration_weights_seoul.csv": DEFAULT,
}
SHOWN = 10  # differing cells listed per file


def make(workdir: Path) -> None:
    """Lay out the scripts and their inputs under ``workdir`` and run them in order."""
    target = workdir / "tests" / "golden"
    target.mkdir(parents=True)
    for script in sorted(GOLDEN.glob("*.R")) + sorted(GOLDEN.glob("*.py")):
        if script.name != Path(__file__).name:
            shutil.copy2(script, target / script.name)
    for name in INPUTS:
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, workdir / name)
    for command in SCRIPTS:
        started = time.monotonic()
        print(
            f"$ {' '.join(Path(part).name if part == sys.executable else part for part in command)}"
        )
        subprocess.run(command, cwd=workdir, check=True)
        print(f"  ({time.monotonic() - started:.0f} s)")


def compare(name: str, committed: Path, produced: Path) -> tuple[list[str], float]:
    """Differences between two CSVs (empty when they match) and the largest relative one."""
    relative, absolute = TOLERANCE.get(name, DEFAULT)
    old, new = pd.read_csv(committed), pd.read_csv(produced)
    if list(old.columns) != list(new.columns):
        return [f"columns differ: committed {list(old.columns)}, made {list(new.columns)}"], 0.0
    if len(old) != len(new):
        return [f"{len(old)} rows committed, {len(new)} made"], 0.0
    found: list[str] = []
    largest = 0.0
    for column in old.columns:
        a, b = old[column], new[column]
        numeric = pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)
        if not numeric:
            same = a.isna() & b.isna() | (a.astype(str) == b.astype(str))
            found += [
                f"line {i + 2}, {column}: committed {a.iloc[i]!r}, made {b.iloc[i]!r}"
                for i in np.flatnonzero(~same.to_numpy())
            ]
            continue
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):  # NaN cells, 0 / 0
            gap = np.where(np.isnan(x) | np.isnan(y), 0.0, np.abs(x - y))
            scale = np.maximum(np.abs(x), np.abs(y))
            rel = np.where(gap > 0, gap / scale, 0.0)
        largest = max(largest, float(np.max(rel, initial=0.0)))
        bad = (np.isnan(x) != np.isnan(y)) | (gap > relative * scale + absolute)
        found += [
            f"line {i + 2}, {column}: committed {float(x[i])!r}, made {float(y[i])!r} "
            f"(relative {rel[i]:.2g})"
            for i in np.flatnonzero(bad)
        ]
    return found, largest


def check(workdir: Path) -> int:
    made = workdir / "tests" / "golden"
    committed = {p.name for p in GOLDEN.glob("*.csv")}
    produced = {p.name for p in made.glob("*.csv")}
    failures = 0
    for name in sorted(committed | produced):
        relative, absolute = TOLERANCE.get(name, DEFAULT)
        tolerance = (
            "exact" if (relative, absolute) == EXACT else f"rel {relative:g}, abs {absolute:g}"
        )
        if name not in produced:
            problems, largest = ["committed, but no script wrote it"], 0.0
        elif name not in committed:
            problems, largest = ["written by a script, but not committed"], 0.0
        else:
            problems, largest = compare(name, GOLDEN / name, made / name)
        verdict = "DIFFERS" if problems else "ok"
        print(f"{verdict:7} {name} ({tolerance}; largest relative difference {largest:.2g})")
        for line in problems[:SHOWN]:
            print(f"        {line}")
        if len(problems) > SHOWN:
            print(f"        … and {len(problems) - SHOWN} more")
        failures += bool(problems)
    print(
        f"goldens: {len(committed | produced) - failures} match, {failures} differ"
        + (" — see above" if failures else "")
    )
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if shutil.which("Rscript") is None:
        print("Rscript is missing: run scripts/system-packages.sh --r (make goldens does)")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="goldens-"))
    try:
        make(workdir)
        return check(workdir)
    finally:
        if "--keep" in argv:
            print(f"made files kept in {workdir / 'tests' / 'golden'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
