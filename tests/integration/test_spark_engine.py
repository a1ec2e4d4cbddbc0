"""The same dbt project on local Spark builds marts equal to DuckDB's (issue 16).

Reuses the session's DuckDB build (tests/integration/conftest.py), exports its raw schema as Parquet, runs
`dbt build --target spark` (every model, seed and data test) in the .venv-spark side env, then compares each mart
table DuckDB built with Spark's Parquet output: row counts, the sum of every numeric column, and every column of
every row (doubles rounded to 6 significant digits: the engines sum in a different order)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration import spark_engine
from orchestration.settings import DBT_PROJECT_DIR

pytestmark = [pytest.mark.integration, pytest.mark.spark]

if shutil.which("java") is None:
    pytest.skip("Spark needs Java (17) on PATH", allow_module_level=True)


@pytest.fixture(scope="module")
def spark_build(pipeline_run, tmp_path_factory):
    result, warehouse = pipeline_run
    assert result.success, "refresh_warehouse failed; see the captured Dagster log"
    root = tmp_path_factory.mktemp("spark")
    spark_engine.spark_python()  # side venv install, not part of the build time
    started = time.monotonic()
    elapsed = spark_engine.build(warehouse=warehouse, root=root)
    print(f"\nSpark: dbt build {elapsed:.1f}s (export + build {time.monotonic() - started:.1f}s)")
    return root


@pytest.fixture(scope="module")
def duckdb_build(pipeline_run, tmp_path_factory, spark_build):
    """The same `dbt build --full-refresh` on DuckDB, on a copy of the session warehouse (same raw tables): the
    timing note, and the marts Spark is compared with (a file no other test holds open)."""
    _, warehouse = pipeline_run
    copy = tmp_path_factory.mktemp("duck") / "chokepoint.duckdb"
    shutil.copy(warehouse, copy)
    env = dict(os.environ, CHOKEPOINT_WAREHOUSE=str(copy))
    env.pop(spark_engine.ENGINE_ENV, None)
    started = time.monotonic()
    done = subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "--full-refresh", "--project-dir",
                           str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path",
                           str(copy.parent / "target"), "--log-path", str(copy.parent / "logs")],
                          env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-3000:]
    print(f"\nDuckDB: dbt build {elapsed:.1f}s")
    return copy


def _normalised(con, relation: str, columns: list[tuple[str, str]]) -> str:
    """Select list that makes both engines' values comparable: doubles to 6 significant digits, decimals as
    double likewise, everything else as text (Spark and DuckDB spell types differently)."""
    parts = []
    for name, dtype in columns:
        q = f'"{name}"'
        if dtype in ("DOUBLE", "FLOAT", "REAL") or dtype.startswith("DECIMAL"):
            parts.append(f"case when {q} is null then null when {q} = 0 then '0' "
                         f"else printf('%.5e', cast({q} as double)) end as {q}")
        else:
            parts.append(f"cast({q} as varchar) as {q}")
    return f"select {', '.join(parts)} from {relation}"


def mart_differences(warehouse_file: str | Path, spark_root: Path) -> tuple[list[str], list[str]]:
    """(mart tables compared, problems found) between a DuckDB warehouse and a Spark build's Parquet output."""
    con = duckdb.connect()
    con.execute(f"attach '{warehouse_file}' as duck (read_only)")
    duck_tables = [r[0] for r in con.execute(
        "select table_name from duck.information_schema.tables where table_schema = 'marts' "
        "and table_type = 'BASE TABLE' order by 1").fetchall()]
    problems = []
    for table in duck_tables:
        folder = spark_root / "warehouse" / "marts.db" / table
        if not folder.exists():
            problems.append(f"{table}: not built on Spark")
            continue
        spark_rel = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        duck_rel = f"duck.marts.\"{table}\""
        columns = con.execute(f"select column_name, data_type from duck.information_schema.columns "
                              f"where table_schema = 'marts' and table_name = '{table}' order by ordinal_position").fetchall()
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
        only_duck = con.execute(f"select count(*) from ({_normalised(con, duck_rel, columns)} except all "
                                f"{_normalised(con, spark_rel, columns)})").fetchone()[0]
        if only_duck:
            example = con.execute(f"{_normalised(con, duck_rel, columns)} except all "
                                  f"{_normalised(con, spark_rel, columns)} limit 1").fetchone()
            problems.append(f"{table}: {only_duck} rows differ, e.g. DuckDB row {example}")
    con.close()
    return duck_tables, problems


def test_spark_marts_equal_duckdb(spark_build, duckdb_build):
    tables, problems = mart_differences(duckdb_build, spark_build)
    assert len(tables) >= 15, f"DuckDB built only {tables}"
    assert not problems, "\n".join(problems)
