"""USGS MCS by edition from ScienceBase (item JSON -> data CSV), against the replay server.

The CSV served is SYNTHETIC (tests/live/fixtures/sciencebase_mcs2026_synthetic.csv) in the real MCS 2026 layout."""

import hashlib
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.live_assets import usgs_mcs_live
from tests.live.conftest import query_rows, step_failures
from tests.live.replay_server import FIXTURES, Fault

ITEM = "6a00000000000000000b2026"  # synthetic item id for MCS2026 (the notes give only its DOI)
CSV = (FIXTURES / "sciencebase_mcs2026_synthetic.csv").read_bytes()
METADATA = ("MCS2026_Commodities_Data_Meta.xml", b"<metadata>synthetic</metadata>", "application/xml")


def _run(instance, partition="2026"):
    return dg.materialize([usgs_mcs_live], partition_key=partition, instance=instance, raise_on_error=False)




def _table_exists(warehouse: Path) -> bool:
    return query_rows(warehouse, "select count(*) from information_schema.tables where table_name = 'usgs_mcs_live'") == [(1,)]


@pytest.fixture
def mcs_env(live_env, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_SCIENCEBASE_ITEMS", f"2026={ITEM}")
    return live_env


def test_edition_is_landed_then_parsed_with_edition_and_lineage(mcs_env, replay, instance):
    replay.publish_sciencebase_item(ITEM, "Mineral Commodity Summaries 2026 Data Release (synthetic)",
                                    [METADATA, ("MCS2026_Commodities_Data.csv", CSV, "text/csv")])
    result = _run(instance)
    assert result.success, step_failures(result)
    item_request, file_request = replay.log
    assert item_request.path == f"/catalog/item/{ITEM}" and item_request.query == {"format": "json"}
    assert file_request.path == f"/catalog/file/get/{ITEM}"  # the real-host URL was rewritten onto the replay
    sha = hashlib.sha256(CSV).hexdigest()
    rows = query_rows(mcs_env, "select edition, item_id, item_title, source_row, year, value, _source, _source_sha256, "
                          "_source_file from raw.usgs_mcs_live order by source_row")
    assert len(rows) == 5 and {r[0] for r in rows} == {"2026"} and {r[1] for r in rows} == {ITEM}
    assert rows[0][2].startswith("Mineral Commodity Summaries 2026")
    assert [r[5] for r in rows] == ["11,000", ">95", "W", "—", "NA"]  # values kept as published text (cp1252)
    assert rows[2][4] == "2021–24"
    assert {(r[6], r[7], r[8]) for r in rows} == {("usgs_mcs", sha, f"landing/sciencebase/{sha}.csv")}
    responses = query_rows(mcs_env, "select request_key, status, sha256, landing_path from raw.sciencebase_responses order by request_key")
    assert [r[0] for r in responses] == ["MCS2026/file/MCS2026_Commodities_Data.csv", f"MCS2026/item/{ITEM}"]
    for _, status, digest, path in responses:
        assert status == 200 and hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    assert _run(instance).success  # a re-run replaces the rows of the same bytes: idempotent
    assert query_rows(mcs_env, "select count(*) from raw.usgs_mcs_live") == [(5,)]


def test_500_then_success_is_retried(mcs_env, replay, instance):
    replay.publish_sciencebase_item(ITEM, "MCS 2026", [("MCS2026_Commodities_Data.csv", CSV, "text/csv")], use_download_uri=True)
    replay.inject("/catalog/item/", Fault("status", 500, body=b"Internal Server Error"))
    replay.inject("/catalog/file/get/", Fault("status", 503, body=b"Service Unavailable"))
    result = _run(instance)
    assert result.success, step_failures(result)
    assert len(replay.log) == 4
    assert query_rows(mcs_env, "select count(*) from raw.usgs_mcs_live") == [(5,)]


def test_item_without_a_csv_fails_clearly_and_writes_nothing(mcs_env, replay, instance):
    replay.publish_sciencebase_item(ITEM, "MCS 2026", [METADATA])
    result = _run(instance)
    assert not result.success
    assert "item lists no CSV data file" in step_failures(result) and "MCS2026_Commodities_Data_Meta.xml" in step_failures(result)
    assert not _table_exists(mcs_env)
    assert query_rows(mcs_env, "select count(*) from raw.sciencebase_responses") == [(1,)]  # the item JSON was landed


def test_zipped_older_layout_is_refused_as_unsupported(mcs_env, replay, instance):
    replay.publish_sciencebase_item("677eaf95d34e760b392c4970", "MCS 2025", [
        ("MCS2025_Salient_Commodity_Data.zip", b"PK\x03\x04synthetic", "application/zip"),
        ("MCS2025_World_Data.zip", b"PK\x03\x04synthetic", "application/zip")])
    result = _run(instance, "2025")
    message = step_failures(result)
    assert not result.success and "zipped per-commodity layout" in message and "not supported" in message
    assert not _table_exists(mcs_env)


def test_wrong_header_fails_naming_file_and_header(mcs_env, replay, instance):
    drifted = CSV.replace(b"Statistics_detail", b"Statistic detail", 1)
    replay.publish_sciencebase_item(ITEM, "MCS 2026", [("MCS2026_Commodities_Data.csv", drifted, "text/csv")])
    result = _run(instance)
    message = step_failures(result)
    assert not result.success
    assert "MCS2026_Commodities_Data.csv" in message and "'Statistic detail'" in message and "MCS 2026 long CSV" in message
    assert not _table_exists(mcs_env)
    assert query_rows(mcs_env, "select count(*) from raw.sciencebase_responses") == [(2,)]  # both landed before parsing


def test_edition_without_a_known_item_id_names_the_variable(mcs_env, replay, instance):
    result = _run(instance, "2024")
    assert not result.success
    assert "CHOKEPOINT_SCIENCEBASE_ITEMS" in step_failures(result) and "10.5066/P144BA54" in step_failures(result)
    assert replay.log == []


def test_snapshot_mode_fetches_nothing(mcs_env, replay, instance, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_SOURCE", "snapshot")
    result = _run(instance)
    assert result.success and result.get_asset_materialization_events() == []
    assert replay.log == []
