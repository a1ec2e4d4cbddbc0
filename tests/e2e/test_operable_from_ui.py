"""The refresh job is launched through the GraphQL API the UI uses, and the daemon fires the nightly schedule,
which refreshes only what changed."""

import time
from pathlib import Path

import duckdb
from dagster import DagsterRunStatus
from dagster_graphql import DagsterGraphQLClient

from bench import generate
from tests.e2e.conftest import wait_until

RUN_TIMEOUT = 600  # a full refresh on a 2-core machine, with room for a loaded one
SCHEDULED_RUNS_QUERY = """
query ScheduledRuns($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    ... on Runs { results { runId status creationTime tags { key value } assetSelection { path } } }
  }
}"""
TICKS_QUERY = """
query Ticks($selector: ScheduleSelector!) {
  scheduleOrError(scheduleSelector: $selector) {
    ... on Schedule { scheduleState { ticks(limit: 20) { tickId status timestamp skipReason runIds } } }
  }
}"""
NIGHTLY = {"repositoryLocationName": "chokepoint", "repositoryName": "__repository__", "scheduleName": "nightly_refresh"}


def _publish_id(serve: Path) -> str | None:
    serving = serve / "chokepoint.duckdb"
    if not serving.exists():
        return None
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        return connection.execute("select distinct publish_id from marts.publish_info").fetchall()[0][0]
    finally:
        connection.close()


def _non_bulk_fact_rows(serve: Path) -> int:
    connection = duckdb.connect(str(serve / "chokepoint.duckdb"), read_only=True)
    try:
        return connection.execute("select count(*) from marts.fct_trade_flows where source <> 'bulk_trade'").fetchall()[0][0]
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


# Once the warehouse is built (test_browser.py's "Materialize all" ran first), one mart, the publish and the report it
# feeds: a dbt step and a new serving copy through the run launcher the UI uses, without a second full build (issue 31),
# and nothing left stale for the nightly test that follows (a report older than its serving copy would be).
ONE_MART_AND_THE_PUBLISH = [["marts", "supply_risk"], ["serve", "chokepoint"], ["report", "chokepoint_report"]]


def test_refresh_job_launched_via_graphql_publishes_a_new_serving_copy(dagster_services):
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_services["port"])
    serve = Path(dagster_services["env"]["CHOKEPOINT_SERVE_DIR"])
    before = _publish_id(serve)
    selection = None if before is None else ONE_MART_AND_THE_PUBLISH
    run_id = client.submit_job_execution("refresh_warehouse", repository_location_name="chokepoint",
                                         asset_selection=selection)
    assert _wait_for_run(client, run_id) == DagsterRunStatus.SUCCESS, dagster_services["logs"]["daemon"].read_text()[-3000:]
    after = _publish_id(serve)
    assert after is not None and after != before
    connection = duckdb.connect(str(serve / "chokepoint.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(*) from marts.fct_trade_flows").fetchall()[0][0] > 0
    finally:
        connection.close()


def _scheduled_runs(client: DagsterGraphQLClient) -> list[dict]:
    result = client._execute(SCHEDULED_RUNS_QUERY, {"filter": {"tags": [{"key": "dagster/schedule_name", "value": "nightly_refresh"}]}})
    return result["runsOrError"]["results"]


def _refresh_in_progress(client: DagsterGraphQLClient) -> bool:
    result = client._execute(SCHEDULED_RUNS_QUERY, {"filter": {"pipelineName": "refresh_warehouse",
                                                               "statuses": ["QUEUED", "NOT_STARTED", "STARTING", "STARTED"]}})
    return bool(result["runsOrError"]["results"])


def _ticks_since(client: DagsterGraphQLClient, since: float) -> list[dict]:
    result = client._execute(TICKS_QUERY, {"selector": NIGHTLY})
    return [t for t in result["scheduleOrError"]["scheduleState"]["ticks"] if t["timestamp"] > since]


def _wait(condition, what: str, services: dict, timeout: float = RUN_TIMEOUT):
    return wait_until(condition, what, timeout, lambda: services["logs"]["daemon"].read_text()[-3000:])


def test_nightly_schedule_skips_when_nothing_changed_and_refreshes_only_what_did(dagster_services):
    """The daemon ticks the real schedule every minute here (cron overridden). With the warehouse built and no input
    changed, a tick launches nothing; after a new bulk file lands, the next tick launches a run of that source and its
    downstream only, which publishes its rows."""
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_services["port"])
    serve = Path(dagster_services["env"]["CHOKEPOINT_SERVE_DIR"])
    bulk = Path(dagster_services["env"]["CHOKEPOINT_BULK_TRADE_DIR"])
    if _publish_id(serve) is None:  # run alone: build once, as the earlier tests would have
        test_refresh_job_launched_via_graphql_publishes_a_new_serving_copy(dagster_services)
    _wait(lambda: not _refresh_in_progress(client), "refresh runs still going", dagster_services)

    quiet_since = time.time()
    skipped = _wait(lambda: [t for t in _ticks_since(client, quiet_since) if t["status"] == "SKIPPED"],
                    "no skipped tick", dagster_services, timeout=150)
    assert "nothing changed" in skipped[0]["skipReason"], skipped[0]
    assert not [r for r in _scheduled_runs(client) if r["creationTime"] > quiet_since]

    before = _publish_id(serve)
    other_rows_before = _non_bulk_fact_rows(serve)
    dropped_at = time.time()
    generate.write_year(bulk, 2024, rows=2_000, seed=7)  # SYNTHETIC rows, labelled so in the file's metadata
    (run,) = _wait(lambda: [r for r in _scheduled_runs(client) if r["creationTime"] > dropped_at],
                   "the daemon launched no run for the new file", dagster_services, timeout=150)
    assert {"key": "chokepoint/plan", "value": "changed"} in run["tags"]
    selected = {"/".join(key["path"]) for key in run["assetSelection"]}
    assert {"raw/bulk_trade_flows", "staging/stg_cepii__trade_flows", "marts/fct_trade_flows", "serve/chokepoint"} <= selected
    assert not selected & {"raw/usitc_dataweb", "raw/comtrade_records", "staging/stg_usitc__trade", "marts/net_import_reliance"}
    assert _wait_for_run(client, run["runId"]) == DagsterRunStatus.SUCCESS

    assert _publish_id(serve) != before
    connection = duckdb.connect(str(serve / "chokepoint.duckdb"), read_only=True)
    try:
        bulk_rows = connection.execute("select count(*) from marts.fct_trade_flows where source = 'bulk_trade'").fetchall()[0][0]
        other_rows = connection.execute("select count(*) from marts.fct_trade_flows where source <> 'bulk_trade'").fetchall()[0][0]
    finally:
        connection.close()
    assert 0 < bulk_rows <= 2_000
    assert other_rows == other_rows_before > 0  # the sources that did not change kept their rows
