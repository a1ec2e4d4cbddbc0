"""DuckDB connections and the raw-layer writer.

DuckDB allows one read-write process or many read-only ones: every writer goes through ``write_raw_table``
inside the ``duckdb_writer`` pool, and every checker opens the file read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.settings import memory_limit, warehouse_path

RAW_SCHEMA = "raw"
WRITER_POOL = "duckdb_writer"


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    # fetchall, not fetchone: the connection may be shared with ibis, and DuckDB refuses new work on a half-read result.
    return connection.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                              [schema, table]).fetchall()[0][0] > 0


def open_duckdb(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection with the bounded memory dbt gets: DuckDB's own default is 80% of RAM per process, and the publish
    and check steps share their process with Dagster. Set with SET rather than connect(config=...): DuckDB refuses a
    second connection to an open file whose config differs, and a caller in the same process may have opened it."""
    connection = duckdb.connect(str(path), read_only=read_only)
    connection.execute(f"set memory_limit = '{memory_limit()}'")
    return connection


@contextmanager
def connect(read_only: bool = False, path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    target = path or warehouse_path()
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    connection = open_duckdb(target, read_only=read_only)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def transaction(connection: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed when the block ends, rolled back (and the error re-raised) when it raises, so
    readers see the old rows or the new ones, never a mix."""
    connection.execute("begin transaction")
    try:
        yield connection
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise


def write_raw_table(table: str, frame: pd.DataFrame) -> int:
    """Replace raw.<table> in one transaction, so readers see the old rows or the new ones, never a mix."""
    with connect() as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        connection.register("incoming_frame", frame)
        with transaction(connection):
            connection.execute(f"create or replace table {RAW_SCHEMA}.{table} as select * from incoming_frame")
        return connection.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
