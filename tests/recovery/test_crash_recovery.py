"""Crash recovery: a run whose process was killed is failed, its pool slot freed, and the next run starts at once;
SIGTERM cancels a run cleanly. Each test runs tests/recovery/sleeper.py (one asset in the duckdb_writer pool)."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest

from orchestration.refresh.recovery import recover, remove_publish_leftovers, slot_holders
from orchestration.settings import PROJECT_ROOT

SLEEPER = "tests.recovery.sleeper"


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "dagster_home"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", folder / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(folder))
    return folder


def _start(home: Path, flag: Path, seconds: float) -> tuple[subprocess.Popen, str]:
    run_id = str(uuid.uuid4())
    process = subprocess.Popen([sys.executable, "-m", SLEEPER, str(flag), str(seconds), run_id], cwd=PROJECT_ROOT,
                               env={**os.environ, "DAGSTER_HOME": str(home)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert process.poll() is None, "sleeper exited before its step started"
        assert time.monotonic() < deadline, "sleeper's step never started"
        time.sleep(0.2)
    return process, run_id


def test_sigkilled_run_is_failed_its_slot_freed_and_the_next_run_completes(home, tmp_path):
    process, dead_run = _start(home, tmp_path / "first", 60)
    process.send_signal(signal.SIGKILL)
    process.wait()
    with dg.DagsterInstance.get() as instance:
        assert instance.get_run_by_id(dead_run).status == dg.DagsterRunStatus.STARTED
        assert slot_holders(instance) == [dead_run]
        recovery = recover(instance)
        assert recovery.failed_runs == [dead_run]
        assert recovery.freed_slots == 1
        assert any(dead_run in line for line in recovery.lines())
        assert instance.get_run_by_id(dead_run).status == dg.DagsterRunStatus.FAILURE
        assert slot_holders(instance) == []
        assert recover(instance).failed_runs == []  # nothing left to recover the second time
    started = time.monotonic()
    second = subprocess.run([sys.executable, "-m", SLEEPER, str(tmp_path / "second"), "0", str(uuid.uuid4())],
                            cwd=PROJECT_ROOT, env={**os.environ, "DAGSTER_HOME": str(home)}, timeout=120)
    assert second.returncode == 0
    assert time.monotonic() - started < 60


def test_a_live_run_is_left_alone(home, tmp_path):
    process, run_id = _start(home, tmp_path / "flag", 60)
    try:
        with dg.DagsterInstance.get() as instance:
            assert recover(instance).failed_runs == []
            assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
            assert slot_holders(instance) == [run_id]
    finally:
        process.kill()
        process.wait()


def test_sigterm_cancels_the_run_and_frees_its_slot(home, tmp_path):
    process, run_id = _start(home, tmp_path / "flag", 60)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 130
    with dg.DagsterInstance.get() as instance:
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.CANCELED
        assert slot_holders(instance) == []


def test_leftovers_of_a_killed_publish_are_removed_and_served_releases_kept(tmp_path):
    serve = tmp_path / "serve"
    releases = serve / "releases"
    old, served, partial = (releases / name for name in ("20261201T010000Z-a", "20261201T020000Z-b", "20261201T030000Z-c"))
    for release in (old, served, partial):
        (release / "parquet").mkdir(parents=True)
        (release / "data_docs").mkdir()
    (serve / "parquet").symlink_to(os.path.relpath(served / "parquet", serve))
    (serve / "data_docs").symlink_to(os.path.relpath(served / "data_docs", serve))
    candidate = serve / ".tmp-20261201T030000Z-c.duckdb"
    candidate.write_bytes(b"half a file")
    (serve / "chokepoint.duckdb").write_bytes(b"served")
    removed = remove_publish_leftovers(serve)
    assert sorted(removed) == sorted([candidate, partial])
    assert old.exists() and served.exists() and not partial.exists() and not candidate.exists()
    assert (serve / "chokepoint.duckdb").read_bytes() == b"served"
