"""Live-path fixtures: a loopback replay server, and an environment that points every source at it.

Nothing here can reach a real host: every base URL is the replay server's, and the server is loopback-only."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.live.replay_server import Replay, serve

CENSUS_KEY = "census-test-key-7f3a9c"  # must never appear in the warehouse, the landing store or run metadata
# Every source URL the code location knows (incl. World Bank WGI, another live asset) points at the replay.
SOURCES = ("COMTRADE", "CENSUS", "FEDREG", "SCIENCEBASE", "WORLDBANK")


def query_rows(warehouse: Path, sql: str):
    """Rows of a read-only query on the warehouse in folder ``warehouse``, closed at once so the next run can write."""
    connection = duckdb.connect(str(warehouse / "chokepoint.duckdb"), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def step_failures(result) -> str:
    """The error text of every failed step of a materialize result, for an assertion message."""
    return "\n".join(str(e.event_specific_data.error) for e in result.all_events if e.event_type_value == "STEP_FAILURE")


@pytest.fixture
def replay():
    state = Replay()
    server, url = serve(state)
    state.url = url
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_env(tmp_path, monkeypatch, replay):
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "warehouse" / "chokepoint.duckdb"))
    monkeypatch.setenv("CHOKEPOINT_LANDING_DIR", str(tmp_path / "warehouse" / "landing"))
    monkeypatch.setenv("CHOKEPOINT_SOURCE", "live")
    for source in SOURCES:
        monkeypatch.setenv(f"CHOKEPOINT_{source}_URL", replay.url)
        monkeypatch.setenv(f"CHOKEPOINT_{source}_MIN_INTERVAL", "0")
    # Fast but real retries: tiny back-off, short timeout, three attempts.
    monkeypatch.setenv("CHOKEPOINT_HTTP_BASE_DELAY", "0.01")
    monkeypatch.setenv("CHOKEPOINT_HTTP_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("CHOKEPOINT_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("CHOKEPOINT_CENSUS_COMMODITIES", "280530,284690")
    # The snapshot's own Comtrade query (China x 2846), which the replayed snapshot bodies answer; the map defaults
    # are tested on their own (test_comtrade_map_defaults.py).
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_REPORTERS", "156")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_COMMODITIES", "2846")
    monkeypatch.setenv("CHOKEPOINT_CENSUS_KEY", CENSUS_KEY)
    monkeypatch.delenv("CHOKEPOINT_COMTRADE_KEY", raising=False)
    return tmp_path / "warehouse"


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture
def live_golden(live_env, golden_copy, monkeypatch):
    """The live environment on a copy of the golden warehouse: a test's refresh rebuilds only what its fetches changed
    (``planned_refresh``), instead of the whole snapshot again. Returns the warehouse folder, like ``live_env``."""
    folder = golden_copy.warehouse.parent
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(golden_copy.warehouse))
    monkeypatch.setenv("CHOKEPOINT_LANDING_DIR", str(folder / "landing"))
    return folder


@pytest.fixture
def golden_instance(golden_copy):
    """The Dagster instance that recorded the golden build (its copy), so the planner knows what is built."""
    instance = golden_copy.instance()
    yield instance
    instance.dispose()
