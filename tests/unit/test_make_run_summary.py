"""`make run`'s summary prints whatever the warehouse holds, also after a first refresh that failed before the marts."""

import duckdb

from orchestration.cli import runner


def test_the_summary_of_a_warehouse_without_marts_is_empty_not_a_crash(tmp_path, monkeypatch):
    warehouse = tmp_path / "chokepoint.duckdb"
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(warehouse))
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema staging")
        connection.execute("create table staging.stg_x as select 1 as x")
    assert runner._warehouse_lines() == []


def test_the_summary_counts_the_marts_and_lists_measure_statuses(tmp_path, monkeypatch):
    warehouse = tmp_path / "chokepoint.duckdb"
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(warehouse))
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")
        connection.execute("""create table marts.export_measures as select date '2026-12-03' as status_as_of,
                              'in_force' as status, 'sourced' as status_basis, 'CN-2023-23' as measure_id, 'all' as part_id""")
    lines = runner._warehouse_lines()
    assert lines[0] == "  rows per mart:" and "marts.export_measures" in lines[1] and lines[1].rstrip().endswith("1")
    assert any(line.startswith("  measure parts on 2026-12-03 (1,") for line in lines)
    assert any("CN-2023-23" in line for line in lines)


def test_the_ui_link_uses_the_port_make_dev_was_given(monkeypatch):
    monkeypatch.delenv("CHOKEPOINT_DEV_PORT", raising=False)
    assert runner.dagster_ui_link("r1") == "`make dev`, then http://127.0.0.1:3000/runs/r1"
    monkeypatch.setenv("CHOKEPOINT_DEV_PORT", "3400")
    assert runner.dagster_ui_link("r1") == "`make dev DEV_PORT=3400`, then http://127.0.0.1:3400/runs/r1"
