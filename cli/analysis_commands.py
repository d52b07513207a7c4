"""Command line: ``seoul analysis weights|estimate|report|release`` (also ``python -m analysis …``).

``weights --survey CODE`` computes and stores a new weights version (households
and persons) for a survey; ``estimate --survey CODE --out FILE`` writes every
catalogue indicator for every domain, with SE, CI, CV, deff, n and flags, to
``.csv``, ``.xlsx`` or ``.parquet``; ``report --survey CODE --out DIR [--weights ID …]``
writes the managers' report (Excel workbook, Korean PDF, CSV bundle; a panel
wave's report is ``python -m panel report``, which adds its AAPOR rates); ``release --survey CODE --format sav --out DIR``
writes the public-use microdata file and its codebook (the command line acts as
an administrator; the release is written to the audit log). Like every command, they need the database
file to themselves and say which process holds it when the app is running. Every file
written is in the audit log (``download`` events with ``via: cli``; the release's own event).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.disclosure.microdata import FORMATS
from analysis.disclosure.microdata import release as release_microdata
from analysis.reports.bundle import build_report
from analysis.tables import NoWeights, indicator_table, write_table
from analysis.weights.survey_weights import make_weights
from cli.common import ACTOR, EXIT_OK, audit_written, refuse, with_store
from data.accounts import ADMIN
from data.store import Store
from surveys.opening import survey_by_code, survey_info

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
REFUSED = (KeyError, NoWeights, ValueError, PermissionError)


def _table_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise argparse.ArgumentTypeError("must end in .csv, .xlsx or .parquet")
    return path


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the analysis commands to ``parser`` (``python -m analysis`` or ``seoul analysis``)."""
    sub = parser.add_subparsers(dest="command", required=True)
    weights = sub.add_parser("weights", help="compute and store a new weights version")
    weights.add_argument("--survey", required=True, help="survey code (e.g. seoul-2026) or id")
    estimate = sub.add_parser("estimate", help="write the indicator table of a survey")
    estimate.add_argument("--survey", required=True, help="survey code (e.g. seoul-2026) or id")
    estimate.add_argument(
        "--out", required=True, type=_table_path, help="FILE.csv, FILE.xlsx or FILE.parquet"
    )
    report = sub.add_parser("report", help="write the report: Excel, Korean PDF, CSV bundle")
    report.add_argument("--survey", required=True, help="survey code (e.g. seoul-2026) or id")
    report.add_argument("--out", required=True, type=Path, help="folder for the three files")
    report.add_argument(
        "--weights", type=int, nargs="*", default=None, metavar="ID",
        help="weights versions to use (at most one per unit; default: the newest)",
    )  # fmt: skip
    release = sub.add_parser("release", help="write the public-use microdata file and codebook")
    release.add_argument("--survey", required=True, help="survey code (e.g. seoul-2026) or id")
    release.add_argument("--format", required=True, choices=FORMATS)
    release.add_argument("--out", required=True, type=Path, help="folder for the two files")


def run(args: argparse.Namespace) -> int:
    return with_store(lambda store: _run(store, args), REFUSED)


def _run(store: Store, args: argparse.Namespace) -> int:
    survey_id = _survey_id(store, args.survey)
    survey = survey_info(store, survey_id)
    if survey.kind != "cross_section":
        verb = "report" if args.command == "report" else "weights"
        return refuse(
            f"{args.survey} 는 패널 차수입니다: python -m panel {verb} --wave {args.survey} / "
            f"{args.survey} is a panel wave: use python -m panel {verb} --wave {args.survey}"
        )
    if args.command == "report":
        report = build_report(store, survey_id, weights_ids=args.weights or None)
        written = report.write(args.out)
        audit_written(store, "report", written, survey_id=survey_id, survey=survey.code)
        print("written: " + ", ".join(str(p) for p in written))
        return EXIT_OK
    if args.command == "release":  # release() writes the release, files and rows, to the log
        paths = release_microdata(store, survey_id, args.format, args.out, actor=ACTOR, role=ADMIN)
        print("written: " + ", ".join(str(p) for p in paths))
        return EXIT_OK
    if args.command == "weights":
        versions = make_weights(store, survey_id, actor=ACTOR)
        print(
            f"weights stored: household weights_id {versions['household']}, "
            f"person weights_id {versions['person']}"
        )
        return EXIT_OK
    table = indicator_table(store, survey_id)
    write_table(table, args.out)
    audit_written(
        store, "estimates", [args.out], survey_id=survey_id, survey=survey.code, rows=len(table)
    )
    print(f"{len(table)} estimates written to {args.out}")
    return EXIT_OK


def _survey_id(store: Store, text: str) -> int:
    if text.isdigit():
        return int(text)
    return survey_by_code(store, text).survey_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
