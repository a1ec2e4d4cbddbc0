"""Bulk trade source: a folder of CEPII BACI files (``CHOKEPOINT_BULK_TRADE_DIR``) landed in ``raw.bulk_trade_flows``
without ever passing through pandas: CEPII's yearly CSVs as the release zip holds them (``BACI_HS17_Y2024_V202601.csv``)
or Parquet files of the same t,i,j,k,v,q columns (the benchmark's), read by orchestration/extract/baci.py, the reader
the snapshot's BACI asset uses too.

* DuckDB ``read_parquet`` reads only the files that are new or changed since the last load (size + mtime, then
  sha256 of the changed ones) into ``raw.bulk_trade_flows__incoming``.
* The Pandera contract (data_contracts/bulk.py) runs on that table *inside DuckDB* (ibis backend). A violation is
  a failing blocking check with the failing rows in its metadata; ``raw.bulk_trade_flows`` is left untouched.
* Valid rows replace those of the same files in one transaction; ``raw.bulk_trade_flows__files`` records what was
  loaded (file, size, mtime, sha256, rows, years, synthetic flag from the Parquet metadata, loaded_at).
* No change on disk = no write at all, so a no-change refresh costs one directory listing here.

Unset ``CHOKEPOINT_BULK_TRADE_DIR``: the tables exist but are empty (the snapshot build is unchanged). A file removed
from the folder has its rows deleted from raw; the incremental dbt models keep that year until
``dbt build --full-refresh`` (docs/BENCHMARKS.md)."""


import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import ibis

from data_contracts.bulk import BulkTradeFlows
from data_contracts.staging import StgBulkTradeFlows
from orchestration.code_versions import code_version, lineage_code_version
from orchestration.extract import baci
from orchestration.inputs import data_version, input_tags
from orchestration.recheck_scope import bulk_scope, pass_observation
from orchestration.settings import BULK_DIR_ENV, DBT_PROJECT_DIR, DUCKDB_THREADS, bulk_dir, memory_limit, warehouse_path
from orchestration.validation import CONTRACT_CHECK, ContractOutcome, validate
from orchestration.warehouse import RAW_SCHEMA, WRITER_POOL, connect, open_duckdb, transaction

COUNTRY_SEED = DBT_PROJECT_DIR / "seeds" / "baci_country_codes.csv"
TABLE = "bulk_trade_flows"
INCOMING = f"{TABLE}__incoming"
FILES = f"{TABLE}__files"
SOURCE = "bulk_trade"
KEY = dg.AssetKey([RAW_SCHEMA, TABLE])

RAW_DDL = f"""
create table if not exists {RAW_SCHEMA}.{TABLE} (
    t integer, i integer, j integer, k integer, v double, q double,
    _source varchar, _source_file varchar, _source_sha256 varchar, _retrieved_at timestamp, _loaded_at timestamp
)"""
FILES_DDL = f"""
create table if not exists {RAW_SCHEMA}.{FILES} (
    file varchar primary key, size_bytes bigint, mtime_ns bigint, sha256 varchar, row_count bigint,
    years varchar, synthetic boolean, loaded_at timestamp
)"""


def configure(connection: duckdb.DuckDBPyConnection) -> None:
    """Same limits as the dbt profile: bounded memory, spill to <warehouse>.tmp beside the file."""
    connection.execute(f"set memory_limit = '{memory_limit()}'")
    threads = DUCKDB_THREADS.get()
    if threads:
        connection.execute(f"set threads = {threads}")
    connection.execute("set preserve_insertion_order = false")


@dataclass(frozen=True)
class FileState:
    path: str
    size_bytes: int
    mtime_ns: int


def files_on_disk(directory: "Path | None") -> dict[str, FileState]:
    if directory is None:
        return {}
    if not directory.is_dir():
        raise dg.Failure(description=f"{BULK_DIR_ENV}={directory} is not a directory")
    states = {}
    paths = [*directory.rglob("*.parquet"), *(p for p in directory.rglob("*.csv") if baci.is_native_csv(p))]
    for path in sorted(paths):
        stat = path.stat()
        states[str(path)] = FileState(str(path), stat.st_size, stat.st_mtime_ns)
    return states


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def ensure_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    connection.execute(RAW_DDL)
    connection.execute(FILES_DDL)


def plan(connection: duckdb.DuckDBPyConnection, on_disk: dict[str, FileState]) -> tuple[list[str], list[str]]:
    """Files to (re)load and files to forget. Unchanged size and mtime = unchanged file (sha256 is not re-read)."""
    known = {row[0]: (row[1], row[2]) for row in connection.execute(
        f"select file, size_bytes, mtime_ns from {RAW_SCHEMA}.{FILES}").fetchall()}
    changed = [p for p, s in on_disk.items() if known.get(p) != (s.size_bytes, s.mtime_ns)]
    removed = sorted(set(known) - set(on_disk))
    return changed, removed


@dg.asset(
    key=KEY,
    group_name=RAW_SCHEMA,
    kinds={"duckdb", "parquet"},
    tags=input_tags("bulk_trade_dir"),
    code_version=code_version(__name__),
    pool=WRITER_POOL,
    description=(
        "Bulk trade flows in the shape of CEPII BACI (t year, i exporter, j importer, k HS6, v thousand USD, q tons) "
        f"from the Parquet files under ${BULK_DIR_ENV}; empty when unset. Loaded by DuckDB (never pandas), only new "
        "or changed files, validated in-database before they replace the rows of the same files."
    ),
    check_specs=[dg.AssetCheckSpec(CONTRACT_CHECK, asset=KEY, blocking=True,
                                   description="Incoming rows satisfy data_contracts.bulk.BulkTradeFlows (checked inside DuckDB) "
                                               "before they are swapped in")],
)
def bulk_trade_flows(context: dg.AssetExecutionContext):
    version = data_version("bulk_trade_dir")
    directory = bulk_dir()
    on_disk = files_on_disk(directory)
    timings: dict[str, float] = {}
    with connect() as connection:
        configure(connection)
        ensure_tables(connection)
        changed, removed = plan(connection, on_disk)
        if not changed and not removed:
            rows = connection.execute(f"select count(*) from {RAW_SCHEMA}.{TABLE}").fetchone()[0]
            yield dg.MaterializeResult(metadata={
                "dagster/row_count": rows, "files_loaded": 0, "files_removed": 0, "no_change": True,
                "bulk_dir": str(directory) if directory else "(unset)", "dagster/table_name": f"{RAW_SCHEMA}.{TABLE}",
            }, data_version=version)
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True,
                                      metadata={"contract": BulkTradeFlows.__name__, "failure_count": 0, "rows_checked": 0},
                                      description="no new or changed files")
            return

        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        started = time.monotonic()
        if changed:
            per_file = " union all ".join(
                f"select *, '{path.replace(chr(39), chr(39) * 2)}' as _source_file from ({baci.native_select(path)})"
                for path in changed
            )
            connection.execute(f"""
                create or replace table {RAW_SCHEMA}.{INCOMING} as
                select t, i, j, k, v, q,
                       '{SOURCE}' as _source, _source_file, cast(null as varchar) as _source_sha256,
                       cast(null as timestamp) as _retrieved_at, ?::timestamp as _loaded_at
                from ({per_file})
            """, [loaded_at])
        else:
            connection.execute(f"create or replace table {RAW_SCHEMA}.{INCOMING} as select * from {RAW_SCHEMA}.{TABLE} limit 0")
        timings["read_parquet_s"] = time.monotonic() - started

        started = time.monotonic()
        incoming_rows = connection.execute(f"select count(*) from {RAW_SCHEMA}.{INCOMING}").fetchone()[0]
        outcome = validate_unless_empty(connection, RAW_SCHEMA, INCOMING, BulkTradeFlows, incoming_rows)
        timings["validation_s"] = time.monotonic() - started
        check_metadata = {**outcome.metadata, "rows_checked": incoming_rows, "validation_s": round(timings["validation_s"], 3)}
        if not outcome.passed:
            connection.execute(f"drop table if exists {RAW_SCHEMA}.{INCOMING}")
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=False, metadata=check_metadata)
            raise dg.Failure(description=f"raw.{TABLE} not changed: {outcome.summary}", metadata=check_metadata)

        started = time.monotonic()
        digests = {path: sha256(path) for path in changed}
        fingerprints = {row[0]: row[1:] for row in connection.execute(f"""
            select _source_file, string_agg(distinct cast(t as varchar), ',' order by cast(t as varchar)), count(*)
            from {RAW_SCHEMA}.{INCOMING} group by _source_file
        """).fetchall()} if changed else {}
        synthetic = _synthetic_flags(connection, [p for p in changed if p.endswith(".parquet")])
        unmapped = unmapped_code_rows(connection, f"{RAW_SCHEMA}.{INCOMING}") if changed else 0
        timings["fingerprint_s"] = time.monotonic() - started

        started = time.monotonic()
        with transaction(connection):
            gone = changed + removed
            connection.execute(f"delete from {RAW_SCHEMA}.{TABLE} where _source_file in (select unnest(?::varchar[]))", [gone])
            connection.execute(f"delete from {RAW_SCHEMA}.{FILES} where file in (select unnest(?::varchar[]))", [gone])
            if changed:
                connection.execute(f"""
                    insert into {RAW_SCHEMA}.{TABLE}
                    select t, i, j, k, v, q, _source, _source_file, _sha.sha256, ?::timestamp, _loaded_at
                    from {RAW_SCHEMA}.{INCOMING}
                    join (select unnest(?::varchar[]) as file, unnest(?::varchar[]) as sha256) as _sha
                        on _source_file = _sha.file
                """, [loaded_at, list(digests), list(digests.values())])
                connection.executemany(
                    f"insert into {RAW_SCHEMA}.{FILES} values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(p, on_disk[p].size_bytes, on_disk[p].mtime_ns, digests[p], fingerprints.get(p, ("", 0))[1],
                      fingerprints.get(p, ("", 0))[0], synthetic.get(p, False), loaded_at) for p in changed],
                )
            connection.execute(f"drop table {RAW_SCHEMA}.{INCOMING}")
        timings["swap_s"] = time.monotonic() - started
        rows = connection.execute(f"select count(*) from {RAW_SCHEMA}.{TABLE}").fetchone()[0]

    context.log.info(f"raw.{TABLE}: {len(changed)} file(s) loaded ({incoming_rows} rows), {len(removed)} removed; {timings}")
    yield dg.MaterializeResult(metadata={
        "dagster/row_count": rows,
        "files_loaded": len(changed),
        "files_removed": len(removed),
        "rows_loaded": incoming_rows,
        "no_change": False,
        "synthetic_files": sum(synthetic.values()),
        # rows whose exporter or importer baci_country_codes cannot name: in staging, not in the marts
        "unmapped_country_rows_loaded": unmapped,
        "timings": dg.MetadataValue.json({k: round(v, 3) for k, v in timings.items()}),
        "bulk_dir": str(directory) if directory else "(unset)",
        "dagster/table_name": f"{RAW_SCHEMA}.{TABLE}",
    }, data_version=version)
    yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata=check_metadata)


def _synthetic_flags(connection: duckdb.DuckDBPyConnection, paths: list[str]) -> dict[str, bool]:
    """``synthetic = true`` in a file's Parquet key-value metadata (bench/generate.py writes it)."""
    if not paths:
        return {}
    rows = connection.execute(
        f"select file_name, decode(value) from parquet_kv_metadata({_sql_list(paths)}) where decode(key) = 'synthetic'"
    ).fetchall()
    flags = {path: False for path in paths}
    flags.update({name: value == "true" for name, value in rows})
    return flags


def unmapped_code_rows(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    seed = str(COUNTRY_SEED).replace("'", "''")
    return connection.execute(f"""
        with codes as (select cast(country_code as integer) as code from read_csv('{seed}', header = true, all_varchar = true))
        select count(*) from {table}
        where i not in (select code from codes) or j not in (select code from codes)
    """).fetchone()[0]


def validate_unless_empty(connection: duckdb.DuckDBPyConnection, schema: str, table: str, contract, rows: int):
    return validate_rows_unless_empty(ibis.duckdb.from_connection(connection).table(table, database=schema), contract, rows)


def validate_rows_unless_empty(rows_expr, contract, rows: int) -> ContractOutcome:
    """pandera's ibis backend (0.35) fails every check of an empty table; an empty table breaks no row rule."""
    if rows == 0:
        return ContractOutcome(True, {"contract": contract.__name__, "failure_count": 0}, f"{contract.__name__}: passed (no rows)")
    return validate(rows_expr, contract)


STAGING_CHECK_KEY = dg.AssetCheckKey(dg.AssetKey(["staging", "stg_bulk__trade_flows"]), CONTRACT_CHECK)


@dg.asset_check(
    asset=STAGING_CHECK_KEY.asset_key,
    name=CONTRACT_CHECK,
    blocking=True,
    description="staging.stg_bulk__trade_flows satisfies data_contracts.staging.StgBulkTradeFlows (evaluated in DuckDB; "
                "after a pass, only rows loaded since, unless the code changed: orchestration/recheck_scope.py)",
    pool=WRITER_POOL,  # read-only, but DuckDB refuses a reader while another process writes
)
def stg_bulk_trade_flows_contract(
        context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult | dg.AssetObservation]:
    connection = open_duckdb(warehouse_path(), read_only=True)
    try:
        code = lineage_code_version(STAGING_CHECK_KEY.asset_key, code_version(__name__))
        scope = bulk_scope(context, STAGING_CHECK_KEY, connection, code)
        view = ibis.duckdb.from_connection(connection).table("stg_bulk__trade_flows", database="staging")
        if scope.since is not None:
            view = view.filter(view.loaded_at > scope.since)
        rows = view.count().execute()
        outcome = validate_rows_unless_empty(view, StgBulkTradeFlows, rows)
    finally:
        connection.close()
    if outcome.passed:
        yield pass_observation(STAGING_CHECK_KEY, scope)
    yield dg.AssetCheckResult(passed=outcome.passed, description=outcome.summary,
                              metadata={**outcome.metadata, "rows_checked": rows, **scope.metadata()})
