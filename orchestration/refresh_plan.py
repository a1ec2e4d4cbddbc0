"""What a refresh has to rebuild: only the assets whose inputs changed since they were last built, and everything
downstream of them.

The nightly schedule and ``make run`` ask this planner first. Rebuilding the whole warehouse when nothing changed
costs a minute of dbt and a republish for identical marts; a no-change night should cost seconds.

An asset of the refresh job is a *root* of the plan when
* it is a raw asset whose input fingerprint (the bytes or file listing it reads) differs from the one recorded on
  its latest materialization, or whose input cannot be known without fetching (live APIs: always refetched);
* it was never materialized;
* one of its parents (in or outside the job: a live partition, a dropped DataWeb workbook's run) was materialized
  after it.
The whole job runs when the code (dbt project, contracts, orchestration) differs from what the last publish was built
with, when the build warehouse is missing, or when the last refresh run did not succeed (a blocking check that
failed must run again before anything builds on that table)."""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.extract.live.config import source_mode
from orchestration.settings import PROJECT_ROOT, bulk_dir, dataweb_drop_dir, register_path, serve_dir, snapshot_dir, warehouse_path

REFRESH_JOB = "refresh_warehouse"
INPUT_FINGERPRINT = "input_fingerprint"
CODE_FINGERPRINT = "code_fingerprint"
# The code a run builds with, fixed when it starts: set by the planner's launchers (the plan compared exactly this),
# else taken by the RUN_CODE resource before the run's first step (defs/run_code.py).
CODE_TAG = "chokepoint/code_fingerprint"
RUN_CODE = "run_code"
PUBLISH_KEY = dg.AssetKey(["serve", "chokepoint"])
SNAPSHOT_MODE = "snapshot-mode"
MAX_REASONS_SHOWN = 6
# Files whose content decides what the marts (and the serving copy) contain, besides the data: a change here
# rebuilds and re-validates everything, so the set is what loads, shapes or validates rows: the dbt project, the
# contracts, and the orchestration modules that extract and land raw tables (extract/, defs/*_assets.py, warehouse.py,
# settings.py with its request defaults), run dbt (defs/dbt_assets.py), run the contracts (validation.py,
# recheck_scope.py, defs/contract_checks.py) and build the serving copy (defs/publish_assets.py, publish/serving.py).
# Every orchestration module counts unless CODE_EXCLUDED says why it cannot change a row: a new module is code by
# default, so forgetting to list one costs a rebuild, never a stale mart.
CODE_GLOBS = ("dbt_project/models/**/*", "dbt_project/seeds/**/*", "dbt_project/macros/**/*", "dbt_project/tests/**/*",
              "dbt_project/dbt_project.yml", "dbt_project/profiles.yml", "data_contracts/**/*.py", "orchestration/**/*.py")
CODE_EXCLUDED = (
    # Presentation of marts already built: the HTML report and the Great Expectations site over the serving copy
    # (its verdict is a non-blocking check; the expectations come from data_contracts/, which counts). After editing
    # these, `make run FULL=1` or a Materialize of the report in the UI re-renders them.
    "orchestration/report/**/*.py", "orchestration/defs/report_assets.py", "orchestration/publish/data_docs.py",
    "orchestration/publish/offline_site.py",
    # What `make run` prints: progress lines, the measures summary, freshness lines.
    "orchestration/make_run.py", "orchestration/refresh_progress.py", "orchestration/measure_status_lines.py",
    "orchestration/freshness.py",
    # When and how runs start, not what they write: this planner, crash recovery, the job, schedule, sensors,
    # executor and the code location's loader.
    "orchestration/refresh_plan.py", "orchestration/defs/run_code.py", "orchestration/recovery.py", "orchestration/defs/refresh_job.py",
    "orchestration/defs/executor.py", "orchestration/defs/usitc_dropbox.py", "orchestration/definitions.py",
    # The Spark engine builds its own copy outside the refresh job (docs/SPARK.md).
    "orchestration/spark_build.py", "orchestration/spark_engine.py",
)
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


def _digest(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _file_contents(paths: Iterable[Path], root: Path) -> list[str | bytes]:
    parts: list[str | bytes] = []
    for path in sorted(p for p in paths if p.is_file()):
        parts += [str(path.relative_to(root)), path.read_bytes()]
    return parts


def _listing(folder: Path | None, pattern: str) -> list[str]:
    """Name, size and mtime: what the bulk loader itself uses to spot changed files, without reading 50M rows."""
    if folder is None or not folder.is_dir():
        return ["<none>"]
    return [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob(pattern)) if p.is_file()]


def snapshot_fingerprint() -> str:
    root = snapshot_dir()
    return _digest(["snapshot", *_file_contents(root.rglob("*"), root)])


def usitc_fingerprint() -> str:
    return _digest([snapshot_fingerprint(), *_listing(dataweb_drop_dir(), "*.xlsx")])


def register_fingerprint() -> str:
    path = register_path()
    return _digest(["register", path.read_bytes() if path.exists() else b"<missing>"])


def bulk_fingerprint() -> str:
    folder = bulk_dir()
    return _digest(["bulk", str(folder), *_listing(folder, "**/*.parquet"), *_listing(folder, "**/BACI_*.csv")])


def live_only_fingerprint() -> str | None:
    """Snapshot mode writes the same empty table every time; a live API can only be known by fetching it."""
    return None if source_mode() == "live" else SNAPSHOT_MODE


# Every root of the refresh job that is not a dbt seed (those are code), with what it reads; one missing here would be
# loaded once and never again (tests/unit/test_definitions.py fails naming it). Live fetches that run in their own runs
# (raw/fedreg_documents, the partitioned extracts) are not in the job: their children follow them as newer upstreams.
RAW_INPUTS: dict[dg.AssetKey, Callable[[], str | None]] = {
    dg.AssetKey(["raw", "usitc_dataweb"]): usitc_fingerprint,
    dg.AssetKey(["raw", "comtrade_records"]): snapshot_fingerprint,
    dg.AssetKey(["raw", "usgs_mcs2026"]): snapshot_fingerprint,
    dg.AssetKey(["raw", "usgs_mcs2025_rare_earths"]): snapshot_fingerprint,
    dg.AssetKey(["raw", "usgs_mcs2025_import_sources"]): snapshot_fingerprint,
    dg.AssetKey(["raw", "wgi_snapshot"]): snapshot_fingerprint,
    dg.AssetKey(["raw", "export_measures"]): register_fingerprint,
    dg.AssetKey(["raw", "export_measure_parts"]): register_fingerprint,
    dg.AssetKey(["raw", "export_measure_codes"]): register_fingerprint,
    dg.AssetKey(["raw", "export_measure_links"]): register_fingerprint,
    dg.AssetKey(["raw", "bulk_trade_flows"]): bulk_fingerprint,
    dg.AssetKey(["raw", "baci_trade_flows"]): snapshot_fingerprint,
    dg.AssetKey(["raw", "wgi_scores"]): live_only_fingerprint,
}


def input_fingerprint(key: dg.AssetKey) -> str | None:
    """What a raw asset records on its materialization, computed *before* it reads its input."""
    compute = RAW_INPUTS.get(key)
    return compute() if compute else None


def code_files(root: Path = PROJECT_ROOT) -> set[Path]:
    excluded = {p for pattern in CODE_EXCLUDED for p in root.glob(pattern)}
    return {p for pattern in CODE_GLOBS for p in root.glob(pattern) if "__pycache__" not in p.parts} - excluded


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    paths = code_files(root)
    return _digest(["code", *_file_contents(paths, root)])


@dg.resource(description="The code fingerprint this run builds with, fixed at run start (refresh_plan.CODE_TAG).")
def run_code(context: dg.InitResourceContext) -> str:
    """What the publish records as the code its marts were built with. Read when the publish finished, a file edited
    during the run would be recorded as built, and the next plan would skip the rebuild it needs. The in-process
    executor (defs/executor.py) builds resources once, before the first step."""
    tagged = context.run.tags.get(CODE_TAG) if context.run is not None else None
    return tagged or code_fingerprint()


@dataclass(frozen=True)
class RefreshPlan:
    """``selection`` None = the whole job; empty = nothing to do. ``code``: the fingerprint the plan compared, what
    the run it launches must record (``CODE_TAG``)."""

    selection: frozenset[dg.AssetKey] | None
    reasons: tuple[str, ...] = field(default=())
    code: str | None = None

    @property
    def run_tags(self) -> dict[str, str]:
        return {CODE_TAG: self.code} if self.code else {}

    @property
    def nothing_to_do(self) -> bool:
        return self.selection is not None and not self.selection

    def describe(self) -> str:
        if self.selection is None:
            scope = "full refresh"
        elif not self.selection:
            scope = "nothing changed"
        else:
            scope = f"{len(self.selection)} assets"
        shown = list(self.reasons[:MAX_REASONS_SHOWN]) or ["no input changed since the last build"]
        if len(self.reasons) > MAX_REASONS_SHOWN:
            shown.append(f"and {len(self.reasons) - MAX_REASONS_SHOWN} more")
        return f"{scope}: " + "; ".join(shown)


def _metadata_value(record: "dg.EventLogRecord | None", name: str) -> str | None:
    if record is None or record.asset_materialization is None:
        return None
    value = record.asset_materialization.metadata.get(name)
    return None if value is None else str(value.value)


def plan_refresh(instance: dg.DagsterInstance, repository: dg.RepositoryDefinition,
                 raw_inputs: Mapping[dg.AssetKey, Callable[[], str | None]] = RAW_INPUTS,
                 current_code: Callable[[], str] = code_fingerprint, warehouse: Path | None = None) -> RefreshPlan:
    job = repository.get_job(REFRESH_JOB)
    graph = repository.asset_graph
    job_keys = set(job.asset_layer.executable_asset_keys)
    warehouse = warehouse or warehouse_path()
    code = current_code()
    if not warehouse.exists():
        return RefreshPlan(None, (f"no build warehouse at {warehouse}",), code)
    last_runs = instance.get_runs(filters=dg.RunsFilter(job_name=REFRESH_JOB, statuses=[
        dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]), limit=1)
    if last_runs and last_runs[0].status != dg.DagsterRunStatus.SUCCESS:
        return RefreshPlan(None, (f"last refresh run {last_runs[0].run_id[:8]} ended {last_runs[0].status.value}",),
                           code)

    relevant = job_keys | {parent for key in job_keys for parent in graph.get(key).parent_keys}
    latest = {record.asset_entry.asset_key: record.asset_entry.last_materialization_record
              for record in instance.get_asset_records(list(relevant))
              if record.asset_entry.last_materialization_record is not None}
    if PUBLISH_KEY in job_keys and _metadata_value(latest.get(PUBLISH_KEY), CODE_FINGERPRINT) != code:
        return RefreshPlan(None, ("code changed since the last publish (or never published)",), code)

    roots: dict[dg.AssetKey, str] = {}
    for key in sorted(job_keys, key=lambda k: k.to_user_string()):
        entry = latest.get(key)
        if entry is None:
            roots[key] = "never materialized"
            continue
        if key in raw_inputs:
            now = raw_inputs[key]()
            if now is None:
                roots[key] = "live source: refetched every refresh"
                continue
            if now != _metadata_value(entry, INPUT_FINGERPRINT):
                roots[key] = "input changed"
                continue
        newer = [p for p in graph.get(key).parent_keys if latest.get(p) is not None and latest[p].storage_id > entry.storage_id]
        if newer:
            roots[key] = "newer upstream " + ", ".join(p.to_user_string() for p in sorted(newer, key=str))
    if PUBLISH_KEY in job_keys and PUBLISH_KEY not in roots and not (serve_dir() / "chokepoint.duckdb").exists():
        roots[PUBLISH_KEY] = "serving copy missing"
    selection = _with_downstream(roots, graph, job_keys)
    reasons = tuple(f"{key.to_user_string()}: {why}" for key, why in roots.items())
    return RefreshPlan(frozenset(selection), reasons, code)


def _with_downstream(roots: Iterable[dg.AssetKey], graph, job_keys: set[dg.AssetKey]) -> set[dg.AssetKey]:
    selected, frontier = set(roots), list(roots)
    while frontier:
        for child in graph.get(frontier.pop()).child_keys:
            if child in job_keys and child not in selected:
                selected.add(child)
                frontier.append(child)
    return selected


def refresh_in_progress(instance: dg.DagsterInstance) -> str | None:
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=REFRESH_JOB, statuses=IN_PROGRESS), limit=1)
    return runs[0].run_id if runs else None
