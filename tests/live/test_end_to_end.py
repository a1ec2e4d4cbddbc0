"""The live path end to end against the replay server: nightly schedules -> partitioned extracts ->
live_fedreg_extract (its own run) -> refresh_warehouse (snapshot assets, dbt, every check) -> marts; then a later nightly run,
after the source publishes one more month, fetches only that month."""

import json
from datetime import UTC, datetime

import dagster as dg
import duckdb

from orchestration.definitions import defs as load_defs
from tests.conftest import planned_refresh
from tests.live.replay_server import COMTRADE_SNAPSHOT, load_fedreg_pages

SNAPSHOT_FACT_ROWS = 93_515  # fct_trade_flows from the embedded snapshot alone: 50,543 reported + 42,972 CEPII BACI rows
MONTHS = ["2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02"]
MAPPED_COUNTRIES = 5  # replay answers 7 rows per response: the total and one grouping are not partners


def _tick(defs, instance, schedule_name, when):
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=when, repository_def=defs.get_repository_def())
    return defs.resolve_schedule_def(schedule_name).evaluate_tick(context).run_requests or []


def _execute(defs, instance, job_name, run_requests):
    job = defs.resolve_job_def(job_name)
    for request in run_requests:
        assert job.execute_in_process(instance=instance, partition_key=request.partition_key).success


def _revised_comtrade_2023() -> bytes:
    """The 2023 response re-published with one partner revised up by 1,000 USD (and World with it)."""
    document = json.loads((COMTRADE_SNAPSHOT / "2023.json").read_bytes())
    for record in document["data"]:
        if record["partnerCode"] in (0, 104):  # World and Myanmar
            record["primaryValue"] += 1000
    return json.dumps(document).encode()


def test_nightly_live_run_then_refresh_then_only_the_new_month(live_golden, replay, golden_instance):
    """On the golden warehouse (the snapshot already built), as the nightly schedule runs it: the planned refresh."""
    live_env, instance = live_golden, golden_instance
    defs = load_defs()
    replay.publish_census(*MONTHS)
    replay.publish_comtrade_from_snapshot("2021", "2022")
    replay.comtrade_years["2023"] = _revised_comtrade_2023()
    replay.fedreg_pages = load_fedreg_pages()

    first_night = datetime(2024, 3, 10, 2, 0, tzinfo=UTC)
    census_runs = _tick(defs, instance, "live_census_nightly", first_night)
    assert [r.partition_key for r in census_runs] == MONTHS
    _execute(defs, instance, "live_census_extract", census_runs)
    comtrade_runs = _tick(defs, instance, "live_comtrade_nightly", first_night)
    assert [r.partition_key for r in comtrade_runs] == ["2021", "2022", "2023"]
    _execute(defs, instance, "live_comtrade_extract", comtrade_runs)
    assert len(replay.requests_to("/data/timeseries")) == len(MONTHS) * 4
    fedreg_runs = _tick(defs, instance, "live_fedreg_nightly", first_night)
    assert len(fedreg_runs) == 1
    _execute(defs, instance, "live_fedreg_extract", fedreg_runs)  # its own run, never inside the refresh

    plan, refresh = planned_refresh(instance, defs)
    assert plan.selection is not None and dg.AssetKey(["staging", "stg_census__trade"]) in plan.selection, plan.describe()
    assert dg.AssetKey(["raw", "usitc_dataweb"]) not in plan.selection  # the snapshot's own inputs did not change
    assert refresh.success
    checks = [e.event_specific_data for e in refresh.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    # Every blocking check passed (World Bank WGI is not replayed here: its non-blocking WARN check may fail).
    assert checks and all(c.passed for c in checks if c.severity == dg.AssetCheckSeverity.ERROR)

    warehouse = duckdb.connect(str(live_env / "chokepoint.duckdb"), read_only=True)
    try:
        by_source = dict(warehouse.execute("select source, count(*) from marts.fct_trade_flows group by 1").fetchall())
        assert by_source.pop("us_census") == len(MONTHS) * 4 * MAPPED_COUNTRIES
        assert sum(by_source.values()) == SNAPSHOT_FACT_ROWS  # the snapshot history is all still there
        assert warehouse.execute("select count(*) from marts.import_dependency where source = 'us_census'").fetchone() == (0,)
        # Comtrade 2023: the live vintage supersedes the snapshot one; both stay in raw.
        myanmar = warehouse.execute("""select value_usd from marts.fct_trade_flows where source = 'un_comtrade'
            and year = 2023 and partner_iso3 = 'MMR'""").fetchone()[0]
        snapshot = next(r["primaryValue"] for r in json.loads((COMTRADE_SNAPSHOT / "2023.json").read_bytes())["data"] if r["partnerCode"] == 104)
        assert myanmar == snapshot + 1000
        assert warehouse.execute("select count(*) from raw.comtrade_records where period = '2023' and partnerCode = 104").fetchone() == (1,)
        assert warehouse.execute("select count(*) from staging.stg_fedreg__documents").fetchone() == (3,)
    finally:
        warehouse.close()

    # The next night, after Census publishes March: only March is asked for (4 requests), nothing else.
    replay.publish_census("2024-03")
    before = len(replay.log)
    next_night = datetime(2024, 4, 10, 2, 0, tzinfo=UTC)
    census_runs = _tick(defs, instance, "live_census_nightly", next_night)
    assert [r.partition_key for r in census_runs] == ["2024-03"]
    _execute(defs, instance, "live_census_extract", census_runs)
    assert [e.query["time"] for e in replay.log[before:]] == ["2024-03"] * 4
    assert _tick(defs, instance, "live_comtrade_nightly", next_night) == []  # no new year yet


def test_schedules_skip_in_snapshot_mode(live_env, instance, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_SOURCE", "snapshot")
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=datetime(2024, 3, 10, tzinfo=UTC))
    result = load_defs().resolve_schedule_def("live_census_nightly").evaluate_tick(context)
    assert not result.run_requests and "not 'live'" in result.skip_message


def test_make_run_in_live_mode_fetches_the_missing_periods_first(live_env, replay, instance, monkeypatch):
    from orchestration.defs.live_assets import census_trade
    from orchestration.defs.live_jobs import run_live_periods

    monkeypatch.setenv("CHOKEPOINT_CENSUS_NIGHTLY_WINDOW", "2")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_NIGHTLY_WINDOW", "1")
    replay.publish_census("2024-01")  # February not published yet: 204, retried next time
    replay.publish_comtrade_from_snapshot("2023")
    replay.fedreg_pages = load_fedreg_pages()
    runs = run_live_periods(instance, now=datetime(2024, 3, 10, tzinfo=UTC))
    assert [run[:3] for run in runs] == [("live_census_extract", "2024-01", True), ("live_census_extract", "2024-02", True),
                                         ("live_comtrade_extract", "2023", True), ("live_fedreg_extract", "latest", True)]
    assert instance.get_materialized_partitions(census_trade.key) == {"2024-01"}


def test_a_month_whose_run_is_still_going_is_not_requested_again(live_env, instance):
    """A tick while the previous tick's runs still wait (one run at a time) must not queue the same month twice; a
    month whose run already ended without landing it is asked for again."""
    defs = load_defs()
    job = defs.resolve_job_def("live_census_extract")
    instance.create_run_for_job(job_def=job, status=dg.DagsterRunStatus.STARTED, tags={"dagster/partition": "2024-02"})
    instance.create_run_for_job(job_def=job, status=dg.DagsterRunStatus.FAILURE, tags={"dagster/partition": "2024-01"})
    runs = _tick(defs, instance, "live_census_nightly", datetime(2024, 3, 10, 2, 0, tzinfo=UTC))
    assert [r.partition_key for r in runs] == [month for month in MONTHS if month != "2024-02"]
