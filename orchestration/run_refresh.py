"""`make run`: execute the refresh job once, in this process, and print what it produced.

Like the nightly schedule it rebuilds only what changed since the last build (orchestration/refresh_plan.py);
`make run FULL=1` (``--full``) rebuilds everything."""

from __future__ import annotations

import argparse
import os
import sys
import time

import dagster as dg
import duckdb

from orchestration.definitions import defs
from orchestration.refresh_plan import plan_refresh
from orchestration.settings import serve_dir, warehouse_path

MART_SCHEMA = "marts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="rebuild every asset, changed or not")
    args = parser.parse_args(argv)
    started = time.monotonic()
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    definitions = defs()
    job = definitions.resolve_job_def("refresh_warehouse")
    # Step-by-step logs stay in the Dagster instance (see `make dev`); the terminal gets warnings and the summary.
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    live_lines = _fetch_live_periods(instance, quiet)
    plan = None if args.full else plan_refresh(instance, definitions.get_repository_def())
    if plan is not None and plan.nothing_to_do:
        elapsed = time.monotonic() - started
        print("\n".join([f"Chokepoint refresh: {plan.describe()} ({elapsed:.1f} s); `make run FULL=1` rebuilds anyway",
                         *live_lines]))
        return 0
    selection = None if plan is None or plan.selection is None else list(plan.selection)
    result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet, asset_selection=selection)
    elapsed = time.monotonic() - started
    print("\n".join([summarize(result, elapsed), f"  plan: {'full (--full)' if plan is None else plan.describe()}",
                     *live_lines]))
    return 0 if result.success else 1


def _fetch_live_periods(instance: dg.DagsterInstance, run_config: dict) -> list[str]:
    """CHOKEPOINT_SOURCE=live: first fetch the periods the nightly live schedules would (not landed yet)."""
    from orchestration.defs.live_assets import run_live_periods
    from orchestration.extract.live.config import source_mode

    if source_mode() != "live":
        return []
    runs = run_live_periods(instance, run_config=run_config)
    lines = [f"  live periods fetched: {sum(ok for _, _, ok in runs)} of {len(runs)}"]
    lines += [f"  FAILED live period {job}:{period}" for job, period, ok in runs if not ok]
    return lines


def summarize(result: dg.ExecuteInProcessResult, elapsed: float) -> str:
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed = [c for c in checks if not c.passed]
    lines = [
        f"Chokepoint refresh {'succeeded' if result.success else 'FAILED'} in {elapsed:.1f} s (run {result.run_id})",
        f"  assets materialized: {len(materialized)}",
        f"  checks passed: {len(checks) - len(failed)} of {len(checks)}",
    ]
    lines += [f"  FAILED check {c.asset_check_key.asset_key.to_user_string()}:{c.check_name}" for c in failed]
    lines.append(f"  build warehouse (writers only): {warehouse_path()}")
    lines.append(f"  serving copy for BI (read-only): {serve_dir() / 'chokepoint.duckdb'}")
    lines.append(f"  Parquet exports: {serve_dir() / 'parquet'}/   data-quality report: {serve_dir() / 'data_docs' / 'index.html'}")
    if warehouse_path().exists():
        connection = duckdb.connect(str(warehouse_path()), read_only=True)
        try:
            tables = connection.execute(
                "select table_name from information_schema.tables where table_schema = ? order by table_name", [MART_SCHEMA]
            ).fetchall()
            lines.append("  rows per mart:")
            for (table,) in tables:
                rows = connection.execute(f'select count(*) from {MART_SCHEMA}."{table}"').fetchone()[0]
                lines.append(f"    {MART_SCHEMA}.{table:<26} {rows:>9,}")
        finally:
            connection.close()
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
