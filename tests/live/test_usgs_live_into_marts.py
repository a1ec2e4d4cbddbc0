"""A USGS MCS data release fetched live from ScienceBase feeds the marts: per edition the latest vintage wins, so a
re-published release replaces the snapshot's figures, and fetching the same bytes again changes nothing.

The release served is the real MCS 2026 CSV of the snapshot; the "revision" is SYNTHETIC: one value changed here."""

import dagster as dg
import duckdb

from orchestration.definitions import defs as load_defs
from orchestration.refresh.plan import plan_refresh
from orchestration.settings import snapshot_dir

ITEM = "6a00000000000000000b2026"  # synthetic item id for MCS2026 (the notes give only its DOI)
REAL_RELEASE = (snapshot_dir() / "usgs" / "usgs_mcs2026_commodities_data.csv").read_bytes()
# Row 2544: US net import reliance on gallium, 2025 (estimated), 100 % in the real release.
GALLIUM_2025 = b"reported consumption,percent,2025,100,Estimated. -- Defined as imports \x96 exports. Excludes gallium"
NIR_QUERY = "select nir_pct_published, source_row from marts.net_import_reliance where edition = 2026 and commodity = 'gallium' and year = 2025"


def _revised_release() -> bytes:
    assert REAL_RELEASE.count(GALLIUM_2025) == 1
    return REAL_RELEASE.replace(GALLIUM_2025, GALLIUM_2025.replace(b",2025,100,", b",2025,99,"))


def _query(warehouse, sql: str):
    connection = duckdb.connect(str(warehouse / "chokepoint.duckdb"), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_live_release_replaces_the_snapshot_edition_in_the_marts(live_golden, replay, golden_instance, monkeypatch):
    live_env, instance = live_golden, golden_instance
    monkeypatch.setenv("CHOKEPOINT_SCIENCEBASE_ITEMS", f"2026={ITEM}")
    replay.publish_sciencebase_item(ITEM, "Mineral Commodity Summaries 2026 Data Release (revision, synthetic)",
                                    [("MCS2026_Commodities_Data.csv", _revised_release(), "text/csv")])
    definitions = load_defs()
    fetch = definitions.resolve_job_def("live_usgs_mcs_extract")
    refresh = definitions.resolve_job_def("refresh_warehouse")

    assert _query(live_env, NIR_QUERY) == [(100.0, 2544)]  # the snapshot's figure, as the golden build left it

    assert fetch.execute_in_process(instance=instance, partition_key="2026", raise_on_error=False).success
    # What the nightly schedule does next: the landed edition makes USGS staging and its downstream stale, only them.
    plan = plan_refresh(instance, definitions.get_repository_def())
    assert dg.AssetKey(["staging", "stg_usgs__mcs_statistics"]) in plan.selection
    assert dg.AssetKey(["marts", "net_import_reliance"]) in plan.selection
    assert not plan.selection & {dg.AssetKey(["raw", "usitc_dataweb"]), dg.AssetKey(["marts", "fct_trade_flows"])}
    assert refresh.execute_in_process(instance=instance, raise_on_error=False, asset_selection=list(plan.selection)).success
    assert _query(live_env, NIR_QUERY) == [(99.0, 2544)]  # the live vintage is the latest
    staged = _query(live_env, "select count(*), count(distinct source_file), min(source_file) "
                              "from staging.stg_usgs__mcs_statistics where edition = 2026")
    snapshot_rows = _query(live_env, "select count(*) from raw.usgs_mcs2026")[0][0]
    assert staged[0][0] == snapshot_rows and staged[0][1] == 1 and "landing" in staged[0][2]
    marts_after_revision = _query(live_env, "select * from marts.net_import_reliance order by all")

    # The same bytes again: rows are a function of the bytes, so raw is replaced, not doubled; the marts are identical.
    assert fetch.execute_in_process(instance=instance, partition_key="2026", raise_on_error=False).success
    plan = plan_refresh(instance, definitions.get_repository_def())
    assert refresh.execute_in_process(instance=instance, raise_on_error=False, asset_selection=list(plan.selection)).success
    assert _query(live_env, "select count(*) from raw.usgs_mcs_live") == [(snapshot_rows,)]
    assert _query(live_env, "select * from marts.net_import_reliance order by all") == marts_after_revision
    # Only 2026 came from the live release; the MCS 2025 rare-earth transcription is untouched.
    assert _query(live_env, "select count(*) from marts.net_import_reliance where edition = 2025") != [(0,)]
