"""DuckDB connections and the raw-layer writers (``write_raw_table`` replaces a table, ``append_vintages`` adds a
live response's rows beside earlier vintages; the bulk loaders write through ``connect`` and ``transaction``).

DuckDB allows one read-write process or many read-only ones: every writer runs inside the ``duckdb_writer`` pool,
and every checker opens the file read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.settings import DUCKDB_THREADS, memory_limit, warehouse_path

RAW_SCHEMA = "raw"
WRITER_POOL = "duckdb_writer"


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    # fetchall, not fetchone: the connection may be shared with ibis, and DuckDB refuses new work on a half-read result.
    return connection.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                              [schema, table]).fetchall()[0][0] > 0


def tables_in(connection: duckdb.DuckDBPyConnection, schema: str, catalog: str | None = None) -> list[str]:
    """Table names of one schema, in name order (of one attached database when ``catalog`` is given)."""
    where, params = ("table_schema = ? and table_catalog = ?", [schema, catalog]) if catalog else ("table_schema = ?", [schema])
    return [row[0] for row in connection.execute(
        f"select table_name from information_schema.tables where {where} order by table_name", params).fetchall()]


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


def tune_for_bulk(connection: duckdb.DuckDBPyConnection) -> None:
    """Same limits as the dbt profile (bounded memory, spill beside the file), the bulk load's thread count, and no
    insertion order to keep: what a load of tens of millions of rows needs."""
    connection.execute(f"set memory_limit = '{memory_limit()}'")
    threads = DUCKDB_THREADS.get()
    if threads:
        connection.execute(f"set threads = {threads}")
    connection.execute("set preserve_insertion_order = false")


def append_vintages(table: str, frame: pd.DataFrame, shas: list[str]) -> int:
    """Add the rows parsed from these responses to raw.<table>, keeping every earlier vintage.

    Rows of a response are a function of its bytes, so deleting rows with the same sha256 first makes a re-run
    idempotent; all of it happens in one transaction, so readers see the old table or the new one."""
    with connect() as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        connection.register("incoming_frame", frame)
        with transaction(connection):
            connection.execute(f"create table if not exists {RAW_SCHEMA}.{table} as select * from incoming_frame where false")
            if shas:
                connection.execute(f"delete from {RAW_SCHEMA}.{table} where _source_sha256 in (select unnest(?))", [shas])
            connection.execute(f"insert into {RAW_SCHEMA}.{table} by name select * from incoming_frame")
        return connection.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
