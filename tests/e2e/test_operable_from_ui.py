"""The refresh job is launched through the GraphQL API the UI uses, and the daemon fires the nightly schedule."""

import time
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterRunStatus
from dagster_graphql import DagsterGraphQLClient

pytestmark = pytest.mark.e2e
RUN_TIMEOUT = 300
SCHEDULED_RUNS_QUERY = """
query ScheduledRuns($filter: RunsFilter) {
  runsOrError(filter: $filter) { ... on Runs { results { runId status tags { key value } } } }
}"""


def _publish_id(serve: Path) -> str | None:
    serving = serve / "chokepoint.duckdb"
    if not serving.exists():
        return None
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        return connection.execute("select distinct publish_id from marts.publish_info").fetchall()[0][0]
    finally:
        connection.close()


def _wait_for_run(client: DagsterGraphQLClient, run_id: str) -> DagsterRunStatus:
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id)
        if status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
            return status
        time.sleep(2)
    raise TimeoutError(f"run {run_id} still {status} after {RUN_TIMEOUT}s")


def test_refresh_job_launched_via_graphql_publishes_a_new_serving_copy(dagster_services):
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_services["port"])
    serve = Path(dagster_services["env"]["CHOKEPOINT_SERVE_DIR"])
    before = _publish_id(serve)
    run_id = client.submit_job_execution("refresh_warehouse", repository_location_name="chokepoint")
    assert _wait_for_run(client, run_id) == DagsterRunStatus.SUCCESS, dagster_services["logs"]["daemon"].read_text()[-3000:]
    after = _publish_id(serve)
    assert after is not None and after != before
    connection = duckdb.connect(str(serve / "chokepoint.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(*) from marts.fct_trade_flows").fetchall()[0][0] > 0
    finally:
        connection.close()


def test_daemon_fires_the_nightly_schedule(dagster_services):
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_services["port"])
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        result = client._execute(SCHEDULED_RUNS_QUERY, {"filter": {"tags": [{"key": "dagster/schedule_name", "value": "nightly_refresh"}]}})
        runs = result["runsOrError"]["results"]
        if runs:
            run_id = runs[-1]["runId"]
            assert _wait_for_run(client, run_id) == DagsterRunStatus.SUCCESS
            return
        time.sleep(3)
    pytest.fail("the daemon launched no nightly_refresh run:\n" + dagster_services["logs"]["daemon"].read_text()[-3000:])
