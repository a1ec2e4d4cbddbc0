"""Freshness: each live source carries its Dagster freshness policy, and `make run`'s line reads the same windows."""

from datetime import UTC, datetime, timedelta

import dagster as dg

from orchestration.refresh.freshness import WINDOWS, freshness_line, status


def test_every_live_source_has_a_freshness_policy_with_its_windows():
    from orchestration.definitions import defs

    graph = dg.Definitions.merge(defs()).resolve_asset_graph()
    for table, (warn, fail) in WINDOWS.items():
        spec = graph.get(dg.AssetKey(["raw", table]))
        policy = spec.freshness_policy
        assert policy is not None, table
        assert (policy.warn_window.to_timedelta(), policy.fail_window.to_timedelta()) == (warn, fail), table


def test_status_turns_from_fresh_to_warn_to_stale_and_never_blocks():
    with dg.instance_for_test() as instance:
        assert status(instance, "census_trade") == "never fetched"
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=dg.AssetKey(["raw", "census_trade"])))
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=dg.AssetKey(["raw", "fedreg_documents"])))
        now = datetime.now(UTC)
        assert status(instance, "census_trade", now + timedelta(days=30)).startswith("fresh")
        assert status(instance, "census_trade", now + timedelta(days=50)).startswith("STALE (warn)")
        assert status(instance, "census_trade", now + timedelta(days=80)) == "STALE (80 d ago)"
        assert status(instance, "fedreg_documents", now + timedelta(days=3)).startswith("STALE (warn)")
        line = freshness_line(instance, now + timedelta(days=3), mode="live")
        assert "census_trade fresh (3 d ago)" in line and "usgs_mcs_live never fetched" in line
        assert "\n" not in line
        assert freshness_line(instance, now + timedelta(days=3), mode="snapshot").endswith(
            "(snapshot mode: not fetched by this run; warns only)")


def test_snapshot_mode_says_live_sources_are_not_configured_instead_of_never_fetched():
    with dg.instance_for_test() as instance:
        line = freshness_line(instance, mode="snapshot")
        assert "never fetched" not in line and "live sources not configured (snapshot mode" in line
        assert "census_trade never fetched" in freshness_line(instance, mode="live")


def test_a_snapshot_mode_materialization_is_not_a_fetch():
    with dg.instance_for_test() as instance:
        key = dg.AssetKey(["raw", "fedreg_documents"])
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, metadata={"mode": "snapshot"}))
        assert status(instance, "fedreg_documents") == "never fetched"
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, metadata={"mode": "live"}))
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, metadata={"mode": "snapshot"}))
        assert status(instance, "fedreg_documents").startswith("fresh")
