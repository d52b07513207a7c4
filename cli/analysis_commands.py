"""Command line: ``python -m analysis weights|estimate|report|release``.

``weights --survey CODE`` computes and stores a new weights version (households
and persons) for a survey; ``estimate --survey CODE --out FILE`` writes every
catalogue indicator for every domain, with SE, CI, CV, deff, n and flags, to
``.csv``, ``.xlsx`` or ``.parquet``; ``report --survey CODE --out DIR [--weights ID …]``
writes the managers' report (Excel workbook, Korean PDF, CSV bundle; a panel
wave's report is ``python -m panel report``, which adds its AAPOR rates); ``release --survey CODE --format sav --out DIR``
writes the public-use microdata file and its codebook (the command line acts as
an administrator; the release is written to the audit log). Like every command, they need the database
file to themselves and say which process holds it when the app is running.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.disclosure.microdata import FORMATS
from analysis.disclosure.microdata import release as release_microdata
from analysis.reports.bundle import build_report
from analysis.tables import NoWeights, indicator_table, write_table
from analysis.weights.survey_weights import make_weights
from data.accounts import ADMIN
from data.config import database_config
from data.migrate import migrate
from data.store import DatabaseLockedError, open_store
from surveys.opening import survey_by_code, survey_info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    weights = sub.add_parser("weights", help="compute and store a new weights version")
    weights.add_argument("--survey", required=True, help="survey code (e.g. seoul-2026) or id")
    estimate = sub.add_parser("estimate", help="write the indicator table of a survey")
    estimate.add_argument("--survey", required=True, help="survey code (e.g. seoul-2026) or id")
    estimate.add_argument(
        "--out", required=True, type=Path, help="FILE.csv, FILE.xlsx or FILE.parquet"
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
    args = parser.parse_args(argv)
    if args.command == "estimate" and args.out.suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        parser.error("--out must end in .csv, .xlsx or .parquet")
    try:
        store = open_store(database_config().path)
    except DatabaseLockedError as error:
        print(str(error), file=sys.stderr)
        return 3
    migrate(store)
    try:
        survey_id = _survey_id(store, args.survey)
        if survey_info(store, survey_id).kind != "cross_section":
            verb = "report" if args.command == "report" else "weights"
            print(
                f"{args.survey} 는 패널 차수입니다: python -m panel {verb} --wave {args.survey} / "
                f"{args.survey} is a panel wave: use python -m panel {verb} --wave {args.survey}",
                file=sys.stderr,
            )
            return 2
        if args.command == "report":
            made = build_report(store, survey_id, weights_ids=args.weights or None)
            print("written: " + ", ".join(str(p) for p in made.write(args.out)))
            return 0
        if args.command == "release":
            paths = release_microdata(
                store, survey_id, args.format, args.out, actor="cli", role=ADMIN
            )
            print("written: " + ", ".join(str(p) for p in paths))
            return 0
        if args.command == "weights":
            made = make_weights(store, survey_id, actor="cli")
            print(
                f"weights stored: household weights_id {made['household']}, person weights_id {made['person']}"
            )
            return 0
        table = indicator_table(store, survey_id)
        write_table(table, args.out)
        print(f"{len(table)} estimates written to {args.out}")
        return 0
    except (KeyError, NoWeights, ValueError, PermissionError) as error:
        print(str(error).strip("'\""), file=sys.stderr)
        return 2
    finally:
        store.close()


def _survey_id(store, text: str) -> int:
    if text.isdigit():
        return int(text)
    return survey_by_code(store, text).survey_id


if __name__ == "__main__":
    sys.exit(main())
