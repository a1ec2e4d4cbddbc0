"""Validate the serving copy with Great Expectations and write its Data Docs site.

GX 1.x's SQL path fails on DuckDB (see docs/SERVING.md), so each mart is read over a read-only connection into a
DataFrame and validated on GX's pandas path. Marts are small; a mart too large for memory would be sampled here."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.warehouse import open_duckdb

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network calls home from CI or offline machines

SITE_NAME = "local_site"
# Above this many rows a mart is validated on a seeded reservoir sample: a 50M-row fct_trade_flows would not fit
# in a pandas DataFrame. Full-table rules are enforced in DuckDB anyway (dbt tests, Pandera ibis contracts).
MAX_ROWS_ENV = "CHOKEPOINT_GX_MAX_ROWS"
DEFAULT_MAX_ROWS = 250_000


@dataclass(frozen=True)
class QualityReport:
    site_index: Path
    results: dict[str, tuple[int, int]]  # mart -> (expectations passed, expectations evaluated)

    @property
    def success(self) -> bool:
        return all(passed == total for passed, total in self.results.values())


def build_data_docs(serving_copy: Path, out_dir: Path, suites: dict[str, list] | None = None) -> QualityReport:
    # Imported here, suites included (they are GX objects): GX takes ~2 s to import and only publishing needs it,
    # while every process that loads the code location (webserver, daemon, `make run`, a no-change tick) would pay.
    import great_expectations as gx

    from data_contracts.quality_suites import SUITES

    suites = SUITES if suites is None else suites

    with tempfile.TemporaryDirectory(prefix="gx-") as project_root:
        context = gx.get_context(mode="file", project_root_dir=project_root)
        context.variables.progress_bars = {"globally": False}
        source = context.data_sources.add_pandas("marts")
        results = {}
        connection = open_duckdb(serving_copy, read_only=True)
        try:
            for mart, expectations in suites.items():
                frame = _read_mart(connection, mart)
                batch = source.add_dataframe_asset(name=mart).add_batch_definition_whole_dataframe("published")
                suite = context.suites.add(gx.ExpectationSuite(name=f"marts.{mart}"))
                for expectation in expectations:
                    suite.add_expectation(expectation.copy())
                validation = context.validation_definitions.add(gx.ValidationDefinition(name=f"validate_{mart}", data=batch, suite=suite))
                checkpoint = context.checkpoints.add(gx.Checkpoint(
                    name=f"publish_{mart}", validation_definitions=[validation],
                    actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
                ))
                outcome = checkpoint.run(batch_parameters={"dataframe": frame})
                checks = [r for run in outcome.run_results.values() for r in run.results]
                results[mart] = (sum(1 for r in checks if r.success), len(checks))
        finally:
            connection.close()
        site = Path(project_root) / "gx" / "uncommitted" / "data_docs" / SITE_NAME
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(site, out_dir)
    return QualityReport(out_dir / "index.html", results)


def _read_mart(connection: duckdb.DuckDBPyConnection, mart: str):
    limit = int(os.environ.get(MAX_ROWS_ENV, DEFAULT_MAX_ROWS))
    rows = connection.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
    if rows <= limit:
        return connection.execute(f'select * from marts."{mart}"').df()
    return connection.execute(f'select * from marts."{mart}" using sample reservoir({limit} rows) repeatable (42)').df()
