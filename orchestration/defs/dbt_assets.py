"""dbt models as Dagster assets, one ``@dbt_assets`` op per layer.

Splitting by layer (rather than one ``dbt build`` for everything) is what lets the Pandera checks on staging
models block the intermediate and mart builds: a blocking check only stops *downstream steps*, and a single
dbt invocation would already have built the marts by the time a check could run."""


import os
import shutil
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any, Iterator, Mapping

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, warehouse_path
from orchestration.warehouse import WRITER_POOL, open_duckdb

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
LAYER_SELECTIONS = {
    "staging": "resource_type:seed path:models/staging",
    "intermediate": "path:models/intermediate",
    "marts": "path:models/marts",
}


def dbt_executable() -> str:
    """The dbt installed beside this interpreter, so an un-activated venv (make, cron, `dagster dev`) still finds it."""
    sibling = Path(sys.executable).parent / "dbt"
    return str(sibling) if sibling.exists() else "dbt"


def _parse(project: DbtProject) -> None:
    DbtCliResource(project_dir=project, dbt_executable=dbt_executable()).cli(
        ["parse", "--quiet"], target_path=project.target_path
    ).wait()


@cache
def dbt_project() -> DbtProject:
    """One cached project: parsing the manifest is the slowest part of loading the code location.

    Not ``project.prepare_if_dev()``: its preparer runs a bare ``dbt`` from PATH, and a venv that was never
    activated (the Makefile, a fresh clone) has none there, so `dagster dev` failed to load the code location."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    # Under `dagster dev` re-parse on every load so model edits show up; elsewhere only when nothing prepared it.
    if project.preparer.using_dagster_dev() or not project.manifest_path.exists():
        _parse(project)
    return project


class ChokepointTranslator(DagsterDbtTranslator):
    """Keys are [schema, name] so a model's asset key reads like the table BI users query (marts.fct_trade_flows),
    and dbt sources (schema ``raw``) resolve to the raw assets that land them."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return dg.AssetKey([self._schema(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return self._schema(dbt_resource_props)

    @staticmethod
    def _schema(dbt_resource_props: Mapping[str, Any]) -> str:
        return dbt_resource_props["config"].get("schema") or dbt_resource_props["schema"]


TRANSLATOR = ChokepointTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def build_layer(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    # dbt (a subprocess) must write the very file the Python side resolved, whatever its working directory.
    os.environ[WAREHOUSE_ENV] = str(warehouse_path())
    # On a fresh machine dbt can run before any raw asset has created the warehouse folder (seeds need no input).
    warehouse_path().parent.mkdir(parents=True, exist_ok=True)
    # "buildable": a test that also reads a later layer (relationships, singular tests) waits for that layer's
    # step instead of failing here on a table that does not exist yet.
    # Unit tests check SQL logic against fixed inputs, not the data: they run in `make test`
    # (tests/integration/test_dbt_unit_tests.py), not in every refresh.
    invocation = dbt.cli(["build", "--indirect-selection", "buildable", "--exclude-resource-type", "unit_test"], context=context)
    # Collect every event before counting rows: the dbt process holds DuckDB's write lock until it exits.
    events = list(invocation.stream())
    invocation.wait()
    _keep_partial_parse(invocation.target_path)
    keys = {id(event): _asset_key(context, event) for event in events}
    counts = _row_counts([key for key in keys.values() if key is not None])
    for event in events:
        key = keys[id(event)]
        if key in counts:
            event = event.with_metadata({**event.metadata, "dagster/row_count": counts[key]})
        yield event


def _keep_partial_parse(invocation_target: Path) -> None:
    """Hand this invocation's parse state to the next one.

    dagster-dbt seeds each invocation's private target folder from ``dbt_project/target/partial_parse.msgpack``,
    which `make manifest` wrote for the default warehouse path. With another path (tests, the benchmark, a
    deployment) dbt sees a changed profile and re-parses the whole project, about 2 s, in each of the three layers.
    Replacing the seed with a state parsed under the current profile lets the next layers parse partially; it is
    only a cache (dbt re-checks it and re-parses on any mismatch), so replacing it atomically is enough."""
    fresh = invocation_target / PARTIAL_PARSE_FILE
    seed = dbt_project().project_dir / "target" / PARTIAL_PARSE_FILE
    if not fresh.exists() or (seed.exists() and seed.read_bytes() == fresh.read_bytes()):
        return
    staged = seed.with_name(f".{PARTIAL_PARSE_FILE}.{os.getpid()}")
    shutil.copyfile(fresh, staged)
    os.replace(staged, seed)


def _asset_key(context: dg.AssetExecutionContext, event: Any) -> dg.AssetKey | None:
    if isinstance(event, dg.Output):
        return context.asset_key_for_output(event.output_name)
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return None


def _row_counts(keys: list[dg.AssetKey]) -> dict[dg.AssetKey, int]:
    if not keys:
        return {}
    connection = _open_read_only()
    try:
        return {
            key: connection.execute(f'select count(*) from "{key.path[0]}"."{key.path[-1]}"').fetchone()[0]
            for key in keys
        }
    finally:
        connection.close()


def _open_read_only(attempts: int = 10) -> duckdb.DuckDBPyConnection:
    for attempt in range(attempts):
        try:
            return open_duckdb(warehouse_path(), read_only=True)
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def _layer_assets(layer: str) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=dbt_project().manifest_path,
        project=dbt_project(),
        select=LAYER_SELECTIONS[layer],
        name=f"dbt_{layer}",
        dagster_dbt_translator=TRANSLATOR,
        pool=WRITER_POOL,
    )
    def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from build_layer(context, dbt)

    return _build


dbt_staging = _layer_assets("staging")
dbt_intermediate = _layer_assets("intermediate")
dbt_marts = _layer_assets("marts")

defs = dg.Definitions(
    assets=[dbt_staging, dbt_intermediate, dbt_marts],
    resources={"dbt": DbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable())},
)
