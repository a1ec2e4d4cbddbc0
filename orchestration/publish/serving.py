"""Build the serving copy beside the live one, then swap it in with one atomic rename.

Readers never open the build warehouse (DuckDB allows one writer *or* many readers). They open
``serve/chokepoint.duckdb`` read-only; a publish writes a complete new file under a temporary name, checkpoints
and fsyncs it, and ``os.replace``s it over the old one. A reader holding the old file keeps reading the old
inode; a new reader sees the new file; nobody ever sees half a publish. A crash (even ``kill -9``) before the
rename leaves only a ``.tmp-*`` file that the next publish deletes.

Parquet exports and the data-quality site go to ``serve/releases/<publish_id>/`` and are exposed through the
``serve/parquet`` and ``serve/data_docs`` symlinks, each swapped atomically the same way."""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.storage.warehouse import open_duckdb, tables_in

SERVING_FILE = "chokepoint.duckdb"
MART_SCHEMA = "marts"
# Label tables (dbt_project/models/reference/) published beside the marts under the schema name they have in the
# build, so a query written against either file reads the same. Named here, not read from the schema: the build's
# `reference` schema also holds the internal seeds, which are not part of the published interface.
REFERENCE_SCHEMA = "reference"
LABEL_TABLES = ("countries", "minerals", "measures")
# The report's figure data (dbt_project/models/report/): copied whole so the report drawn from the serving copy shows
# what BI users read; not exported as Parquet (not a BI interface).
REPORT_SCHEMA = "report"
PUBLISH_TABLE = "publish_info"
RELEASES = "releases"
RELEASES_KEPT = 3
# The serving file's on-disk format: the oldest DuckDB that BI tools still bundle must open it. Superset's
# `[duckdb]` extra, duckdb-engine users and many drivers ship DuckDB 1.4/1.5, which cannot read the 2.0 default
# ("version number 69, but we can only read versions between 64 and 67/68"); v1.4.0 is read by 1.4.x, 1.5.x and 2.x
# (tests/publish/test_serving.py opens it with duckdb 1.4.2). The build warehouse keeps DuckDB's default.
STORAGE_VERSION = "v1.4.0"


def new_publish_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:8]


def build_candidate(build_warehouse: Path, serve_dir: Path, publish_id: str, marts: list[str] | None = None) -> tuple[Path, dict[str, int]]:
    """Copy every mart into a new DuckDB file named ``.tmp-<publish_id>.duckdb``; return it and its row counts."""
    serve_dir.mkdir(parents=True, exist_ok=True)
    candidate = serve_dir / f".tmp-{publish_id}.duckdb"
    _create_empty(candidate)
    connection = open_duckdb(candidate)
    try:
        connection.execute(f"attach '{_sql_path(build_warehouse)}' as build (read_only)")
        names = marts or _mart_names(connection, "build")
        if not names:
            raise RuntimeError(f"{build_warehouse} has no tables in schema {MART_SCHEMA!r}: nothing to publish")
        connection.execute(f"create schema {MART_SCHEMA}")
        counts = {}
        for name in names:
            connection.execute(f'create table {MART_SCHEMA}."{name}" as select * from build.{MART_SCHEMA}."{name}"')
            _copy_comments(connection, name)
            counts[name] = connection.execute(f'select count(*) from {MART_SCHEMA}."{name}"').fetchone()[0]
        _copy_labels(connection)
        _copy_report_data(connection)
        _write_publish_info(connection, publish_id, counts)
        connection.execute("detach build")
        connection.execute("checkpoint")
    finally:
        connection.close()
    _fsync(candidate)
    return candidate, counts


class DeltaMismatch(RuntimeError):
    """The copied serving file plus the changed rows does not add up to the build: publish in full instead."""


def build_candidate_from_previous(previous: Path, build_warehouse: Path, serve_dir: Path, publish_id: str,
                                  changed_rows: dict[str, str]) -> tuple[Path, dict[str, int]]:
    """Like ``build_candidate``, but start from a copy of the previous serving file.

    Every mart is copied from the build again, except those in ``changed_rows`` (mart -> SQL predicate): there only
    the rows matching the predicate are deleted and re-inserted from the build. At 50M fact rows and one new year this
    replaces a 16 s copy with ~1 s of file copy and the new year's rows. The caller vouches that no other row can
    differ (same code, nothing reloaded: orchestration/refresh/recheck_scope.py); the row counts are verified anyway."""
    serve_dir.mkdir(parents=True, exist_ok=True)
    if storage_version(previous) != STORAGE_VERSION:
        # A copy keeps the file's format; one written before the format was pinned must be rewritten in full.
        raise DeltaMismatch(f"{previous} is in storage version {storage_version(previous)}, not {STORAGE_VERSION}")
    candidate = serve_dir / f".tmp-{publish_id}.duckdb"
    shutil.copyfile(previous, candidate)
    connection = open_duckdb(candidate)
    try:
        connection.execute(f"attach '{_sql_path(build_warehouse)}' as build (read_only)")
        names = _mart_names(connection, "build")
        served = _mart_names(connection, connection.execute("select current_database()").fetchall()[0][0])
        for stale in set(served) - set(names) - {PUBLISH_TABLE}:
            connection.execute(f'drop table {MART_SCHEMA}."{stale}"')
        counts = {}
        for name in names:
            source = f'build.{MART_SCHEMA}."{name}"'
            if name in changed_rows:
                predicate = changed_rows[name]
                connection.execute(f'delete from {MART_SCHEMA}."{name}" where {predicate}')
                connection.execute(f'insert into {MART_SCHEMA}."{name}" select * from {source} where {predicate}')
                expected = connection.execute(f"select count(*) from {source}").fetchall()[0][0]
            else:
                connection.execute(f'create or replace table {MART_SCHEMA}."{name}" as select * from {source}')
                expected = None
            _copy_comments(connection, name)
            counts[name] = connection.execute(f'select count(*) from {MART_SCHEMA}."{name}"').fetchall()[0][0]
            if expected is not None and counts[name] != expected:
                raise DeltaMismatch(f"{name}: {counts[name]} rows after replacing the changed rows, {expected} in the build")
        connection.execute(f"drop table {MART_SCHEMA}.{PUBLISH_TABLE}")
        _copy_labels(connection)
        _copy_report_data(connection)
        _write_publish_info(connection, publish_id, counts)
        connection.execute("detach build")
        connection.execute("checkpoint")
    except BaseException:
        connection.close()
        candidate.unlink(missing_ok=True)
        raise
    connection.close()
    _fsync(candidate)
    return candidate, counts


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_labels(connection: duckdb.DuckDBPyConnection) -> None:
    """Copy the label tables (small: replaced in full by every publish, delta or not) with their comments.

    Only those the build has: a build made before they existed still publishes its marts (the golden-warehouse test
    tests/integration/test_bi_recipes.py proves a real build publishes all three)."""
    connection.execute(f"create schema if not exists {REFERENCE_SCHEMA}")
    present = set(tables_in(connection, REFERENCE_SCHEMA, "build"))
    for name in (label for label in LABEL_TABLES if label in present):
        connection.execute(f'create or replace table {REFERENCE_SCHEMA}."{name}" as '
                           f'select * from build.{REFERENCE_SCHEMA}."{name}"')
        _copy_comments(connection, name, REFERENCE_SCHEMA)


def _copy_report_data(connection: duckdb.DuckDBPyConnection) -> None:
    """Replace the report schema with the build's (a few hundred rows; a delta publish copies it whole as well)."""
    connection.execute(f"drop schema if exists {REPORT_SCHEMA} cascade")
    connection.execute(f"create schema {REPORT_SCHEMA}")
    for name in tables_in(connection, REPORT_SCHEMA, "build"):
        connection.execute(f'create table {REPORT_SCHEMA}."{name}" as select * from build.{REPORT_SCHEMA}."{name}"')
        _copy_comments(connection, name, REPORT_SCHEMA)


def _copy_comments(connection: duckdb.DuckDBPyConnection, name: str, schema: str = MART_SCHEMA) -> None:
    """Carry the mart's table and column comments over from the build (dbt's persist_docs writes the YAML descriptions
    there): ``create table ... as select`` drops them, and they are what BI clients show beside each name."""
    table_comment = connection.execute(  # a mart built as a view (fct_trade_flows) is published as a table
        "select comment from duckdb_tables() where database_name = 'build' and schema_name = ? and table_name = ?"
        " union all select comment from duckdb_views() where database_name = 'build' and schema_name = ?"
        " and view_name = ?", [schema, name, schema, name]).fetchall()
    if table_comment and table_comment[0][0]:
        connection.execute(f'comment on table {schema}."{name}" is {_sql_literal(table_comment[0][0])}')
    columns = connection.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'build' and schema_name = ?"
        " and table_name = ? and comment is not null and comment <> ''", [schema, name]).fetchall()
    for column, comment in columns:
        connection.execute(f'comment on column {schema}."{name}"."{column}" is {_sql_literal(comment)}')


def _create_empty(path: Path) -> None:
    """An empty database file in ``STORAGE_VERSION``: DuckDB keeps a file's format when it is reopened and written."""
    creator = duckdb.connect()
    try:
        creator.execute(f"attach '{_sql_path(path)}' as candidate (storage_version '{STORAGE_VERSION}')")
        creator.execute("detach candidate")
    finally:
        creator.close()


def storage_version(path: Path) -> str | None:
    """The format a DuckDB file was written in, as DuckDB reports it (``v1.4.0+`` means v1.4.0 or later readers)."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{_sql_path(path)}' as inspected (read_only)")
        tags = connection.execute("select tags from duckdb_databases() where database_name = 'inspected'").fetchone()[0]
    finally:
        connection.close()
    version = (tags or {}).get("storage_version")
    return version.rstrip("+") if version else None


def _mart_names(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return tables_in(connection, MART_SCHEMA, catalog)


def _write_publish_info(connection: duckdb.DuckDBPyConnection, publish_id: str, counts: dict[str, int]) -> None:
    # Readers check a snapshot against this table: same publish_id, same row counts, in one connection.
    connection.execute(
        f"create table {MART_SCHEMA}.{PUBLISH_TABLE} (publish_id varchar, published_at timestamp, mart varchar, row_count bigint)"
    )
    published_at = datetime.now(UTC).replace(tzinfo=None)
    connection.executemany(
        f"insert into {MART_SCHEMA}.{PUBLISH_TABLE} values (?, ?, ?, ?)",
        [(publish_id, published_at, name, rows) for name, rows in counts.items()],
    )
    connection.execute(f"comment on table {MART_SCHEMA}.{PUBLISH_TABLE} is 'One row per mart of this serving copy: "
                       "compare publish_id and row_count inside one connection to know which publish you read.'")
    for column, comment in (("publish_id", "Identifier of the publish that wrote this copy (UTC time and a random suffix)."),
                            ("published_at", "When the copy was published (UTC)."),
                            ("mart", "Table name in schema marts."),
                            ("row_count", "Rows of that mart in this copy.")):
        connection.execute(f"comment on column {MART_SCHEMA}.{PUBLISH_TABLE}.{column} is {_sql_literal(comment)}")


def export_parquet(candidate: Path, release_dir: Path) -> dict[str, Path]:
    target = release_dir / "parquet"
    target.mkdir(parents=True, exist_ok=True)
    connection = open_duckdb(candidate, read_only=True)
    try:
        files = {}
        for table in tables_in(connection, MART_SCHEMA):
            path = target / f"{table}.parquet"
            connection.execute(f"copy {MART_SCHEMA}.\"{table}\" to '{_sql_path(path)}' (format parquet)")
            files[table] = path
        labels = target / REFERENCE_SCHEMA
        labels.mkdir(exist_ok=True)
        for table in tables_in(connection, REFERENCE_SCHEMA):
            path = labels / f"{table}.parquet"
            connection.execute(f"copy {REFERENCE_SCHEMA}.\"{table}\" to '{_sql_path(path)}' (format parquet)")
            files[f"{REFERENCE_SCHEMA}.{table}"] = path
        return files
    finally:
        connection.close()


def swap_in(candidate: Path, serve_dir: Path, release_dir: Path) -> Path:
    """Make the candidate the serving copy, then point the Parquet and docs symlinks at its release."""
    serving = serve_dir / SERVING_FILE
    os.replace(candidate, serving)
    _fsync(serve_dir)
    for link_name in ("parquet", "data_docs"):
        if (release_dir / link_name).exists():
            _swap_symlink(serve_dir / link_name, release_dir / link_name)
    return serving


def clean_up(serve_dir: Path, current_release: Path) -> None:
    """Remove candidates abandoned by crashed publishes and all but the newest releases."""
    for stale in serve_dir.glob(".tmp-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    releases = sorted((serve_dir / RELEASES).glob("*"), key=lambda p: p.name)
    for old in releases[:-RELEASES_KEPT]:
        if old != current_release:
            shutil.rmtree(old, ignore_errors=True)


def release_dir_for(serve_dir: Path, publish_id: str) -> Path:
    path = serve_dir / RELEASES / publish_id
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_publish_ids(serving: Path) -> list[str]:
    connection = open_duckdb(serving, read_only=True)
    try:
        return [row[0] for row in connection.execute(f"select distinct publish_id from {MART_SCHEMA}.{PUBLISH_TABLE}").fetchall()]
    finally:
        connection.close()


def read_publish_info(serving: Path) -> dict[str, int]:
    connection = open_duckdb(serving, read_only=True)
    try:
        return dict(connection.execute(f"select mart, row_count from {MART_SCHEMA}.{PUBLISH_TABLE}").fetchall())
    finally:
        connection.close()


def _swap_symlink(link: Path, target: Path) -> None:
    temporary = link.with_name(f".tmp-link-{uuid.uuid4().hex[:8]}")
    temporary.symlink_to(os.path.relpath(target, link.parent))
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a real directory left by an older layout
    os.replace(temporary, link)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
