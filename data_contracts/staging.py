"""Contracts for dbt staging models, validated inside DuckDB with pandera's ibis backend.

Staging promises normalised codes (ISO3 countries, zero-padded HS codes), typed years and non-negative
values; these contracts hold it to that before anything downstream is rebuilt."""

from __future__ import annotations

import pandera.ibis as pa

from data_contracts.dbt_columns import typed_from_dbt
from data_contracts.expressions import same_truth
from data_contracts.vocabularies import (
    BACI_HS_REVISIONS,
    COMTRADE_PARTNER_KINDS,
    COVERAGE_LEVELS,
    DECLARATION_SOURCES,
    FLOWS,
    GOODS_LEGAL_TYPES,
    LEGAL_TYPES,
    LINK_TYPES,
    MCS_EDITIONS,
    MONTHLY_TRADE_SOURCES,
    PERIOD_KINDS,
    TOTAL_ROW_RULES,
    UNTIL_READINGS,
    USGS_TOKEN_KINDS,
    WGI_INDICATORS,
    WGI_SOURCES,
)

ISO3_OR_COMTRADE_AREA = r"^[A-Z_][A-Z0-9]{1,2}$"  # ISO3, or Comtrade's own area codes such as S19, X2, _X


class StgUsitcTrade(pa.DataFrameModel):
    flow = pa.Field(isin=FLOWS)
    reporter_iso3 = pa.Field(isin=["USA"])
    partner_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    partner_in_china_incl_hk = pa.Field(nullable=False)
    hts_code = pa.Field(str_matches=r"^\d{4,10}$")
    year = pa.Field(ge=1989, le=2100)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    value = pa.Field(ge=0, nullable=True)


class StgComtradeRecords(pa.DataFrameModel):
    reporter_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    # NULL only for a Comtrade partner area BACI's table lacks (837 Bunkers ...): no ISO3 is sourced for it
    partner_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    partner_kind = pa.Field(isin=COMTRADE_PARTNER_KINDS)
    partner_in_china_incl_hk = pa.Field(nullable=False)
    flow = pa.Field(isin=[*FLOWS, "re_import", "re_export"])
    cmd_code = pa.Field(str_matches=r"^(\d{2}|\d{4}|\d{6})$")
    year = pa.Field(ge=1962, le=2100)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    primary_value_usd = pa.Field(ge=0)
    quantity = pa.Field(ge=0, nullable=True)

    @pa.dataframe_check(name="a partner has an ISO3 unless it is a Comtrade partner area")
    def iso3_unless_comtrade_area(cls, data) -> bool:
        table = data.table
        return same_truth(table.partner_iso3.isnull(), table.partner_kind == "comtrade_area")


class StgUsgsMcsStatistics(pa.DataFrameModel):
    edition = pa.Field(isin=MCS_EDITIONS)
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")


class StgRegisterMeasures(pa.DataFrameModel):
    """One row per measure: the key is the model's dbt test (`unique` on measure_id), not restated here."""

    jurisdiction_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a WTO ruling
    legal_type = pa.Field(isin=LEGAL_TYPES)


class StgRegisterMeasureParts(pa.DataFrameModel):
    legal_type = pa.Field(isin=LEGAL_TYPES)
    restricts_goods = pa.Field(nullable=False)
    until_reading = pa.Field(isin=UNTIL_READINGS)

    @pa.dataframe_check(name="only licence requirements and export bans restrict goods")
    def goods_types(cls, data) -> bool:
        table = data.table
        return same_truth(table.restricts_goods, table.legal_type.isin(GOODS_LEGAL_TYPES))


class StgRegisterMeasureCodes(pa.DataFrameModel):
    hs6 = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    match_prefix = pa.Field(str_matches=r"^(\d{4}|\d{6})$")
    coverage_level = pa.Field(isin=COVERAGE_LEVELS)


class StgRegisterMeasureLinks(pa.DataFrameModel):
    link_type = pa.Field(isin=LINK_TYPES)


class StgCensusTrade(pa.DataFrameModel):
    """Census monthly trade (live source; empty until fetched). ISO3 from the numeric CTY_CODE via the reference."""

    reporter_iso3 = pa.Field(isin=["USA"])
    cty_code = pa.Field(str_matches=r"^([0-9X]{4}|-)$")  # "-": the all-countries total row
    partner_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a Census grouping (e.g. 0003)
    is_partner_grouping = pa.Field(nullable=False)
    flow = pa.Field(isin=FLOWS)
    commodity_code = pa.Field(str_matches=r"^\d{2,10}$")
    year = pa.Field(ge=1990, le=2100)
    month = pa.Field(ge=1, le=12)
    period_kind = pa.Field(isin=["monthly"])
    value_usd = pa.Field(ge=0)
    quantity = pa.Field(ge=0, nullable=True)


class StgFedregDocuments(pa.DataFrameModel):
    """BIS documents from the Federal Register (live source; empty until fetched): candidate policy events. One row
    per document number: the model's dbt test (`unique`), not restated here."""

    document_number = pa.Field(str_matches=r"^[0-9A-Z-]+$")
    title = pa.Field(nullable=False)
    document_type = pa.Field(nullable=False)
    publication_date = pa.Field(nullable=False)
    html_url = pa.Field(str_matches=r"^https?://")


class StgWorldbankWgi(pa.DataFrameModel):
    """WGI estimates, live rows where fetched, else the shipped snapshot (wgi_source says which)."""

    indicator_id = pa.Field(isin=WGI_INDICATORS)
    country_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    year = pa.Field(ge=1996, le=2100)
    estimate = pa.Field(ge=-3.5, le=3.5)  # WGI estimates are standard-normal units, about -2.5 to 2.5
    wgi_source = pa.Field(isin=WGI_SOURCES)


class StgBaciTradeFlows(pa.DataFrameModel):
    """CEPII BACI flows (FOB, thousands of USD converted to USD; tonnes). Unmapped country codes stay, flagged."""

    year = pa.Field(ge=1995, le=2100)
    hs_revision = pa.Field(isin=BACI_HS_REVISIONS)
    exporter_code = pa.Field(ge=0, le=999)
    importer_code = pa.Field(ge=0, le=999)
    exporter_iso3 = pa.Field(str_matches=r"^[A-Z0-9]{3}$", nullable=True)  # NULL only when unmapped
    importer_iso3 = pa.Field(str_matches=r"^[A-Z0-9]{3}$", nullable=True)
    is_unmapped_country = pa.Field(nullable=False)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    value_usd = pa.Field(gt=0)
    quantity_t = pa.Field(ge=0, nullable=True)
    value_basis = pa.Field(isin=["fob_baci"])

    @pa.dataframe_check(name="a country code without ISO3 is flagged unmapped")
    def unmapped_flagged(cls, data) -> bool:
        table = data.table
        return table.is_unmapped_country | (table.exporter_iso3.notnull() & table.importer_iso3.notnull())


# The tokens USGS prints in its tables, as stg_usgs__* classify them (macros/usgs_tokens.sql); 'unparsed' is not in
# the vocabulary: a token staging cannot classify must stop the build, not reach a mart as a silent NULL.
USGS_VALUE_KINDS = list(USGS_TOKEN_KINDS)


class StgUsgsMcs2025ImportSources(pa.DataFrameModel):
    edition = pa.Field(isin=[2025])
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")
    year_start = pa.Field(ge=1990, le=2100)
    year_end = pa.Field(ge=1990, le=2100)
    partner_published = pa.Field(nullable=False)
    value_kind = pa.Field(isin=USGS_VALUE_KINDS)
    value_numeric = pa.Field(ge=0, le=100, nullable=True)  # a percentage share

    @pa.dataframe_check(name="a pooled period starts no later than it ends")
    def period_order(cls, data) -> bool:
        return data.table.year_start <= data.table.year_end


class StgBulkTradeFlows(pa.DataFrameModel):
    """Bulk trade source (CEPII BACI-shaped); a view over raw, so this runs on the raw rows in DuckDB.

    Not in STAGING_CONTRACTS: orchestration/defs/contract_checks.py runs it on its own, and passes an empty view without asking
    pandera, whose ibis backend (0.35) fails every check on an empty table (the source is empty unless
    CHOKEPOINT_BULK_TRADE_DIR is set)."""

    year = pa.Field(ge=1988, le=2100)
    exporter_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    importer_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    value_usd = pa.Field(ge=0)
    quantity_t = pa.Field(ge=0, nullable=True)


class StgComtradeTwoSidedDeclarations(pa.DataFrameModel):
    """One declaration per key, its total row chosen by the largest-value rule; an unresolved key carries no value."""

    year = pa.Field(ge=1988, le=2100)
    reporter_code = pa.Field(ge=1, le=999)
    partner_code = pa.Field(ge=0, le=999)
    partner_kind = pa.Field(isin=COMTRADE_PARTNER_KINDS)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    flow = pa.Field(isin=["M", "X"])
    total_row_rule = pa.Field(isin=TOTAL_ROW_RULES)
    is_resolved = pa.Field(nullable=False)
    rows_published = pa.Field(ge=1)
    value_usd = pa.Field(ge=0, nullable=True)
    largest_row_value_usd = pa.Field(ge=0)
    naive_sum_usd = pa.Field(ge=0)
    declaration_source = pa.Field(isin=DECLARATION_SOURCES)

    @pa.dataframe_check(name="a resolved declaration has a value, an unresolved one none")
    def value_iff_resolved(cls, data) -> bool:
        table = data.table
        return same_truth(table.is_resolved, table.value_usd.notnull())

    @pa.dataframe_check(name="the chosen row never exceeds the naive sum")
    def total_within_sum(cls, data) -> bool:
        table = data.table
        return table.largest_row_value_usd <= table.naive_sum_usd * 1.000001


class StgAtlasMonthlyFlows(pa.DataFrameModel):
    """Monthly rows compiled by the critical-materials atlas; keys repeat (the grain test adds declaration_number)."""

    source = pa.Field(isin=MONTHLY_TRADE_SOURCES)
    reporter_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    partner_code = pa.Field(str_matches=r"^([A-Z0-9_]{3}|n/a)$")
    flow = pa.Field(isin=FLOWS)
    native_code = pa.Field(str_matches=r"^\d{6}(\d{2}|XX|\d{4})?$")
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    year = pa.Field(ge=2000, le=2100)
    month = pa.Field(ge=1, le=12)
    value_usd = pa.Field(ge=0, nullable=True)
    qty_kg = pa.Field(ge=0, nullable=True)

    @pa.dataframe_check(name="the native code begins with its HS6")
    def native_extends_hs6(cls, data) -> bool:
        return data.table.native_code.substr(0, 6) == data.table.hs6


# Each typed from its model's YAML (data_contracts/dbt_columns.py), the bulk contract too.
STAGING_CONTRACTS = typed_from_dbt({
    "stg_usitc__trade": StgUsitcTrade,
    "stg_comtrade__records": StgComtradeRecords,
    "stg_usgs__mcs_statistics": StgUsgsMcsStatistics,
    "stg_register__measures": StgRegisterMeasures,
    "stg_register__measure_parts": StgRegisterMeasureParts,
    "stg_register__measure_codes": StgRegisterMeasureCodes,
    "stg_register__measure_links": StgRegisterMeasureLinks,
    "stg_census__trade": StgCensusTrade,
    "stg_fedreg__documents": StgFedregDocuments,
    "stg_worldbank__wgi": StgWorldbankWgi,
    "stg_baci__trade_flows": StgBaciTradeFlows,
    "stg_usgs__mcs2025_import_sources": StgUsgsMcs2025ImportSources,
    "stg_comtrade_two_sided__declarations": StgComtradeTwoSidedDeclarations,
    "stg_atlas__monthly_flows": StgAtlasMonthlyFlows,
}, "staging")
typed_from_dbt({"stg_bulk__trade_flows": StgBulkTradeFlows}, "staging")
# Staging models validated elsewhere, and where (a completeness test requires every staging model in one of the two).
STAGING_CONTRACTS_ELSEWHERE = {
    "stg_bulk__trade_flows": "StgBulkTradeFlows, run by contract_checks.stg_bulk_trade_flows_contract on the rows loaded since its last pass",
}
