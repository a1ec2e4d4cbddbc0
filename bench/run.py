"""`make bench`: the pipeline, the raw-DuckDB lower bound and the pandas baseline on SYNTHETIC bulk trade data.

For each size (default 1M, 10M, 50M rows): generate the data (bench/generate.py, cached under --data), then
  1. pipeline full refresh: the real ``refresh_warehouse`` job on a fresh warehouse (bench/pipeline_run.py);
  2. lower bound: bench/lower_bound.sql in one DuckDB connection;
  3. analyst baseline: the same marts in pandas;
  4. compare the bulk-source marts of the three (bench/compare.py);
  5. pipeline no-change refresh (fixed overhead);
  6. pipeline incremental refresh after one new year's file is added.
Each variant runs in a child process; wall time and the peak RSS of its whole process tree (sampled from /proc)
are recorded. The table is printed and written between the result markers of docs/BENCHMARKS.md (--doc).

    python -m bench.run --sizes 1000000,10000000,50000000
    python -m bench.run --sizes 100000 --doc /tmp/bench/BENCHMARKS-smoke.md     # make bench-smoke
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench import generate
from bench.compare import compare
from orchestration.settings import BENCH_DIR, DUCKDB_MEMORY_LIMIT

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
TARGETS = {"full_vs_lower_bound": 2.0, "no_change_s": 10.0, "peak_rss_gb": 2.0, "validation_share": 0.25, "incremental_share": 0.10}


@dataclass
class Measure:
    wall_s: float
    peak_rss_mb: float
    detail: dict = field(default_factory=dict)
    ok: bool = True


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measured(command: list[str], env: dict[str, str], log: Path) -> tuple[Measure, str]:
    """Run ``command``; return wall time, peak RSS of its process tree (sum over live processes) and stdout."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log, "w") as stderr:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], sum(_rss_kb(pid) for pid in _tree(process.pid)))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, _ = process.communicate()
        done.set()
        sampler.join()
    return Measure(time.monotonic() - started, peak[0] / 1024, ok=process.returncode == 0), stdout


def pipeline(workdir: Path, bulk_dir: Path, label: str, env: dict[str, str], mode: str) -> Measure:
    home = workdir / "dagster_home"  # this size's own run history, so the planner sees the earlier runs
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")  # the instance `make run` uses
    run_env = {**env, "CHOKEPOINT_WAREHOUSE": str(workdir / "chokepoint.duckdb"), "CHOKEPOINT_SERVE_DIR": str(workdir / "serve"),
               "CHOKEPOINT_BULK_TRADE_DIR": str(bulk_dir), "DAGSTER_HOME": str(home)}
    measure, stdout = measured([sys.executable, "-m", "bench.pipeline_run", mode], run_env, workdir / f"{label}.log")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    measure.detail = json.loads(lines[-1]) if lines else {}
    measure.ok = measure.ok and bool(measure.detail.get("success"))
    return measure


def run_size(rows: int, data: Path, work: Path, seed: int, env: dict[str, str]) -> dict:
    print(f"\n=== {rows:,} rows (synthetic) ===", flush=True)
    base = generate.generate(data, rows, seed)
    per_year = rows // (generate.LAST_YEAR - generate.FIRST_YEAR + 1)
    workdir = work / f"{rows}"
    shutil.rmtree(workdir, ignore_errors=True)
    # The pipeline reads a folder of links to the cached files, so the incremental step can add a year to it.
    bulk_dir = workdir / "bulk"
    bulk_dir.mkdir(parents=True)
    for path in sorted(base.glob("*.parquet")):
        (bulk_dir / path.name).symlink_to(path)
    results: dict = {"rows": rows}

    results["pipeline_full"] = full = pipeline(workdir / "pipeline", bulk_dir, "full", env, mode="full")
    print(f"pipeline full refresh   {full.wall_s:8.1f} s  {full.peak_rss_mb:8.0f} MB  ok={full.ok}", flush=True)
    results["lower_bound"], _ = measured([sys.executable, "-m", "bench.variants", "lower_bound", str(base), str(workdir / "lower_bound.duckdb")],
                                         env, workdir / "lower_bound.log")
    print(f"lower bound (DuckDB)    {results['lower_bound'].wall_s:8.1f} s  {results['lower_bound'].peak_rss_mb:8.0f} MB", flush=True)
    results["pandas"], _ = measured([sys.executable, "-m", "bench.variants", "pandas", str(base), str(workdir / "pandas")],
                                    env, workdir / "pandas.log")
    print(f"pandas baseline         {results['pandas'].wall_s:8.1f} s  {results['pandas'].peak_rss_mb:8.0f} MB", flush=True)
    problems = compare(workdir / "pipeline" / "chokepoint.duckdb", workdir / "lower_bound.duckdb", workdir / "pandas") \
        if full.ok and results["lower_bound"].ok and results["pandas"].ok else ["a variant failed"]
    results["agree"] = not problems
    results["problems"] = problems[:10]
    print(f"marts agree: {results['agree']}" + ("" if not problems else "\n  " + "\n  ".join(problems[:10])), flush=True)

    results["pipeline_no_change"] = nc = pipeline(workdir / "pipeline", bulk_dir, "no_change", env, mode="planned")
    print(f"pipeline no-change      {nc.wall_s:8.1f} s  {nc.peak_rss_mb:8.0f} MB  ok={nc.ok}  plan: {nc.detail.get('plan')}", flush=True)
    new_year = generate.LAST_YEAR + 1
    generate.write_year(bulk_dir, new_year, per_year, seed)
    results["pipeline_incremental"] = inc = pipeline(workdir / "pipeline", bulk_dir, "incremental", env, mode="planned")
    print(f"pipeline +1 year ({new_year}) {inc.wall_s:8.1f} s  {inc.peak_rss_mb:8.0f} MB  ok={inc.ok}  plan: {inc.detail.get('plan')}",
          flush=True)
    # Per-step timings of every pipeline run, for profiling (the table only shows the stage totals).
    (workdir / "results.json").write_text(json.dumps(
        {k: (v.__dict__ if isinstance(v, Measure) else v) for k, v in results.items()}, indent=2, default=str))
    return results


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    packages = {name: version(name) for name in ("duckdb", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "pandera", "pandas", "ibis-framework")}
    return {"cpus": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1), "cpu_model": cpu,
            "python": platform.python_version(), "os": platform.platform(), "packages": packages,
            "load_avg_start": os.getloadavg()}


def _stage(measure: Measure, name: str) -> float:
    return float(measure.detail.get("stages_s", {}).get(name, 0.0))


def table(results: list[dict], info: dict, memory_limit: str) -> str:
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {info['cpus']} CPUs ({info['cpu_model']}), {info['memory_gb']} GB RAM, "
        f"{info['os']}, Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()) + ".",
        f"Load average at start {tuple(round(x, 2) for x in info['load_avg_start'])}, at end "
        f"{tuple(round(x, 2) for x in info['load_avg_end'])}. DuckDB memory_limit {memory_limit}. All data SYNTHETIC (bench/generate.py).",
        "",
        "| rows | variant | wall s | peak RSS MB | load s | validation s | dbt s | publish s | other s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for key, label in [("pipeline_full", "pipeline, full refresh"), ("lower_bound", "lower bound (DuckDB SQL)"),
                           ("pandas", "analyst baseline (pandas)"), ("pipeline_no_change", "pipeline, no-change refresh"),
                           ("pipeline_incremental", "pipeline, +1 year incremental")]:
            m: Measure = r[key]
            stages = ""
            if key.startswith("pipeline"):
                other = _stage(m, "other") + _stage(m, "orchestration_overhead") + _stage(m, "code_location_load")
                stages = " | ".join(f"{_stage(m, s):.1f}" for s in ("load", "validation", "dbt", "publish")) + f" | {other:.1f}"
            else:
                stages = " | | | | "
            lines.append(f"| {r['rows']:,} | {label}{'' if m.ok else ' (FAILED)'} | {m.wall_s:.1f} | {m.peak_rss_mb:.0f} | {stages} |")
    lines += ["", "| rows | pipeline / lower bound | pandas / pipeline | validation share | incremental / full | marts agree |",
              "|---:|---:|---:|---:|---:|---|"]
    for r in results:
        full = r["pipeline_full"]
        lines.append(
            f"| {r['rows']:,} | {full.wall_s / r['lower_bound'].wall_s:.1f}x | {r['pandas'].wall_s / full.wall_s:.2f}x | "
            f"{_stage(full, 'validation') / full.wall_s:.0%} | {r['pipeline_incremental'].wall_s / full.wall_s:.0%} | "
            f"{'yes' if r['agree'] else 'NO: ' + '; '.join(r['problems'][:3])} |")
    largest = results[-1]
    full = largest["pipeline_full"]
    checks = [
        ("full refresh within 2x the lower bound", full.wall_s / largest["lower_bound"].wall_s, TARGETS["full_vs_lower_bound"], "{:.1f}x"),
        ("no-change refresh <= 10 s", largest["pipeline_no_change"].wall_s, TARGETS["no_change_s"], "{:.1f} s"),
        ("peak RSS <= 2 GB", max(full.peak_rss_mb, largest["pipeline_incremental"].peak_rss_mb) / 1024, TARGETS["peak_rss_gb"], "{:.2f} GB"),
        ("validation <= 25% of pipeline time", _stage(full, "validation") / full.wall_s, TARGETS["validation_share"], "{:.0%}"),
        ("incremental <= 10% of a full rebuild", largest["pipeline_incremental"].wall_s / full.wall_s, TARGETS["incremental_share"], "{:.0%}"),
    ]
    lines += ["", f"Targets at {largest['rows']:,} rows (the issue states them for 50M):", ""]
    lines += [f"- {'met' if value <= target else 'MISSED'}: {name} (measured {fmt.format(value)})" for name, value, target, fmt in checks]
    return "\n".join(lines)


def write_doc(doc: Path, text: str) -> None:
    block = f"{START}\n{text}\n{END}"
    if doc.exists() and START in doc.read_text():
        before, rest = doc.read_text().split(START, 1)
        doc.write_text(before + block + rest.split(END, 1)[1])
    else:
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(f"# Benchmark results\n\n{block}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description="Chokepoint scale benchmark (synthetic data)")
    parser.add_argument("--sizes", default="1000000,10000000,50000000")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=BENCH_DIR.get() / "data")
    parser.add_argument("--work", type=Path, default=BENCH_DIR.get() / "runs")
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    memory_limit = DUCKDB_MEMORY_LIMIT.get()
    env = {**os.environ, DUCKDB_MEMORY_LIMIT.name: memory_limit, "PYTHONUNBUFFERED": "1"}
    env.pop("DAGSTER_HOME", None)  # each size gets its own instance under its run folder, never .dagster_home
    info = machine()
    results = [run_size(rows, args.data, args.work, args.seed, env) for rows in sizes]
    info["load_avg_end"] = os.getloadavg()
    text = table(results, info, memory_limit)
    print("\n" + text)
    write_doc(args.doc, text)
    print(f"\nwritten to {args.doc}")
    return 0 if all(r["agree"] and r["pipeline_full"].ok and r["pipeline_no_change"].ok and r["pipeline_incremental"].ok
                    for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
