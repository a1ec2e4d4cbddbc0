"""dbt models as Dagster assets: two ``@dbt_assets`` ops, one on each side of the staging contracts.

Splitting there (rather than one ``dbt build`` for everything) is what lets the Pandera checks on staging models
block the intermediate and mart builds: a blocking check only stops *downstream steps*, and a single dbt invocation
would already have built the marts by the time a check could run. Nothing sits between the intermediate models and
the marts, so they build in one invocation: a third one cost every refresh ~5 s of dbt start-up and parsing."""


import importlib.metadata
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.asset_utils import DAGSTER_DBT_PROJECT_METADATA_KEY
from packaging import version

from orchestration.settings import (
    DBT_FILE_LOG_LEVEL,
    DBT_FILE_LOG_LEVEL_ENV,
    DBT_PROJECT_DIR,
    WAREHOUSE_ENV,
    warehouse_path,
)
from orchestration.storage import dbt_parse_state
from orchestration.storage.dbt_parse_state import PARTIAL_PARSE_FILE
from orchestration.storage.warehouse import WRITER_POOL, open_duckdb
from orchestration.versioning.dbt_versions import dbt_code_version

LAYER_SELECTIONS = {
    "staging": "resource_type:seed path:models/staging",
    # The intermediate models, the marts, the label tables (models/reference) and the report's figure data
    # (models/report): everything downstream of the staging contracts. The publish copies the last three.
    "marts": "path:models/intermediate path:models/marts path:models/reference path:models/report",
}
# dagster-dbt labels a node's run time "Execution Duration", a bare float; the UI shows no unit.
DBT_DURATION_KEY = "Execution Duration"
DURATION_KEY = "Execution Duration (s)"
COLUMN_SCHEMA_KEY = "dagster/column_schema"
# Invocation folders kept per layer (the latest runs' compiled SQL and run_results.json, to debug a failure).
KEPT_INVOCATIONS = 3
# Longer than any one dbt step takes (the slowest, marts at 50M rows, is about 2 minutes).
INVOCATION_SETTLE_SECONDS = 10 * 60


def dbt_executable() -> str:
    """The dbt installed beside this interpreter, so an un-activated venv (make, cron, `dagster dev`) still finds it."""
    sibling = Path(sys.executable).parent / "dbt"
    return str(sibling) if sibling.exists() else "dbt"


class DbtCli(DbtCliResource):
    """dagster-dbt's resource without two costs this project does not use (issue 31: about 2 s per dbt step).

    Before every invocation dagster-dbt opens a dbt-core adapter in this process (profile, project, a read-only
    DuckDB handle) for ``fetch_column_metadata``/``fetch_row_counts``; row counts and column types come from DuckDB's
    catalog after the build here (``_table_facts``). And it asks the executable for its version (``dbt --version``, a
    second interpreter start) only to tell dbt Fusion (2.x, no adapter) from dbt-core: the dbt beside this interpreter
    is the pinned dbt-core. tests/unit/test_definitions.py checks both hooks still exist upstream."""

    def _initialize_dbt_core_adapter(self, args):
        return None

    @property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def _parse(project: DbtProject) -> None:
    """Parse into a private folder, then swap the manifest and parse state into target/ by rename: other processes
    of this checkout (a run's worker, the daemon, another test) may be loading the manifest at that moment, and dbt
    writes it in place, so they could read half a file."""
    # Under the project, as dagster-dbt resolves a relative target path: relative to the working directory, the swap
    # found nothing to swap (dbt wrote under dbt_project/) and left a stray target/ where `dagster dev` was started.
    target = Path(project.project_dir) / project.target_path
    private = target / f".parse-{os.getpid()}"
    private.mkdir(parents=True, exist_ok=True)
    try:
        if (target / PARTIAL_PARSE_FILE).exists():
            shutil.copyfile(target / PARTIAL_PARSE_FILE, private / PARTIAL_PARSE_FILE)
        DbtCli(project_dir=project, dbt_executable=dbt_executable()).cli(
            ["parse", "--quiet"], target_path=private
        ).wait()
        for name in (PARTIAL_PARSE_FILE, "manifest.json"):
            if (private / name).exists():
                os.replace(private / name, target / name)
                if name == PARTIAL_PARSE_FILE:
                    dbt_parse_state.record_origin(target / PARTIAL_PARSE_FILE)
    finally:
        shutil.rmtree(private, ignore_errors=True)


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

    def __init__(self, settings: DagsterDbtTranslatorSettings | None = None):
        super().__init__(settings=settings)
        # dagster-dbt asks for a node's spec about ten times per load (the node's asset, each child's dependencies,
        # each test's check), and a code version reads and hashes files: ~1 s of every code-location load when
        # computed each time. Held per manifest object, so another manifest never meets an old entry.
        self._versions_manifest: Mapping[str, Any] | None = None
        self._code_versions: dict[str, str] = {}

    def _code_version(self, manifest: Mapping[str, Any], unique_id: str) -> str:
        if manifest is not self._versions_manifest:
            self._versions_manifest, self._code_versions = manifest, {}
        if unique_id not in self._code_versions:
            self._code_versions[unique_id] = dbt_code_version(manifest, unique_id, __name__)
        return self._code_versions[unique_id]

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return dg.AssetKey([self._schema(dbt_resource_props), dbt_resource_props["name"]])

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        # dagster-dbt stores the DbtProject object in each asset's metadata, where the UI can only show
        # "[DbtProject] (unserializable)"; the dbt resource knows the project, so nothing reads it from there.
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id in manifest["nodes"]:
            spec = spec.replace_attributes(code_version=self._code_version(manifest, unique_id))
        if DAGSTER_DBT_PROJECT_METADATA_KEY not in spec.metadata:
            return spec
        return spec.replace_attributes(
            metadata={k: v for k, v in spec.metadata.items() if k != DAGSTER_DBT_PROJECT_METADATA_KEY})

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # The UI's asset graph groups by layer, and a layer split into domain folders (models/marts/<domain>/) by
        # domain too: "marts_trade" holds the trade marts. Keys stay <schema>/<model>: BI and SQL see no difference.
        schema = self._schema(dbt_resource_props)
        fqn = dbt_resource_props.get("fqn", [])  # [project, layer folder, (domain folder,) model]
        if dbt_resource_props["resource_type"] == "model" and len(fqn) > 3:
            return f"{schema}_{fqn[2]}"
        return schema

    @staticmethod
    def _schema(dbt_resource_props: Mapping[str, Any]) -> str:
        return dbt_resource_props["config"].get("schema") or dbt_resource_props["schema"]


TRANSLATOR = ChokepointTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def build_layer(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    # dbt (a subprocess) must write the very file the Python side resolved, whatever its working directory.
    os.environ[WAREHOUSE_ENV] = str(warehouse_path())
    # dbt.log at info unless the user sets a level (orchestration/settings.py says what debug cost).
    os.environ.setdefault(DBT_FILE_LOG_LEVEL_ENV, DBT_FILE_LOG_LEVEL)
    # On a fresh machine dbt can run before any raw asset has created the warehouse folder (seeds need no input).
    warehouse_path().parent.mkdir(parents=True, exist_ok=True)
    # "buildable": a test that also reads a later layer (relationships, singular tests) waits for that layer's
    # step instead of failing here on a table that does not exist yet.
    # Unit tests check SQL logic against fixed inputs, not the data: they run in `make test`
    # (tests/integration/test_dbt_unit_tests.py), not in every refresh.
    invocation = dbt.cli(["build", "--indirect-selection", "buildable", "--exclude-resource-type", "unit_test"],
                         context=context, target_path=seeded_target_path(context))
    # Collect every event before counting rows: the dbt process holds DuckDB's write lock until it exits.
    events = list(invocation.stream())
    invocation.wait()
    dbt_parse_state.keep(invocation.target_path)
    prune_invocations(invocation.target_path)
    keys = {id(event): _asset_key(context, event) for event in events}
    facts = _table_facts([key for key in keys.values() if key is not None])
    # dbt's events carry a column schema without the YAML descriptions; the asset definition has them.
    declared = {key: spec.metadata.get(COLUMN_SCHEMA_KEY) for key, spec in context.assets_def.specs_by_key.items()}
    for event in events:
        key = keys[id(event)]
        yield _with_table_metadata(event, facts.get(key), declared.get(key))


def _with_table_metadata(event: Any, facts: "TableFacts | None", declared: Any = None) -> Any:
    """Row count and column types (DuckDB's catalog) on a model's materialization; units on dbt's durations."""
    metadata = getattr(event, "metadata", None)
    if metadata is None or not hasattr(event, "with_metadata"):
        return event
    updated = dict(metadata)
    if DBT_DURATION_KEY in updated:
        seconds = updated.pop(DBT_DURATION_KEY)
        updated[DURATION_KEY] = dg.MetadataValue.float(round(float(getattr(seconds, "value", seconds)), 3))
    if facts is not None:
        updated["dagster/row_count"] = facts.rows
        updated[COLUMN_SCHEMA_KEY] = dg.MetadataValue.table_schema(
            _typed_schema(declared or updated.get(COLUMN_SCHEMA_KEY), facts.columns))
    return event.with_metadata(updated) if updated != dict(metadata) else event


def _typed_schema(declared: Any, columns: list[tuple[str, str]]) -> dg.TableSchema:
    """The table's columns as built, with DuckDB's types and the descriptions declared in the dbt YAML."""
    schema = getattr(declared, "schema", declared)
    descriptions = {column.name: column.description for column in schema.columns} if schema is not None else {}
    return dg.TableSchema(columns=[dg.TableColumn(name=name, type=data_type, description=descriptions.get(name))
                                   for name, data_type in columns])


def seeded_target_path(context: dg.AssetExecutionContext) -> Path:
    """A new invocation folder (dagster-dbt's naming, which ``prune_invocations`` reads) holding the parse state this
    warehouse's dbt step starts from (orchestration/storage/dbt_parse_state.py). dagster-dbt copies the project's
    ``target/partial_parse.msgpack`` only into a folder without one."""
    project = dbt_project()
    folder = (Path(project.project_dir) / project.target_path
              / f"{context.op_execution_context.op.name}-{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}")
    dbt_parse_state.seed(folder)
    return folder


def prune_invocations(current: Path, keep: int = KEPT_INVOCATIONS,
                      settle_seconds: float = INVOCATION_SETTLE_SECONDS) -> list[Path]:
    """Remove all but the newest ``keep`` invocation folders of ``current``'s layer; returns the removed ones.

    dagster-dbt gives every invocation its own folder under target/ (``dbt_marts-<run>-<id>``: compiled SQL, a
    manifest copy, run_results.json; 4-12 MB each) and never removes one: 460 MB after 15 refreshes of one checkout,
    so a nightly refresh would fill its disk. The current folder is the newest, so it is always kept. A folder
    touched within ``settle_seconds`` is kept too: it may belong to a dbt build another process is still running
    (two refreshes on two warehouses share this checkout's target/, as the parallel test suite does), and a
    folder's time is that of its start until dbt writes its results."""
    prefix = current.name.rsplit("-", 2)[0]
    folders = sorted((p for p in current.parent.glob(f"{prefix}-*-*") if p.is_dir()),
                     key=lambda p: p.stat().st_mtime_ns, reverse=True)
    settled_before = time.time_ns() - int(settle_seconds * 1e9)
    removed = [p for p in folders[keep:] if p != current and p.stat().st_mtime_ns < settled_before]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def _asset_key(context: dg.AssetExecutionContext, event: Any) -> dg.AssetKey | None:
    if isinstance(event, dg.Output):
        return context.asset_key_for_output(event.output_name)
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return None


@dataclass(frozen=True)
class TableFacts:
    rows: int
    columns: list[tuple[str, str]]  # (name, DuckDB data type) in table order


def _table_facts(keys: list[dg.AssetKey]) -> dict[dg.AssetKey, TableFacts]:
    if not keys:
        return {}
    connection = _open_read_only()
    try:
        facts = {}
        for key in keys:
            schema, table = key.path[0], key.path[-1]
            rows = connection.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            columns = connection.execute(
                """select column_name, data_type from information_schema.columns
                   where table_catalog = current_database() and table_schema = ? and table_name = ?
                   order by ordinal_position""", [schema, table]).fetchall()
            facts[key] = TableFacts(rows, [(name, data_type) for name, data_type in columns])
        return facts
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
dbt_marts = _layer_assets("marts")

defs = dg.Definitions(
    assets=[dbt_staging, dbt_marts],
    resources={"dbt": DbtCli(project_dir=dbt_project(), dbt_executable=dbt_executable())},
)
