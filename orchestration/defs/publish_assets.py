"""Publish: after every mart and its blocking checks succeed, swap in the serving copy BI tools read."""

from pathlib import Path

import dagster as dg

from orchestration.defs.bulk_assets import SOURCE as BULK_SOURCE
from orchestration.defs.dbt_assets import dbt_marts
from orchestration.publish import serving
from orchestration.publish.data_docs import FAILED_KEY, RESULTS_KEY, VALIDATION_RESULTS, build_data_docs
from orchestration.refresh.recheck_scope import scope_since, years_loaded_since
from orchestration.settings import serve_dir, warehouse_path
from orchestration.storage.warehouse import WRITER_POOL, open_duckdb
from orchestration.versioning.code_versions import code_version, lineage_code_version

SERVING_KEY = dg.AssetKey(["serve", "chokepoint"])
FACT = "fct_trade_flows"  # the only mart with the bulk source's tens of millions of rows
GX_CHECK = "great_expectations"


@dg.asset(
    key=SERVING_KEY,
    group_name="serve",
    deps=list(dbt_marts.keys),
    kinds={"duckdb", "parquet", "greatexpectations"},
    code_version=code_version(__name__),
    # A mart rebuilt on its own (one-asset Materialize in the UI) reaches BI users too: the publish follows it
    # (evaluated by the `publish_after_marts` sensor, defs/refresh_job.py). Inside a refresh run it is already selected.
    automation_condition=dg.AutomationCondition.eager(),
    # Not blocking: the copy is already swapped in when GX runs on it; a failure marks it red where users look.
    check_specs=[dg.AssetCheckSpec(GX_CHECK, asset=SERVING_KEY, description=(
        "Every mart's Great Expectations suite (derived from its data contract) on the published serving copy; "
        "the failed expectations are in this check's metadata and in warehouse/serve/data_docs/index.html."))],
    # It only reads the build file, but a reader there would block the next writer: queue with them.
    pool=WRITER_POOL,
    description=(
        "Read-only serving copy for BI tools: warehouse/serve/chokepoint.duckdb (swapped in atomically), "
        "Parquet exports of every mart under warehouse/serve/parquet/, and the Great Expectations Data Docs "
        "under warehouse/serve/data_docs/. Readers never open the build warehouse."
    ),
)
def serving_copy(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    # The code that shaped every mart, as the run loaded it: a delta publish is sound only under the same code.
    code = lineage_code_version(SERVING_KEY)
    target = serve_dir()
    publish_id = serving.new_publish_id()
    candidate, row_counts, bulk_scope, published_from = _candidate(context, target, publish_id, code)
    release = serving.release_dir_for(target, publish_id)
    parquet_files = serving.export_parquet(candidate, release)
    quality = build_data_docs(candidate, release / "data_docs", previous_results=_previous_results(target))
    published = serving.swap_in(candidate, target, release)
    serving.clean_up(target, release)
    if not quality.success:
        context.log.warning(f"Great Expectations: {quality.failed_count} failing expectations; "
                            f"see {target / 'data_docs' / 'index.html'}")
    if quality.reused:
        context.log.info(f"Great Expectations: {len(quality.reused)} of {len(quality.results)} marts unchanged since the "
                         f"last publish (same rows, same suite): their results are reused, not re-run")
    if quality.remote_urls:
        context.log.warning(f"Data Docs pages still load from the internet: {quality.remote_urls}")
    results = {m: f"{p}/{t}" for m, (p, t) in quality.results.items()}
    docs_index = dg.MetadataValue.path(str(target / "data_docs" / "index.html"))
    gx_check = dg.AssetCheckResult(
        check_name=GX_CHECK,
        passed=quality.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "failed_expectations": quality.failed_count,
            FAILED_KEY: dg.MetadataValue.json(quality.failures),
            RESULTS_KEY: dg.MetadataValue.json(results),
            "data_docs": docs_index,
        },
    )
    return dg.MaterializeResult(
        metadata={
            "publish_id": publish_id,
            "serving_copy": dg.MetadataValue.path(str(published)),
            "parquet_dir": dg.MetadataValue.path(str(target / "parquet")),
            "data_docs": docs_index,
            "row_counts": dg.MetadataValue.json(row_counts),
            "parquet_files": len(parquet_files),
            RESULTS_KEY: dg.MetadataValue.json(results),
            "expectations_all_passed": quality.success,
            FAILED_KEY: dg.MetadataValue.json(quality.failures),
            "data_docs_remote_urls": dg.MetadataValue.json(quality.remote_urls),
            "expectations_reused_for": dg.MetadataValue.json(list(quality.reused)),
            **bulk_scope.metadata(),
            "published_from": published_from,
        },
        check_results=[gx_check],
    )


def _previous_results(target: Path) -> Path | None:
    """The validation results of the release now served (``data_docs`` points into it), if any."""
    docs = target / "data_docs"
    return docs.resolve().parent / VALIDATION_RESULTS if docs.is_symlink() else None


def _candidate(context: dg.AssetExecutionContext, target: Path, publish_id: str, code: str):
    """A copy of the previous serving file with only the fact's changed bulk years replaced, when that is sound
    (same code, the file on disk is the last publish, bulk rows loaded since are known); otherwise every mart in full."""
    build = warehouse_path()
    previous = context.instance.get_latest_materialization_event(SERVING_KEY)
    previous_metadata = previous.asset_materialization.metadata if previous and previous.asset_materialization else None
    reader = open_duckdb(build, read_only=True)
    try:
        scope = scope_since(previous_metadata, reader, code)
        years = years_loaded_since(reader, scope.since) if scope.since is not None else None
    finally:
        reader.close()
    served = target / serving.SERVING_FILE
    last_id = previous_metadata.get("publish_id") if previous_metadata else None
    if years is not None and served.exists() and last_id is not None and \
            set(serving.read_publish_ids(served)) == {str(last_id.value)}:
        changed = f"source <> '{BULK_SOURCE}'" + (f" or year in ({', '.join(map(str, years))})" if years else "")
        try:
            candidate, counts = serving.build_candidate_from_previous(served, build, target, publish_id,
                                                                      {FACT: changed})
            return candidate, counts, scope, f"previous copy; {FACT} rows replaced where {changed}"
        except serving.DeltaMismatch as mismatch:
            context.log.warning(f"{mismatch}; publishing every mart in full")
    candidate, counts = serving.build_candidate(build, target, publish_id)
    return candidate, counts, scope, "every mart copied from the build"
