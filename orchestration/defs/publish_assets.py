"""Publish: after every mart and its blocking checks succeed, swap in the serving copy BI tools read."""

import dagster as dg

from orchestration.defs.dbt_assets import dbt_marts
from orchestration.publish import serving
from orchestration.publish.data_docs import build_data_docs
from orchestration.refresh_plan import CODE_FINGERPRINT, code_fingerprint
from orchestration.settings import serve_dir, warehouse_path
from orchestration.warehouse import WRITER_POOL

SERVING_KEY = dg.AssetKey(["serve", "chokepoint"])


@dg.asset(
    key=SERVING_KEY,
    group_name="serve",
    deps=list(dbt_marts.keys),
    kinds={"duckdb", "parquet", "greatexpectations"},
    # It only reads the build file, but a reader there would block the next writer: queue with them.
    pool=WRITER_POOL,
    description=(
        "Read-only serving copy for BI tools: warehouse/serve/chokepoint.duckdb (swapped in atomically), "
        "Parquet exports of every mart under warehouse/serve/parquet/, and the Great Expectations Data Docs "
        "under warehouse/serve/data_docs/. Readers never open the build warehouse."
    ),
)
def serving_copy(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    code = code_fingerprint()  # lets the nightly planner see that marts were built by this code (refresh_plan.py)
    target = serve_dir()
    publish_id = serving.new_publish_id()
    candidate, row_counts = serving.build_candidate(warehouse_path(), target, publish_id)
    release = serving.release_dir_for(target, publish_id)
    parquet_files = serving.export_parquet(candidate, release)
    quality = build_data_docs(candidate, release / "data_docs")
    published = serving.swap_in(candidate, target, release)
    serving.clean_up(target, release)
    if not quality.success:
        context.log.warning(f"Great Expectations found failing expectations; see {target / 'data_docs' / 'index.html'}")
    return dg.MaterializeResult(
        metadata={
            "publish_id": publish_id,
            "serving_copy": dg.MetadataValue.path(str(published)),
            "parquet_dir": dg.MetadataValue.path(str(target / "parquet")),
            "data_docs": dg.MetadataValue.path(str(target / "data_docs" / "index.html")),
            "row_counts": dg.MetadataValue.json(row_counts),
            "parquet_files": len(parquet_files),
            "expectations": dg.MetadataValue.json({m: f"{p}/{t}" for m, (p, t) in quality.results.items()}),
            "expectations_all_passed": quality.success,
            CODE_FINGERPRINT: code,
        }
    )
