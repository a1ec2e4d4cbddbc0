"""Build the dbt project on Apache Spark (local mode) from the DuckDB warehouse's raw layer.

`python -m orchestration.spark.engine` (make run-spark, after the DuckDB raw load of make run):
1. exports every table of DuckDB's raw schema to Parquet under <spark dir>/raw/<table>/ (DuckDB's raw tables remain
   the source of truth: they are what the raw assets load and verify; the Parquet copy is derived, rewritten here);
2. runs orchestration/spark/build.py with the python of the .venv-spark side env (tests/spark/env.txt, exact pins,
   built on first use so the main lock never carries pyspark): `dbt build --target spark` in two stages with the
   Pandera contracts as blocking checks between and after them; the on-run-start hook (macros/spark_raw.sql)
   registers the Parquet folders as raw.* external tables.
Spark's tables land as Parquet under <spark dir>/warehouse/<schema>.db/<table>/ (readable by DuckDB for checks).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from orchestration import settings
from orchestration.cli import pinned_env
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, warehouse_path
from orchestration.storage.warehouse import RAW_SCHEMA, open_duckdb, tables_in

ENGINE_ENV = settings.ENGINE.name
SPARK_DIR_ENV = settings.SPARK_DIR.name
REQUIREMENTS = PROJECT_ROOT / "tests" / "spark" / "env.txt"
CACHE = PROJECT_ROOT / ".venv-spark"


def spark_dir() -> Path:
    return settings.spark_dir().resolve()


def spark_python() -> Path:
    """The side venv's python (orchestration/cli/pinned_env.py: built on first use, cached by the hash of its pins)."""
    return pinned_env.python_of(CACHE, "spark", REQUIREMENTS)


def export_raw(warehouse: Path, target: Path) -> list[str]:
    """Every raw.* table of the DuckDB warehouse as a Parquet folder target/<table>/; returns the table names."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    con = open_duckdb(warehouse, read_only=True)
    try:
        tables = tables_in(con, RAW_SCHEMA)
        for table in tables:
            folder = target / table
            folder.mkdir()
            # Spark 3.5 cannot read nanosecond Parquet timestamps (pandas-loaded tables have them): microseconds,
            # as every other timestamp column already is.
            columns = con.execute("select column_name, data_type from information_schema.columns where "
                                  "table_schema = 'raw' and table_name = ? order by ordinal_position", [table]).fetchall()
            select = ", ".join(f'cast("{c}" as timestamp) as "{c}"' if t in ("TIMESTAMP_NS", "TIMESTAMP_S", "TIMESTAMP_MS")
                               else f'"{c}"' for c, t in columns)
            con.execute(f"copy (select {select} from raw.\"{table}\") to '{folder / 'part-0.parquet'}' (format parquet)")
    finally:
        con.close()
    return tables


def dbt_env(root: Path) -> dict[str, str]:
    env = dict(os.environ, **{ENGINE_ENV: "spark", SPARK_DIR_ENV: str(root)})
    env.setdefault(settings.DBT_FILE_LOG_LEVEL_ENV, settings.DBT_FILE_LOG_LEVEL)
    env.setdefault("JAVA_HOME", _java_home())
    return env


def _java_home() -> str:
    java = shutil.which("java")
    return str(Path(java).resolve().parent.parent) if java else ""


def build(select: str | None = None, full_refresh: bool = True, warehouse: Path | None = None,
          root: Path | None = None, extra_args: tuple[str, ...] = ()) -> float:
    """Export raw, run dbt build on Spark with the blocking contracts (orchestration/spark/build.py); returns the
    wall time of the build and its contracts in seconds (raises on a dbt or contract failure)."""
    root = root or spark_dir()
    root.mkdir(parents=True, exist_ok=True)
    tables = export_raw(warehouse or warehouse_path(), root / "raw")
    python = spark_python()
    variables = json.dumps({"spark_raw_dir": str(root / "raw"), "spark_raw_tables": tables})
    dbt_args = ["build", "--target", "spark", "--project-dir", str(DBT_PROJECT_DIR),
                "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(root / "dbt_target"),
                "--log-path", str(root / "dbt_logs"), "--vars", variables, *extra_args]
    if full_refresh:
        dbt_args.append("--full-refresh")
    request = json.dumps({"dbt_args": dbt_args, "select": select})
    env = dbt_env(root)
    # The side env has no editable install of this project: data_contracts and orchestration from the checkout.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    started = time.monotonic()
    # cwd = spark dir: Spark writes derby.log / spark-warehouse fallbacks there, not into the repo.
    done = subprocess.run([str(python), "-m", "orchestration.spark.build", request], cwd=root, env=env)
    elapsed = time.monotonic() - started
    if done.returncode == 2:
        raise RuntimeError("blocking Pandera contracts failed on Spark (see the lines above)")
    if done.returncode != 0:
        raise RuntimeError(f"dbt build --target spark failed (exit {done.returncode})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", default=None)
    parser.add_argument("--incremental", action="store_true", help="no --full-refresh")
    parser.add_argument("--no-data-tests", action="store_true", help="seeds, models and unit tests only")
    args = parser.parse_args()
    extra = ("--exclude-resource-type", "test") if args.no_data_tests else ()
    elapsed = build(args.select, full_refresh=not args.incremental, extra_args=extra)
    print(f"dbt build --target spark (with contracts): {elapsed:.1f}s")


if __name__ == "__main__":
    main()
