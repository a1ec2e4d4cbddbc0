"""dataweb_drop_sensor: refresh the USITC DataWeb raw table (and what depends on it) when a workbook is dropped.

DataWeb has no API we can call unattended; a person downloads the query as .xlsx and copies it into
CHOKEPOINT_DATAWEB_DROP_DIR (default ``data/dropbox/usitc/``, git-ignored). The sensor hashes every workbook there;
one whose sha256 it has not seen (the cursor) yields a run keyed by that sha256, so the same bytes never trigger
twice, and a changed file (new bytes under the same name) triggers again."""

import json

import dagster as dg

from orchestration.defs.raw_assets import raw_table_asset
from orchestration.extract.dataweb_drop import dropped_workbooks
from orchestration.settings import DATAWEB_DROP_ENV, dataweb_drop_dir

dataweb_drop_refresh = dg.define_asset_job(
    "dataweb_drop_refresh",
    selection=dg.AssetSelection.assets(raw_table_asset("usitc_dataweb")).downstream(),
    description="raw/usitc_dataweb (snapshot + dropped workbooks) and every asset downstream of it.",
    executor_def=dg.in_process_executor,  # DuckDB takes one writer: parallel steps would only queue on the lock
)


@dg.sensor(
    name="dataweb_drop_sensor",
    job=dataweb_drop_refresh,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=f"A new .xlsx (new sha256) in {DATAWEB_DROP_ENV} (default data/dropbox/usitc/) -> one run of "
                "dataweb_drop_refresh, run_key = the workbook's sha256.",
)
def dataweb_drop_sensor(context: dg.SensorEvaluationContext):
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    new = [f for f in dropped_workbooks() if f.sha256 not in seen]
    if not new:
        return dg.SkipReason(f"no new workbook in {dataweb_drop_dir()}")
    for dropped in new:
        context.log.info(f"new DataWeb workbook {dropped.display_name} (sha256 {dropped.sha256})")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=f.sha256, tags={"chokepoint/dropped_workbook": f.path.name, "chokepoint/sha256": f.sha256})
            for f in new
        ],
        cursor=json.dumps(sorted(seen | {f.sha256 for f in new})),
    )
