"""Contracts for dbt staging models, validated inside DuckDB with pandera's ibis backend.

Staging promises normalised codes (ISO3 countries, zero-padded HS codes), typed years and non-negative
values; these contracts hold it to that before anything downstream is rebuilt."""

from __future__ import annotations

import ibis.expr.datatypes as dt
import pandera.ibis as pa

ISO3_OR_COMTRADE_AREA = r"^[A-Z_][A-Z0-9]{1,2}$"  # ISO3, or Comtrade's own area codes such as S19, X2, _X
FLOWS = ["import", "export"]
PERIOD_KINDS = ["annual", "ytd", "monthly"]


class StgUsitcTrade(pa.DataFrameModel):
    flow: dt.String = pa.Field(isin=FLOWS)
    reporter_iso3: dt.String = pa.Field(isin=["USA"])
    partner_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    partner_in_china_incl_hk: dt.Boolean
    hts_code: dt.String = pa.Field(str_matches=r"^\d{4,10}$")
    year: dt.Int32 = pa.Field(ge=1989, le=2100)
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    value: dt.Float64 = pa.Field(ge=0, nullable=True)


class StgComtradeRecords(pa.DataFrameModel):
    reporter_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    partner_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    partner_in_china_incl_hk: dt.Boolean
    flow: dt.String = pa.Field(isin=FLOWS + ["re_import", "re_export"])
    cmd_code: dt.String = pa.Field(str_matches=r"^(\d{2}|\d{4}|\d{6})$")
    year: dt.Int32 = pa.Field(ge=1962, le=2100)
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    primary_value_usd: dt.Float64 = pa.Field(ge=0)
    quantity: dt.Float64 = pa.Field(ge=0, nullable=True)


class StgUsgsMcsStatistics(pa.DataFrameModel):
    edition: dt.Int32 = pa.Field(isin=[2025, 2026])
    commodity: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    value_kind: dt.String = pa.Field(nullable=True)
    value_numeric: dt.Float64 = pa.Field(nullable=True)


class StgRegisterMeasures(pa.DataFrameModel):
    measure_id: dt.String = pa.Field(unique=True)
    jurisdiction_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    date_announced: dt.Date = pa.Field(nullable=True)
    date_effective: dt.Date = pa.Field(nullable=True)
    date_end: dt.Date = pa.Field(nullable=True)


class StgRegisterMeasureLinks(pa.DataFrameModel):
    measure_id: dt.String
    link_type: dt.String = pa.Field(isin=["commodity", "element", "hs_code", "suspends", "related_measure", "source_url"])
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)


class StgBulkTradeFlows(pa.DataFrameModel):
    """Bulk trade source (CEPII BACI-shaped); a view over raw, so this runs on the raw rows in DuckDB.

    Not in STAGING_CONTRACTS: orchestration/defs/bulk_assets.py runs it, and passes an empty view without asking
    pandera, whose ibis backend (0.35) fails every check on an empty table (the source is empty unless
    CHOKEPOINT_BULK_TRADE_DIR is set)."""

    year: dt.Int32 = pa.Field(ge=1988, le=2100)
    exporter_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    importer_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    value_usd: dt.Float64 = pa.Field(ge=0)
    quantity_t: dt.Float64 = pa.Field(ge=0, nullable=True)


STAGING_CONTRACTS = {
    "stg_usitc__trade": StgUsitcTrade,
    "stg_comtrade__records": StgComtradeRecords,
    "stg_usgs__mcs_statistics": StgUsgsMcsStatistics,
    "stg_register__measures": StgRegisterMeasures,
    "stg_register__measure_links": StgRegisterMeasureLinks,
}
