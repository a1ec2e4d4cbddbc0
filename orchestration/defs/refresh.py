"""The job that refreshes the whole warehouse, and its nightly schedule."""

from __future__ import annotations

import os

import dagster as dg

# Overridable so the end-to-end test can watch the daemon fire the real schedule within a minute.
NIGHTLY_CRON = os.environ.get("CHOKEPOINT_NIGHTLY_CRON", "0 3 * * *")
# UTC so the run time does not drift with daylight saving; 03:00 UTC is late evening in the Americas.
NIGHTLY_TIMEZONE = "UTC"

refresh_warehouse = dg.define_asset_job(
    name="refresh_warehouse",
    # Partitioned live extracts (tag chokepoint/partitioned) run per period in their own jobs (defs/live_assets.py):
    # one unpartitioned run cannot carry monthly and yearly partitions at once.
    selection=dg.AssetSelection.all() - dg.AssetSelection.tag("chokepoint/partitioned", "true"),
    description="Extract every source, validate, build all dbt models and run every check.",
    # One process, one step at a time: DuckDB takes a single writer, so parallel steps would only queue on the lock.
    executor_def=dg.in_process_executor,
)

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    job=refresh_warehouse,
    cron_schedule=NIGHTLY_CRON,
    execution_timezone=NIGHTLY_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
