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
from the folder has its rows deleted from raw; int_cepii__flows_mapped keeps that year (and the dbt test
assert_cepii_flows_years_are_in_raw fails) until ``dbt build --full-refresh -s int_cepii__flows_mapped``
(docs/BENCHMARKS.md)."""


import time
from datetime import UTC, datetime

import dagster as dg
import duckdb

from data_contracts.bulk import BulkTradeFlows, bulk_tables_ddl
from data_contracts.sources.baci import BULK as SOURCE
from orchestration.extract import baci
from orchestration.settings import BULK_DIR_ENV, bulk_dir
from orchestration.storage.warehouse import RAW_SCHEMA, WRITER_POOL, connect, transaction, tune_for_bulk
from orchestration.validation import CONTRACT_CHECK, validate_unless_empty
from orchestration.versioning.bulk_files import changed_files, files_on_disk, sha256, synthetic_flags
from orchestration.versioning.code_versions import code_version
from orchestration.versioning.inputs import data_version, input_tags

TABLE = "bulk_trade_flows"
INCOMING = f"{TABLE}__incoming"
FILES = f"{TABLE}__files"
KEY = dg.AssetKey([RAW_SCHEMA, TABLE])


def ensure_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    for statement in bulk_tables_ddl(RAW_SCHEMA, TABLE, FILES):
        connection.execute(statement)


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
        tune_for_bulk(connection)
        ensure_tables(connection)
        changed, removed = changed_files(connection, f"{RAW_SCHEMA}.{FILES}", on_disk)
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
        synthetic = synthetic_flags(connection, [p for p in changed if p.endswith(".parquet")])
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


def unmapped_code_rows(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    seed = str(baci.COUNTRY_SEED).replace("'", "''")
    return connection.execute(f"""
        with codes as (select cast(country_code as integer) as code from read_csv('{seed}', header = true, all_varchar = true))
        select count(*) from {table}
        where i not in (select code from codes) or j not in (select code from codes)
    """).fetchone()[0]
