"""The project's Dagster storage (orchestration/storage/dagster_sqlite.py): the committed dagster.yaml selects it,
a run's events land in the instance's own folder, SQLite files are opened once per shard instead of per event, and
the UI's watch of a running run still sees every event although the log is no longer checkpointed on each close."""

import shutil
import threading
import time

import dagster as dg
import pytest

from orchestration.settings import PROJECT_ROOT
from orchestration.storage.dagster_sqlite import OPEN_SHARDS, PooledSqliteEventLogStorage
from tests.conftest import instance_at


@pytest.fixture
def home(tmp_path):
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    return tmp_path


@dg.asset
def numbers():
    return 1


@dg.asset_check(asset=numbers)
def numbers_positive():
    return dg.AssetCheckResult(passed=True)


def _run(instance):
    job = dg.Definitions(assets=[numbers], asset_checks=[numbers_positive]).resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=instance)


def test_the_committed_instance_keeps_its_history_in_its_own_folder(home):
    instance = instance_at(home)
    try:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        run_id = _run(instance).run_id
    finally:
        instance.dispose()
    assert (home / "history" / "runs" / f"{run_id}.db").exists()
    reopened = instance_at(home)
    try:
        assert reopened.get_latest_materialization_event(dg.AssetKey("numbers")).run_id == run_id
        assert reopened.get_run_by_id(run_id).is_success
    finally:
        reopened.dispose()


def test_a_run_opens_each_sqlite_file_once(home, monkeypatch):
    import sqlite3

    opened = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: opened.append(args[0]) or real_connect(*args, **kwargs))
    instance = instance_at(home)
    try:
        _run(instance)
        events = len(instance.all_logs(instance.get_runs(limit=1)[0].run_id))
    finally:
        instance.dispose()
    event_log_files = [path for path in opened if "/history/runs/" in str(path)]
    # Dagster alone opened a file per read and per write: several per event.
    assert events > 10
    assert len(event_log_files) <= 4, event_log_files


def test_the_watch_of_a_running_run_sees_events_before_any_checkpoint(home):
    reader, writer = instance_at(home), instance_at(home)
    run_id = "0" * 8 + "-0000-0000-0000-" + "0" * 12
    seen = []
    arrived = threading.Event()

    def on_event(entry, _cursor):
        seen.append(entry.message)
        arrived.set()

    try:
        writer.report_engine_event("first", job_name="watched", run_id=run_id)  # creates the run's file
        reader.event_log_storage.watch(run_id, None, on_event)
        time.sleep(0.5)  # the observer starts watching
        writer.report_engine_event("second", job_name="watched", run_id=run_id)
        assert arrived.wait(timeout=10), "the watch never fired: the UI would show a running run frozen"
        assert "second" in seen
    finally:
        reader.event_log_storage.end_watch(run_id, on_event)
        reader.dispose()
        writer.dispose()


def test_the_webserver_keeps_a_bounded_number_of_run_files_open(home):
    instance = instance_at(home)
    storage = instance.event_log_storage
    try:
        for number in range(OPEN_SHARDS + 5):
            instance.report_engine_event("hello", job_name="many", run_id=f"{number:08d}-0000-0000-0000-000000000000")
        open_shards = [shard for _pid, shard in storage._engines]
        assert len(open_shards) <= OPEN_SHARDS + 1
    finally:
        instance.dispose()
    assert not storage._engines
