"""The job that refreshes the whole warehouse, and its nightly schedule (which rebuilds only what changed)."""

import dagster as dg

from orchestration.defs.report_assets import REPORT_KEY, SERVING_KEY
from orchestration.refresh.plan import REFRESH_JOB, plan_refresh, refresh_in_progress
from orchestration.refresh.recovery import recover
from orchestration.settings import schedule_cron

# UTC so the run time does not drift with daylight saving; 03:00 UTC is late evening in the Americas.
NIGHTLY_TIMEZONE = "UTC"
PLAN_TAG = "chokepoint/plan"

refresh_warehouse = dg.define_asset_job(
    name=REFRESH_JOB,
    # Partitioned live extracts (tag chokepoint/partitioned) run per period in their own jobs (defs/live_jobs.py):
    # one unpartitioned run cannot carry monthly and yearly partitions at once.
    # Unpartitioned live fetches (tag chokepoint/own_run) too: a bad response must fail only its own run.
    selection=dg.AssetSelection.all() - dg.AssetSelection.tag("chokepoint/partitioned", "true")
    - dg.AssetSelection.tag("chokepoint/own_run", "true"),
    description="Extract every source, validate, build all dbt models and run every check.",
    # One process, one step at a time: DuckDB takes a single writer, so parallel steps would only queue on the lock.
    executor_def=dg.in_process_executor,
)


# Dagster's own sensor for the publish's automation condition, on by default (the generated default sensor starts
# off, and a serving copy left stale after a one-asset Materialize is what users of `make dev` would hit).
publish_after_marts = dg.AutomationConditionSensorDefinition(
    "publish_after_marts",
    target=dg.AssetSelection.assets(SERVING_KEY, REPORT_KEY),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Publishes the serving copy after any mart is rebuilt outside a refresh run, then redraws the report.",
)

def _recheck_landed_periods(context: dg.ScheduleEvaluationContext) -> None:
    """A landed live period that fails its current raw contract is quarantined before the night's dbt reads it."""
    import duckdb

    from orchestration.refresh.quarantine import announce, recheck_landed
    from orchestration.settings import warehouse_path

    if not warehouse_path().exists():
        return
    try:
        held = recheck_landed()
    except duckdb.Error as error:  # a live fetch still writing: its own contract check ran at fetch time
        context.log.warning(f"landed live periods not checked again this tick: {error}")
        return
    for item in held:
        announce(context.instance, item.table, item.period, "recheck")
        context.log.warning(f"QUARANTINED raw.{item.table} {item.period}: {item.error[:300]}")


@dg.schedule(
    name="nightly_refresh",
    job=refresh_warehouse,
    # Overridable so the end-to-end test can watch the daemon fire the real schedule within a minute.
    cron_schedule=schedule_cron("nightly_refresh"),
    execution_timezone=NIGHTLY_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night: the assets whose inputs changed since they were built, and everything downstream "
                "(the whole job after a code change or a failed run); no run when nothing changed.",
)
def nightly_refresh(context: dg.ScheduleEvaluationContext):
    # A `make run` killed with -9 leaves its run STARTED: without this the night would skip behind it forever.
    for line in recover(context.instance).lines():
        context.log.warning(line.strip())
    running = refresh_in_progress(context.instance)
    if running:
        # Queuing behind it would rebuild what that run is about to build.
        return dg.SkipReason(f"refresh run {running} is still queued or running")
    _recheck_landed_periods(context)
    plan = plan_refresh(context.instance, context.repository_def)
    context.log.info(plan.describe())
    if plan.nothing_to_do:
        return dg.SkipReason(plan.describe())
    return dg.RunRequest(
        asset_selection=None if plan.selection is None else sorted(plan.selection, key=lambda k: k.to_user_string()),
        tags={PLAN_TAG: "full" if plan.selection is None else "changed"},
    )
