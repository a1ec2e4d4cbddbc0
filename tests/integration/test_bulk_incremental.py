"""The bulk source through the real refresh job, on a copy of the golden warehouse: a bulk folder appears (planned
refresh), then one new year's file and the planned refresh the nightly schedule would run. The new year is mapped, reaches the restriction marts under measures in force, passes
their contracts and is published; the earlier years are neither rewritten nor re-validated. SYNTHETIC data
(bench/generate.py)."""

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench import generate
from orchestration.refresh.plan import plan_refresh
from orchestration.refresh.recheck_scope import WATERMARK
from orchestration.settings import BULK_DIR_ENV, DBT_PROJECT_DIR, bulk_dir
from tests.conftest import planned_refresh

# The year the benchmark adds (the one after the generator's last): China's 2023-2025 measures are in force in it and
# change during it (the 2024 US ban is suspended from 2025-11-09), so the restriction marts get new rows to check.
FIRST_YEARS, NEW_YEAR = (generate.LAST_YEAR - 1, generate.LAST_YEAR), generate.LAST_YEAR + 1
ROWS_PER_YEAR = 3_000
SEED = 9
# 3,000 random rows a year reach few register codes, and none under a measure in force (measured: 4 exposure rows, upper
# bound 0): a second file of the new year adds China's exports of codes the register controls, so a restriction-mart
# contract that fails on a new year's rows fails this test. China -> US and Germany (M49 840, 276); HS6 811020
# antimony (full coverage: CN-2024-33, and the US ban CN-2024-46), 811292 gallium/germanium, 280530 rare-earth metals,
# 250410 natural graphite (partial coverage).
CHINA, IMPORTERS, RESTRICTED_CODES = 156, (840, 276), (811020, 811292, 280530, 250410)


def _query(path, sql):
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _check_metadata(result, asset_path: list[str]) -> dict:
    (evaluation,) = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
                     and e.event_specific_data.asset_check_key.asset_key.path == asset_path
                     and e.event_specific_data.asset_check_key.name == "pandera_contract"]
    assert evaluation.passed, evaluation.description
    return {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}


@pytest.fixture
def bulk_env(golden_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(BULK_DIR_ENV, str(tmp_path / "bulk"))
    for year in FIRST_YEARS:
        generate.write_year(tmp_path / "bulk", year, ROWS_PER_YEAR, SEED)
    return golden_copy


def _write_restricted_flows(directory, year: int) -> int:
    """China's exports of controlled codes in ``year``, as a second BACI-shaped file; keys the year file already holds
    are left out (one row per t, i, j, k). Returns the number of rows."""
    taken = pq.read_table(directory / f"synthetic_baci_Y{year}.parquet", columns=["i", "j", "k"]).to_pylist()
    taken = {(row["i"], row["j"], row["k"]) for row in taken}
    keys = [(CHINA, importer, code) for importer in IMPORTERS for code in RESTRICTED_CODES
            if (CHINA, importer, code) not in taken]
    table = pa.table({"t": [year] * len(keys), "i": [k[0] for k in keys], "j": [k[1] for k in keys],
                      "k": [k[2] for k in keys], "v": [1000.0 + n for n in range(len(keys))], "q": [10.0] * len(keys)},
                     schema=generate.SCHEMA).replace_schema_metadata({"synthetic": "true"})
    pq.write_table(table, directory / f"synthetic_restricted_Y{year}.parquet")
    return len(keys)


def _kept_rows(warehouse, year: int) -> tuple:
    """Count and value of a bulk year's staged rows the mapping keeps: critical-mineral codes, both countries known."""
    return _query(warehouse, f"""select count(*), sum(s.value_usd) from staging.stg_cepii__trade_flows as s
        where s.source = 'bulk_trade' and s.year = {year} and s.importer_iso3 is not null and s.exporter_iso3 is not null
          and exists (select 1 from reference.hs_mineral_map as m where s.hs6 like m.commodity_code || '%')""")[0]


def _build_equals_served(build, served, table: str) -> bool:
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{build}' as build (read_only)")
        connection.execute(f"attach '{served}' as served (read_only)")
        return connection.execute(f"""select count(*) from (
            (select * from build.{table} except all select * from served.{table}) union all
            (select * from served.{table} except all select * from build.{table}))""").fetchall() == [(0,)]
    finally:
        connection.close()


def test_a_new_year_is_mapped_validated_and_published_alone(bulk_env):
    from orchestration.definitions import defs

    definitions = defs()
    instance = bulk_env.instance()
    job = definitions.resolve_job_def("refresh_warehouse")
    warehouse = bulk_env.warehouse
    _, first = planned_refresh(instance, definitions)  # the folder's first years, on the built snapshot
    assert first is not None and first.success
    # A copy of the golden build holds the golden's dbt parse state, parsed for another path: re-labelled for this
    # one, so neither dbt step parsed the whole project again (orchestration/storage/dbt_parse_state.py).
    dbt_logs = sorted((DBT_PROJECT_DIR / "target").glob(f"dbt_*-{first.run_id[:7]}-*/dbt.log"))
    assert len(dbt_logs) == 2, dbt_logs
    full_parses = [log.parent.name for log in dbt_logs if "Unable to do partial parsing" in log.read_text()
                   or "Partial parse save file not found" in log.read_text()]
    assert full_parses == []
    # dbt's log file at info (orchestration/settings.py DBT_FILE_LOG_LEVEL): each node's result, no statement chatter
    assert all('"level": "debug"' not in log.read_text() and '"name": "LogModelResult"' in log.read_text()
               for log in dbt_logs)

    mapped_sql = """select year, count(*), sum(value_usd), min(loaded_at), max(loaded_at)
                    from intermediate.int_cepii__flows_mapped where source = 'bulk_trade'
                    group by year order by year"""
    # the snapshot's BACI rows share the incremental table: a bulk year must not reprocess them
    snapshot_sql = """select year, count(*), sum(value_usd), min(loaded_at), max(loaded_at)
                      from intermediate.int_cepii__flows_mapped where source = 'cepii_baci'
                      group by year order by year"""
    snapshot_before = _query(warehouse, snapshot_sql)
    assert snapshot_before
    before = _query(warehouse, mapped_sql)
    assert [row[0] for row in before] == list(FIRST_YEARS)

    generate.write_year(bulk_dir(), NEW_YEAR, ROWS_PER_YEAR, SEED)
    restricted_rows = _write_restricted_flows(bulk_dir(), NEW_YEAR)
    plan = plan_refresh(instance, definitions.get_repository_def())
    assert plan.selection and dg.AssetKey(["raw", "bulk_trade_flows"]) in plan.selection, plan.describe()
    assert dg.AssetKey(["raw", "usitc_dataweb"]) not in plan.selection
    result = job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=list(plan.selection))
    assert result.success

    after = _query(warehouse, mapped_sql)
    assert after[:-1] == before  # earlier years untouched: same rows, values and load times
    assert _query(warehouse, snapshot_sql) == snapshot_before
    # The new year holds exactly the rows the staging rules keep: critical-mineral codes, both countries known.
    expected = _kept_rows(warehouse, NEW_YEAR)
    assert after[-1][0] == NEW_YEAR and after[-1][1:3] == expected and expected[0] > 0

    # Contracts looked at the new rows only (the full build checked every row with this code).
    staging = _check_metadata(result, ["staging", "stg_cepii__trade_flows"])
    new_raw_rows = _query(warehouse, f"select count(*) from raw.bulk_trade_flows where t = {NEW_YEAR}")[0][0]
    snapshot_rows = _query(warehouse, "select count(*) from raw.baci_trade_flows")[0][0]  # small: always re-checked
    assert new_raw_rows == ROWS_PER_YEAR + restricted_rows and snapshot_rows > 0
    assert staging["rows_checked"] == new_raw_rows + snapshot_rows
    assert staging["scope"].startswith("bulk rows loaded after") and staging[WATERMARK]
    fact = _check_metadata(result, ["marts", "fct_trade_flows"])
    assert fact["bulk_years_checked"] == str(NEW_YEAR)

    # Published from the previous serving copy with only the changed rows replaced, and equal to the build.
    (publish,) = [m for m in result.asset_materializations_for_node("serve__chokepoint")]
    assert publish.metadata["published_from"].value == \
        f"previous copy; fct_trade_flows rows replaced where source <> 'bulk_trade' or year in ({NEW_YEAR})"
    served = warehouse.parent / "serve" / "chokepoint.duckdb"
    assert _query(served, "select year, count(*) from marts.fct_trade_flows where source = 'bulk_trade' group by 1 order by 1") \
        == [(row[0], row[1]) for row in after]
    assert _build_equals_served(warehouse, served, "marts.fct_trade_flows")
    # Great Expectations ran again on the marts the new year changed, and reused the others' results.
    reused = publish.metadata["expectations_reused_for"].value
    assert "export_measures" in reused and "usgs_import_sources" in reused
    assert "fct_trade_flows" not in reused and "restriction_exposure" not in reused

    # The new year's flows from China are exposed (measures in force, some with full coverage), the restriction marts'
    # blocking contracts passed with them, and the serving copy holds them.
    exposed = _query(warehouse, f"""select count(*), sum(upper_bound_value_usd), sum(covered_value_usd)
        from marts.restriction_exposure where source = 'bulk_trade' and year = {NEW_YEAR}""")[0]
    assert exposed[0] >= restricted_rows > 0 and exposed[1] > 0 and exposed[2] > 0, exposed
    for mart in ("restriction_exposure", "restriction_exposure_by_measure"):
        assert _check_metadata(result, ["marts", mart])["failure_count"] == 0
        assert _build_equals_served(warehouse, served, f"marts.{mart}"), mart

    # One year's file replaced by other rows, the new year's files removed. The replaced year's mapped rows are replaced,
    # not added to. The removed year's raw rows go, but the incremental table is only replaced where rows were loaded,
    # so its mapped rows stay until a full refresh of the model, and a dbt test stops the build until then.
    generate.write_year(bulk_dir(), FIRST_YEARS[0], ROWS_PER_YEAR, SEED + 1)
    for path in bulk_dir().glob(f"*_Y{NEW_YEAR}.parquet"):
        path.unlink()
    removed = job.execute_in_process(instance=instance, raise_on_error=False,
                                     asset_selection=list(plan_refresh(instance, definitions.get_repository_def()).selection))
    assert _query(warehouse, f"select count(*) from raw.bulk_trade_flows where t = {NEW_YEAR}") == [(0,)]
    replaced = [row for row in _query(warehouse, mapped_sql) if row[0] == FIRST_YEARS[0]][0]
    assert replaced[1:3] == _kept_rows(warehouse, FIRST_YEARS[0]) and replaced[1:3] != before[0][1:3]
    # dbt fails the build on the test (downstream models are skipped) and Dagster's step failure names it
    assert not removed.success
    failures = [event.step_failure_data.error.message for event in removed.get_step_failure_events()]
    assert any("assert_cepii_flows_years_are_in_raw" in message for message in failures), failures
