"""Command line for panel operators: ``seoul panel waves|rates|attrition|weights|longitudinal|report``.

``waves`` lists the waves with their response rates; ``rates --wave CODE
[--by district_code] [--out FILE.csv]`` prints or writes AAPOR RR1, COOP1,
REF1 and CON1; ``attrition --wave CODE`` previews who leaves and why, and
with ``--apply`` commits it (then ``--replace SEED`` calls up the matched
replacements; ``--replace`` without ``--apply`` is refused); ``weights --wave CODE`` stores the wave's cross-sectional
weights; ``longitudinal --waves A,B,C`` stores longitudinal weights for the
households present in all of them; ``report --wave CODE --out DIR`` writes the
wave's report (Excel, Korean PDF, CSV bundle, with the AAPOR rates). Like every command, they need the
database file to themselves and say which process holds it; every file they write is in
the audit log. Also ``python -m panel …``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.tables import NoWeights
from cli.common import ACTOR, EXIT_OK, audit_written, refuse, with_store
from data.spreadsheet_safety import write_csv
from data.store import Store
from data.text import InvalidRequest, Text
from panel.attrition import apply_attrition, plan_attrition, replace_leavers
from panel.outcomes import wave_rates
from panel.reports import survey_report
from panel.waves import WaveError, list_waves
from panel.weights import store_longitudinal_weights, store_wave_weights
from surveys.opening import survey_by_code, survey_info

REFUSED = (KeyError, ValueError, WaveError, NoWeights)
REPLACE_NEEDS_APPLY = (
    "--replace 는 --apply 와 함께만 쓸 수 있습니다: 미리보기는 아무도 대체하지 않습니다 "
    "(attrition --wave CODE --apply --replace SEED) / "
    "--replace needs --apply: a preview replaces nobody "
    "(attrition --wave CODE --apply --replace SEED)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the panel commands to ``parser`` (``python -m panel`` or ``seoul panel``)."""
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("waves", help="list the waves with their response rates")
    rates = sub.add_parser("rates", help="AAPOR RR1, COOP1, REF1, CON1 of a wave")
    rates.add_argument("--wave", required=True, help="wave survey code, e.g. panel-2026-w1")
    rates.add_argument("--by", choices=["district_code", "household_type", "head_age_band"])
    rates.add_argument("--out", type=Path, help="write a CSV instead of printing")
    attrition = sub.add_parser("attrition", help="preview (or --apply) a wave's attrition rules")
    attrition.add_argument("--wave", required=True)
    attrition.add_argument("--apply", action="store_true", help="commit the previewed plan")
    attrition.add_argument(
        "--replace", type=int, metavar="SEED", help="with --apply: then replace the leavers"
    )
    weights = sub.add_parser("weights", help="store a wave's cross-sectional weights")
    weights.add_argument("--wave", required=True)
    longitudinal = sub.add_parser("longitudinal", help="store longitudinal weights for waves")
    longitudinal.add_argument("--waves", required=True, help="codes separated by commas")
    report = sub.add_parser("report", help="write a wave's report: Excel, Korean PDF, CSV bundle")
    report.add_argument("--wave", required=True)
    report.add_argument("--out", required=True, type=Path, help="folder for the three files")
    report.add_argument("--weights", type=int, metavar="ID", help="household weights version")


def _wave_id(store: Store, code: str) -> int:
    return survey_by_code(store, code).survey_id


def _waves(store: Store) -> int:
    rows = []
    for wave in list_waves(store):
        rates = wave_rates(store, wave.survey_id).iloc[0]
        rows.append(
            {"wave": wave.wave_no, "code": wave.code, "status": wave.status,
             "invited": int(rates["invited"]), "complete": int(rates["I"]),
             "RR1": round(float(rates["RR1"]), 4), "attrition_applied": wave.attrition_applied}
        )  # fmt: skip
    print(pd.DataFrame(rows).to_string(index=False) if rows else "no waves yet / 차수 없음")
    return EXIT_OK


def _attrition(store: Store, args: argparse.Namespace) -> int:
    survey_id = _wave_id(store, args.wave)
    plan = plan_attrition(store, survey_id)
    print(plan.summary().to_string(index=False))
    print(f"leaving / 탈락: {len(plan.leaving)}")
    if not args.apply:
        print("preview only: add --apply to commit / 미리보기입니다: 적용하려면 --apply")
        return EXIT_OK
    apply_attrition(store, survey_id, actor=ACTOR, previewed=plan)
    print("applied / 적용됨")
    if args.replace is not None:
        made = replace_leavers(store, survey_id, seed=args.replace, actor=ACTOR)
        print(f"replaced / 대체: {len(made.replacements)}, shortfall / 부족: {made.shortfall}")
    return EXIT_OK


def _run(store: Store, args: argparse.Namespace) -> int:
    if args.command == "waves":
        return _waves(store)
    if args.command == "rates":
        wave = _wave_id(store, args.wave)
        table = wave_rates(store, wave, args.by)
        if args.out:
            write_csv(table, args.out)
            audit_written(
                store, "response_rates", [args.out], survey_id=wave, survey=args.wave,
                rows=len(table),
            )  # fmt: skip
            print(f"{len(table)} rows written to {args.out}")
        else:
            print(table.to_string(index=False))
        return EXIT_OK
    if args.command == "attrition":
        return _attrition(store, args)
    if args.command == "report":
        wave = _wave_id(store, args.wave)
        if survey_info(store, wave).kind != "panel_wave":
            raise InvalidRequest(
                "not_a_wave",
                Text(
                    f"{args.wave} 는 패널 차수가 아닙니다: python -m analysis report --survey {args.wave}",
                    f"{args.wave} is not a panel wave: use python -m analysis report",
                ),
            )
        chosen = [args.weights] if args.weights else None
        report = survey_report(store, wave, weights_ids=chosen)
        written = report.write(args.out)
        audit_written(store, "report", written, survey_id=wave, survey=args.wave)
        print("written: " + ", ".join(str(p) for p in written))
        return EXIT_OK
    if args.command == "weights":
        weights_id = store_wave_weights(store, _wave_id(store, args.wave), actor=ACTOR)
        print(f"wave weights stored: weights_id {weights_id}")
        return EXIT_OK
    ids = [_wave_id(store, code.strip()) for code in args.waves.split(",") if code.strip()]
    weights_id = store_longitudinal_weights(store, ids, actor=ACTOR)
    print(f"longitudinal weights stored: weights_id {weights_id}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.command == "attrition" and args.replace is not None and not args.apply:
        return refuse(REPLACE_NEEDS_APPLY)  # before opening the database: nothing to do there
    return with_store(lambda store: _run(store, args), REFUSED)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m panel", description=__doc__.splitlines()[0])
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
