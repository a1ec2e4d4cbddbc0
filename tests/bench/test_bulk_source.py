"""The bulk trade source: the in-database Pandera contract, the raw load (incremental, never via pandas) and the
three benchmark variants agreeing on a small synthetic data set."""

import duckdb
import ibis
import pandas as pd
import pytest

from bench import generate
from data_contracts.bulk import BulkTradeFlows
from data_contracts.vocabularies import DENOMINATOR_SCOPE_BY_SOURCE
from orchestration.validation import validate


def _table(tmp_path, rows_sql: str):
    connection = duckdb.connect(str(tmp_path / "contract.duckdb"))
    connection.execute("create schema raw")
    connection.execute(f"""create table raw.incoming as select t::int as t, i::int as i, j::int as j, k::int as k, v::double as v,
        q::double as q, 'f.parquet' as _source_file, now()::timestamp as _loaded_at from ({rows_sql}) as r(t, i, j, k, v, q)""")
    return connection, ibis.duckdb.from_connection(connection).table("incoming", database="raw")


def test_contract_passes_on_generated_data(tmp_path):
    path = generate.write_year(tmp_path / "bulk", 2021, 2_000, seed=1)
    connection, table = _table(tmp_path, f"select t, i, j, k, v, q from '{path}'")
    outcome = validate(table, BulkTradeFlows)
    assert outcome.passed, outcome.summary
    connection.close()


def test_contract_fails_on_bad_rows_and_reports_them(tmp_path):
    bad = "values (2021, 156, 842, 284610, 10.0, 1.0), (1850, 156, 842, 284610, 1.0, null), (2021, 156, 842, 284610, -5.0, 1.0), (2021, 0, 842, 12, 1.0, -1.0)"
    connection, table = _table(tmp_path, bad)
    outcome = validate(table, BulkTradeFlows)
    connection.close()
    assert not outcome.passed
    assert outcome.metadata["failure_count"] >= 5
    assert {"t", "v", "i", "k", "q"} <= set(outcome.metadata["failing_columns"]) or "failure_cases" in outcome.metadata


def test_raw_load_is_incremental_and_skips_unchanged_files(tmp_path, monkeypatch):
    import dagster as dg

    from orchestration.defs import bulk_assets

    bulk = tmp_path / "bulk"
    generate.write_year(bulk, 2020, 1_000, seed=5)
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv(bulk_assets.BULK_DIR_ENV, str(bulk))

    def materialize():
        result = dg.materialize([bulk_assets.bulk_trade_flows], instance=dg.DagsterInstance.ephemeral())
        assert result.success
        return result.asset_materializations_for_node("raw__bulk_trade_flows")[0].metadata

    first = materialize()
    assert first["files_loaded"].value == 1 and first["dagster/row_count"].value == 1_000
    assert materialize()["no_change"].value is True
    generate.write_year(bulk, 2021, 500, seed=5)
    third = materialize()
    assert third["files_loaded"].value == 1 and third["dagster/row_count"].value == 1_500
    connection = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    files = connection.execute("select years, row_count, synthetic, length(sha256) from raw.bulk_trade_flows__files order by years").fetchall()
    connection.close()
    assert files == [("2020", 1_000, True, 64), ("2021", 500, True, 64)]


def test_raw_load_rejects_a_bad_file_and_keeps_the_table(tmp_path, monkeypatch):
    import dagster as dg

    from orchestration.defs import bulk_assets

    bulk = tmp_path / "bulk"
    bulk.mkdir()
    writer = duckdb.connect()
    writer.execute(f"copy (select 2021::int t, 156::int i, 842::int j, 284610::int k, -1.0::double v, null::double q) to '{bulk}/bad.parquet'")
    writer.close()
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv(bulk_assets.BULK_DIR_ENV, str(bulk))
    result = dg.materialize([bulk_assets.bulk_trade_flows], instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert not result.success
    checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert checks and not checks[0].passed
    connection = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert connection.execute("select count(*) from raw.bulk_trade_flows").fetchone()[0] == 0
    assert connection.execute("select count(*) from raw.bulk_trade_flows__files").fetchone()[0] == 0
    connection.close()


def test_lower_bound_and_pandas_agree(tmp_path):
    """The two stand-alone variants compute the same marts (the pipeline joins them in `make bench-smoke`)."""
    from bench import variants

    data = generate.generate(tmp_path / "data", rows=20_000, seed=11, first_year=2021, last_year=2022)
    variants.lower_bound(data, tmp_path / "lb.duckdb")
    variants.pandas_baseline(data, tmp_path / "pandas")
    # Written one year at a time (as at 50M rows): the per-year parts together must equal the whole.
    marts = {mart: pd.concat([pd.read_parquet(part) for part in sorted((tmp_path / "pandas" / mart).glob("*.parquet"))])
             for mart in variants.MARTS}
    assert sorted(p.name for p in (tmp_path / "pandas" / "fct_trade_flows").glob("*.parquet")) == ["part-2021.parquet", "part-2022.parquet"]
    connection = duckdb.connect(str(tmp_path / "lb.duckdb"), read_only=True)
    for mart, frame in marts.items():
        rows = connection.execute(f"select count(*) from {mart}").fetchone()[0]
        assert rows == len(frame) > 0
    total = connection.execute("select sum(value_usd) from fct_trade_flows").fetchone()[0]
    assert total == pytest.approx(marts["fct_trade_flows"]["value_usd"].sum(), rel=1e-12)
    hhi = connection.execute("select sum(hhi) from import_dependency").fetchone()[0]
    assert hhi == pytest.approx(marts["import_dependency"]["hhi"].sum(), rel=1e-9)
    # The scope the pipeline writes for the bulk source (its one home), not a copy that can go stale: both said 'world'
    # after the pipeline had moved to 'named_partners', and the benchmark's agreement check failed on every row.
    scope = DENOMINATOR_SCOPE_BY_SOURCE["bulk_trade"]
    assert connection.execute("select distinct denominator_scope from import_dependency").fetchall() == [(scope,)]
    assert set(marts["import_dependency"]["denominator_scope"]) == {scope}
    connection.close()
