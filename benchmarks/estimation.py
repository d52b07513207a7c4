"""Estimation benchmark: this project against R ``survey``, ``samplics`` and ``svy``.

On the 40,000-person golden sample (``tests/golden/seoul_sample.csv``), design
``strata=district, psu=psu, weights=weight``, three tasks:

(a) raking to the district margin and the sex × age_group margin (the sample's
    weighted totals times a common factor, so the grand totals agree);
(b) overall mean of ``happiness`` (0–10) and proportion of ``satisfied`` (0/1),
    with calibration-aware standard errors where the package has them;
(c) the same for all 350 district × sex × age_group domains.

Each implementation runs in its own process (R through ``Rscript``), so that
its peak resident memory (VmHWM) is its own. Times are medians over ``--runs``
runs; a task whose first run takes over 10 s runs once. Then this project's
three tasks on 1,000,000 persons (the sample 25 times, PSU ids made distinct),
with time and peak memory per task (tracemalloc) and the process's peak RSS.

    .venv/bin/python benchmarks/estimation.py [--runs 5] [--quick]

``--quick`` skips peer tasks known to take over 10 s (R's svyby on a raked
design) and runs the 1M check with fewer repeats. The peers are optional: one
that is not installed is reported as "not available" with the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "tests" / "golden" / "seoul_sample.csv"
FACTOR = 1.05  # margins = sample weighted totals × FACTOR (consistent grand totals)
DOMAIN = ["district", "sex", "age_group"]
SLOW = 10.0  # a task whose first run takes longer runs once
TASKS = ("a", "b", "c")
TASK_NAMES = {
    "a": "(a) rake: district + sex×age",
    "b": "(b) mean + proportion, overall",
    "c": "(c) the same, 350 domains",
}


# ---- helpers ---------------------------------------------------------------------------
def peak_rss_mib() -> float:
    """The process's peak resident memory (VmHWM), MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, runs: int) -> tuple[list[float], object]:
    """Run ``fn`` up to ``runs`` times (once if the first run is slow); times and last result."""
    times: list[float] = []
    result = None
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if times[0] > SLOW:
            break
    return times, result


def load_sample():
    import pandas as pd

    frame = pd.read_csv(SAMPLE)
    return frame


def margins_of(frame):
    """The margins in this project's format: district, (sex, age_group)."""
    return {
        "district": frame.groupby("district")["weight"].sum() * FACTOR,
        ("sex", "age_group"): frame.groupby(["sex", "age_group"])["weight"].sum() * FACTOR,
    }


def domain_key(frame) -> list[str]:
    return [
        f"{d}|{s}|{a}"
        for d, s, a in zip(frame["district"], frame["sex"], frame["age_group"], strict=True)
    ]


def blas_info() -> str:
    """Which BLAS numpy uses and with how many threads (informational)."""
    import numpy as np

    parts = []
    try:
        from threadpoolctl import threadpool_info  # optional

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                parts.append(
                    f"{pool.get('internal_api')} {pool.get('version')} "
                    f"{pool.get('threading_layer', '')} threads={pool.get('num_threads')}"
                    f" core={pool.get('architecture')}"
                )
    except ImportError:
        try:
            config = np.show_config(mode="dicts")
            blas = config["Build Dependencies"]["blas"]
            parts.append(f"{blas.get('name')} {blas.get('version')} (threadpoolctl not installed)")
        except Exception:  # noqa: BLE001 - purely informational
            parts.append("unknown")
    env = {
        k: os.environ[k]
        for k in (
            "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS",
            "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE",
        )
        if k in os.environ
    }
    env_text = ", ".join(f"{k}={v}" for k, v in env.items()) or "no OPENBLAS_*/OMP_* variables set"
    return f"numpy {np.__version__}: {'; '.join(parts)}; {env_text}; {os.cpu_count()} cores"


# ---- workers (each runs in its own process and prints one JSON line) --------------------
def worker_project(runs: int) -> dict:
    from analysis.estimation.design import SurveyDesign

    frame = load_sample()
    margins = margins_of(frame)
    design = SurveyDesign(frame, weights="weight", strata="district", psu="psu")
    times = {}
    times["a"], raked = timed(lambda: design.rake(margins, maxit=100, epsilon=1e-10), runs)

    def overall():
        return raked.mean("happiness"), raked.proportion("satisfied")

    def domains():
        return raked.mean("happiness", by=DOMAIN), raked.proportion("satisfied", by=DOMAIN)

    times["b"], (m, p) = timed(overall, runs)
    times["c"], (mb, pb) = timed(domains, runs)
    return {
        "version": "",
        "times": times,
        "weights": list(map(float, raked.weights)),
        "overall": {
            "happiness": [float(m["estimate"].iloc[0]), float(m["se"].iloc[0])],
            "satisfied": [float(p["estimate"].iloc[0]), float(p["se"].iloc[0])],
        },
        "domains": {
            "happiness": dict(
                zip(domain_key(mb), zip(mb["estimate"], mb["se"], strict=True), strict=True)
            ),
            "satisfied": dict(
                zip(domain_key(pb), zip(pb["estimate"], pb["se"], strict=True), strict=True)
            ),
        },
        "peak_mib": peak_rss_mib(),
    }


def worker_svy(runs: int) -> dict:
    import polars as pl
    import svy

    frame = load_sample()
    frame["sexage"] = frame["sex"] * 10 + frame["age_group"]
    controls = {
        "district": (frame.groupby("district")["weight"].sum() * FACTOR).to_dict(),
        "sexage": (frame.groupby("sexage")["weight"].sum() * FACTOR).to_dict(),
    }
    sample = svy.Sample(
        pl.from_pandas(frame), svy.Design(stratum="district", psu="psu", wgt="weight")
    )
    times = {}
    times["a"], raked = timed(
        lambda: sample.weighting.rake(controls=controls, tol=1e-10, max_iter=100), runs
    )
    est = raked.estimation

    def overall():
        return (
            est.mean("happiness", drop_nulls=True).to_polars(),
            est.prop("satisfied", drop_nulls=True).to_polars(),
        )

    def domains():
        return (
            est.mean("happiness", by=DOMAIN, drop_nulls=True).to_polars(),
            est.prop("satisfied", by=DOMAIN, drop_nulls=True).to_polars(),
        )

    times["b"], (m, p) = timed(overall, runs)
    times["c"], (mb, pb) = timed(domains, runs)
    p = p.filter(pl.col("satisfied") == 1.0)
    pb = pb.filter(pl.col("satisfied") == 1.0)
    weights = raked.data["rk_wgt"] if "rk_wgt" in raked.data.columns else None
    return {
        "version": f"svy {metadata.version('svy')}",
        "times": times,
        "weights": None if weights is None else [float(x) for x in weights],
        "overall": {
            "happiness": [float(m["est"][0]), float(m["se"][0])],
            "satisfied": [float(p["est"][0]), float(p["se"][0])],
        },
        "domains": {
            "happiness": dict(
                zip(domain_key(mb.to_pandas()), zip(mb["est"], mb["se"], strict=True), strict=True)
            ),
            "satisfied": dict(
                zip(domain_key(pb.to_pandas()), zip(pb["est"], pb["se"], strict=True), strict=True)
            ),
        },
        "peak_mib": peak_rss_mib(),
    }


def worker_samplics(runs: int) -> dict:
    warnings.simplefilter("ignore")  # samplics warns that it is archived
    from samplics import PopParam, SampleWeight, TaylorEstimator

    frame = load_sample()
    frame["sexage"] = frame["sex"] * 10 + frame["age_group"]
    controls = {
        "district": (frame.groupby("district")["weight"].sum() * FACTOR).to_dict(),
        "sexage": (frame.groupby("sexage")["weight"].sum() * FACTOR).to_dict(),
    }
    columns = {
        "district": frame["district"].to_numpy(),
        "sexage": frame["sexage"].to_numpy(),
    }
    base = frame["weight"].to_numpy()
    stratum, psu = frame["district"].to_numpy(), frame["psu"].to_numpy()
    codes = (frame["district"] * 100 + frame["sex"] * 10 + frame["age_group"]).to_numpy()
    times = {}
    times["a"], w = timed(
        lambda: SampleWeight().rake(
            base, margins=columns, control=controls, tol=1e-10, max_iter=100
        ),
        runs,
    )

    def estimate(param, column, domain=None):
        e = TaylorEstimator(param)
        e.estimate(
            y=frame[column].to_numpy(),
            samp_weight=w,
            stratum=stratum,
            psu=psu,
            domain=domain,
            remove_nan=True,
        )
        return e

    def overall():
        return estimate(PopParam.mean, "happiness"), estimate(PopParam.prop, "satisfied")

    def domains():
        return (
            estimate(PopParam.mean, "happiness", codes),
            estimate(PopParam.prop, "satisfied", codes),
        )

    times["b"], (m, p) = timed(overall, runs)
    times["c"], (mb, pb) = timed(domains, runs)

    def key(code) -> str:
        code = int(code)
        return f"{code // 100}|{code // 10 % 10}|{code % 10}"

    def one(values, level=1.0):
        return values[level] if isinstance(values, dict) else values

    return {
        "version": f"samplics {metadata.version('samplics')}",
        "times": times,
        "weights": [float(x) for x in w],
        "overall": {
            "happiness": [float(m.point_est), float(m.stderror)],
            "satisfied": [float(one(p.point_est)), float(one(p.stderror))],
        },
        "domains": {
            "happiness": {key(k): (mb.point_est[k], mb.stderror[k]) for k in mb.point_est},
            "satisfied": {
                key(k): (one(pb.point_est[k]), one(pb.stderror[k])) for k in pb.point_est
            },
        },
        "peak_mib": peak_rss_mib(),
        "note": "SEs treat the raked weights as fixed (no calibration term)",
    }


def worker_million(runs: int) -> dict:
    import numpy as np
    import pandas as pd

    from analysis.estimation.design import SurveyDesign

    sample = load_sample()
    target = 1_000_000
    copies = -(-target // len(sample))  # the last copy is cut to reach exactly 1,000,000
    offset = int(sample["psu"].max()) + 1
    frame = pd.concat(
        [sample.assign(psu=sample["psu"] + k * offset) for k in range(copies)], ignore_index=True
    ).iloc[:target]
    margins = margins_of(frame)
    out: dict = {"n": len(frame), "times": {}, "traced_mib": {}}

    def build():
        return SurveyDesign(frame, weights="weight", strata="district", psu="psu")

    def rake():
        return build().rake(margins, maxit=100, epsilon=1e-10)

    raked = rake()  # warm-up
    steps = {
        "a": rake,
        "b": lambda: (raked.mean("happiness"), raked.proportion("satisfied")),
        "c": lambda: (raked.mean("happiness", by=DOMAIN), raked.proportion("satisfied", by=DOMAIN)),
    }
    for task, fn in steps.items():
        out["times"][task], _ = timed(fn, runs)
    for task, fn in steps.items():  # a separate, traced run for peak memory per task
        tracemalloc.start()
        fn()
        out["traced_mib"][task] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    out["peak_mib"] = peak_rss_mib()
    out["frame_mib"] = float(frame.memory_usage(deep=True).sum()) / 2**20
    del np
    return out


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
csv <- args[1]; out <- args[2]; runs <- as.integer(args[3]); do_c <- args[4] == "1"
factor <- as.numeric(args[5]); slow <- as.numeric(args[6])
d <- read.csv(csv)
pop_d <- aggregate(weight ~ district, data = d, FUN = sum)
names(pop_d)[2] <- "Freq"; pop_d$Freq <- pop_d$Freq * factor
pop_sa <- aggregate(weight ~ sex + age_group, data = d, FUN = sum)
names(pop_sa)[3] <- "Freq"; pop_sa$Freq <- pop_sa$Freq * factor
des <- svydesign(id = ~psu, strata = ~district, weights = ~weight, data = d)
timed <- function(f) {
  times <- c(); res <- NULL
  for (i in seq_len(max(runs, 1))) {
    t <- system.time(res <- f())[["elapsed"]]
    times <- c(times, t)
    if (times[1] > slow) break
  }
  list(times = times, res = res)
}
ra <- timed(function() rake(des, list(~district, ~sex + age_group), list(pop_d, pop_sa),
                            control = list(maxit = 100, epsilon = 1e-10)))
raked <- ra$res
rb <- timed(function() list(svymean(~happiness, raked, na.rm = TRUE),
                            svymean(~satisfied, raked, na.rm = TRUE)))
m <- rb$res[[1]]; p <- rb$res[[2]]
write.csv(data.frame(stat = c("happiness", "satisfied"),
                     est = c(coef(m)[[1]], coef(p)[[1]]),
                     se = c(SE(m)[[1]], SE(p)[[1]])),
          file.path(out, "overall.csv"), row.names = FALSE)
write.csv(data.frame(w = weights(raked)), file.path(out, "weights.csv"), row.names = FALSE)
times <- list(a = ra$times, b = rb$times, c = numeric(0))
if (do_c) {
  rc <- timed(function() list(
    svyby(~happiness, ~district + sex + age_group, raked, svymean, na.rm = TRUE),
    svyby(~satisfied, ~district + sex + age_group, raked, svymean, na.rm = TRUE)))
  times$c <- rc$times
  for (i in 1:2) {
    b <- rc$res[[i]]
    write.csv(data.frame(district = b$district, sex = b$sex, age_group = b$age_group,
                         est = coef(b), se = SE(b)),
              file.path(out, c("dom_happiness.csv", "dom_satisfied.csv")[i]), row.names = FALSE)
  }
}
hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
peak <- as.numeric(strsplit(trimws(sub("VmHWM:", "", hwm)), " +")[[1]][1]) / 1024
writeLines(c(paste("version", as.character(packageVersion("survey"))),
             paste("blas", sessionInfo()$BLAS),
             paste("peak", peak),
             paste("a", paste(times$a, collapse = " ")),
             paste("b", paste(times$b, collapse = " ")),
             paste("c", paste(times$c, collapse = " "))),
           file.path(out, "times.txt"))
"""


def run_r(runs: int, with_c: bool) -> dict:
    import pandas as pd

    rscript = shutil.which("Rscript")
    if rscript is None:
        return {"error": "Rscript is not installed"}
    check = subprocess.run(
        [rscript, "-e", "suppressPackageStartupMessages(library(survey))"],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        return {"error": "R package survey is not installed"}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bench.R"
        script.write_text(R_SCRIPT)
        args = [str(SAMPLE), folder, str(runs), "1" if with_c else "0", str(FACTOR), str(SLOW)]
        done = subprocess.run([rscript, str(script), *args], capture_output=True, text=True)
        if done.returncode != 0:
            return {"error": f"Rscript failed: {done.stderr.strip()[-300:]}"}
        lines = dict(
            line.split(" ", 1) if " " in line else (line, "")
            for line in (Path(folder) / "times.txt").read_text().splitlines()
        )
        times = {t: [float(x) for x in lines.get(t, "").split()] for t in TASKS}
        overall = pd.read_csv(Path(folder) / "overall.csv").set_index("stat")
        out = {
            "version": f"survey {lines['version']}",
            "blas": lines.get("blas", ""),
            "times": {t: v for t, v in times.items() if v},
            "peak_mib": float(lines["peak"]),
            "weights": pd.read_csv(Path(folder) / "weights.csv")["w"].tolist(),
            "overall": {k: [overall.loc[k, "est"], overall.loc[k, "se"]] for k in overall.index},
        }
        if with_c:
            out["domains"] = {}
            for item in ("happiness", "satisfied"):
                b = pd.read_csv(Path(folder) / f"dom_{item}.csv")
                out["domains"][item] = dict(
                    zip(domain_key(b), zip(b["est"], b["se"], strict=True), strict=True)
                )
        return out


def run_worker(name: str, runs: int) -> dict:
    """Run one worker in a fresh interpreter; its JSON answer, or an error."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", name, "--runs", str(runs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()
        reason = tail[-1] if tail else f"exit {done.returncode}"
        if "ModuleNotFoundError" in reason or "ImportError" in reason:
            reason = f"not installed ({reason.split(':', 1)[-1].strip()})"
        return {"error": reason}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- comparison and report -----------------------------------------------------------
def rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def diffs_vs_r(result: dict, r: dict) -> dict[str, str]:
    """Largest relative difference from R per task: weights; estimates and SEs."""
    out: dict[str, str] = {}
    if "error" in result or "error" in r:
        return out
    if result.get("weights") and r.get("weights") and len(result["weights"]) == len(r["weights"]):
        out["a"] = (
            f"w {max(rel(a, b) for a, b in zip(result['weights'], r['weights'], strict=True)):.1e}"
        )
    est = [rel(result["overall"][k][0], r["overall"][k][0]) for k in r["overall"]]
    se = [rel(result["overall"][k][1], r["overall"][k][1]) for k in r["overall"]]
    out["b"] = f"est {max(est):.1e}, se {max(se):.1e}"
    if "domains" in r and "domains" in result:
        est, se, missing = [], [], 0
        for item, rows in r["domains"].items():
            ours = result["domains"].get(item, {})
            for key, (e, s) in rows.items():
                if key not in ours:
                    missing += 1
                    continue
                est.append(rel(ours[key][0], e))
                se.append(rel(ours[key][1], s))
        if est:
            out["c"] = f"est {max(est):.1e}, se {max(se):.1e}" + (
                f" ({missing} missing)" if missing else ""
            )
    return out


def fmt_time(result: dict, task: str) -> str:
    if "error" in result:
        return "not available"
    times = result["times"].get(task)
    if not times:
        return "n/a (skipped)"
    text = f"{statistics.median(times):.4f} s"
    return text + (" (1 run)" if len(times) == 1 else "")


def median_of(result: dict, task: str) -> float | None:
    times = result.get("times", {}).get(task) if "error" not in result else None
    return statistics.median(times) if times else None


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per task (median); default 5")
    parser.add_argument("--quick", action="store_true", help="skip peer tasks slower than 10 s")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    workers = {
        "project": worker_project,
        "svy": worker_svy,
        "samplics": worker_samplics,
        "million": worker_million,
    }
    if args.worker:
        print(json.dumps(workers[args.worker](args.runs), default=float))
        return

    print(f"Estimation benchmark on {SAMPLE.relative_to(ROOT)}; medians of {args.runs} runs")
    print(f"BLAS: {blas_info()}")
    started = time.perf_counter()
    results = {"this project": run_worker("project", args.runs)}
    results["R survey"] = run_r(args.runs, with_c=not args.quick)
    results["samplics"] = run_worker("samplics", args.runs)
    results["svy"] = run_worker("svy", args.runs)
    ours, r = results["this project"], results["R survey"]
    if "error" in ours:
        sys.exit(f"this project failed: {ours['error']}")

    names = list(results)
    rows = []
    peer_diffs = {name: diffs_vs_r(res, r) for name, res in results.items() if name != "R survey"}
    for task in TASKS:
        base = median_of(ours, task)
        ratios = []
        for name in names[1:]:
            peer = median_of(results[name], task)
            ratios.append(f"{name.split()[0]} {peer / base:.0f}×" if peer and base else "")
        rows.append(
            [TASK_NAMES[task]]
            + [fmt_time(results[name], task) for name in names]
            + [
                ", ".join(x for x in ratios if x) or "n/a",
                peer_diffs["this project"].get(task, "n/a"),
            ]
        )
    rows.append(
        ["peak RSS (process)"]
        + [
            "not available" if "error" in results[n] else f"{results[n]['peak_mib']:.0f} MiB"
            for n in names
        ]
        + ["", ""]
    )
    print()
    print_table(["task"] + names + ["peer / this project", "max rel diff vs R"], rows)

    print()
    for name, res in results.items():
        if "error" in res:
            print(f"{name}: not available — {res['error']}")
            continue
        version = res.get("version", "")
        note = f"; {res['note']}" if res.get("note") else ""
        diff = peer_diffs.get(name)
        text = "; ".join(f"({t}) {diff[t]}" for t in TASKS if t in diff) if diff else "reference"
        label = f"{name} [{version}]" if version else name
        print(f"{label} vs R: {text}{note}")
    if "blas" in r:
        print(f"R BLAS: {r['blas']}")
    if args.quick:
        print("--quick: R task (c) skipped (takes about a minute)")

    million = run_worker("million", min(args.runs, 3))
    print()
    if "error" in million:
        print(f"1,000,000 persons: failed — {million['error']}")
    else:
        total = sum(statistics.median(million["times"][t]) for t in TASKS)
        print(
            f"This project on {million['n']:,} persons (sample repeated, distinct PSUs; "
            f"frame {million['frame_mib']:.0f} MiB):"
        )
        rows = [
            [
                TASK_NAMES[t] + (" (incl. design)" if t == "a" else ""),
                f"{statistics.median(million['times'][t]):.3f} s",
                f"{million['traced_mib'][t]:.0f} MiB",
            ]
            for t in TASKS
        ]
        rows.append(["total", f"{total:.3f} s", f"process peak RSS {million['peak_mib']:.0f} MiB"])
        print_table(["task", "time (median)", "peak traced (tracemalloc)"], rows)
        target = "met" if total <= 2 and million["peak_mib"] < 2048 else "NOT met"
        print(f"target (≤ 2 s in all, < 2 GB peak): {target}")
    print(f"\nbenchmark wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
