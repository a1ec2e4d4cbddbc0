"""The bulk source through the real refresh job: a full build, then one new year's file and the planned refresh the
nightly schedule would run. The new year is mapped and published; the earlier years are neither rewritten nor
re-validated. SYNTHETIC data (bench/generate.py)."""

import dagster as dg
import duckdb
import pytest

from bench import generate
from orchestration.recheck_scope import WATERMARK
from orchestration.refresh_plan import plan_refresh
from orchestration.settings import BULK_DIR_ENV

FIRST_YEARS, NEW_YEAR = (2021, 2022), 2023
ROWS_PER_YEAR = 3_000
SEED = 9


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
def bulk_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "warehouse" / "chokepoint.duckdb"))
    monkeypatch.setenv(BULK_DIR_ENV, str(tmp_path / "bulk"))
    for year in FIRST_YEARS:
        generate.write_year(tmp_path / "bulk", year, ROWS_PER_YEAR, SEED)
    return tmp_path


def test_a_new_year_is_mapped_validated_and_published_alone(bulk_env):
    from orchestration.definitions import defs

    definitions = defs()
    instance = dg.DagsterInstance.ephemeral()
    job = definitions.resolve_job_def("refresh_warehouse")
    warehouse = bulk_env / "warehouse" / "chokepoint.duckdb"
    assert job.execute_in_process(instance=instance, raise_on_error=False).success

    mapped_sql = """select year, count(*), sum(value_usd), min(loaded_at), max(loaded_at)
                    from intermediate.int_bulk__flows_mapped group by year order by year"""
    before = _query(warehouse, mapped_sql)
    assert [row[0] for row in before] == list(FIRST_YEARS)

    generate.write_year(bulk_env / "bulk", NEW_YEAR, ROWS_PER_YEAR, SEED)
    plan = plan_refresh(instance, definitions.get_repository_def())
    assert plan.selection and dg.AssetKey(["raw", "bulk_trade_flows"]) in plan.selection, plan.describe()
    assert dg.AssetKey(["raw", "usitc_dataweb"]) not in plan.selection
    result = job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=list(plan.selection))
    assert result.success

    after = _query(warehouse, mapped_sql)
    assert after[:-1] == before  # earlier years untouched: same rows, values and load times
    # The new year holds exactly the rows the staging rules keep: critical-mineral codes, both countries known.
    expected = _query(warehouse, f"""select count(*), sum(s.value_usd) from staging.stg_bulk__trade_flows as s
        where s.year = {NEW_YEAR} and s.importer_iso3 is not null and s.exporter_iso3 is not null
          and exists (select 1 from reference.hs_mineral_map as m where s.hs6 like m.commodity_code || '%')""")[0]
    assert after[-1][0] == NEW_YEAR and after[-1][1:3] == expected and expected[0] > 0

    # Contracts looked at the new rows only (the full build checked every row with this code).
    staging = _check_metadata(result, ["staging", "stg_bulk__trade_flows"])
    new_raw_rows = _query(warehouse, f"select count(*) from raw.bulk_trade_flows where t = {NEW_YEAR}")[0][0]
    assert staging["rows_checked"] == new_raw_rows == ROWS_PER_YEAR
    assert staging["scope"].startswith("bulk rows loaded after") and staging[WATERMARK]
    fact = _check_metadata(result, ["marts", "fct_trade_flows"])
    assert fact["bulk_years_checked"] == str(NEW_YEAR)

    # Published from the previous serving copy with only the changed rows replaced, and equal to the build.
    (publish,) = [m for m in result.asset_materializations_for_node("serve__chokepoint")]
    assert publish.metadata["published_from"].value == \
        f"previous copy; fct_trade_flows rows replaced where source <> 'bulk_trade' or year in ({NEW_YEAR})"
    served = bulk_env / "warehouse" / "serve" / "chokepoint.duckdb"
    assert _query(served, "select year, count(*) from marts.fct_trade_flows where source = 'bulk_trade' group by 1 order by 1") \
        == [(row[0], row[1]) for row in after]
    connection = duckdb.connect()
    connection.execute(f"attach '{warehouse}' as build (read_only)")
    connection.execute(f"attach '{served}' as served (read_only)")
    differences = connection.execute("""select count(*) from (
        (select * from build.marts.fct_trade_flows except all select * from served.marts.fct_trade_flows) union all
        (select * from served.marts.fct_trade_flows except all select * from build.marts.fct_trade_flows))""").fetchall()
    connection.close()
    assert differences == [(0,)]
