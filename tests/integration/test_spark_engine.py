"""The same dbt project on local Spark builds marts equal to DuckDB's (issue 16).

Reuses the session's DuckDB build (the golden warehouse of tests/conftest.py), exports its raw schema as Parquet, runs
`dbt build --target spark` (every model, seed and data test) in the .venv-spark side env once, then compares each mart
table the DuckDB build holds with Spark's Parquet output: row counts, the sum of every numeric column, and every column of
every row (doubles within 1e-9 relative: the engines sum in a different order)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.spark import engine

# The module's first test pays for the side env (pyspark, first run only) and the Spark build (~10 min on 2 cores).
pytestmark = pytest.mark.timeout(2400)

if shutil.which("java") is None:
    pytest.skip("Spark needs Java (17) on PATH", allow_module_level=True)


@pytest.fixture(scope="module")
def spark_build(pipeline_run, tmp_path_factory):
    result, warehouse = pipeline_run
    assert result.success, "refresh_warehouse failed; see the captured Dagster log"
    root = tmp_path_factory.mktemp("spark")
    engine.spark_python()  # side venv install, not part of the build time
    started = time.monotonic()
    elapsed = engine.build(warehouse=warehouse, root=root)
    print(f"\nSpark: dbt build {elapsed:.1f}s (export + build {time.monotonic() - started:.1f}s)")
    return root


@pytest.fixture(scope="module")
def duckdb_build(pipeline_run, tmp_path_factory):
    """The marts Spark is compared with: the session's DuckDB build itself (the golden warehouse, built by the refresh
    job with every check), copied to a file no other test holds open. A second `dbt build` here cost a minute and
    proved nothing the golden build does not."""
    _, warehouse = pipeline_run
    copy = tmp_path_factory.mktemp("duck") / "chokepoint.duckdb"
    shutil.copy(warehouse, copy)
    return copy


# The marts, and the report's figure data (dbt_project/models/report): a report drawn from a Spark build is the same.
COMPARED_SCHEMAS = ("marts", "report")


def mart_differences(warehouse_file: str | Path, spark_root: Path) -> tuple[list[str], list[str]]:
    """(tables compared, as schema.table; problems found) between a DuckDB warehouse and a Spark build's Parquet
    output, over COMPARED_SCHEMAS."""
    con = duckdb.connect()
    con.execute(f"attach '{warehouse_file}' as duck (read_only)")
    duck_tables = [f"{r[0]}.{r[1]}" for r in con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = 'duck' "
        f"and table_schema in {COMPARED_SCHEMAS} and table_type = 'BASE TABLE' order by 1, 2").fetchall()]
    problems = []
    for qualified in duck_tables:
        schema, table = qualified.split(".")
        folder = spark_root / "warehouse" / f"{schema}.db" / table
        if not folder.exists():
            problems.append(f"{table}: not built on Spark")
            continue
        spark_rel = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        duck_rel = f"duck.{schema}.\"{table}\""
        columns = con.execute(f"select column_name, data_type from information_schema.columns where table_catalog = 'duck' "
                              f"and table_schema = '{schema}' and table_name = '{table}' order by ordinal_position").fetchall()
        spark_columns = {r[0] for r in con.execute(f"describe select * from {spark_rel}").fetchall()}
        missing = {c for c, _ in columns} - spark_columns
        if missing:
            problems.append(f"{table}: Spark lacks columns {sorted(missing)}")
            continue
        n_duck = con.execute(f"select count(*) from {duck_rel}").fetchone()[0]
        n_spark = con.execute(f"select count(*) from {spark_rel}").fetchone()[0]
        if n_duck != n_spark:
            problems.append(f"{table}: {n_duck} rows on DuckDB, {n_spark} on Spark")
            continue
        numeric = [c for c, t in columns if t in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "HUGEINT", "SMALLINT")
                   or t.startswith("DECIMAL")]
        for column in numeric:
            s_duck, s_spark = (con.execute(f'select sum(cast("{column}" as double)) from {rel}').fetchone()[0]
                               for rel in (duck_rel, spark_rel))
            if (s_duck is None) != (s_spark is None) or (
                    s_duck is not None and abs(s_duck - s_spark) > 1e-9 * max(1.0, abs(s_duck))):
                problems.append(f"{table}.{column}: sum {s_duck} on DuckDB, {s_spark} on Spark")
        # Every column of every row: rows paired by sorting on all columns (text/int/date first), then text-like
        # columns must be equal and doubles within 1e-9 relative (the engines add in a different order).
        floats = [c for c, t in columns if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL")]
        exact = [c for c, _ in columns if c not in floats]
        order = ", ".join([f'cast("{c}" as varchar)' for c in exact] + [f'"{c}"' for c in floats])
        pick = ", ".join([f'cast("{c}" as varchar) as "{c}"' for c in exact] + [f'cast("{c}" as double) as "{c}"' for c in floats])
        checks = [f'a."{c}" is distinct from b."{c}"' for c in exact] + [
            f'(a."{c}" is null) != (b."{c}" is null) or abs(a."{c}" - b."{c}") > 1e-9 * greatest(1, abs(a."{c}"))'
            for c in floats]
        paired = (f"with a as (select {pick}, row_number() over (order by {order}) as rn from {duck_rel}), "
                  f"b as (select {pick}, row_number() over (order by {order}) as rn from {spark_rel}) "
                  f"select a.*, b.* from a join b using (rn) where {' or '.join(checks)}")
        differing = con.execute(paired).fetchall()
        if differing:
            problems.append(f"{table}: {len(differing)} rows differ, e.g. {differing[0]}")
    con.close()
    return duck_tables, problems


def test_spark_marts_equal_duckdb(spark_build, duckdb_build):
    tables, problems = mart_differences(duckdb_build, spark_build)
    assert len([t for t in tables if t.startswith("marts.")]) >= 15, f"DuckDB built only {tables}"
    assert "report.rpt_monthly_event_windows" in tables, tables
    assert not problems, "\n".join(problems)


def test_spark_build_ran_the_contracts(spark_build):
    """The build of the spark_build fixture passed every staging and mart contract on Spark (views such as
    fct_trade_flows included: they have no folder of their own, so the count, not the files, is the evidence)."""
    from data_contracts.marts import MART_CONTRACTS
    from data_contracts.sources.registry import STAGING_CONTRACTS

    contracted = len(STAGING_CONTRACTS) + len(MART_CONTRACTS)
    assert (spark_build / "contracts_passed.txt").read_text().split() == [str(contracted)]


def test_failing_staging_contract_on_spark_blocks_downstream(pipeline_run, spark_build, tmp_path, capfd):
    """A WGI row whose country code is not ISO3 ('Xx1') in the raw layer: dbt's own tests on stg_worldbank__wgi
    (not_null, unique key) pass, the Pandera contract (^[A-Z]{3}$) fails on Spark, and the governance model downstream
    is never built, as the blocking check stops it on DuckDB."""
    _, warehouse = pipeline_run
    bad = tmp_path / "bad.duckdb"
    shutil.copy(warehouse, bad)
    con = duckdb.connect(str(bad))
    changed = con.execute("update raw.wgi_snapshot set country_iso3 = 'Xx1' where (indicator_id, country_iso3, year) in "
                          "(select indicator_id, country_iso3, year from raw.wgi_snapshot where value is not null "
                          "order by all limit 1) returning indicator_id").fetchall()
    con.close()
    assert len(changed) == 1
    root = tmp_path / "spark"
    with pytest.raises(RuntimeError, match="blocking Pandera contracts failed"):
        engine.build(select="stg_worldbank__wgi+", warehouse=bad, root=root)
    err = capfd.readouterr().err
    assert "staging.stg_worldbank__wgi: StgWorldbankWgi failed" in err and "country_iso3" in err, err[-2000:]
    assert (root / "warehouse" / "staging.db" / "stg_worldbank__wgi").exists()
    assert not (root / "warehouse" / "intermediate.db" / "int_supply__governance").exists()
