"""Type-check the domain packages with mypy and count the errors per package.

Usage: ``python scripts/typecheck.py [--blocking]`` from the repository root (``make
typecheck``; ``make test`` runs it too, both with ``--blocking``). mypy's settings and the
packages are in ``[tool.mypy]`` of pyproject.toml.

It prints mypy's errors and a count per package. With ``--blocking`` (what ``make`` uses:
the domain packages are at zero errors and stay there) it exits with mypy's status, so one
error fails the build; without it, it reports and exits 0 (handy while fixing a batch).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("data", "surveys", "analysis", "panel", "demo", "cli")
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error:", re.MULTILINE)


def count_by_package(output: str) -> Counter[str]:
    counts: Counter[str] = Counter({package: 0 for package in PACKAGES})
    for match in ERROR.finditer(output):
        counts[Path(match["path"]).parts[0]] += 1
    return counts


def main(argv: list[str]) -> int:
    blocking = "--blocking" in argv
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    if result.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        return result.returncode
    counts = count_by_package(result.stdout)
    summary = ", ".join(f"{package} {n}" for package, n in counts.items())
    print(f"mypy errors per package: {summary} (total {sum(counts.values())})")
    if result.returncode and not blocking:
        print("typecheck: reporting only (--blocking makes errors fail; see scripts/typecheck.py)")
        return 0
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
