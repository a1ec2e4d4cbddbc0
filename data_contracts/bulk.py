"""Contract for the bulk trade source (CEPII BACI-shaped Parquet), validated inside DuckDB (pandera ibis backend).

The bulk raw load never goes through pandas: files are read by DuckDB into ``raw.bulk_trade_flows__incoming`` and
this contract runs there as SQL; only failing rows come back (into the blocking check's metadata)."""

from __future__ import annotations

import ibis.expr.datatypes as dt
import pandera.ibis as pa


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
