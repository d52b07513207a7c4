"""``seoul``: the one command line — ``seoul data|surveys|analysis|panel COMMAND …``.

The console script that ``pip install .`` (or ``make run``) puts in ``.venv/bin``.
Each group is the same commands, options and output as ``python -m data|surveys|
analysis|panel``, which keep working; exit codes are :mod:`cli.common`'s.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from cli import analysis_commands, data_commands, panel_commands, surveys_commands

GROUPS: dict[str, tuple[ModuleType, str]] = {
    "data": (data_commands, "the database: init, status, reset-password, verify-audit"),
    "surveys": (surveys_commands, "questionnaires: check YAML / XLSForm files"),
    "analysis": (analysis_commands, "cross-sections: weights, estimate, report, release"),
    "panel": (panel_commands, "the panel: waves, rates, attrition, weights, longitudinal, report"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seoul",
        description="서울서베이·시민패널 플랫폼 / Seoul Survey & Panel Platform",
        epilog="exit codes: 0 done, 1 problems found, 2 usage error or refused, "
        "3 the database is held by another process (stop the app)",
    )
    groups = parser.add_subparsers(dest="group", required=True, metavar="GROUP")
    for name, (module, summary) in GROUPS.items():
        group = groups.add_parser(
            name, help=summary, description=(module.__doc__ or summary).splitlines()[0]
        )
        module.configure(group)
        group.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
