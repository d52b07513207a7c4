"""Command line for questionnaires: ``seoul surveys check FILE [FILE ...]`` (or ``python -m surveys``).

Why: statisticians edit definitions by hand (YAML) or bring XLSForm workbooks;
``check`` lists every problem — one per line, with file, line or row, the
question and a Korean / English message — then, for a file without problems, the
static checks' findings as warnings (``file: warning: [question] rule: …``,
:mod:`surveys.questionnaire.static_checks`), then a summary line per file.
Exit status: 0 when every file is clean (warnings or not: a file with warnings is
still valid), 1 when any has problems, 2 for a usage error (such as a missing file). Subcommands keep room for more
commands later.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from surveys.questionnaire.loader import XLSFORM_SUFFIXES, YAML_SUFFIXES, read_questionnaire
from surveys.questionnaire.static_checks import static_findings

SUFFIXES = ", ".join(YAML_SUFFIXES + XLSFORM_SUFFIXES)
DESCRIPTION = "Seoul Survey questionnaires / 서울서베이 설문"


def _plural(count: int, what: str = "problem") -> str:
    return f"{count} {what}" if count == 1 else f"{count} {what}s"


def check(files: Sequence[str]) -> int:
    """Print every problem (or else every warning) of each file and a summary; the exit
    status (warnings never fail it)."""
    unusable = []
    for name in files:
        path = Path(name)
        if not path.is_file():
            unusable.append(f"{name}: 파일이 없습니다 / no such file")
        elif path.suffix.lower() not in YAML_SUFFIXES + XLSFORM_SUFFIXES:
            unusable.append(f"{name}: {SUFFIXES} 파일이어야 합니다 / must be one of {SUFFIXES}")
    if unusable:
        for line in unusable:
            print(line, file=sys.stderr)
        return EXIT_USAGE
    total = 0
    for name in files:
        questionnaire, problems = read_questionnaire(name)
        for problem in problems:
            print(problem)
        findings = static_findings(questionnaire) if questionnaire is not None else []
        for finding in findings:
            print(f"{name}: warning: {finding}")
        warned = f", {_plural(len(findings), 'warning')}" if findings else ""
        print(f"{name}: {_plural(len(problems))}{warned}")
        total += len(problems)
    return EXIT_PROBLEMS if total else EXIT_OK


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the surveys commands to ``parser`` (``python -m surveys`` or ``seoul surveys``)."""
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    checker = commands.add_parser(
        "check",
        help="validate YAML or XLSForm questionnaires / 설문 정의 검사",
        description="Print every problem of each questionnaire file, then a summary line.",
    )
    checker.add_argument("files", nargs="+", metavar="FILE", help=f"{SUFFIXES} file")


def run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return check(args.files)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m surveys", description=DESCRIPTION)
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
