"""The live path from the Dagster UI, as a person uses it: in Chromium, open raw/census_trade, click "Materialize…",
type a range of months, click "Launch backfill"; the daemon runs one run per month against the loopback replay
server, and the months land in the warehouse. Then the same backfill call, re-launched through the webserver's
GraphQL API, is idempotent for a landed month, and a month whose source keeps failing fails alone. Last, the
schedules are switched on: the daemon fetches the newest month and the nightly refresh publishes it in the marts.

Its own webserver + daemon (own DAGSTER_HOME, warehouse, landing store, port): the snapshot `dagster_services`
processes would share the single-writer DuckDB file and run in snapshot mode."""

import itertools
import json
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dagster_graphql import DagsterGraphQLClient

from tests.e2e.conftest import dagster_processes, wait_until
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, dismiss_newsletter_dialog
from tests.live.conftest import SOURCES
from tests.live.replay_server import Replay, load_fedreg_pages, serve

ASSET = ["raw", "census_trade"]
# Two months keep the backfill within two daemon ticks (runs go one at a time); the replay also publishes the
# months around them, so fetching or landing more than the selection would show.
MONTHS = ["2024-01", "2024-02"]
PUBLISHED = ["2023-12", *MONTHS, "2024-03"]
RERUN_MONTH = "2024-02"
OUTAGE_MONTH = "2024-03"
COMMODITIES = ["280530", "284690"]
FLOWS = ["imports", "exports"]
COUNTRIES = 7  # rows in every replayed Census response (incl. the total and one grouping)
REQUESTS_PER_MONTH = len(FLOWS) * len(COMMODITIES)
ROWS_PER_MONTH = REQUESTS_PER_MONTH * COUNTRIES
MAX_ATTEMPTS = 3
# Distinct from tests/live's key so a hit here can only come from this module's processes.
CENSUS_KEY = "census-ui-backfill-key-5d21e8c4"
CENSUS_PATH = "/data/timeseries/intltrade/"
# The backfill daemon wakes every 30 s: a backfill needs one tick to submit its runs and one more to see them done.
BACKFILL_TIMEOUT = 240
# The schedules test waits up to twice SCHEDULE_TIMEOUT; pytest-timeout's 900 s default would cut it short.
pytestmark = pytest.mark.timeout(1800)
TERMINAL = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}

BACKFILL_QUERY = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      id status partitionNames assetSelection { path } error { message }
      assetBackfillData { assetBackfillStatuses { ... on AssetPartitionsStatusCounts {
        assetKey { path } numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed } } }
      runs { runId status tags { key value } }
    }
    ... on PythonError { message }
  }
}"""
# The UI's own mutation (dagster-webserver's LaunchPartitionBackfill), minus the fragments it does not need here.
LAUNCH_BACKFILL = """
mutation LaunchPartitionBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on PartitionKeysNotFoundError { message }
  }
}"""
MATERIALIZATIONS_QUERY = """
query Materializations($partitions: [String!]) {
  assetOrError(assetKey: {path: ["raw", "census_trade"]}) {
    ... on Asset { assetMaterializations(partitions: $partitions) { partition runId
      metadataEntries { label ... on JsonMetadataEntry { jsonString } ... on IntMetadataEntry { intValue }
                        ... on TextMetadataEntry { text } } } }
  }
}"""
RUN_FAILURE_QUERY = """
query RunErrors($runId: ID!) {
  logsForRun(runId: $runId) { ... on EventConnection { events { __typename
    ... on ExecutionStepFailureEvent { error { message causes { message } } } } } }
}"""
SCHEDULES_QUERY = """
query { repositoriesOrError { ... on RepositoryConnection { nodes { schedules { name scheduleState { id } } } } } }"""
DAEMONS_QUERY = """
query { instance { daemonHealth { allDaemonStatuses { daemonType healthy lastHeartbeatErrors { message } } } } }"""
# What a backfill needs: the backfill daemon submits its runs, the run queue launches them. The others play no part
# here, and a single error in a daemon's last heartbeat reports it unhealthy for minutes.
NEEDED_DAEMONS = {"BACKFILL", "QUEUED_RUN_COORDINATOR"}
DAEMON_STARTUP = 90
STOP_SCHEDULE = """
mutation Stop($id: String) { stopRunningSchedule(id: $id) {
  __typename ... on ScheduleStateResult { scheduleState { status } } ... on PythonError { message } } }"""


def _stop_schedules(port: int) -> None:
    """Stop every schedule before the daemon first runs: live_census_nightly (02:00 UTC) or nightly_refresh
    firing mid-test would request other months and hold the single run slot (max_concurrent_runs: 1)."""
    client = DagsterGraphQLClient("127.0.0.1", port_number=port)
    (repository,) = client._execute(SCHEDULES_QUERY)["repositoriesOrError"]["nodes"]
    assert repository["schedules"], "the code location defines no schedule: did it fail to load?"
    for schedule in repository["schedules"]:
        result = client._execute(STOP_SCHEDULE, {"id": schedule["scheduleState"]["id"]})["stopRunningSchedule"]
        assert result.get("scheduleState", {}).get("status") == "STOPPED", (schedule["name"], result)


def _wait_for_daemons(client: DagsterGraphQLClient, logs: dict) -> None:
    """Until the daemon's first heartbeats: before them the UI warns "The backfill daemon is not running"."""
    deadline = time.monotonic() + DAEMON_STARTUP
    while time.monotonic() < deadline:
        statuses = [s for s in client._execute(DAEMONS_QUERY)["instance"]["daemonHealth"]["allDaemonStatuses"]
                    if s["daemonType"] in NEEDED_DAEMONS]
        if len(statuses) == len(NEEDED_DAEMONS) and all(s["healthy"] for s in statuses):
            return
        time.sleep(1)
    pytest.fail(f"daemons not healthy after {DAEMON_STARTUP}s: {statuses}\n{logs['daemon'].read_text()[-3000:]}")


@pytest.fixture(scope="module")
def live_ui(golden, tmp_path_factory):
    """Replay server (a thread in this process) + webserver + daemon in live mode pointed at it, on a warehouse and
    instance already built from the snapshot (a copy of the golden build): the nightly refresh of the last test
    rebuilds what the new month changed, as it would on a deployment that has run before."""
    assert golden.result.success, "the golden build failed: tests/integration/test_pipeline.py names why"
    replay = Replay()
    server, url = serve(replay)
    replay.url = url
    replay.publish_census(*PUBLISHED)
    root = tmp_path_factory.mktemp("dagster_live_backfill")
    warehouse = golden.copy_to(root).warehouse.parent
    (root / "dropbox").mkdir()
    env = {
        "CHOKEPOINT_SOURCE": "live",
        "CHOKEPOINT_WAREHOUSE": str(warehouse / "chokepoint.duckdb"),
        "CHOKEPOINT_SERVE_DIR": str(warehouse / "serve"),
        "CHOKEPOINT_LANDING_DIR": str(warehouse / "landing"),
        # An empty drop folder: a workbook left in data/dropbox/ would make the sensor queue a long refresh run.
        "CHOKEPOINT_DATAWEB_DROP_DIR": str(root / "dropbox"),
        # Fast but real retries, as in tests/live: tiny back-off, short timeout, three attempts.
        "CHOKEPOINT_HTTP_BASE_DELAY": "0.01",
        "CHOKEPOINT_HTTP_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "CHOKEPOINT_HTTP_TIMEOUT": "2",
        "CHOKEPOINT_CENSUS_COMMODITIES": ",".join(COMMODITIES),
        "CHOKEPOINT_CENSUS_FLOWS": ",".join(FLOWS),
        "CHOKEPOINT_CENSUS_KEY": CENSUS_KEY,
        # The schedules start stopped (see _stop_schedules); once the last test switches them on, the daemon ticks them
        # every minute instead of nightly, and the live one looks back over the two latest complete months only.
        "CHOKEPOINT_LIVE_CENSUS_NIGHTLY_CRON": "* * * * *",
        "CHOKEPOINT_NIGHTLY_CRON": "* * * * *",
        "CHOKEPOINT_CENSUS_NIGHTLY_WINDOW": "2",
        "CHOKEPOINT_COMTRADE_KEY": None,
        **{f"CHOKEPOINT_{source}_URL": url for source in SOURCES},
        **{f"CHOKEPOINT_{source}_MIN_INTERVAL": "0" for source in SOURCES},
    }
    try:
        with dagster_processes(root, env, before_daemon=_stop_schedules) as services:
            client = DagsterGraphQLClient("127.0.0.1", port_number=services["port"])
            _wait_for_daemons(client, services["logs"])
            yield {**services, "replay": replay, "warehouse": warehouse, "client": client,
                   "home": Path(services["env"]["DAGSTER_HOME"])}
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- helpers

def _log_tails(live_ui) -> str:
    return "\n".join(f"--- {name} log tail:\n{path.read_text()[-3000:]}" for name, path in live_ui["logs"].items())


def _backfill(client: DagsterGraphQLClient, backfill_id: str) -> dict:
    result = client._execute(BACKFILL_QUERY, {"id": backfill_id})["partitionBackfillOrError"]
    assert result["__typename"] == "PartitionBackfill", result
    return result


def _wait_for_backfill(live_ui, backfill_id: str) -> dict:
    deadline = time.monotonic() + BACKFILL_TIMEOUT
    backfill = _backfill(live_ui["client"], backfill_id)
    while backfill["status"] not in TERMINAL:
        if time.monotonic() > deadline:
            pytest.fail(f"backfill {backfill_id} still {backfill['status']} after {BACKFILL_TIMEOUT}s: "
                        f"{json.dumps(backfill)}\n{_log_tails(live_ui)}")
        time.sleep(2)
        backfill = _backfill(live_ui["client"], backfill_id)
    return backfill


def _runs_by_partition(backfill: dict) -> dict[str, dict]:
    runs = {}
    for run in backfill["runs"]:
        tags = {tag["key"]: tag["value"] for tag in run["tags"]}
        assert tags.get("dagster/backfill") == backfill["id"], run
        assert tags["dagster/partition"] not in runs, f"two runs for {tags['dagster/partition']}: {backfill['runs']}"
        runs[tags["dagster/partition"]] = run
    return runs


def _query(warehouse: Path, sql: str) -> list[tuple]:
    """Read-only and closed at once: DuckDB takes one writer, and a reader left open would block the next run."""
    connection = duckdb.connect(str(warehouse / "chokepoint.duckdb"), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _census_requests(replay: Replay, start: int = 0) -> list[tuple[str, str, str]]:
    """(flow, HS6 code, month) of every Census request the replay received, in order."""
    requests = []
    for entry in replay.log[start:]:
        assert entry.path.startswith(CENSUS_PATH), f"a request to another source: {entry.path} {entry.query}"
        flow = entry.path.split("/")[4]
        requests.append((flow, entry.query["I_COMMODITY" if flow == "imports" else "E_COMMODITY"], entry.query["time"]))
    return requests


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""  # a SQLite journal the daemon's heartbeat removed meanwhile: its content is in the database


def _assert_key_nowhere(live_ui) -> None:
    """The key travelled (the replay saw it) but nothing kept it: not the warehouse (bytes, and every text column
    since DuckDB may compress strings), the landing store, DAGSTER_HOME (run and event-log storage, compute logs)
    or the webserver/daemon logs."""
    sent = [entry.query.get("key") for entry in live_ui["replay"].log]
    assert sent and set(sent) == {CENSUS_KEY}, "the key was not sent with every request: this check would prove nothing"
    needle = CENSUS_KEY.encode()
    places = [live_ui["warehouse"], live_ui["home"], *live_ui["logs"].values()]
    files = [p for place in places for p in ([place] if place.is_file() else place.rglob("*")) if p.is_file()]
    assert any(p.name == "chokepoint.duckdb" for p in files) and len(files) > 10, files
    leaked = [str(p) for p in files if needle in _bytes(p)]
    assert not leaked, f"the Census key was written to {leaked}"
    columns = _query(live_ui["warehouse"], """select table_schema, table_name, column_name from information_schema.columns
        where data_type = 'VARCHAR' and table_schema not in ('information_schema', 'pg_catalog')""")
    assert columns
    hits = [c for c in columns if _query(live_ui["warehouse"],
            f"""select count(*) from "{c[0]}"."{c[1]}" where contains("{c[2]}", '{CENSUS_KEY}')""")[0][0]]
    assert not hits, f"the Census key is stored in {hits}"


def _materializations(client: DagsterGraphQLClient, partitions: list[str]) -> list[dict]:
    return client._execute(MATERIALIZATIONS_QUERY, {"partitions": partitions})["assetOrError"]["assetMaterializations"]


def _is_backfill_launch(response) -> bool:
    return "/graphql" in response.url and "LaunchPartitionBackfill" in (response.request.post_data or "")


def _screenshot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"live_backfill_{name}.png"), full_page=True)


# ---------------------------------------------------------------- the click

@pytest.fixture(scope="module")
def ui_backfill(live_ui):
    """A person backfills MONTHS of raw/census_trade from the asset page; returns what the UI sent and got,
    the finished backfill, and the replay's requests at that point (later tests add more)."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{live_ui['port']}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        try:
            page.goto(f"{base}/assets/{'/'.join(ASSET)}", wait_until="domcontentloaded")
            # A partitioned asset's button opens the partition dialog (an unpartitioned one would launch at once).
            materialize = page.get_by_role("button", name="Materialize…")
            materialize.wait_for(state="visible", timeout=60_000)
            dismiss_newsletter_dialog(page)
            _screenshot(page, "1_asset_page")
            materialize.click()
            dialog = page.get_by_role("dialog").filter(has_text="Launch runs to materialize raw / census_trade")
            dialog.wait_for(timeout=30_000)
            # The "Custom" selection's text field takes keys and ranges, as its placeholder shows.
            field = dialog.get_by_placeholder("ex: ", exact=False)
            field.fill(f"[{MONTHS[0]}...{MONTHS[-1]}]")
            field.press("Enter")
            dialog.get_by_text(f"{len(MONTHS)} partitions", exact=True).wait_for(timeout=10_000)
            _screenshot(page, "2_partition_dialog")
            assert dialog.get_by_text("daemon is not running", exact=False).count() == 0
            # The UI's own call, kept so the API test below can repeat it.
            with page.expect_response(_is_backfill_launch) as sent:
                dialog.get_by_role("button", name="Launch backfill").click()
            request = json.loads(sent.value.request.post_data)
            reply = sent.value.json()["data"]["launchPartitionBackfill"]
            assert "backfillId" in reply, reply
            page.get_by_text(f"Created backfill {reply['backfillId']}").wait_for(timeout=30_000)
            _screenshot(page, "3_backfill_created")
            backfill = _wait_for_backfill(live_ui, reply["backfillId"])
            # What a person checks afterwards: the backfill's page, then the asset's partitions.
            page.goto(f"{base}/runs/b/{reply['backfillId']}", wait_until="domcontentloaded")
            page.get_by_text("Succeeded", exact=True).filter(visible=True).first.wait_for(timeout=30_000)
            _screenshot(page, "4_backfill_page")
            page.goto(f"{base}/assets/{'/'.join(ASSET)}?view=partitions", wait_until="domcontentloaded")
            page.get_by_text(f"Materialized ({len(MONTHS)})", exact=True).wait_for(timeout=30_000)
            _screenshot(page, "5_partitions_after")
        except Exception as error:
            _screenshot(page, "failure")
            raise AssertionError(f"UI step failed at {page.url} (screenshot live_backfill_failure.png): {error}\n"
                                 f"{_log_tails(live_ui)}") from error
        finally:
            browser.close()
    return {"params": request["variables"]["backfillParams"], "backfill": backfill,
            "requests": _census_requests(live_ui["replay"])}


def test_backfilling_census_months_from_the_ui_lands_exactly_those_months(live_ui, ui_backfill):
    backfill, params = ui_backfill["backfill"], ui_backfill["params"]
    # The dialog asked for this asset and these months (the typed range, expanded), and nothing else.
    assert params["assetSelection"] == [{"path": ASSET}] and sorted(params["partitionNames"]) == MONTHS, params
    assert backfill["assetSelection"] == [{"path": ASSET}], params
    assert sorted(backfill["partitionNames"]) == MONTHS, params
    assert backfill["status"] == "COMPLETED_SUCCESS", f"{json.dumps(backfill)}\n{_log_tails(live_ui)}"
    (counts,) = backfill["assetBackfillData"]["assetBackfillStatuses"]
    assert (counts["numPartitionsTargeted"], counts["numPartitionsMaterialized"], counts["numPartitionsFailed"]) == \
        (len(MONTHS), len(MONTHS), 0)
    runs = _runs_by_partition(backfill)
    assert sorted(runs) == MONTHS and {run["status"] for run in runs.values()} == {"SUCCESS"}, backfill["runs"]

    # One materialization per month, by that month's backfill run, reporting what it fetched.
    materializations = _materializations(live_ui["client"], MONTHS)
    assert sorted(m["partition"] for m in materializations) == MONTHS
    for materialization in materializations:
        assert materialization["runId"] == runs[materialization["partition"]]["runId"]
        metadata = {e["label"]: e.get("intValue", e.get("text", e.get("jsonString")))
                    for e in materialization["metadataEntries"]}
        assert (metadata["period"], metadata["requests"], metadata["rows"]) == \
            (materialization["partition"], REQUESTS_PER_MONTH, ROWS_PER_MONTH)
        responses = json.loads(metadata["responses"])
        assert [r["status"] for r in responses] == [200] * REQUESTS_PER_MONTH
        assert all(r["url"].startswith(live_ui["replay"].url) and "key=" not in r["url"] for r in responses), responses

    # The replay saw each (flow, code, month) of the selected months exactly once, and no other month or source.
    requests = ui_backfill["requests"]
    assert sorted(requests) == sorted(itertools.product(FLOWS, COMMODITIES, MONTHS))

    # The warehouse holds these months, and only these (read after the runs: DuckDB takes one writer).
    assert dict(_query(live_ui["warehouse"], "select time, count(*) from raw.census_trade group by 1")) == \
        {month: ROWS_PER_MONTH for month in MONTHS}
    assert sorted(_query(live_ui["warehouse"], "select period, status, count(*) from raw.census_responses group by all")) == \
        [(month, 200, REQUESTS_PER_MONTH) for month in MONTHS]
    _assert_key_nowhere(live_ui)


def _census_rows(warehouse: Path, month: str) -> list[tuple]:
    return sorted(_query(warehouse, f"""select _request_key, _source_sha256, flow, CTY_CODE, COMMODITY, GEN_VAL_MO,
        ALL_VAL_MO, _retrieved_at from raw.census_trade where time = '{month}'"""))


def test_relaunching_a_landed_month_is_idempotent_and_an_outage_fails_only_its_month(live_ui, ui_backfill):
    replay, warehouse, client = live_ui["replay"], live_ui["warehouse"], live_ui["client"]
    before = _census_rows(warehouse, RERUN_MONTH)
    others_before = {month: _census_rows(warehouse, month) for month in MONTHS if month != RERUN_MONTH}
    assert len(before) == ROWS_PER_MONTH
    replay.census_outage[OUTAGE_MONTH] = 500  # published, but every request for it fails from now on
    first_request = len(replay.log)

    # The call the dialog made, with other months: same asset selection, same shape.
    params = {**ui_backfill["params"], "partitionNames": [RERUN_MONTH, OUTAGE_MONTH]}
    reply = client._execute(LAUNCH_BACKFILL, {"backfillParams": params})["launchPartitionBackfill"]
    assert reply["__typename"] == "LaunchBackfillSuccess", reply
    backfill = _wait_for_backfill(live_ui, reply["backfillId"])

    assert backfill["status"] == "COMPLETED_FAILED", f"{json.dumps(backfill)}\n{_log_tails(live_ui)}"
    runs = _runs_by_partition(backfill)
    assert {month: run["status"] for month, run in runs.items()} == {RERUN_MONTH: "SUCCESS", OUTAGE_MONTH: "FAILURE"}
    (counts,) = backfill["assetBackfillData"]["assetBackfillStatuses"]
    assert (counts["numPartitionsMaterialized"], counts["numPartitionsFailed"]) == (1, 1)

    # The failed month's error names the source, the URL without the key, the status and the attempts.
    events = client._execute(RUN_FAILURE_QUERY, {"runId": runs[OUTAGE_MONTH]["runId"]})["logsForRun"]["events"]
    errors = [e["error"] for e in events if e["__typename"] == "ExecutionStepFailureEvent"]
    message = " | ".join(m for error in errors for m in [error["message"], *(c["message"] for c in error["causes"])])
    expected = (f"census: GET {replay.url}{CENSUS_PATH}imports/hs?", f"time={OUTAGE_MONTH}",
                f"failed with HTTP 500 after {MAX_ATTEMPTS} attempt(s)", "replayed outage")
    assert errors and all(part in message for part in expected), message
    assert CENSUS_KEY not in message

    # Requests: the re-run asked for the month's four answers again; the outage month's first request was tried
    # MAX_ATTEMPTS times and the run stopped there.
    requests = _census_requests(replay, first_request)
    assert sorted(r for r in requests if r[2] == RERUN_MONTH) == \
        sorted(itertools.product(FLOWS, COMMODITIES, [RERUN_MONTH]))
    assert [r for r in requests if r[2] == OUTAGE_MONTH] == [(FLOWS[0], COMMODITIES[0], OUTAGE_MONTH)] * MAX_ATTEMPTS

    # Idempotent: the same bytes replace their own rows, so the month keeps one vintage per request with the same
    # values (staging's latest-vintage rule picks exactly these rows), only retrieved later.
    after = _census_rows(warehouse, RERUN_MONTH)
    assert [row[:-1] for row in after] == [row[:-1] for row in before]
    assert min(row[-1] for row in after) > max(row[-1] for row in before)
    assert _query(warehouse, f"""select count(distinct _source_sha256), count(distinct _retrieved_at) from raw.census_trade
        where time = '{RERUN_MONTH}' group by _request_key""") == [(1, 1)] * REQUESTS_PER_MONTH
    # Every retrieval is recorded: two per request, with identical bytes.
    assert _query(warehouse, f"""select count(*), count(distinct sha256) from raw.census_responses
        where period = '{RERUN_MONTH}' group by request_key""") == [(2, 1)] * REQUESTS_PER_MONTH
    # The outage wrote nothing, and the other months are untouched.
    assert {month: _census_rows(warehouse, month) for month in others_before} == others_before
    assert {row[0] for row in _query(warehouse, "select distinct time from raw.census_trade")} == set(MONTHS)
    assert _query(warehouse, f"select count(*) from raw.census_responses where period = '{OUTAGE_MONTH}'") == [(0,)]
    assert sorted(m["partition"] for m in _materializations(client, [RERUN_MONTH, OUTAGE_MONTH])) == [RERUN_MONTH] * 2
    _assert_key_nowhere(live_ui)


# ---------------------------------------------------------------- the schedules, switched on

START_SCHEDULE = """
mutation Start($selector: ScheduleSelector!) { startSchedule(scheduleSelector: $selector) {
  __typename ... on ScheduleStateResult { scheduleState { status } } ... on PythonError { message } } }"""
RUNS_QUERY = """
query Runs($filter: RunsFilter) { runsOrError(filter: $filter) { ... on Runs { results {
  runId status creationTime startTime endTime tags { key value } } } } }"""
LIVE_SCHEDULE, REFRESH_SCHEDULE = "live_census_nightly", "nightly_refresh"
# A minute to the first tick, the month's runs, then a whole live refresh: about 4 minutes alone, up to 9 minutes when
# `make test`'s other worker is running a build beside it (420 s was too short there on a loaded machine).
SCHEDULE_TIMEOUT = 720
MAPPED_COUNTRIES = 5  # of the 7 rows per response, the total and one grouping are not partners
DONE = {"SUCCESS", "FAILURE", "CANCELED"}


def _schedule_selector(name: str) -> dict:
    return {"repositoryLocationName": "chokepoint", "repositoryName": "__repository__", "scheduleName": name}


def _runs_of(client: DagsterGraphQLClient, schedule: str) -> list[dict]:
    result = client._execute(RUNS_QUERY, {"filter": {"tags": [{"key": "dagster/schedule_name", "value": schedule}]}})
    return result["runsOrError"]["results"]


def _partition(run: dict) -> str:
    return next(tag["value"] for tag in run["tags"] if tag["key"] == "dagster/partition")


def _latest_complete_months(now: datetime, count: int) -> list[str]:
    """The months the live schedule looks at: the last ``count`` before the current, unfinished one."""
    months, year, month = [], now.year, now.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year}-{month:02d}")
    return sorted(months)


def _wait_until(condition, what: str, live_ui):
    return wait_until(condition, what, SCHEDULE_TIMEOUT, lambda: _log_tails(live_ui))


def _published_census_rows(serve: Path) -> dict[tuple[int, int], int]:
    """From the serving copy, as BI reads it: the build file is busy with the next refresh meanwhile."""
    connection = duckdb.connect(str(serve / "chokepoint.duckdb"), read_only=True)
    try:
        return dict(((year, month), rows) for year, month, rows in connection.execute(
            "select year, month, count(*) from marts.fct_trade_flows where source = 'us_census' group by 1, 2").fetchall())
    finally:
        connection.close()


def test_switching_the_schedules_on_lands_the_newest_month_and_publishes_it(live_ui, ui_backfill):
    """What a user sees after switching on live_census_nightly and nightly_refresh (Overview → Schedules): at the next
    tick the live schedule asks for each recent month not landed yet; the month Census has published lands, the one it
    has not (HTTP 204) succeeds without landing; then the nightly refresh rebuilds the marts with the new month beside
    the backfilled ones, and publishes them. The daemon ticks every minute here, so a tick can come while the previous
    tick's runs still wait for the single run slot."""
    client, replay = live_ui["client"], live_ui["replay"]
    unpublished, published = _latest_complete_months(datetime.now(UTC), 2)
    replay.publish_census(published)
    replay.fedreg_pages = load_fedreg_pages()
    first_request = len(replay.log)
    for name in (LIVE_SCHEDULE, REFRESH_SCHEDULE):
        result = client._execute(START_SCHEDULE, {"selector": _schedule_selector(name)})["startSchedule"]
        assert result.get("scheduleState", {}).get("status") == "RUNNING", (name, result)

    def census_runs_done():
        runs = _runs_of(client, LIVE_SCHEDULE)
        months = {_partition(run) for run in runs}
        return runs if months == {unpublished, published} and all(run["status"] in DONE for run in runs) else None

    census_runs = _wait_until(census_runs_done, "the live schedule's runs did not finish", live_ui)
    assert {run["status"] for run in census_runs} == {"SUCCESS"}, f"{census_runs}\n{_log_tails(live_ui)}"
    # The published month is fetched by one run: later ticks skip it while its run waits, and once it has landed.
    # The unpublished one (204) is asked for again by any later tick, as it would be the next night.
    assert [_partition(run) for run in census_runs].count(published) == 1, census_runs
    assert [m["partition"] for m in _materializations(client, [unpublished, published])] == [published]
    asked = Counter(e.query["time"] for e in replay.log[first_request:] if e.path.startswith(CENSUS_PATH))
    assert asked[published] == REQUESTS_PER_MONTH and set(asked) == {unpublished, published}, asked

    census_done = max(run["endTime"] for run in census_runs)

    def refresh_after_census():
        return [run for run in _runs_of(client, REFRESH_SCHEDULE)
                if run["creationTime"] > census_done and run["status"] in DONE] or None

    refreshed = _wait_until(refresh_after_census, "no nightly refresh after the new month landed", live_ui)
    for name in (LIVE_SCHEDULE, REFRESH_SCHEDULE):  # in live mode the refresh re-fetches Federal Register every tick
        state = client._execute(SCHEDULES_QUERY)["repositoriesOrError"]["nodes"][0]["schedules"]
        client._execute(STOP_SCHEDULE, {"id": next(s["scheduleState"]["id"] for s in state if s["name"] == name)})
    assert refreshed[-1]["status"] == "SUCCESS", f"{refreshed}\n{_log_tails(live_ui)}"

    rows_per_month = REQUESTS_PER_MONTH * MAPPED_COUNTRIES
    year, month = (int(part) for part in published.split("-"))
    expected = {(year, month): rows_per_month, **{(int(m[:4]), int(m[5:])): rows_per_month for m in MONTHS}}
    assert _published_census_rows(live_ui["warehouse"] / "serve") == expected
