"""When the live fetches run: one job per live asset, the nightly schedules (only periods not landed yet), and
``run_live_periods``, which runs the same requests in-process for ``make run`` in live mode, one run each."""

from datetime import UTC, datetime
from typing import NamedTuple

import dagster as dg

from orchestration import settings
from orchestration.defs.live_assets import census_trade, comtrade_live_monthly, comtrade_live_records, fedreg_documents, usgs_mcs_live
from orchestration.extract.live import config as live_config
from orchestration.refresh.plan import IN_PROGRESS
from orchestration.refresh.recovery import process_tags
from orchestration.storage.landing_store import quarantined_periods

live_census_extract = dg.define_asset_job(
    "live_census_extract", selection=dg.AssetSelection.assets(census_trade), executor_def=dg.in_process_executor,
    description="Fetch Census months (partitioned YYYY-MM). Backfill from the UI; rebuild marts with refresh_warehouse.",
)
live_comtrade_extract = dg.define_asset_job(
    "live_comtrade_extract", selection=dg.AssetSelection.assets(comtrade_live_records), executor_def=dg.in_process_executor,
    description="Fetch Comtrade years (partitioned YYYY). Backfill from the UI; rebuild marts with refresh_warehouse.",
)
live_comtrade_monthly_extract = dg.define_asset_job(
    "live_comtrade_monthly_extract", selection=dg.AssetSelection.assets(comtrade_live_monthly),
    executor_def=dg.in_process_executor,
    description="Fetch Comtrade months (partitioned YYYYMM). Backfill from the UI; rebuild marts with refresh_warehouse.",
)
live_usgs_mcs_extract = dg.define_asset_job(
    "live_usgs_mcs_extract", selection=dg.AssetSelection.assets(usgs_mcs_live), executor_def=dg.in_process_executor,
    description="Fetch MCS editions from ScienceBase (static partitions by edition; live mode only). Launch from the UI.",
)
live_fedreg_extract = dg.define_asset_job(
    "live_fedreg_extract", selection=dg.AssetSelection.assets(fedreg_documents), executor_def=dg.in_process_executor,
    description="Fetch the Federal Register documents (live mode). A failure keeps the last table; the next "
                "refresh_warehouse builds from it.",
)


@dg.schedule(name="live_fedreg_nightly", job=live_fedreg_extract, execution_timezone="UTC",
             cron_schedule=settings.schedule_cron("live_fedreg_nightly"),
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Live mode only: fetch the Federal Register documents before the nightly refresh.")
def live_fedreg_nightly(context: dg.ScheduleEvaluationContext):
    if live_config.source_mode() != "live":
        return dg.SkipReason("CHOKEPOINT_SOURCE is not 'live': the snapshot is the input")
    now = context.scheduled_execution_time or datetime.now(UTC)
    return dg.RunRequest(run_key=f"live_fedreg_nightly:{now:%Y-%m-%d}")


# How many recent periods the nightly run considers, and how many already-landed ones it re-fetches for revisions.
PARTITION_TAG = "dagster/partition"


def periods_to_fetch(instance: dg.DagsterInstance, asset: dg.AssetsDefinition, now: datetime) -> list[str]:
    """Recent periods never landed completely, plus the last CHOKEPOINT_REVISION_LOOKBACK landed ones; never a
    period whose run is still queued or running (a tick while runs wait would otherwise fetch it twice)."""
    table = asset.key.path[-1]
    window = settings.NIGHTLY_WINDOWS[table].get()
    if window <= 0:  # a window of 0 switches the source's schedule off ([-0:] would be every period)
        return []
    recent = asset.partitions_def.get_partition_keys(current_time=now)[-window:]
    landed = instance.get_materialized_partitions(asset.key)
    # A quarantined period counts as not landed: a later good fetch replaces it.
    held = quarantined_periods(table)
    missing = [key for key in recent if key not in landed or key in held]
    lookback = settings.REVISION_LOOKBACK.get()
    revisit = [key for key in recent if key in landed][-lookback:] if lookback else []
    return sorted((set(missing) | set(revisit)) - periods_in_flight(instance, asset))


def periods_in_flight(instance: dg.DagsterInstance, asset: dg.AssetsDefinition) -> set[str]:
    """Partitions of ``asset`` with a run queued or running: from its nightly job, a UI backfill or a manual launch."""
    jobs = {job.name for job, job_asset in LIVE_PERIOD_JOBS if job_asset.key == asset.key}
    runs = instance.get_runs(dg.RunsFilter(statuses=IN_PROGRESS))
    return {run.tags[PARTITION_TAG] for run in runs if PARTITION_TAG in run.tags
            and (run.job_name in jobs or asset.key in (run.asset_selection or ()))}


def _nightly(name: str, job, asset: dg.AssetsDefinition, cron: str) -> dg.ScheduleDefinition:
    @dg.schedule(name=name, job=job, cron_schedule=cron, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.RUNNING,
                 description=f"Live mode only: fetch {asset.key.to_user_string()} periods not landed yet.")
    def _schedule(context: dg.ScheduleEvaluationContext):
        if live_config.source_mode() != "live":
            return dg.SkipReason("CHOKEPOINT_SOURCE is not 'live': the snapshot is the input")
        now = context.scheduled_execution_time or datetime.now(UTC)
        keys = periods_to_fetch(context.instance, asset, now)
        if not keys:
            return dg.SkipReason("every recent period is landed")
        return [dg.RunRequest(run_key=f"{name}:{key}:{now:%Y-%m-%d}", partition_key=key) for key in keys]

    return _schedule


# Before nightly_refresh (03:00 UTC), which rebuilds staging and marts from whatever these landed. Overridable like
# CHOKEPOINT_NIGHTLY_CRON, so a deployment can move them and the end-to-end test can watch the daemon tick them.
live_census_nightly = _nightly("live_census_nightly", live_census_extract, census_trade,
                               settings.schedule_cron("live_census_nightly"))
live_comtrade_nightly = _nightly("live_comtrade_nightly", live_comtrade_extract, comtrade_live_records,
                                 settings.schedule_cron("live_comtrade_nightly"))
live_comtrade_monthly_nightly = _nightly("live_comtrade_monthly_nightly", live_comtrade_monthly_extract,
                                         comtrade_live_monthly, settings.schedule_cron("live_comtrade_monthly_nightly"))

LIVE_PERIOD_JOBS = [(live_census_extract, census_trade), (live_comtrade_extract, comtrade_live_records),
                    (live_comtrade_monthly_extract, comtrade_live_monthly)]

LATEST = "latest"  # the period of an unpartitioned fetch (the Federal Register: everything since a date)


class LiveRun(NamedTuple):
    job: str
    period: str
    success: bool
    source: str = ""
    error: str = ""


def run_live_periods(instance: dg.DagsterInstance, now: datetime | None = None,
                     run_config: dict | None = None) -> list[LiveRun]:
    """What the nightly schedules would request, executed here and now (``make run`` in live mode), one run each.

    A failed run is reported with its error; the others still run, and the refresh that follows builds from what
    has landed."""
    now = now or datetime.now(UTC)
    requests = [(job, asset, key) for job, asset in LIVE_PERIOD_JOBS for key in periods_to_fetch(instance, asset, now)]
    requests.append((live_fedreg_extract, fedreg_documents, None))
    results = []
    for job, asset, key in requests:
        resolved = dg.Definitions(assets=[asset], jobs=[job]).resolve_job_def(job.name)
        result = resolved.execute_in_process(instance=instance, partition_key=key, raise_on_error=False,
                                             run_config=run_config, tags=process_tags())
        results.append(LiveRun(job.name, key or LATEST, result.success, asset.key.to_user_string(),
                               "" if result.success else _first_error(result)))
    return results


def _first_error(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:  # Dagster wraps what the asset raised
                error = error.cause
            message = error.message.strip() if error else event.message or ""
            return message.splitlines()[0][:300] if message else "step failed"
    return "run failed"


defs = dg.Definitions(
    jobs=[live_census_extract, live_comtrade_extract, live_comtrade_monthly_extract, live_usgs_mcs_extract,
          live_fedreg_extract],
    schedules=[live_census_nightly, live_comtrade_nightly, live_comtrade_monthly_nightly, live_fedreg_nightly],
)
