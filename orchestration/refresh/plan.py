"""What a refresh has to rebuild: only the assets whose input or code changed since they were last built, and
everything downstream of them.

The nightly schedule and ``make run`` ask this planner first. Rebuilding the whole warehouse when nothing changed
costs a minute of dbt and a republish for identical marts; a no-change night should cost seconds.

The facts come from Dagster: each asset's code version (versioning/code_versions.py for Python assets,
versioning/dbt_versions.py for dbt models) against the one its latest materialization recorded
(``get_latest_materialization_code_versions``), and each raw asset's data version (the fingerprint of the input it
declares, versioning/inputs.py) against the one it recorded.
The UI reads the same facts (an asset is "Unsynced: code version changed"). Why a planner rather than automation
conditions evaluated by `make run`: the README ("Schedule and what a refresh rebuilds") measures both.

An asset of the refresh job is a *root* of the plan when
* it was never materialized;
* its code version differs from the one its latest materialization recorded;
* it is a raw asset whose input fingerprint differs from the data version it recorded, or whose input cannot be
  known without fetching (live APIs: always refetched);
* one of its parents (in or outside the job: a live partition, a dropped DataWeb workbook's run) was materialized
  after it.
The whole job runs when the build warehouse is missing or when the last refresh run did not succeed (a blocking check
that failed must run again before anything builds on that table)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.settings import serve_dir, warehouse_path
from orchestration.versioning.inputs import INPUT_TAG, INPUTS

REFRESH_JOB = "refresh_warehouse"
PUBLISH_KEY = dg.AssetKey(["serve", "chokepoint"])
# The tag Dagster writes on a materialization that returned a DataVersion (docs: "Asset versioning and caching").
DATA_VERSION_TAG = "dagster/data_version"
MAX_REASONS_SHOWN = 6
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


def declared_inputs(repository: dg.RepositoryDefinition) -> dict[dg.AssetKey, str]:
    """Raw asset -> the input it declares (tag ``chokepoint/input``)."""
    graph = repository.asset_graph
    return {key: graph.get(key).tags[INPUT_TAG] for key in graph.get_all_asset_keys()
            if INPUT_TAG in graph.get(key).tags}


@dataclass(frozen=True)
class RefreshPlan:
    """``selection`` None = the whole job; empty = nothing to do."""

    selection: frozenset[dg.AssetKey] | None
    reasons: tuple[str, ...] = field(default=())

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


def _data_version(record: "dg.EventLogRecord | None") -> str | None:
    if record is None or record.asset_materialization is None:
        return None
    return record.asset_materialization.tags.get(DATA_VERSION_TAG)


def plan_refresh(instance: dg.DagsterInstance, repository: dg.RepositoryDefinition,
                 fingerprints: Mapping[str, Callable[[], str | None]] = INPUTS,
                 warehouse: Path | None = None) -> RefreshPlan:
    job = repository.get_job(REFRESH_JOB)
    graph = repository.asset_graph
    job_keys = set(job.asset_layer.executable_asset_keys)
    warehouse = warehouse or warehouse_path()
    if not warehouse.exists():
        return RefreshPlan(None, (f"no build warehouse at {warehouse}",))
    last_runs = instance.get_runs(filters=dg.RunsFilter(job_name=REFRESH_JOB, statuses=[
        dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]), limit=1)
    if last_runs and last_runs[0].status != dg.DagsterRunStatus.SUCCESS:
        return RefreshPlan(None, (f"last refresh run {last_runs[0].run_id[:8]} ended {last_runs[0].status.value}",))

    relevant = job_keys | {parent for key in job_keys for parent in graph.get(key).parent_keys}
    latest = {record.asset_entry.asset_key: record.asset_entry.last_materialization_record
              for record in instance.get_asset_records(list(relevant))
              if record.asset_entry.last_materialization_record is not None}
    built_with = instance.get_latest_materialization_code_versions(sorted(job_keys, key=str))
    inputs = declared_inputs(repository)
    now = {name: fingerprints[name]() for name in {inputs[key] for key in job_keys if key in inputs}}

    roots: dict[dg.AssetKey, str] = {}
    for key in sorted(job_keys, key=lambda k: k.to_user_string()):
        entry = latest.get(key)
        if entry is None:
            roots[key] = "never materialized"
            continue
        defined = graph.get(key).code_version
        if defined is not None and built_with.get(key) != defined:
            roots[key] = f"code version changed ({built_with.get(key)} -> {defined})"
            continue
        if key in inputs:
            fingerprint = now[inputs[key]]
            if fingerprint is None:
                roots[key] = "live source: refetched every refresh"
                continue
            if fingerprint != _data_version(entry):
                roots[key] = f"input {inputs[key]} changed"
                continue
        newer = [p for p in graph.get(key).parent_keys if latest.get(p) is not None and latest[p].storage_id > entry.storage_id]
        if newer:
            roots[key] = "newer upstream " + ", ".join(p.to_user_string() for p in sorted(newer, key=str))
    if PUBLISH_KEY in job_keys and PUBLISH_KEY not in roots and not (serve_dir() / "chokepoint.duckdb").exists():
        roots[PUBLISH_KEY] = "serving copy missing"
    selection = _with_downstream(roots, graph, job_keys)
    reasons = tuple(f"{key.to_user_string()}: {why}" for key, why in roots.items())
    return RefreshPlan(frozenset(selection), reasons)


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
