"""Crash recovery: find runs whose process is gone, mark them failed, free their pool slots, remove their leftovers.

A run killed with ``kill -9`` (an OOM kill, a reboot) never writes its own failure: it stays STARTED and keeps its
``duckdb_writer`` slot, and every later step in that pool would wait for a slot nobody will ever free. Dagster's run
monitoring does this check for runs launched by the daemon, but ``make run`` executes in its own process with no
daemon, so each run it starts carries its pid and host in tags and the next ``make run`` (or nightly tick) checks
them first. Only public Dagster APIs: ``instance.get_runs``, ``report_run_failed``, ``report_run_canceled`` and the
event log's concurrency-slot calls."""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.storage.warehouse import WRITER_POOL

PID_TAG = "chokepoint/pid"
HOST_TAG = "chokepoint/host"
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def process_tags() -> dict[str, str]:
    """Tags that let a later process tell whether this run's process still exists."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def run_is_orphaned(run: dg.DagsterRun) -> bool:
    """True when the run was started by a process on this host that no longer exists (or is this very process,
    which cannot be running it: a new `make run` reusing a dead run's pid)."""
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    if pid is None or host != socket.gethostname():
        return False  # launched by the daemon or the UI: Dagster's run monitoring owns it
    return int(pid) == os.getpid() or not _process_alive(int(pid))


@dataclass
class Recovery:
    failed_runs: list[str] = field(default_factory=list)
    freed_slots: int = 0
    removed: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"  recovered: run {run_id} (process gone) marked FAILED" for run_id in self.failed_runs]
        if self.freed_slots:
            lines.append(f"  recovered: {self.freed_slots} {WRITER_POOL} slot(s) freed")
        lines += [f"  recovered: removed leftover {path}" for path in self.removed]
        return lines


def recover(instance: dg.DagsterInstance, serve_dir: Path | None = None) -> Recovery:
    """Fail every orphaned run, free the slots it held, and (when no run is left in progress) clean the serve dir."""
    recovery = Recovery()
    for run in instance.get_runs(dg.RunsFilter(statuses=IN_PROGRESS)):
        if not run_is_orphaned(run):
            continue
        held = _slots_held(instance, run.run_id)
        instance.report_run_failed(run, message=f"process {run.tags[PID_TAG]} on {run.tags[HOST_TAG]} is gone "
                                                "(killed, out of memory or rebooted): marked failed by crash recovery")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        recovery.failed_runs.append(run.run_id)
        recovery.freed_slots += held
    if serve_dir is not None and not instance.get_runs(dg.RunsFilter(statuses=IN_PROGRESS), limit=1):
        recovery.removed = remove_publish_leftovers(serve_dir)
    return recovery


def _slots_held(instance: dg.DagsterInstance, run_id: str) -> int:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits or WRITER_POOL not in storage.get_concurrency_keys():
        return 0
    return sum(slot.run_id == run_id for slot in storage.get_concurrency_info(WRITER_POOL).claimed_slots)


def slot_holders(instance: dg.DagsterInstance, exclude_run: str | None = None) -> list[str]:
    """Runs holding a ``duckdb_writer`` slot: what a refresh about to start would wait for."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits or WRITER_POOL not in storage.get_concurrency_keys():
        return []
    return sorted({slot.run_id for slot in storage.get_concurrency_info(WRITER_POOL).claimed_slots
                   if slot.run_id != exclude_run})


def remove_publish_leftovers(serve_dir: Path) -> list[Path]:
    """A publish killed before its swap leaves a ``.tmp-*`` candidate and a release folder nothing points at that is
    newer than the one served; older releases stay (readers may still hold them; the publish prunes those)."""
    removed: list[Path] = []
    if not serve_dir.is_dir():
        return removed
    for stale in serve_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
        removed.append(stale)
    releases = serve_dir / "releases"
    served = {(serve_dir / link).resolve().parent for link in ("parquet", "data_docs") if (serve_dir / link).is_symlink()}
    if releases.is_dir() and served:
        newest_served = max(path.name for path in served)
        for release in releases.iterdir():
            if release.is_dir() and release not in served and release.name > newest_served:
                shutil.rmtree(release, ignore_errors=True)
                removed.append(release)
    return removed


INTERRUPTED_ERROR = "DagsterExecutionInterruptedError"


def was_interrupted(result: dg.ExecuteInProcessResult) -> bool:
    """Dagster turns SIGINT and SIGTERM inside a step into this error; with no termination request on record it
    reports the run as a failure, which would read as broken code or data."""
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        if error is not None and (error.cls_name == INTERRUPTED_ERROR
                                  or any(c.cls_name == INTERRUPTED_ERROR for c in _causes(error))):
            return True
    return False


def _causes(error):
    while getattr(error, "cause", None) is not None:
        error = error.cause
        yield error


def mark_canceled(instance: dg.DagsterInstance, run_id: str) -> None:
    """After SIGTERM / Ctrl-C: record the run as CANCELED (what the user asked for) and free whatever it held."""
    run = instance.get_run_by_id(run_id)
    if run is not None and run.status != dg.DagsterRunStatus.CANCELED:
        instance.report_run_canceled(run, message="stopped by SIGTERM / Ctrl-C")
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
