"""Contracts for dbt staging models, validated inside DuckDB with pandera's ibis backend.

Staging promises normalised codes (ISO3 countries, zero-padded HS codes), typed years and non-negative
values; these contracts hold it to that before anything downstream is rebuilt."""

from __future__ import annotations

import ibis.expr.datatypes as dt
import pandera.ibis as pa

from data_contracts import register

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
    jurisdiction_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a WTO ruling
    legal_type: dt.String = pa.Field(isin=register.LEGAL_TYPES)
    date_announced: dt.Date = pa.Field(nullable=True)
    date_effective: dt.Date = pa.Field(nullable=True)


class StgRegisterMeasureParts(pa.DataFrameModel):
    measure_id: dt.String
    part_id: dt.String
    legal_type: dt.String = pa.Field(isin=register.LEGAL_TYPES)
    restricts_goods: dt.Boolean
    in_force_from: dt.Date = pa.Field(nullable=True)
    in_force_until: dt.Date = pa.Field(nullable=True)
    until_reading: dt.String = pa.Field(isin=register.UNTIL_READINGS)

    @pa.dataframe_check(name="only licence requirements and export bans restrict goods")
    def goods_types(cls, data) -> bool:
        table = data.table
        return table.restricts_goods == table.legal_type.isin(register.GOODS_LEGAL_TYPES)


class StgRegisterMeasureCodes(pa.DataFrameModel):
    measure_id: dt.String
    part_id: dt.String
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    match_prefix: dt.String = pa.Field(str_matches=r"^(\d{4}|\d{6})$")
    coverage_level: dt.String = pa.Field(isin=register.COVERAGE_LEVELS)


class StgRegisterMeasureLinks(pa.DataFrameModel):
    measure_id: dt.String
    link_type: dt.String = pa.Field(isin=register.LINK_TYPES)


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
    "stg_register__measure_parts": StgRegisterMeasureParts,
    "stg_register__measure_codes": StgRegisterMeasureCodes,
    "stg_register__measure_links": StgRegisterMeasureLinks,
}
