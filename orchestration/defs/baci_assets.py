"""raw.baci_trade_flows: the snapshot's CEPII BACI files (data/snapshot/baci/, listed in MANIFEST.csv), normalized by
orchestration/extract/baci.py and loaded by DuckDB (the same reader the bulk folder uses for CEPII's yearly files).

Each file's sha256 is verified against the manifest before it is read. Rows are validated in-database against
data_contracts.bulk.BaciTradeFlows before they replace the table. Rows whose exporter or importer is not in the
baci_country_codes seed are loaded like any other (staging keeps them, flagged) and counted in the metadata, so a
code missing from the table is visible rather than silently dropped."""


from datetime import UTC, datetime

import dagster as dg
import ibis

from data_contracts.bulk import BaciTradeFlows
from orchestration.extract import baci
from orchestration.extract.snapshot import files_under
from orchestration.storage.warehouse import RAW_SCHEMA, WRITER_POOL, connect, transaction, tune_for_bulk
from orchestration.validation import CONTRACT_CHECK, validate_rows_unless_empty
from orchestration.versioning.code_versions import code_version
from orchestration.versioning.inputs import data_version, input_tags

TABLE = "baci_trade_flows"
FOLDER = "baci"
SOURCE = "cepii_baci"
KEY = dg.AssetKey([RAW_SCHEMA, TABLE])


def unmapped_counts(connection, table: str, seed=baci.COUNTRY_SEED) -> dict[str, int]:
    """Rows whose exporter / importer the country table cannot name (by code, or by ISO3 when the file has no code)."""
    seed_sql = str(seed).replace("'", "''")
    row = connection.execute(f"""
        with codes as (select * from read_csv('{seed_sql}', header = true, all_varchar = true))
        select
            count(*) filter (where (i is not null and cast(i as varchar) not in (select country_code from codes))
                                or (i is null and exporter_iso3 not in (select iso3 from codes))),
            count(*) filter (where (j is not null and cast(j as varchar) not in (select country_code from codes))
                                or (j is null and importer_iso3 not in (select iso3 from codes)))
        from {table}
    """).fetchone()
    return {"unmapped_exporter_rows": row[0], "unmapped_importer_rows": row[1]}


@dg.asset(
    key=KEY,
    group_name=RAW_SCHEMA,
    kinds={"duckdb", "csv", "parquet"},
    tags=input_tags("snapshot"),
    code_version=code_version(__name__),
    pool=WRITER_POOL,
    description=(
        "CEPII BACI V202601 (reconciled bilateral trade, FOB, thousand USD, HS6) from the snapshot: the HS17 2024 "
        "critical-materials extract (all importers, 30 codes) and the HS07 China semiconductor-imports extract "
        "2008-2024, each with its HS revision. Attribution: CEPII BACI, version V202601 (Etalab Open Licence 2.0)."
    ),
    check_specs=[dg.AssetCheckSpec(CONTRACT_CHECK, asset=KEY, blocking=True,
                                   description="Rows satisfy data_contracts.bulk.BaciTradeFlows (checked inside DuckDB) "
                                               "before they replace the table")],
)
def baci_trade_flows(context: dg.AssetExecutionContext):
    version = data_version("snapshot")
    entries = [e for e in files_under(FOLDER, "") if e.relative_name.endswith((".csv", ".parquet"))]
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    with connect() as connection:
        tune_for_bulk(connection)
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        selects = []
        for entry in entries:
            entry.read_verified()  # raises when the bytes differ from the manifest
            retrieved = entry.retrieved_at.strftime("%Y-%m-%d %H:%M:%S")
            selects.append(
                f"select *, '{SOURCE}' as _source, '{entry.relative_name}' as _source_file, '{entry.sha256}' as _source_sha256, "
                f"timestamp '{retrieved}' as _retrieved_at, timestamp '{loaded_at:%Y-%m-%d %H:%M:%S}' as _loaded_at "
                f"from ({baci.normalized_select(connection, entry.path)})"
            )
        incoming = f"{RAW_SCHEMA}.{TABLE}__incoming"
        connection.execute(f"create or replace table {incoming} as " + " union all by name ".join(selects))
        rows = connection.execute(f"select count(*) from {incoming}").fetchone()[0]
        view = ibis.duckdb.from_connection(connection).table(f"{TABLE}__incoming", database=RAW_SCHEMA)
        outcome = validate_rows_unless_empty(view, BaciTradeFlows, rows)
        if not outcome.passed:
            connection.execute(f"drop table {incoming}")
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=False, metadata=outcome.metadata)
            raise dg.Failure(description=f"raw.{TABLE} not written: {outcome.summary}", metadata=outcome.metadata)
        unmapped = unmapped_counts(connection, incoming)
        per_file = {row[0]: {"rows": row[1], "years": row[2], "hs_revision": row[3]} for row in connection.execute(f"""
            select _source_file, count(*), min(t) || '-' || max(t), any_value(hs_revision)
            from {incoming} group by _source_file order by 1""").fetchall()}
        with transaction(connection):
            connection.execute(f"create or replace table {RAW_SCHEMA}.{TABLE} as select * from {incoming}")
            connection.execute(f"drop table {incoming}")
    context.log.info(f"raw.{TABLE}: {rows} rows from {len(entries)} file(s); {unmapped}")
    yield dg.MaterializeResult(metadata={
        "dagster/row_count": rows,
        "files": dg.MetadataValue.json(per_file),
        **unmapped,
        "value_basis": "FOB, thousand USD (BACI reconciled)",
        "attribution": "CEPII BACI, version V202601",
        "dagster/table_name": f"{RAW_SCHEMA}.{TABLE}",
    }, data_version=version)
    yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata={**outcome.metadata, "rows_checked": rows})
