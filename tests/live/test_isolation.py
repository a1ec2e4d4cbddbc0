"""One failing live source fails only its own run: the refresh builds and publishes from what has landed."""

from datetime import UTC

import duckdb

from orchestration.definitions import defs as load_defs
from orchestration.defs.live_assets import fedreg_documents
from orchestration.defs.live_jobs import run_live_periods
from tests.conftest import planned_refresh
from tests.live.replay_server import Fault, load_fedreg_pages

TRUNCATED = b'{"count": 3, "total_pages": 2, "results": [{"document_number": "2024-0'


def _truncated_200() -> Fault:
    # Complete by Content-Length, cut short by the server behind it: what a proxy or an overloaded API sends.
    return Fault("body", 200, headers={"Content-Type": "application/json"}, body=TRUNCATED)


def test_no_live_fetch_runs_inside_the_refresh_job():
    definitions = load_defs()
    graph = definitions.resolve_asset_graph()
    refresh = set(definitions.resolve_job_def("refresh_warehouse").asset_layer.executable_asset_keys)
    fetched_in_own_runs = {key for key in graph.get_all_asset_keys()
                           if graph.get(key).tags.get("chokepoint/own_run") == "true"}
    assert fedreg_documents.key in fetched_in_own_runs
    assert not fetched_in_own_runs & refresh
    assert fedreg_documents.key in definitions.resolve_job_def("live_fedreg_extract").asset_layer.executable_asset_keys


def test_a_failing_fedreg_fetch_is_reported_alone_and_the_others_land(live_env, replay, instance, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_CENSUS_NIGHTLY_WINDOW", "1")
    monkeypatch.setenv("CHOKEPOINT_COMTRADE_NIGHTLY_WINDOW", "1")
    from datetime import datetime

    replay.publish_census("2024-02")
    replay.publish_comtrade_from_snapshot("2023")
    replay.fedreg_pages = load_fedreg_pages()
    replay.inject("/api/v1/documents", *[_truncated_200() for _ in range(3)])  # every attempt (max 3 here)
    runs = run_live_periods(instance, now=datetime(2024, 3, 10, tzinfo=UTC))
    assert [(r.job, r.period, r.success) for r in runs] == [
        ("live_census_extract", "2024-02", True), ("live_comtrade_extract", "2023", True),
        ("live_fedreg_extract", "latest", False)]
    failed = runs[-1]
    assert failed.source == "raw/fedreg_documents"
    print(failed.error)
    assert "json" in failed.error.lower()  # the clear error the asset raised, carried into the `make run` summary


def test_refresh_publishes_everything_else_when_fedreg_failed(live_golden, replay, golden_instance):
    """On a built warehouse (the golden copy), the next refresh after a failed Federal Register run is a planned one,
    not a full rebuild (only a failed *refresh* run forces that), and it publishes."""
    replay.inject("/api/v1/documents", *[_truncated_200() for _ in range(3)])
    definitions = load_defs()
    fetch = definitions.resolve_job_def("live_fedreg_extract").execute_in_process(instance=golden_instance, raise_on_error=False)
    assert not fetch.success
    plan, refresh = planned_refresh(golden_instance, definitions)
    assert plan.selection is not None, plan.describe()
    assert refresh is not None and refresh.success
    built = {event.asset_key.to_user_string() for event in refresh.get_asset_materialization_events()}
    assert "serve/chokepoint" in built and "raw/fedreg_documents" not in built
    warehouse = duckdb.connect(str(live_golden / "chokepoint.duckdb"), read_only=True)
    try:
        assert warehouse.execute("select count(*) from staging.stg_fedreg__documents").fetchone() == (0,)
        assert warehouse.execute("select count(*) from marts.fct_trade_flows").fetchone()[0] > 0
    finally:
        warehouse.close()
