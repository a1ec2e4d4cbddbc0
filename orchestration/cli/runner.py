"""`make run`: execute the refresh job once, in this process, and print what it produced.

Like the nightly schedule it rebuilds only what changed since the last build (orchestration/refresh/plan.py);
`make run FULL=1` (``--full``) rebuilds everything."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import yaml

from orchestration.cli.measure_status_lines import measure_status_lines
from orchestration.cli.progress import ProgressPrinter
from orchestration.definitions import defs
from orchestration.publish.serving import MART_SCHEMA
from orchestration.refresh.freshness import freshness_line
from orchestration.refresh.plan import plan_refresh
from orchestration.refresh.recovery import mark_canceled, process_tags, recover, slot_holders, was_interrupted
from orchestration.settings import DAGSTER_HOME, DEV_PORT, PROJECT_ROOT, report_dir, serve_dir, warehouse_path
from orchestration.storage.warehouse import open_duckdb, table_exists, tables_in

# The tag the UI filters a job's Runs tab and the Overview timeline by (Dagster sets it on runs launched through a
# code location; an in-process run has no remote origin, so `make run` sets it to appear beside UI-launched runs).
REPOSITORY_TAG = ".dagster/repository"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="rebuild every asset, changed or not")
    args = parser.parse_args(argv)
    started = time.monotonic()
    out = sys.stdout
    for line in ensure_dagster_home():
        print(line, file=out)
    instance = dg.DagsterInstance.get() if DAGSTER_HOME.get() else dg.DagsterInstance.ephemeral()
    definitions = defs()
    job = definitions.resolve_job_def("refresh_warehouse")
    run_id = str(uuid.uuid4())
    log_path = _log_path(run_id)
    # The terminal gets one line per stage; Dagster's step log and dbt's output go to the log file.
    run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    for line in recover(instance, serve_dir()).lines():  # a killed run must not hold the writer slot forever
        print(line, file=out)
    with log_path.open("a") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        live_lines = _fetch_live_periods(instance, run_config)
        live_lines += recheck_lines(instance)
        plan = None if args.full else plan_refresh(instance, definitions.get_repository_def())
    plan_text = "full (--full)" if plan is None else plan.describe()
    if plan is not None and plan.nothing_to_do:
        elapsed = time.monotonic() - started
        print("\n".join([f"Chokepoint refresh: {plan_text} ({elapsed:.1f} s); `make run FULL=1` rebuilds anyway",
                         *live_lines, *quarantine_lines(), freshness_line(instance)]), file=out)
        return 0
    print(f"Chokepoint refresh, plan: {plan_text}", file=out)
    print(f"  detail (Dagster steps, dbt output): {log_path}", file=out)
    for line in live_lines:
        print(line, file=out)
    selection = None if plan is None or plan.selection is None else list(plan.selection)
    tags = {REPOSITORY_TAG: f"{definitions.get_repository_def().name}@{code_location_name()}", **process_tags()}
    for holder in slot_holders(instance):
        print(f"  waiting for the duckdb_writer slot held by run {holder} (`make dev` shows it; it must finish first)",
              file=out)
    with ProgressPrinter(instance, run_id, out) as progress, log_path.open("a") as log, \
            contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config,
                                        asset_selection=selection, run_id=run_id, tags=tags)
    elapsed = time.monotonic() - started
    if was_interrupted(result):
        mark_canceled(instance, run_id)
        print(f"Chokepoint refresh CANCELED after {elapsed:.1f} s (run {run_id}); the serving copy is unchanged "
              "unless the publish had finished", file=out)
        return 130
    print(summarize(result, elapsed, progress, log_path, freshness_line(instance)), file=out)
    for line in quarantine_lines():
        print(line, file=out)
    return 0 if result.success else 1


def code_location_name() -> str:
    """The location name the UI knows this code by: workspace.yaml, which `make dev` loads, is its one home."""
    workspace = yaml.safe_load((PROJECT_ROOT / "workspace.yaml").read_text())
    (entry,) = workspace["load_from"]
    return next(iter(entry.values()))["location_name"]


def _log_path(run_id: str) -> Path:
    folder = warehouse_path().parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"refresh-{stamp}-{run_id[:8]}.log"


def _fetch_live_periods(instance: dg.DagsterInstance, run_config: dict) -> list[str]:
    """CHOKEPOINT_SOURCE=live: first fetch the periods the nightly live schedules would (not landed yet)."""
    from orchestration.defs.live_jobs import run_live_periods
    from orchestration.extract.live.config import source_mode

    if source_mode() != "live":
        return []
    runs = run_live_periods(instance, run_config=run_config)
    lines = [f"  live fetches succeeded: {sum(run.success for run in runs)} of {len(runs)} (one run each)"]
    lines += [f"  FAILED live source {run.source} {run.period} (run of {run.job}): {run.error}; its last good rows "
              "are kept and the refresh builds without it" for run in runs if not run.success]
    return lines


def quarantine_lines() -> list[str]:
    """After the refresh (WGI is fetched inside it): every period held back now, and why."""
    return [f"  QUARANTINED raw.{table} {period} (raw.live_quarantine; staging never sees it): {error[:200]}"
            for table, period, error in _quarantined()]


def recheck_lines(instance: dg.DagsterInstance) -> list[str]:
    """Every refresh (snapshot or live mode): a landed live period that fails its current raw contract is taken out
    of raw and quarantined before dbt reads it (orchestration/refresh/quarantine.py), instead of failing every refresh."""
    from orchestration.refresh.quarantine import announce, recheck_landed

    if not warehouse_path().exists():
        return []
    held = recheck_landed()
    for item in held:
        announce(instance, item.table, item.period, "recheck")
    lines = [f"  QUARANTINED raw.{item.table} {item.period} (landed earlier; {item.rows_removed} rows taken out of raw, "
             f"staging builds without them): {item.error[:200]}" for item in held]
    if held or _quarantined():
        lines.append("  quarantined periods: `make quarantine` lists them; ARGS=\"release|drop <table> <period>\" "
                     "(docs/LIVE_SOURCES.md)")
    return lines


def ensure_dagster_home() -> list[str]:
    """A removed .dagster_home is recreated with the committed instance config (git's copy), not a crash."""
    home = DAGSTER_HOME.get()
    if home is None or (home / "dagster.yaml").exists():
        return []
    home.mkdir(parents=True, exist_ok=True)
    import subprocess

    committed = subprocess.run(["git", "-C", str(PROJECT_ROOT), "show", "HEAD:.dagster_home/dagster.yaml"],
                               capture_output=True, check=False)
    if committed.returncode != 0:
        return [f"  {home} recreated without dagster.yaml (no git copy: {committed.stderr.decode().strip()[:120]}); "
                "Dagster's defaults apply"]
    (home / "dagster.yaml").write_bytes(committed.stdout)
    return [f"  {home} was missing: recreated with the committed dagster.yaml (run history starts afresh)"]


def _quarantined() -> list[tuple[str, str, str]]:
    from orchestration.storage.landing_store import quarantined

    if not warehouse_path().exists():
        return []
    connection = open_duckdb(warehouse_path(), read_only=True)
    try:
        return quarantined(connection)
    finally:
        connection.close()


def summarize(result: dg.ExecuteInProcessResult, elapsed: float, progress: ProgressPrinter, log_path: Path,
              freshness: str) -> str:
    tally = progress.tally
    failed_checks = len(tally.failed_checks)
    lines = [
        f"  {'checks':<13}{'':>8}   {tally.checks - failed_checks} of {tally.checks} passed"
        + (f", {failed_checks} FAILED" if failed_checks else ""),
        *[f"    FAILED check {check}" for check in tally.failed_checks],
        *[f"    FAILED step {failure}" for failure in tally.failures],
        *_quality_line(result),
        freshness,
        f"Chokepoint refresh {'succeeded' if result.success else 'FAILED'} in {elapsed:.1f} s (run {result.run_id})",
    ]
    lines += _warehouse_lines()
    where = [
        ("serving copy for BI (read-only)", serve_dir() / "chokepoint.duckdb"),
        ("Parquet exports", f"{serve_dir() / 'parquet'}/"),
        ("data-quality site (GX)", serve_dir() / "data_docs" / "index.html"),
        ("report", _report_page()),
        ("this run in the Dagster UI", dagster_ui_link(result.run_id)),
        ("full log", log_path),
        ("build warehouse (writers only)", warehouse_path()),
    ]
    lines += ["  open next:", *[f"    {label:<34}{path}" for label, path in where]]
    return "\n".join(lines)


def _quality_line(result: dg.ExecuteInProcessResult) -> list[str]:
    """The Data Docs verdict of this run's publish (GX suites on the served copy), where users look first."""
    from orchestration.defs.publish_assets import SERVING_KEY
    from orchestration.publish.data_docs import quality_summary

    for event in result.get_asset_materialization_events():
        if event.asset_key == SERVING_KEY:
            return [f"  {'quality':<13}{'':>8}   {quality_summary(event.materialization.metadata)}"]
    return []


def _report_page() -> Path:
    pages = sorted(report_dir().glob("*.html"))
    return pages[0] if len(pages) == 1 else report_dir()


def _warehouse_lines() -> list[str]:
    if not warehouse_path().exists():
        return []
    connection = open_duckdb(warehouse_path(), read_only=True)
    try:
        # A first refresh that failed before the marts leaves none: the summary must still print, naming the step.
        statuses = measure_status_lines(connection, MART_SCHEMA) if table_exists(connection, MART_SCHEMA, "export_measures") else []
        return _mart_rows(connection) + statuses
    finally:
        connection.close()


def _mart_rows(connection: duckdb.DuckDBPyConnection) -> list[str]:
    counts = [(table, connection.execute(f'select count(*) from {MART_SCHEMA}."{table}"').fetchone()[0])
              for table in tables_in(connection, MART_SCHEMA)]
    if not counts:
        return []
    # Two per line: the summary has to fit on one screen.
    width = max((len(table) for table, _ in counts), default=0)
    cells = [f"{MART_SCHEMA}.{table:<{width}}{rows:>10,}" for table, rows in counts]
    return ["  rows per mart:"] + ["    " + "   ".join(cells[i:i + 2]) for i in range(0, len(cells), 2)]


def dagster_ui_link(run_id: str) -> str:
    """Where `make dev` will show this run: on the port it was given (CHOKEPOINT_DEV_PORT / DEV_PORT)."""
    port = DEV_PORT.get()
    command = "make dev" if port == DEV_PORT.default else f"make dev DEV_PORT={port}"
    return f"`{command}`, then http://127.0.0.1:{port}/runs/{run_id}"


if __name__ == "__main__":
    sys.exit(main())
