"""Contracts for the marts BI users read, validated inside DuckDB with pandera's ibis backend.

Column names and domains here are the public interface of the warehouse: a change that breaks them should
fail this contract before a dashboard notices."""

from __future__ import annotations

import csv
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pandera.ibis as pa

from data_contracts import vocabularies as _vocab
from data_contracts.expressions import same_truth
from data_contracts.staging import ISO3_OR_COMTRADE_AREA
from data_contracts.vocabularies import (
    BOUND_COMPLETENESSES,
    BOUNDED_COMPLETENESSES,
    CHIP_PRODUCT_LEVELS,
    COMPARATORS,
    COVERAGE_LEVELS,
    DENOMINATOR_SCOPES,
    DEPENDENCY_DIFFERENCES,
    EVENT_WINDOW_SIDES,
    EXPOSURE_COVERAGE_LEVELS,
    FIGURE_KINDS,
    FLOWS,
    GOODS_LEGAL_TYPES,
    GOVERNANCE_BASES,
    LEGAL_TYPES,
    MCS_EDITIONS,
    MEASURE_STATUSES,
    MIRROR_GAP_CLASSES,
    MIRROR_QUALITY_BREAKDOWNS,
    NIR_VALUE_KINDS,
    PERIOD_KINDS,
    POSSIBLY_IN_FORCE_STATUSES,
    PROCESSING_STAGES,
    SHARE_DENOMINATOR_BASES,
    SOURCES,
    STATUS_BASES,
    STATUS_PERIOD_OPEN_START,
    SUPPLY_RISK_STATUSES,
    SUPPLY_STAGES,
    TRADE_BALANCES,
    TWO_SIDED_GAP_CLASSES,
    UNTIL_READINGS,
    USGS_SHARE_VALUE_KINDS,
    VERIFICATION,
    WORLD_PARTNER_CODES,
)

SHARE = dict(ge=0, le=1, nullable=True)
# The countries whose chip-equipment controls are in the register have one home, the dbt seed
# chip_equipment_suppliers (is_controlling_country), which the chip marts join.
_CHIP_SUPPLIERS_SEED = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "chip_equipment_suppliers.csv"
with _CHIP_SUPPLIERS_SEED.open(newline="", encoding="utf-8") as _seed:
    CONTROLLING_COUNTRIES = [row["iso3"] for row in csv.DictReader(_seed) if row["is_controlling_country"] == "true"]


class FctTradeFlows(pa.DataFrameModel):
    source: dt.String = pa.Field(isin=SOURCES)
    reporter_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    partner_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, notin=WORLD_PARTNER_CODES)
    partner_in_china_incl_hk: dt.Boolean
    flow: dt.String = pa.Field(isin=FLOWS)
    commodity_code: dt.String = pa.Field(str_matches=r"^\d{4,10}$")
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    mineral: dt.String = pa.Field(nullable=True)
    year: dt.Int32 = pa.Field(ge=1962, le=2100)
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    ytd_through_month: dt.Int32 = pa.Field(ge=1, le=12, nullable=True)
    value_usd: dt.Float64 = pa.Field(ge=0)
    quantity: dt.Float64 = pa.Field(ge=0, nullable=True)
    quantity_unit: dt.String = pa.Field(nullable=True)

    @pa.dataframe_check(name="ytd rows say through which month, other rows do not")
    def ytd_month_only_on_ytd(cls, data) -> bool:
        table = data.table
        return (table.period_kind == "ytd") == table.ytd_through_month.notnull()


class ImportDependency(pa.DataFrameModel):
    importer_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    mineral: dt.String
    year: dt.Int32
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    source: dt.String = pa.Field(isin=SOURCES)
    total_value_usd: dt.Float64 = pa.Field(ge=0)
    china_value_usd: dt.Float64 = pa.Field(ge=0)
    china_hk_value_usd: dt.Float64 = pa.Field(ge=0)
    china_share: dt.Float64 = pa.Field(**SHARE)
    china_hk_share: dt.Float64 = pa.Field(**SHARE)
    top_supplier_iso3: dt.String = pa.Field(nullable=True)
    top_supplier_share: dt.Float64 = pa.Field(**SHARE)
    positive_supplier_count: dt.Int64 = pa.Field(ge=0)
    hhi: dt.Float64 = pa.Field(gt=0, le=10_000, nullable=True)
    equivalent_suppliers: dt.Float64 = pa.Field(ge=1, nullable=True)
    denominator_scope: dt.String = pa.Field(isin=DENOMINATOR_SCOPES)

    @pa.dataframe_check(name="China incl. Hong Kong is at least China alone")
    def china_hk_not_below_china(cls, data) -> bool:
        return data.table.china_hk_value_usd >= data.table.china_value_usd

    @pa.dataframe_check(name="no share or HHI without a positive total")
    def shares_need_a_total(cls, data) -> bool:
        table = data.table
        return (table.total_value_usd > 0) | (table.hhi.isnull() & table.china_share.isnull())


class NetImportReliance(pa.DataFrameModel):
    edition: dt.Int32 = pa.Field(isin=MCS_EDITIONS)
    commodity: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    form: dt.String = pa.Field(nullable=True)
    year: dt.Int32 = pa.Field(ge=1990, le=2100)
    value_published: dt.String
    nir_comparator: dt.String = pa.Field(isin=COMPARATORS, nullable=True)
    nir_pct_published: dt.Float64 = pa.Field(ge=0, le=100, nullable=True)
    nir_share: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    value_kind: dt.String = pa.Field(isin=NIR_VALUE_KINDS)

    @pa.dataframe_check(name="a numeric value exactly when the token is a number or a bound")
    def numeric_only_for_numbers(cls, data) -> bool:
        table = data.table
        numeric_kinds = table.value_kind.isin(["number", "lower_bound", "upper_bound", "zero"])
        return same_truth(numeric_kinds, table.nir_pct_published.notnull())


class ExportMeasures(pa.DataFrameModel):
    """measure x part (register_version 2)."""

    measure_id: dt.String
    part_id: dt.String
    jurisdiction_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a WTO ruling
    legal_type: dt.String = pa.Field(isin=LEGAL_TYPES)
    restricts_goods: dt.Boolean
    status: dt.String = pa.Field(isin=MEASURE_STATUSES)
    status_basis: dt.String = pa.Field(isin=STATUS_BASES)
    status_as_of: dt.Date
    status_history: dt.String
    source_urls: dt.String
    until_reading: dt.String = pa.Field(isin=UNTIL_READINGS)

    @pa.dataframe_check(name="only a dispute ruling is 'issued', and a ruling is never 'in_force'")
    def rulings_issued(cls, data) -> bool:
        table = data.table
        issued_elsewhere = (table.status == "issued") & (table.legal_type != "dispute_ruling")
        ruling_in_force = (table.legal_type == "dispute_ruling") & (table.status == "in_force")
        return ~issued_elsewhere & ~ruling_in_force

    @pa.dataframe_check(name="'in_force' is only ever sourced (an end date passing gives an *_unconfirmed status)")
    def in_force_sourced(cls, data) -> bool:
        table = data.table
        return (table.status != "in_force") | (table.status_basis == "sourced")


class MeasureCoverage(pa.DataFrameModel):
    """measure part x HS6 (or heading) x coverage level."""

    measure_id: dt.String
    part_id: dt.String
    match_prefix: dt.String = pa.Field(str_matches=r"^(\d{4}|\d{6})$")
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    coverage_level: dt.String = pa.Field(isin=COVERAGE_LEVELS)
    legal_type: dt.String = pa.Field(isin=GOODS_LEGAL_TYPES)
    mineral: dt.String = pa.Field(nullable=True)


class RestrictionExposure(pa.DataFrameModel):
    """importer x trade code x period x restricting country; each dollar once. Rows without a trade code
    (bound_completeness not_coded / not_in_trade_data) carry no value: they say a bound is incomplete."""

    source: dt.String = pa.Field(isin=SOURCES)
    importer_iso3: dt.String
    restricting_country_iso3: dt.String
    commodity_code: dt.String = pa.Field(str_matches=r"^\d{4,10}$", nullable=True)
    year: dt.Int32
    import_value_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    covered_value_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    upper_bound_value_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    covered_value_usd_prorated_estimate: dt.Float64 = pa.Field(ge=0, nullable=True)
    upper_bound_value_usd_prorated_estimate: dt.Float64 = pa.Field(ge=0, nullable=True)
    days_in_force_full: dt.Int32 = pa.Field(ge=0, le=366)
    days_in_force_upper: dt.Int32 = pa.Field(ge=0, le=366)
    bound_completeness: dt.String = pa.Field(isin=BOUND_COMPLETENESSES)

    @pa.dataframe_check(name="covered <= upper bound <= imports from the restricting country")
    def bounded(cls, data) -> bool:
        table = data.table
        gap = table.commodity_code.isnull()
        return gap | ((table.covered_value_usd <= table.upper_bound_value_usd) & (table.upper_bound_value_usd <= table.import_value_usd))

    @pa.dataframe_check(name="a pro-rated estimate never exceeds its full-period value")
    def prorated_bounded(cls, data) -> bool:
        table = data.table
        gap = table.commodity_code.isnull()
        return gap | ((table.covered_value_usd_prorated_estimate <= table.covered_value_usd * (1 + EPSILON))
                      & (table.upper_bound_value_usd_prorated_estimate <= table.upper_bound_value_usd * (1 + EPSILON)))

    @pa.dataframe_check(name="a trade code and values exactly on bounded rows")
    def gaps_carry_no_value(cls, data) -> bool:
        table = data.table
        bounded = table.bound_completeness.isin(BOUNDED_COMPLETENESSES)
        return same_truth(bounded, table.commodity_code.notnull()) & same_truth(bounded, table.import_value_usd.notnull())

    @pa.dataframe_check(name="full-coverage days never exceed the upper-bound days")
    def days_bounded(cls, data) -> bool:
        table = data.table
        return table.days_in_force_full <= table.days_in_force_upper


class SupplyConcentration(pa.DataFrameModel):
    commodity: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    mineral: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")  # never NULL: joins on mineral keep every commodity
    stage: dt.String = pa.Field(isin=SUPPLY_STAGES)
    year: dt.Int32 = pa.Field(ge=1990, le=2100)
    share_denominator: dt.Float64 = pa.Field(gt=0, nullable=True)
    share_denominator_basis: dt.String = pa.Field(isin=SHARE_DENOMINATOR_BASES, nullable=True)
    china_share: dt.Float64 = pa.Field(**SHARE)
    top_producer_share: dt.Float64 = pa.Field(**SHARE)
    hhi: dt.Float64 = pa.Field(ge=0, le=10_000, nullable=True)
    hhi_upper_bound: dt.Float64 = pa.Field(ge=0, le=10_000, nullable=True)
    equivalent_producers: dt.Float64 = pa.Field(ge=1, nullable=True)

    @pa.dataframe_check(name="the upper bound is never below the HHI")
    def upper_bound_above_hhi(cls, data) -> bool:
        table = data.table
        return table.hhi.isnull() | (table.hhi_upper_bound >= table.hhi - 1e-9)

    @pa.dataframe_check(name="no HHI without a published World total (a list's HHI is not world concentration)")
    def hhi_needs_world_total(cls, data) -> bool:
        table = data.table
        return (table.share_denominator_basis != "sum_of_listed_countries").fill_null(True) | table.hhi.isnull()

    @pa.dataframe_check(name="a withheld China value never becomes a share")
    def withheld_not_coerced(cls, data) -> bool:
        table = data.table
        return (table.china_value_kind != "withheld") | table.china_value_kind.isnull() | table.china_share.isnull()


class SupplyRisk(pa.DataFrameModel):
    commodity: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    year: dt.Int32 = pa.Field(ge=1990, le=2100)
    governance_basis: dt.String = pa.Field(isin=GOVERNANCE_BASES)
    ir: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    eol_rir: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    si_sr: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    supply_risk: dt.Float64 = pa.Field(ge=0, nullable=True)
    sr_status: dt.String = pa.Field(isin=SUPPLY_RISK_STATUSES)

    @pa.dataframe_check(name="a supply-risk value exactly when sr_status says computed")
    def value_matches_status(cls, data) -> bool:
        table = data.table
        return same_truth(table.sr_status.isin(["computed", "computed_unweighted"]), table.supply_risk.notnull())

    @pa.dataframe_check(name="WGI-weighted rows are labelled, unweighted rows say governance is missing")
    def governance_label_matches(cls, data) -> bool:
        table = data.table
        return (table.sr_status != "computed") | (table.governance_basis == "wgi_weighted")


class RestrictionEventStudy(pa.DataFrameModel):
    importer_iso3: dt.String
    mineral: dt.String
    measure_id: dt.String
    year: dt.Int32
    relative_period: dt.Int32 = pa.Field(ge=-12, le=12)
    window_side: dt.String = pa.Field(isin=EVENT_WINDOW_SIDES)
    value_usd: dt.Float64 = pa.Field(ge=0)
    value_index: dt.Float64 = pa.Field(ge=0, nullable=True)
    pre_period_years: dt.String = pa.Field(nullable=True)

    @pa.dataframe_check(name="pre rows have negative relative periods")
    def side_matches_period(cls, data) -> bool:
        table = data.table
        return (table.window_side == "pre") == (table.relative_period < 0)


# ---- issue 12: dependency breadth (HS6 and pooled dependency, USGS's own figures, US net trade) ----


def _china_hk_not_below_china(table):
    return table.china_hk_value_usd >= table.china_value_usd


def _suppliers_within_total(table):
    # suppliers are the total less self-imports and non-country partners: never more than the total
    return table.supplier_value_usd <= table.total_value_usd * (1 + 1e-9) + 1e-6


class ImportDependencyHs6(pa.DataFrameModel):
    """importer x HS6 x HS revision x year x period_kind x source."""

    importer_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    hs_revision: dt.String = pa.Field(isin=["HS07", "HS12", "HS17", "HS22"], nullable=True)
    hs6_hs2017: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    mineral: dt.String = pa.Field(nullable=True)
    year: dt.Int32 = pa.Field(ge=1962, le=2100)
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    source: dt.String = pa.Field(isin=SOURCES)
    total_value_usd: dt.Float64 = pa.Field(ge=0)
    supplier_value_usd: dt.Float64 = pa.Field(ge=0)
    china_value_usd: dt.Float64 = pa.Field(ge=0)
    china_hk_value_usd: dt.Float64 = pa.Field(ge=0)
    china_share: dt.Float64 = pa.Field(**SHARE)
    china_hk_share: dt.Float64 = pa.Field(**SHARE)
    top_supplier_share: dt.Float64 = pa.Field(**SHARE)
    hhi: dt.Float64 = pa.Field(gt=0, le=10_000, nullable=True)
    denominator_scope: dt.String = pa.Field(isin=DENOMINATOR_SCOPES)

    @pa.dataframe_check(name="China incl. Hong Kong is at least China alone")
    def china_hk_not_below_china(cls, data) -> bool:
        return _china_hk_not_below_china(data.table)

    @pa.dataframe_check(name="supplier value never above the total")
    def suppliers_within_total(cls, data) -> bool:
        return _suppliers_within_total(data.table)

    @pa.dataframe_check(name="an HS 2017 code only on HS17/HS22 rows, and an HS17 row is its own HS 2017 code")
    def hs2017_code_by_revision(cls, data) -> bool:
        table = data.table
        revised = table.hs_revision.isin(["HS17", "HS22"]).fill_null(False)
        return (revised == table.hs6_hs2017.notnull()) & ((table.hs_revision != "HS17").fill_null(True) | (table.hs6_hs2017 == table.hs6))


class ImportDependencyPooled(pa.DataFrameModel):
    """importer x mineral x pooled period (USGS style) x source."""

    importer_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    mineral: dt.String
    first_year: dt.Int32 = pa.Field(ge=1962, le=2100)
    last_year: dt.Int32 = pa.Field(ge=1962, le=2100)
    period_label: dt.String = pa.Field(str_matches=r"^\d{4}-\d{2}$")
    source: dt.String = pa.Field(isin=SOURCES)
    total_value_usd: dt.Float64 = pa.Field(ge=0)
    supplier_value_usd: dt.Float64 = pa.Field(ge=0)
    china_value_usd: dt.Float64 = pa.Field(ge=0)
    china_hk_value_usd: dt.Float64 = pa.Field(ge=0)
    china_share: dt.Float64 = pa.Field(**SHARE)
    china_hk_share: dt.Float64 = pa.Field(**SHARE)
    hhi: dt.Float64 = pa.Field(gt=0, le=10_000, nullable=True)
    denominator_scope: dt.String = pa.Field(isin=DENOMINATOR_SCOPES)

    @pa.dataframe_check(name="a pooled period runs forward and spans more than one year")
    def period_runs_forward(cls, data) -> bool:
        table = data.table
        return table.first_year < table.last_year

    @pa.dataframe_check(name="China incl. Hong Kong is at least China alone")
    def china_hk_not_below_china(cls, data) -> bool:
        return _china_hk_not_below_china(data.table)

    @pa.dataframe_check(name="supplier value never above the total")
    def suppliers_within_total(cls, data) -> bool:
        return _suppliers_within_total(data.table)


class UsgsImportSources(pa.DataFrameModel):
    """edition x commodity x form x period x partner, USGS tokens kept."""

    edition: dt.Int32 = pa.Field(isin=MCS_EDITIONS)
    commodity: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    first_year: dt.Int32 = pa.Field(ge=1990, le=2100)
    last_year: dt.Int32 = pa.Field(ge=1990, le=2100)
    partner_published: dt.String
    value_published: dt.String
    value_kind: dt.String = pa.Field(isin=USGS_SHARE_VALUE_KINDS)
    comparator: dt.String = pa.Field(isin=COMPARATORS)
    share_pct_published: dt.Float64 = pa.Field(ge=0, le=100)
    share: dt.Float64 = pa.Field(ge=0, le=1)
    share_basis: dt.String = pa.Field(isin=["quantity"])

    @pa.dataframe_check(name="the comparator says what the token kind says")
    def comparator_matches_kind(cls, data) -> bool:
        table = data.table
        return (((table.value_kind == "number") & (table.comparator == "="))
                | ((table.value_kind == "upper_bound") & (table.comparator == "<"))
                | ((table.value_kind == "lower_bound") & (table.comparator == ">")))

    @pa.dataframe_check(name="the period runs forward")
    def period_runs_forward(cls, data) -> bool:
        return data.table.first_year <= data.table.last_year


class UsgsImportReconciliation(pa.DataFrameModel):
    """USGS's China share beside ours for the nearest scope; compared on quantity, shares as fractions."""

    edition: dt.Int32 = pa.Field(isin=MCS_EDITIONS)
    commodity: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    usgs_china_share_pct_published: dt.Float64 = pa.Field(ge=0, le=100, nullable=True)
    usgs_china_share: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    usgs_share_basis: dt.String = pa.Field(isin=["quantity"])
    our_china_share_by_value: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    our_china_share_by_quantity: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    gap_share: dt.Float64 = pa.Field(ge=-1, le=1, nullable=True)
    gap_null_reason: dt.String = pa.Field(nullable=True)
    codes_match: dt.String = pa.Field(nullable=True)
    gap_reasons: dt.String

    @pa.dataframe_check(name="the gap is USGS's share less our quantity share, only where comparable")
    def gap_is_the_quantity_difference(cls, data) -> bool:
        table = data.table
        difference = table.usgs_china_share - table.our_china_share_by_quantity
        computed = table.gap_share.notnull() & ((table.gap_share - difference).abs() < 1e-9) & table.gap_null_reason.isnull()
        withheld = table.gap_share.isnull() & table.gap_null_reason.notnull()
        return computed | withheld

    @pa.dataframe_check(name="a mixed heading gets no numeric gap")
    def no_gap_on_a_mixed_heading(cls, data) -> bool:
        table = data.table
        return ~((table.codes_match == "mixed_heading") & table.gap_share.notnull())

    @pa.dataframe_check(name="the published percent and the fraction agree")
    def published_percent_is_the_fraction(cls, data) -> bool:
        table = data.table
        both = table.usgs_china_share.notnull()
        return ~both | ((table.usgs_china_share * 100 - table.usgs_china_share_pct_published).abs() < 1e-9)


class NetTrade(pa.DataFrameModel):
    """reporter x mineral x stage x year x period_kind x source; US exports beside imports, netted per processing stage."""

    reporter_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    mineral: dt.String
    stage: dt.String = pa.Field(isin=PROCESSING_STAGES)
    year: dt.Int32 = pa.Field(ge=1962, le=2100)
    period_kind: dt.String = pa.Field(isin=["annual", "ytd"])
    source: dt.String = pa.Field(isin=SOURCES)
    imports_value_usd: dt.Float64 = pa.Field(ge=0)
    exports_value_usd: dt.Float64 = pa.Field(ge=0)
    net_exports_value_usd: dt.Float64
    trade_balance: dt.String = pa.Field(isin=TRADE_BALANCES)
    import_value_basis: dt.String = pa.Field(isin=["customs_value_imports_for_consumption"])
    export_value_basis: dt.String = pa.Field(isin=["fas_value_domestic_exports"])
    denominator_scope: dt.String = pa.Field(isin=DENOMINATOR_SCOPES)

    @pa.dataframe_check(name="net exports are exports less imports")
    def net_is_the_difference(cls, data) -> bool:
        table = data.table
        return (table.net_exports_value_usd - (table.exports_value_usd - table.imports_value_usd)).abs() <= 1e-6

    @pa.dataframe_check(name="the balance label follows the sign of net exports")
    def label_follows_sign(cls, data) -> bool:
        table = data.table
        net = table.net_exports_value_usd
        no_trade = (table.imports_value_usd == 0) & (table.exports_value_usd == 0)
        mixed = table.stage == "mixed"
        return (((table.trade_balance == "net_exporter") & (net > 0) & ~mixed)
                | ((table.trade_balance == "net_importer") & (net < 0) & ~mixed)
                | ((table.trade_balance == "balanced") & (net == 0) & ~no_trade & ~mixed)
                | ((table.trade_balance == "stage_mix") & mixed & ~no_trade)
                | ((table.trade_balance == "no_trade") & no_trade))


ISSUE_12_CONTRACTS = {
    "import_dependency_hs6": ImportDependencyHs6,
    "import_dependency_pooled": ImportDependencyPooled,
    "usgs_import_sources": UsgsImportSources,
    "usgs_import_reconciliation": UsgsImportReconciliation,
    "net_trade": NetTrade,
}


class ImportDependencyByElement(pa.DataFrameModel):
    """element x importer x trade mineral x year x period_kind x source: import_dependency's rows per element."""

    element: dt.String = pa.Field(str_matches=r"^[a-z0-9_]+$")
    mixed_heading: dt.Boolean
    importer_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    mineral: dt.String
    year: dt.Int32
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    source: dt.String = pa.Field(isin=SOURCES)
    china_share: dt.Float64 = pa.Field(**SHARE)
    china_hk_share: dt.Float64 = pa.Field(**SHARE)

    @pa.dataframe_check(name="a mixed_mineral label is never read as one element's own heading")
    def mixed_label_is_mixed(cls, data) -> bool:
        table = data.table
        return ~table.mineral.contains("mixed") | table.mixed_heading


MART_CONTRACTS = {
    "import_dependency_by_element": ImportDependencyByElement,
    "fct_trade_flows": FctTradeFlows,
    "import_dependency": ImportDependency,
    "net_import_reliance": NetImportReliance,
    "export_measures": ExportMeasures,
    "measure_coverage": MeasureCoverage,
    "restriction_exposure": RestrictionExposure,
    "supply_concentration": SupplyConcentration,
    "supply_risk": SupplyRisk,
    "restriction_event_study": RestrictionEventStudy,
    **ISSUE_12_CONTRACTS,
}


# --- Restriction drill-downs and the reverse chokepoint (issue 14) ------------------------------------------------
CHIP_PRODUCT_GROUP = ["semiconductor_manufacturing_equipment"]
HS_8486 = r"^8486\d{2}$"
EPSILON = 1e-9  # float sums of shares


class ExportMeasureStatusPeriods(pa.DataFrameModel):
    """measure x part x period; [valid_from, valid_to), NULL = open."""

    measure_id: dt.String
    part_id: dt.String
    period_number: dt.Int64 = pa.Field(ge=1)
    status: dt.String = pa.Field(isin=MEASURE_STATUSES)
    status_basis: dt.String = pa.Field(isin=STATUS_BASES)
    valid_from: dt.Date
    valid_to: dt.Date = pa.Field(nullable=True)
    suspended_by_measure_id: dt.String = pa.Field(nullable=True)
    legal_type: dt.String = pa.Field(isin=LEGAL_TYPES)
    restricts_goods: dt.Boolean

    @pa.dataframe_check(name="a period ends after it starts")
    def ordered(cls, data) -> bool:
        table = data.table
        return table.valid_to.isnull() | (table.valid_from < table.valid_to)

    @pa.dataframe_check(name="only the first period starts at status_period_open_start")
    def first_period_open(cls, data) -> bool:
        table = data.table
        return same_truth(table.period_number == 1, table.valid_from == ibis.date(STATUS_PERIOD_OPEN_START))

    @pa.dataframe_check(name="a suspended period names the suspending measure, no other period does")
    def suspension_named(cls, data) -> bool:
        table = data.table
        return (table.status == "suspended") == table.suspended_by_measure_id.notnull()

    @pa.dataframe_check(name="'in_force' is only ever sourced (an end date passing gives an *_unconfirmed status)")
    def in_force_sourced(cls, data) -> bool:
        table = data.table
        return (table.status != "in_force") | (table.status_basis == "sourced")


class MeasuresStatusToday(pa.DataFrameModel):
    """measure x part x commodity x destination (unique key: dbt YAML); status on status_as_of."""

    status_as_of: dt.Date
    measure_id: dt.String
    part_id: dt.String
    legal_type: dt.String = pa.Field(isin=LEGAL_TYPES)
    restricts_goods: dt.Boolean
    commodity: dt.String
    destination: dt.String = pa.Field(nullable=True)
    status: dt.String = pa.Field(isin=MEASURE_STATUSES)
    status_basis: dt.String = pa.Field(isin=STATUS_BASES)
    in_force_sourced: dt.Boolean
    possibly_in_force: dt.Boolean
    status_since: dt.Date
    status_until: dt.Date = pa.Field(nullable=True)

    @pa.dataframe_check(name="in_force_sourced exactly when status is 'in_force', and then sourced")
    def sourced_flag(cls, data) -> bool:
        table = data.table
        return same_truth(table.in_force_sourced, table.status == "in_force") & (
            (table.status != "in_force") | (table.status_basis == "sourced"))

    @pa.dataframe_check(name="possibly_in_force exactly for the possibly_in_force_statuses")
    def possible_flag(cls, data) -> bool:
        table = data.table
        return same_truth(table.possibly_in_force, table.status.isin(list(POSSIBLY_IN_FORCE_STATUSES)))

    @pa.dataframe_check(name="the status period covers status_as_of")
    def period_covers_as_of(cls, data) -> bool:
        table = data.table
        return (table.status_since <= table.status_as_of) & (
            table.status_until.isnull() | (table.status_as_of < table.status_until))


class MeasurePartSources(pa.DataFrameModel):
    """measure x part x source URL (unique keys: dbt YAML)."""

    measure_id: dt.String
    part_id: dt.String
    source_rank: dt.Int64 = pa.Field(ge=1)
    source_url: dt.String = pa.Field(str_matches=r"^https?://")
    source_confirms: dt.String = pa.Field(nullable=True)
    verification: dt.String = pa.Field(isin=list(VERIFICATION))


class RestrictionExposureByMeasure(pa.DataFrameModel):
    """restriction_exposure x measure: a drill-down bridge, not additive across measures."""

    source: dt.String = pa.Field(isin=SOURCES)
    importer_iso3: dt.String
    restricting_country_iso3: dt.String
    commodity_code: dt.String = pa.Field(str_matches=r"^\d{4,10}$")
    year: dt.Int32
    period_kind: dt.String = pa.Field(isin=PERIOD_KINDS)
    measure_id: dt.String
    legal_type: dt.String = pa.Field(isin=GOODS_LEGAL_TYPES)
    coverage_level: dt.String = pa.Field(isin=EXPOSURE_COVERAGE_LEVELS)
    import_value_usd: dt.Float64 = pa.Field(ge=0)
    days_in_period: dt.Int64 = pa.Field(ge=1, le=366)
    days_in_force: dt.Int32 = pa.Field(ge=0, le=366)
    in_force_during_period: dt.Boolean
    value_under_measure_usd: dt.Float64 = pa.Field(ge=0)
    value_under_measure_usd_prorated_estimate: dt.Float64 = pa.Field(ge=0)
    bound_completeness: dt.String = pa.Field(isin=BOUNDED_COMPLETENESSES)
    status_at_period_end: dt.String = pa.Field(isin=MEASURE_STATUSES)
    status_basis_at_period_end: dt.String = pa.Field(isin=STATUS_BASES)

    @pa.dataframe_check(name="value under a measure never exceeds the imports")
    def bounded(cls, data) -> bool:
        table = data.table
        return (table.value_under_measure_usd <= table.import_value_usd) & (
            table.value_under_measure_usd_prorated_estimate <= table.value_under_measure_usd * (1 + EPSILON))

    @pa.dataframe_check(name="in force during the period exactly when it has days in force, within the period")
    def days_consistent(cls, data) -> bool:
        table = data.table
        return (table.in_force_during_period == (table.days_in_force > 0)) & (table.days_in_force <= table.days_in_period)


class ChipEquipmentDependency(pa.DataFrameModel):
    """year x HS6 (8486xx) x exporter; each dollar once."""

    year: dt.Int32 = pa.Field(ge=1995, le=2100)
    hs6: dt.String = pa.Field(str_matches=HS_8486)
    product_group: dt.String = pa.Field(isin=CHIP_PRODUCT_GROUP)
    exporter_code: dt.Int32
    supplier_group: dt.String
    is_controlling_country: dt.Boolean
    counts_in_shares: dt.Boolean
    value_usd: dt.Float64 = pa.Field(ge=0)
    share_of_hs6: dt.Float64 = pa.Field(**SHARE)
    share_of_8486: dt.Float64 = pa.Field(**SHARE)
    source: dt.String = pa.Field(isin=["cepii_baci"])

    @pa.dataframe_check(name="shares exactly on the rows that count in shares")
    def shares_on_counted_rows(cls, data) -> bool:
        table = data.table
        return table.counts_in_shares == table.share_of_hs6.notnull()

    @pa.dataframe_check(name="a share of the heading never exceeds the share of its subheading")
    def heading_share_smaller(cls, data) -> bool:
        table = data.table
        return table.share_of_hs6.isnull() | (table.share_of_8486 <= table.share_of_hs6 + EPSILON)


class ChipEquipmentDependencySummary(pa.DataFrameModel):
    """product (8486 or an HS6) x year; the heading row repeats its subheadings' dollars."""

    year: dt.Int32 = pa.Field(ge=1995, le=2100)
    product_code: dt.String = pa.Field(str_matches=r"^8486(\d{2})?$")
    product_level: dt.String = pa.Field(isin=CHIP_PRODUCT_LEVELS)
    product_group: dt.String = pa.Field(isin=CHIP_PRODUCT_GROUP)
    importer_iso3: dt.String = pa.Field(isin=["CHN"])
    total_value_usd: dt.Float64 = pa.Field(ge=0)
    supplier_value_usd: dt.Float64 = pa.Field(ge=0)
    top_supplier_share: dt.Float64 = pa.Field(**SHARE)
    hhi: dt.Float64 = pa.Field(ge=0, le=10_000, nullable=True)
    controlling_countries_share: dt.Float64 = pa.Field(**SHARE)
    us_share: dt.Float64 = pa.Field(**SHARE)
    japan_share: dt.Float64 = pa.Field(**SHARE)
    netherlands_share: dt.Float64 = pa.Field(**SHARE)
    korea_share: dt.Float64 = pa.Field(**SHARE)
    taiwan_share: dt.Float64 = pa.Field(**SHARE)
    germany_share: dt.Float64 = pa.Field(**SHARE)
    singapore_share: dt.Float64 = pa.Field(**SHARE)

    @pa.dataframe_check(name="the heading row is 8486, subheading rows are six digits")
    def level_matches_code(cls, data) -> bool:
        table = data.table
        return (table.product_level == "heading") == (table.product_code == "8486")

    @pa.dataframe_check(name="the share denominator is part of the total")
    def denominator_within_total(cls, data) -> bool:
        table = data.table
        return table.supplier_value_usd <= table.total_value_usd

    @pa.dataframe_check(name="controlling countries' share = US + Japan + Netherlands shares")
    def controlling_is_the_three(cls, data) -> bool:
        table = data.table
        gap = table.controlling_countries_share - table.us_share - table.japan_share - table.netherlands_share
        return table.controlling_countries_share.isnull() | (gap.abs() <= EPSILON)

    @pa.dataframe_check(name="HHI is at least the top supplier's share squared")
    def hhi_above_top_share(cls, data) -> bool:
        table = data.table
        return table.hhi.isnull() | (table.hhi >= 10_000 * table.top_supplier_share * table.top_supplier_share - EPSILON)


class ChipEquipmentControlExposure(pa.DataFrameModel):
    """controlling country x HS6 x year (rows of restriction_exposure); each dollar once."""

    year: dt.Int32 = pa.Field(ge=1995, le=2100)
    hs6: dt.String = pa.Field(str_matches=HS_8486)
    product_group: dt.String = pa.Field(isin=CHIP_PRODUCT_GROUP)
    importer_iso3: dt.String = pa.Field(isin=["CHN"])
    restricting_country_iso3: dt.String
    import_value_usd: dt.Float64 = pa.Field(ge=0)
    share_of_8486: dt.Float64 = pa.Field(**SHARE)
    covered_value_usd: dt.Float64 = pa.Field(ge=0)
    upper_bound_value_usd: dt.Float64 = pa.Field(ge=0)
    days_in_period: dt.Int32 = pa.Field(ge=365, le=366)
    days_in_force_full: dt.Int32 = pa.Field(ge=0, le=366)
    days_in_force_upper: dt.Int32 = pa.Field(ge=0, le=366)
    measures_in_force_count: dt.Int32 = pa.Field(ge=0)

    @pa.dataframe_check(name="covered <= upper bound <= imports from the controlling country")
    def bounded(cls, data) -> bool:
        table = data.table
        return (table.covered_value_usd <= table.upper_bound_value_usd) & (table.upper_bound_value_usd <= table.import_value_usd)

    @pa.dataframe_check(name="full days <= upper days <= days in the year")
    def days_bounded(cls, data) -> bool:
        table = data.table
        return (table.days_in_force_full <= table.days_in_force_upper) & (table.days_in_force_upper <= table.days_in_period)

    @pa.dataframe_check(name="measures in force exactly when some day is in force")
    def measures_match_days(cls, data) -> bool:
        table = data.table
        return (table.measures_in_force_count > 0) == (table.days_in_force_upper > 0)


class ChipEquipmentEventStudy(pa.DataFrameModel):
    """control (measure part) x supplier group: shares the year before, of and after."""

    measure_id: dt.String
    part_id: dt.String
    controlling_country_iso3: dt.String = pa.Field(isin=CONTROLLING_COUNTRIES)
    control_date: dt.Date
    event_year: dt.Int32
    supplier_group: dt.String
    pre_year: dt.Int32
    post_year: dt.Int32
    pre_year_share: dt.Float64 = pa.Field(**SHARE)
    event_year_share: dt.Float64 = pa.Field(**SHARE)
    post_year_share: dt.Float64 = pa.Field(**SHARE)
    post_minus_pre_share: dt.Float64 = pa.Field(ge=-1, le=1, nullable=True)
    caveats: dt.String

    @pa.dataframe_check(name="event year is the control date's year, pre and post the years either side")
    def years_consistent(cls, data) -> bool:
        table = data.table
        return ((table.event_year == table.control_date.year()) & (table.pre_year == table.event_year - 1)
                & (table.post_year == table.event_year + 1))

    @pa.dataframe_check(name="a row saying the data have no post year has no post-year share")
    def note_means_no_post_share(cls, data) -> bool:
        table = data.table
        return table.post_year_note.isnull() | table.post_year_share.isnull()


class ChipEquipmentClaimCheck(pa.DataFrameModel):
    """figure: data rows (BACI) and the published claim, never one measure (figure_id unique: dbt YAML)."""

    figure_id: dt.String
    year: dt.Int32
    figure_kind: dt.String = pa.Field(isin=FIGURE_KINDS)
    value_usd: dt.Float64 = pa.Field(gt=0)
    scope: dt.String
    figure_source: dt.String
    measure_kind: dt.String
    same_measure_as_other_rows: dt.Boolean = pa.Field(isin=[False])
    why_they_differ: dt.String

    hs_codes_not_included: dt.String
    difference_null_reason: dt.String

    @pa.dataframe_check(name="no difference between non-comparable figures")
    def no_difference_published(cls, data) -> bool:
        return data.table.claim_minus_data_2024_usd.isnull()

    @pa.dataframe_check(name="every data row lists the codes it sums")
    def data_rows_list_their_codes(cls, data) -> bool:
        table = data.table
        return (table.figure_kind != "data") | table.hs_codes_included.notnull()


MART_CONTRACTS.update({
    "export_measure_status_periods": ExportMeasureStatusPeriods,
    "measures_status_today": MeasuresStatusToday,
    "measure_part_sources": MeasurePartSources,
    "restriction_exposure_by_measure": RestrictionExposureByMeasure,
    "chip_equipment_dependency": ChipEquipmentDependency,
    "chip_equipment_dependency_summary": ChipEquipmentDependencySummary,
    "chip_equipment_control_exposure": ChipEquipmentControlExposure,
    "chip_equipment_event_study": ChipEquipmentEventStudy,
    "chip_equipment_claim_check": ChipEquipmentClaimCheck,
})


# --- Mirror statistics (issue 26) -------------------------------------------------------------------------------
class MirrorFlows(pa.DataFrameModel):
    """year x exporter x importer x HS6: both declarations of a flow, compared within mirror_agreement_band."""

    year: dt.Int64 = pa.Field(ge=1988, le=2100)
    exporter_code: dt.Int64 = pa.Field(ge=1, le=999)
    exporter_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    importer_code: dt.Int64 = pa.Field(ge=1, le=999)
    importer_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    exporter_declared_fob_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    importer_declared_cif_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    importer_declared_fob_equivalent_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    exporter_net_weight_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    importer_net_weight_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    importer_to_exporter_ratio: dt.Float64 = pa.Field(gt=0, nullable=True)
    gap_class: dt.String = pa.Field(isin=MIRROR_GAP_CLASSES)
    exporter_reported_exports: dt.Boolean
    importer_reported_imports: dt.Boolean
    baci_value_usd: dt.Float64 = pa.Field(gt=0, nullable=True)

    @pa.dataframe_check(name="agree and disagree rows carry both declarations and their ratio")
    def two_sided_rows_have_a_ratio(cls, data) -> bool:
        table = data.table
        two_sided = table.gap_class.isin(TWO_SIDED_GAP_CLASSES)
        return ~two_sided | (table.exporter_declared_fob_usd.notnull() & table.importer_declared_cif_usd.notnull())

    @pa.dataframe_check(name="a one-sided row carries only its side")
    def one_sided_rows(cls, data) -> bool:
        table = data.table
        return (((table.gap_class != "importer_only") | table.exporter_declared_fob_usd.isnull())
                & ((table.gap_class != "exporter_only") | table.importer_declared_cif_usd.isnull()))


MART_CONTRACTS["mirror_flows"] = MirrorFlows


class MirrorDataQuality(pa.DataFrameModel):
    """year x breakdown x breakdown_value: disagreement share and what the total-row rule changed."""

    year: dt.Int64 = pa.Field(ge=1988, le=2100)
    breakdown: dt.String = pa.Field(isin=MIRROR_QUALITY_BREAKDOWNS)
    breakdown_value: dt.String
    reporter_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    flows: dt.Int64 = pa.Field(ge=0)
    two_sided_flows: dt.Int64 = pa.Field(ge=0)
    disagreeing_flows: dt.Int64 = pa.Field(ge=0)
    disagree_share: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    unresolved_flows: dt.Int64 = pa.Field(ge=0)
    median_importer_to_exporter_ratio: dt.Float64 = pa.Field(gt=0, nullable=True)
    declarations: dt.Int64 = pa.Field(ge=1)
    rows_published: dt.Int64 = pa.Field(ge=1)
    declarations_with_repeated_rows: dt.Int64 = pa.Field(ge=0)
    rows_dropped_by_rule: dt.Int64 = pa.Field(ge=0)
    declarations_unresolved: dt.Int64 = pa.Field(ge=0)
    rows_in_unresolved_declarations: dt.Int64 = pa.Field(ge=0)
    resolved_value_usd: dt.Float64 = pa.Field(ge=0)
    naive_sum_value_usd: dt.Float64 = pa.Field(ge=0)
    non_country_partner_declarations: dt.Int64 = pa.Field(ge=0)
    non_country_partner_value_usd: dt.Float64 = pa.Field(ge=0)
    naive_over_resolved: dt.Float64 = pa.Field(ge=1 - 1e-9, nullable=True)

    @pa.dataframe_check(name="disagreeing flows are a part of the two-sided flows")
    def disagreeing_within_two_sided(cls, data) -> bool:
        table = data.table
        return (table.disagreeing_flows <= table.two_sided_flows) & (table.two_sided_flows <= table.flows)


MART_CONTRACTS["mirror_data_quality"] = MirrorDataQuality


class ChinaMirrorFlows(pa.DataFrameModel):
    """year x partner x HS6: China's declared exports beside the partner's imports from China and from Hong Kong."""

    year: dt.Int64 = pa.Field(ge=1988, le=2100)
    partner_code: dt.Int64 = pa.Field(ge=1, le=999)
    partner_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    china_declared_exports_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    china_declared_exports_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_china_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_china_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_hong_kong_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_hong_kong_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    hong_kong_declared_exports_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    partner_to_china_ratio: dt.Float64 = pa.Field(gt=0, nullable=True)
    china_gap_class: dt.String = pa.Field(isin=MIRROR_GAP_CLASSES, nullable=True)
    baci_china_to_partner_usd: dt.Float64 = pa.Field(gt=0, nullable=True)


MART_CONTRACTS["china_mirror_flows"] = ChinaMirrorFlows


class ReporterDeclaredDependency(pa.DataFrameModel):
    """year x importer x HS6: China's share as the importer declares it, beside BACI's, with the reason they differ."""

    year: dt.Int64 = pa.Field(ge=1988, le=2100)
    importer_code: dt.Int64 = pa.Field(ge=1, le=999)
    importer_iso3: dt.String = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    declared_world_imports_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    declared_china_imports_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    declared_hong_kong_imports_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    declared_china_share: dt.Float64 = pa.Field(ge=0, nullable=True)
    declared_china_hk_share: dt.Float64 = pa.Field(ge=0, nullable=True)
    previous_year: dt.Int64 = pa.Field(nullable=True)
    declared_china_share_change: dt.Float64 = pa.Field(nullable=True)
    baci_supplier_value_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    baci_china_share: dt.Float64 = pa.Field(ge=0, le=1, nullable=True)
    share_difference: dt.Float64 = pa.Field(nullable=True)
    difference_reason: dt.String = pa.Field(isin=DEPENDENCY_DIFFERENCES)


MART_CONTRACTS["reporter_declared_dependency"] = ReporterDeclaredDependency


# --- Monthly trade and unit values (issue 27) -------------------------------------------------------------------------
class MonthlyFlows(pa.DataFrameModel):
    """source x reporter x partner x flow x native code x month (the key is the dbt YAML's grain test)."""

    source: dt.String = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    compiled_by: dt.String = pa.Field(isin=["critical_materials_atlas"])
    reporter_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    partner_code: dt.String = pa.Field(str_matches=r"^([A-Z0-9_]{3}|n/a)$")
    partner_is_country: dt.Boolean
    flow: dt.String = pa.Field(isin=FLOWS)
    native_code: dt.String = pa.Field(str_matches=r"^\d{6}(\d{2}|XX|\d{4})?$")
    native_code_system: dt.String = pa.Field(isin=["CN8", "NCM8", "HS6"])
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    year: dt.Int32 = pa.Field(ge=2000, le=2100)
    month: dt.Int32 = pa.Field(ge=1, le=12)
    month_index: dt.Int32
    value_usd: dt.Float64 = pa.Field(ge=0, nullable=True)
    currency_published: dt.String = pa.Field(isin=["USD", "GBP", "EUR"])
    usd_conversion: dt.String = pa.Field(isin=["published_in_usd", "converted_by_compiler_rate_not_in_file"])
    usd_conversion_source: dt.String = pa.Field(nullable=True)
    value_basis: dt.String = pa.Field(isin=["fob", "not_stated"])
    qty_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    quantity_unit_declared: dt.String = pa.Field(isin=["kg"], nullable=True)
    aggregation_rule: dt.String = pa.Field(isin=_vocab.MONTHLY_AGGREGATION_RULES)
    source_rows: dt.Int64 = pa.Field(ge=1)
    file_rows: dt.Int64 = pa.Field(ge=1)
    is_confidential: dt.Boolean
    unit_value_usd_per_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    unit_value_status: dt.String = pa.Field(isin=_vocab.UNIT_VALUE_STATUSES)
    unit_value_outlier: dt.Boolean = pa.Field(nullable=True)

    @pa.dataframe_check(name="a unit value exactly where the status is ok")
    def unit_value_only_when_ok(cls, data) -> bool:
        table = data.table
        return same_truth(table.unit_value_usd_per_kg.notnull(), table.unit_value_status == "ok")

    @pa.dataframe_check(name="a converted value names its conversion source")
    def conversion_sourced(cls, data) -> bool:
        table = data.table
        return (table.usd_conversion == "published_in_usd") | table.usd_conversion_source.notnull()


MART_CONTRACTS["monthly_flows"] = MonthlyFlows


class EventWindowsMonthly(pa.DataFrameModel):
    """measure x part x source x importer x hs6 x relative_month (the key is the dbt YAML's grain test)."""

    measure_id: dt.String
    part_id: dt.String
    jurisdiction_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    date_effective: dt.Date
    source: dt.String = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    importer_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    scope_basis: dt.String = pa.Field(isin=_vocab.EVENT_SCOPE_BASES)
    coverage_level: dt.String = pa.Field(isin=EXPOSURE_COVERAGE_LEVELS)
    month_index: dt.Int32
    year: dt.Int32 = pa.Field(ge=2000, le=2100)
    month: dt.Int32 = pa.Field(ge=1, le=12)
    relative_month: dt.Int32 = pa.Field(ge=-12, le=12)
    window_side: dt.String = pa.Field(isin=EVENT_WINDOW_SIDES)
    origin_qty_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    total_qty_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    total_qty_kg_in_outlier_rows: dt.Float64 = pa.Field(ge=0)
    origin_unit_value_usd_per_kg: dt.Float64 = pa.Field(gt=0, nullable=True)
    comparison_hs6: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    comparison_pre_gap_variance: dt.Float64 = pa.Field(ge=0, nullable=True)
    comparison_origin_qty_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    comparison_total_qty_kg: dt.Float64 = pa.Field(ge=0, nullable=True)
    comparison_origin_unit_value_usd_per_kg: dt.Float64 = pa.Field(gt=0, nullable=True)

    @pa.dataframe_check(name="the side follows relative_month")
    def side_matches_month(cls, data) -> bool:
        table = data.table
        return same_truth(table.window_side == "pre", table.relative_month < 0)

    @pa.dataframe_check(name="the comparison product is not the treated one")
    def comparison_differs(cls, data) -> bool:
        table = data.table
        return table.comparison_hs6.isnull() | (table.comparison_hs6 != table.hs6)


class EventWindowEstimates(pa.DataFrameModel):
    """measure x part x source x importer x hs6 x outcome (the key is the dbt YAML's grain test)."""

    measure_id: dt.String
    part_id: dt.String
    source: dt.String = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    importer_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    hs6: dt.String = pa.Field(str_matches=r"^\d{6}$")
    outcome: dt.String = pa.Field(isin=_vocab.EVENT_OUTCOMES)
    comparison_hs6: dt.String = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    window_months: dt.Int64 = pa.Field(ge=1, le=25)
    n_pre: dt.Int64 = pa.Field(ge=0, le=12)
    n_post: dt.Int64 = pa.Field(ge=0, le=13)
    mean_gap_pre: dt.Float64 = pa.Field(nullable=True)
    mean_gap_post: dt.Float64 = pa.Field(nullable=True)
    did_estimate: dt.Float64 = pa.Field(nullable=True)
    did_std_error: dt.Float64 = pa.Field(ge=0, nullable=True)
    did_df: dt.Int64
    did_ci_low: dt.Float64 = pa.Field(nullable=True)
    did_ci_high: dt.Float64 = pa.Field(nullable=True)
    did_relative_change: dt.Float64 = pa.Field(gt=-1, nullable=True)
    pre_trend_slope: dt.Float64 = pa.Field(nullable=True)
    pre_trend_slope_std_error: dt.Float64 = pa.Field(ge=0, nullable=True)
    pre_trend_passed: dt.Boolean = pa.Field(nullable=True)
    verdict: dt.String = pa.Field(isin=_vocab.EVENT_VERDICTS)
    verdict_reason: dt.String = pa.Field(nullable=True)

    @pa.dataframe_check(name="a reason exactly when not interpretable")
    def reason_when_not_interpretable(cls, data) -> bool:
        table = data.table
        return same_truth(table.verdict_reason.notnull(), table.verdict == "not_interpretable")

    @pa.dataframe_check(name="an effect's interval excludes 0 and its pre-trend check passed")
    def effect_is_significant(cls, data) -> bool:
        table = data.table
        excluded = (table.did_ci_low > 0) | (table.did_ci_high < 0)
        return (table.verdict != "effect") | (excluded & table.pre_trend_passed)

    @pa.dataframe_check(name="the interval contains the estimate")
    def interval_contains_estimate(cls, data) -> bool:
        table = data.table
        return table.did_ci_low.isnull() | ((table.did_ci_low <= table.did_estimate) & (table.did_estimate <= table.did_ci_high))


class MonthlyExposure(pa.DataFrameModel):
    """measure x part x source x importer x month_index (the key is the dbt YAML's grain test)."""

    measure_id: dt.String
    part_id: dt.String
    jurisdiction_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    source: dt.String = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    importer_iso3: dt.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    year: dt.Int32 = pa.Field(ge=2000, le=2100)
    month: dt.Int32 = pa.Field(ge=1, le=12)
    month_index: dt.Int32
    days_in_month: dt.Int32 = pa.Field(ge=28, le=31)
    days_in_force: dt.Int32 = pa.Field(ge=0, le=31)
    share_of_month_in_force: dt.Float64 = pa.Field(ge=0, le=1)
    products_in_scope: dt.Int32 = pa.Field(ge=1)
    products_in_scope_full: dt.Int32 = pa.Field(ge=0)
    value_usd_in_scope: dt.Float64 = pa.Field(ge=0)
    value_usd_in_scope_full_coverage: dt.Float64 = pa.Field(ge=0)
    qty_kg_in_scope: dt.Float64 = pa.Field(ge=0, nullable=True)
    value_usd_in_force_prorated: dt.Float64 = pa.Field(ge=0)
    qty_kg_in_force_prorated: dt.Float64 = pa.Field(ge=0, nullable=True)
    months_with_data_in_year: dt.Int32 = pa.Field(ge=1, le=12)
    year_fully_monthly: dt.Boolean

    @pa.dataframe_check(name="days in force fit in the month")
    def days_fit(cls, data) -> bool:
        table = data.table
        return table.days_in_force <= table.days_in_month

    @pa.dataframe_check(name="the in-force value is at most the month's value")
    def prorated_within_value(cls, data) -> bool:
        table = data.table
        return table.value_usd_in_force_prorated <= table.value_usd_in_scope * (1 + 1e-9)

    @pa.dataframe_check(name="year_fully_monthly means 12 months")
    def full_year(cls, data) -> bool:
        table = data.table
        return same_truth(table.year_fully_monthly, table.months_with_data_in_year == 12)


MART_CONTRACTS["event_windows_monthly"] = EventWindowsMonthly
MART_CONTRACTS["monthly_exposure"] = MonthlyExposure
MART_CONTRACTS["event_window_estimates"] = EventWindowEstimates
