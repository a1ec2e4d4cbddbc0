"""`CHOKEPOINT_SOURCE=live make run` with the Census API down (every request 500), the other sources answering
from real formats on a loopback replay: the run names the broken source, publishes everything else, and exits 0
(a stale source warns; it does not block)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import PROJECT_ROOT
from tests.live.replay_server import demo_environment, demo_replay, serve


@pytest.fixture
def census_down():
    replay = demo_replay(broken=("census",))
    server, url = serve(replay)
    yield replay, url
    server.shutdown()
    server.server_close()


def test_live_make_run_with_census_down_publishes_the_others_and_names_census(golden_copy, census_down):
    """On a warehouse already built from the snapshot (the golden copy and its Dagster home), as a nightly live run
    meets it: the live fetches first, then the planned refresh of what they changed."""
    replay, url = census_down
    home, warehouse = golden_copy.dagster_home, golden_copy.warehouse
    python_dir = os.path.dirname(shutil.which("python3.11") or "/usr/bin/python3.11")
    env = {"HOME": os.environ.get("HOME", str(golden_copy.root)), "PATH": f"/usr/local/bin:/usr/bin:/bin:{python_dir}",
           "CHOKEPOINT_WAREHOUSE": str(warehouse), "CHOKEPOINT_CENSUS_NIGHTLY_WINDOW": "2", **demo_environment(url)}
    done = subprocess.run(["make", "run", f"DAGSTER_HOME={home}"], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]

    # The broken source, by name, once per period asked; the others fetched.
    failed = re.findall(r"^  FAILED live source raw/census_trade (\d{4}-\d{2}) \(run of live_census_extract\): (.*)$", output, re.M)
    assert len(failed) == 2, output
    assert all("500" in error for _, error in failed), failed
    assert re.search(r"^  live fetches succeeded: 4 of 6 \(one run each\)$", output, re.M), output
    assert not re.search(r"FAILED live source raw/(comtrade|fedreg)", output), output
    assert re.search(r"^  checks\s+(\d+) of \1 passed$", output, re.M), output  # WGI fetched: no warning either
    assert re.search(r"^  publish\s+", output, re.M), output
    assert re.search(r"^  freshness\s+census_trade never fetched", output, re.M), output
    assert replay.requests_to("/data/timeseries/intltrade/"), "Census was never asked"
    assert replay.requests_to("/api/v1/documents.json") and replay.requests_to("/v2/country/all/indicator/")

    paths = dict(re.findall(r"^    (\S.*?\S)\s{2,}(/\S+)$", output, re.M))
    serving = Path(paths["serving copy for BI (read-only)"])
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        published = connection.execute("select count(*) from marts.fct_trade_flows").fetchone()[0]
    finally:
        connection.close()
    assert published > 0
    assert _rows(warehouse, "staging.stg_fedreg__documents") > 0  # the Federal Register's live documents, built
    build = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert build.execute("select count(*) from raw.wgi_scores").fetchone()[0] > 0
        tables = {row[0] for row in build.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
    finally:
        build.close()
    assert "census_trade" not in tables or _rows(warehouse, "raw.census_trade") == 0
    assert "comtrade_live_records" in tables
    assert _rows(warehouse, "raw.comtrade_live_records") > 0  # 2023 and 2024 landed (2025: not published yet)


def _rows(warehouse: Path, table: str) -> int:
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        connection.close()
