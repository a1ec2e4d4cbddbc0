"""The USITC DataWeb drop folder: the sensor (cursor = sha256s seen) and the raw loader (snapshot + drops)."""

import hashlib
import json
import shutil
from datetime import datetime

import dagster as dg
import duckdb
import openpyxl
import pytest

from orchestration.defs.dataweb_drop import dataweb_drop_sensor
from orchestration.defs.raw_assets import raw_table_asset
from orchestration.extract.usitc_dataweb import load_usitc_dataweb
from orchestration.settings import PROJECT_ROOT

IMPORTS = PROJECT_ROOT / "data/snapshot/usitc/us_imports_for_consumption_1993-2026.xlsx"


@pytest.fixture
def drop_dir(tmp_path, monkeypatch):
    folder = tmp_path / "dropbox" / "usitc"
    folder.mkdir(parents=True)
    monkeypatch.setenv("CHOKEPOINT_DATAWEB_DROP_DIR", str(folder))
    return folder


def _evaluate(cursor=None):
    result = dataweb_drop_sensor(dg.build_sensor_context(cursor=cursor))
    if isinstance(result, dg.SkipReason):
        return [], cursor
    return result.run_requests, result.cursor


def test_sensor_requests_one_run_per_new_workbook_and_not_again(drop_dir):
    assert _evaluate() == ([], None)  # empty folder: skip
    (drop_dir / "imports.xlsx").write_bytes(b"workbook v1")
    (drop_dir / "~$imports.xlsx").write_bytes(b"excel lock file")  # ignored
    (drop_dir / "notes.txt").write_text("ignored")
    requests, cursor = _evaluate()
    first = hashlib.sha256(b"workbook v1").hexdigest()
    assert [r.run_key for r in requests] == [first]
    assert json.loads(cursor) == [first]
    assert _evaluate(cursor) == ([], cursor)  # same file again: nothing (cursor)
    (drop_dir / "imports.xlsx").write_bytes(b"workbook v2")  # changed in place
    requests, cursor = _evaluate(cursor)
    assert [r.run_key for r in requests] == [hashlib.sha256(b"workbook v2").hexdigest()]
    assert len(json.loads(cursor)) == 2


def test_sensor_skips_when_the_folder_does_not_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_DATAWEB_DROP_DIR", str(tmp_path / "missing"))
    assert _evaluate() == ([], None)
    assert not (tmp_path / "missing").exists()  # the sensor creates nothing


def test_sensor_targets_the_usitc_refresh_job():
    from orchestration.definitions import defs

    definitions = defs()
    job = definitions.resolve_job_def(definitions.resolve_sensor_def("dataweb_drop_sensor").job_name)
    keys = {k.to_user_string() for k in job.asset_layer.executable_asset_keys}
    assert {"raw/usitc_dataweb", "staging/stg_usitc__trade", "marts/fct_trade_flows"} <= keys


@pytest.fixture(scope="module")
def snapshot_only():
    return load_usitc_dataweb()


def test_a_dropped_copy_of_a_snapshot_workbook_is_not_counted_twice(drop_dir, snapshot_only):
    shutil.copy(IMPORTS, drop_dir / "us_imports_for_consumption_1993-2026.xlsx")
    frame = load_usitc_dataweb()
    assert len(frame) == len(snapshot_only) and frame["value"].sum() == snapshot_only["value"].sum()
    assert not frame["_source_file"].str.contains("dropbox").any()


def test_a_dropped_workbook_with_new_bytes_is_loaded_with_its_sha256(drop_dir, snapshot_only):
    workbook = openpyxl.load_workbook(IMPORTS)
    parameters = workbook["Query Parameters"]
    for row in parameters.iter_rows():
        if row[0].value == "Download Date":
            row[1].value = datetime(2026, 8, 1)  # a later download of the same query
    target = drop_dir / "imports_2026-08.xlsx"
    workbook.save(target)
    frame = load_usitc_dataweb()
    dropped = frame[frame["_source_file"] == str(target)]
    assert len(dropped) == (snapshot_only["trade_flow"] == "Imports For Consumption").sum()
    assert set(dropped["_source_sha256"]) == {hashlib.sha256(target.read_bytes()).hexdigest()}
    assert set(dropped["_retrieved_at"]) == {datetime(2026, 8, 1)}
    assert len(frame) == len(snapshot_only) + len(dropped)  # raw keeps both; staging keeps the latest download


def test_a_damaged_dropped_workbook_fails_clearly_and_leaves_the_raw_table(drop_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "warehouse" / "chokepoint.duckdb"))
    with dg.instance_for_test() as instance:
        assert dg.materialize([raw_table_asset("usitc_dataweb")], instance=instance).success
        (drop_dir / "damaged.xlsx").write_bytes(IMPORTS.read_bytes()[:20_000])  # cut short
        result = dg.materialize([raw_table_asset("usitc_dataweb")], instance=instance, raise_on_error=False)
    assert not result.success
    message = "\n".join(str(e.event_specific_data.error) for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "damaged.xlsx: not a readable .xlsx workbook" in message
    connection = duckdb.connect(str(tmp_path / "warehouse" / "chokepoint.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(distinct _source_sha256), count(*) from raw.usitc_dataweb").fetchone() == (2, 201586)
    finally:
        connection.close()
