"""Contract for the bulk trade source (CEPII BACI-shaped Parquet), validated inside DuckDB (pandera ibis backend).

The bulk raw load never goes through pandas: files are read by DuckDB into ``raw.bulk_trade_flows__incoming`` and
this contract runs there as SQL; only failing rows come back (into the blocking check's metadata)."""

from __future__ import annotations

import ibis.expr.datatypes as dt
import pandera.ibis as pa

from data_contracts.vocabularies import BACI_HS_REVISIONS


class BulkTradeFlows(pa.DataFrameModel):
    """BACI columns: t year, i exporter / j importer (ISO 3166-1 numeric), k HS6 (integer, left-pad to 6 digits),
    v value in thousand USD (zero allowed: BACI rounds small flows), q metric tons (null = not reported)."""

    t: dt.Int32 = pa.Field(ge=1988, le=2100)
    i: dt.Int32 = pa.Field(ge=1, le=999)
    j: dt.Int32 = pa.Field(ge=1, le=999)
    k: dt.Int32 = pa.Field(ge=10000, le=999999)
    v: dt.Float64 = pa.Field(ge=0)
    q: dt.Float64 = pa.Field(ge=0, nullable=True)
    _source_file: dt.String
    _loaded_at: dt.Timestamp

    class Config:
        strict = False
        coerce = False


class BaciTradeFlows(pa.DataFrameModel):
    """raw.baci_trade_flows: the snapshot's BACI files normalized by orchestration/extract/baci.py. A file with ISO3
    only (the HS17 extract) has NULL codes, mapped in staging from the baci_country_codes seed; one of code or ISO3
    is always present (dataframe check)."""

    t: dt.Int32 = pa.Field(ge=1988, le=2100)
    i: dt.Int32 = pa.Field(ge=0, le=999, nullable=True)
    j: dt.Int32 = pa.Field(ge=0, le=999, nullable=True)
    k: dt.Int32 = pa.Field(ge=10000, le=999999)
    v: dt.Float64 = pa.Field(ge=0)
    q: dt.Float64 = pa.Field(ge=0, nullable=True)
    exporter_iso3: dt.String = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 3})
    importer_iso3: dt.String = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 3})
    hs_revision: dt.String = pa.Field(isin=BACI_HS_REVISIONS)
    baci_version: dt.String = pa.Field(str_matches=r"^V\d{6}$")
    _source_file: dt.String
    _source_sha256: dt.String = pa.Field(str_length={"min_value": 64, "max_value": 64})
    _loaded_at: dt.Timestamp

    @pa.dataframe_check(name="each side has a BACI code or an ISO3")
    def each_side_identified(cls, data) -> bool:
        table = data.table
        return (table.i.notnull() | table.exporter_iso3.notnull()) & (table.j.notnull() | table.importer_iso3.notnull())

    class Config:
        strict = False
        coerce = False


BULK_CONTRACTS = {"bulk_trade_flows": BulkTradeFlows, "baci_trade_flows": BaciTradeFlows}


def bulk_tables_ddl(schema: str, table: str, files_table: str) -> list[str]:
    """The raw bulk table (BACI's columns as loaded, plus lineage) and its file ledger, as DuckDB creates them: the
    loader reads Parquet and CSV straight into these columns, so they are declared here beside the contract."""
    return [
        f"""create table if not exists {schema}.{table} (
            t integer, i integer, j integer, k integer, v double, q double,
            _source varchar, _source_file varchar, _source_sha256 varchar, _retrieved_at timestamp, _loaded_at timestamp
        )""",
        f"""create table if not exists {schema}.{files_table} (
            file varchar primary key, size_bytes bigint, mtime_ns bigint, sha256 varchar, row_count bigint,
            years varchar, synthetic boolean, loaded_at timestamp
        )""",
    ]
