"""Contracts of the trade marts: flows, import dependency (by HS heading, HS6, pooled years, element), net trade,
monthly flows and the mirror (two-sided) statistics."""

from __future__ import annotations

import pandera.ibis as pa

from data_contracts import vocabularies as _vocab
from data_contracts.expressions import same_truth
from data_contracts.marts.common import SHARE
from data_contracts.sources.common import ISO3_OR_COMTRADE_AREA
from data_contracts.vocabularies import (
    DENOMINATOR_SCOPES,
    DEPENDENCY_DIFFERENCES,
    FLOWS,
    MIRROR_GAP_CLASSES,
    MIRROR_QUALITY_BREAKDOWNS,
    PERIOD_KINDS,
    PROCESSING_STAGES,
    SOURCES,
    TRADE_BALANCES,
    TWO_SIDED_GAP_CLASSES,
    WORLD_PARTNER_CODES,
)


def _china_hk_not_below_china(table):
    return table.china_hk_value_usd >= table.china_value_usd


def _suppliers_within_total(table):
    # suppliers are the total less self-imports and non-country partners: never more than the total
    return table.supplier_value_usd <= table.total_value_usd * (1 + 1e-9) + 1e-6


class FctTradeFlows(pa.DataFrameModel):
    source = pa.Field(isin=SOURCES)
    reporter_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    partner_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, notin=WORLD_PARTNER_CODES)
    partner_in_china_incl_hk = pa.Field(nullable=False)
    flow = pa.Field(isin=FLOWS)
    commodity_code = pa.Field(str_matches=r"^\d{4,10}$")
    hs6 = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    year = pa.Field(ge=1962, le=2100)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    ytd_through_month = pa.Field(ge=1, le=12, nullable=True)
    value_usd = pa.Field(ge=0)
    quantity = pa.Field(ge=0, nullable=True)

    @pa.dataframe_check(name="ytd rows say through which month, other rows do not")
    def ytd_month_only_on_ytd(cls, data) -> bool:
        table = data.table
        return (table.period_kind == "ytd") == table.ytd_through_month.notnull()


class ImportDependency(pa.DataFrameModel):
    importer_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    source = pa.Field(isin=SOURCES)
    total_value_usd = pa.Field(ge=0)
    china_value_usd = pa.Field(ge=0)
    china_hk_value_usd = pa.Field(ge=0)
    china_share = pa.Field(**SHARE)
    china_hk_share = pa.Field(**SHARE)
    top_supplier_share = pa.Field(**SHARE)
    positive_supplier_count = pa.Field(ge=0)
    hhi = pa.Field(gt=0, le=10_000, nullable=True)
    equivalent_suppliers = pa.Field(ge=1, nullable=True)
    denominator_scope = pa.Field(isin=DENOMINATOR_SCOPES)

    @pa.dataframe_check(name="China incl. Hong Kong is at least China alone")
    def china_hk_not_below_china(cls, data) -> bool:
        return data.table.china_hk_value_usd >= data.table.china_value_usd

    @pa.dataframe_check(name="no share or HHI without a positive total")
    def shares_need_a_total(cls, data) -> bool:
        table = data.table
        return (table.total_value_usd > 0) | (table.hhi.isnull() & table.china_share.isnull())


class ImportDependencyHs6(pa.DataFrameModel):
    """importer x HS6 x HS revision x year x period_kind x source."""

    importer_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    hs_revision = pa.Field(isin=["HS07", "HS12", "HS17", "HS22"], nullable=True)
    hs6_hs2017 = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    year = pa.Field(ge=1962, le=2100)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    source = pa.Field(isin=SOURCES)
    total_value_usd = pa.Field(ge=0)
    supplier_value_usd = pa.Field(ge=0)
    china_value_usd = pa.Field(ge=0)
    china_hk_value_usd = pa.Field(ge=0)
    china_share = pa.Field(**SHARE)
    china_hk_share = pa.Field(**SHARE)
    top_supplier_share = pa.Field(**SHARE)
    hhi = pa.Field(gt=0, le=10_000, nullable=True)
    denominator_scope = pa.Field(isin=DENOMINATOR_SCOPES)

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

    importer_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    mineral = pa.Field(nullable=False)
    first_year = pa.Field(ge=1962, le=2100)
    last_year = pa.Field(ge=1962, le=2100)
    period_label = pa.Field(str_matches=r"^\d{4}-\d{2}$")
    source = pa.Field(isin=SOURCES)
    total_value_usd = pa.Field(ge=0)
    supplier_value_usd = pa.Field(ge=0)
    china_value_usd = pa.Field(ge=0)
    china_hk_value_usd = pa.Field(ge=0)
    china_share = pa.Field(**SHARE)
    china_hk_share = pa.Field(**SHARE)
    hhi = pa.Field(gt=0, le=10_000, nullable=True)
    denominator_scope = pa.Field(isin=DENOMINATOR_SCOPES)

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


class ImportDependencyByElement(pa.DataFrameModel):
    """element x importer x trade mineral x year x period_kind x source: import_dependency's rows per element."""

    element = pa.Field(str_matches=r"^[a-z0-9_]+$")
    mixed_heading = pa.Field(nullable=False)
    importer_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    source = pa.Field(isin=SOURCES)
    china_share = pa.Field(**SHARE)
    china_hk_share = pa.Field(**SHARE)

    @pa.dataframe_check(name="a mixed_mineral label is never read as one element's own heading")
    def mixed_label_is_mixed(cls, data) -> bool:
        table = data.table
        return ~table.mineral.contains("mixed") | table.mixed_heading


class NetTrade(pa.DataFrameModel):
    """reporter x mineral x stage x year x period_kind x source; US exports beside imports, netted per processing stage."""

    reporter_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    stage = pa.Field(isin=PROCESSING_STAGES)
    year = pa.Field(ge=1962, le=2100)
    period_kind = pa.Field(isin=["annual", "ytd"])
    source = pa.Field(isin=SOURCES)
    imports_value_usd = pa.Field(ge=0)
    exports_value_usd = pa.Field(ge=0)
    net_exports_value_usd = pa.Field(nullable=False)
    trade_balance = pa.Field(isin=TRADE_BALANCES)
    import_value_basis = pa.Field(isin=["customs_value_imports_for_consumption"])
    export_value_basis = pa.Field(isin=["fas_value_domestic_exports"])
    denominator_scope = pa.Field(isin=DENOMINATOR_SCOPES)

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


class MonthlyFlows(pa.DataFrameModel):
    """source x reporter x partner x flow x native code x month (the key is the dbt YAML's grain test)."""

    source = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    compiled_by = pa.Field(isin=["critical_materials_atlas"])
    reporter_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    partner_code = pa.Field(str_matches=r"^([A-Z0-9_]{3}|n/a)$")
    partner_is_country = pa.Field(nullable=False)
    flow = pa.Field(isin=FLOWS)
    native_code = pa.Field(str_matches=r"^\d{6}(\d{2}|XX|\d{4})?$")
    native_code_system = pa.Field(isin=["CN8", "NCM8", "HS6"])
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    year = pa.Field(ge=2000, le=2100)
    month = pa.Field(ge=1, le=12)
    month_index = pa.Field(nullable=False)
    value_usd = pa.Field(ge=0, nullable=True)
    currency_published = pa.Field(isin=["USD", "GBP", "EUR"])
    usd_conversion = pa.Field(isin=["published_in_usd", "converted_by_compiler_rate_not_in_file"])
    value_basis = pa.Field(isin=["fob", "not_stated"])
    qty_kg = pa.Field(ge=0, nullable=True)
    quantity_unit_declared = pa.Field(isin=["kg"], nullable=True)
    aggregation_rule = pa.Field(isin=_vocab.MONTHLY_AGGREGATION_RULES)
    source_rows = pa.Field(ge=1)
    file_rows = pa.Field(ge=1)
    is_confidential = pa.Field(nullable=False)
    unit_value_usd_per_kg = pa.Field(ge=0, nullable=True)
    unit_value_status = pa.Field(isin=_vocab.UNIT_VALUE_STATUSES)

    @pa.dataframe_check(name="a unit value exactly where the status is ok")
    def unit_value_only_when_ok(cls, data) -> bool:
        table = data.table
        return same_truth(table.unit_value_usd_per_kg.notnull(), table.unit_value_status == "ok")

    @pa.dataframe_check(name="a converted value names its conversion source")
    def conversion_sourced(cls, data) -> bool:
        table = data.table
        return (table.usd_conversion == "published_in_usd") | table.usd_conversion_source.notnull()


class MirrorFlows(pa.DataFrameModel):
    """year x exporter x importer x HS6: both declarations of a flow, compared within mirror_agreement_band."""

    year = pa.Field(ge=1988, le=2100)
    exporter_code = pa.Field(ge=1, le=999)
    exporter_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    importer_code = pa.Field(ge=1, le=999)
    importer_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    exporter_declared_fob_usd = pa.Field(ge=0, nullable=True)
    importer_declared_cif_usd = pa.Field(ge=0, nullable=True)
    importer_declared_fob_equivalent_usd = pa.Field(ge=0, nullable=True)
    exporter_net_weight_kg = pa.Field(ge=0, nullable=True)
    importer_net_weight_kg = pa.Field(ge=0, nullable=True)
    importer_to_exporter_ratio = pa.Field(gt=0, nullable=True)
    gap_class = pa.Field(isin=MIRROR_GAP_CLASSES)
    exporter_reported_exports = pa.Field(nullable=False)
    importer_reported_imports = pa.Field(nullable=False)
    baci_value_usd = pa.Field(gt=0, nullable=True)

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


class MirrorDataQuality(pa.DataFrameModel):
    """year x breakdown x breakdown_value: disagreement share and what the total-row rule changed."""

    year = pa.Field(ge=1988, le=2100)
    breakdown = pa.Field(isin=MIRROR_QUALITY_BREAKDOWNS)
    reporter_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    flows = pa.Field(ge=0)
    two_sided_flows = pa.Field(ge=0)
    disagreeing_flows = pa.Field(ge=0)
    disagree_share = pa.Field(ge=0, le=1, nullable=True)
    unresolved_flows = pa.Field(ge=0)
    median_importer_to_exporter_ratio = pa.Field(gt=0, nullable=True)
    declarations = pa.Field(ge=1)
    rows_published = pa.Field(ge=1)
    declarations_with_repeated_rows = pa.Field(ge=0)
    rows_dropped_by_rule = pa.Field(ge=0)
    declarations_unresolved = pa.Field(ge=0)
    rows_in_unresolved_declarations = pa.Field(ge=0)
    resolved_value_usd = pa.Field(ge=0)
    naive_sum_value_usd = pa.Field(ge=0)
    non_country_partner_declarations = pa.Field(ge=0)
    non_country_partner_value_usd = pa.Field(ge=0)
    naive_over_resolved = pa.Field(ge=1 - 1e-9, nullable=True)

    @pa.dataframe_check(name="disagreeing flows are a part of the two-sided flows")
    def disagreeing_within_two_sided(cls, data) -> bool:
        table = data.table
        return (table.disagreeing_flows <= table.two_sided_flows) & (table.two_sided_flows <= table.flows)


class ChinaMirrorFlows(pa.DataFrameModel):
    """year x partner x HS6: China's declared exports beside the partner's imports from China and from Hong Kong."""

    year = pa.Field(ge=1988, le=2100)
    partner_code = pa.Field(ge=1, le=999)
    partner_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    china_declared_exports_usd = pa.Field(ge=0, nullable=True)
    china_declared_exports_kg = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_china_usd = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_china_kg = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_hong_kong_usd = pa.Field(ge=0, nullable=True)
    partner_declared_imports_from_hong_kong_kg = pa.Field(ge=0, nullable=True)
    hong_kong_declared_exports_usd = pa.Field(ge=0, nullable=True)
    partner_to_china_ratio = pa.Field(gt=0, nullable=True)
    china_gap_class = pa.Field(isin=MIRROR_GAP_CLASSES, nullable=True)
    baci_china_to_partner_usd = pa.Field(gt=0, nullable=True)


class ReporterDeclaredDependency(pa.DataFrameModel):
    """year x importer x HS6: China's share as the importer declares it, beside BACI's, with the reason they differ."""

    year = pa.Field(ge=1988, le=2100)
    importer_code = pa.Field(ge=1, le=999)
    importer_iso3 = pa.Field(str_matches=ISO3_OR_COMTRADE_AREA, nullable=True)
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    declared_world_imports_usd = pa.Field(ge=0, nullable=True)
    declared_china_imports_usd = pa.Field(ge=0, nullable=True)
    declared_hong_kong_imports_usd = pa.Field(ge=0, nullable=True)
    declared_china_share = pa.Field(ge=0, nullable=True)
    declared_china_hk_share = pa.Field(ge=0, nullable=True)
    baci_supplier_value_usd = pa.Field(ge=0, nullable=True)
    baci_china_share = pa.Field(ge=0, le=1, nullable=True)
    difference_reason = pa.Field(isin=DEPENDENCY_DIFFERENCES)


CONTRACTS = {
    "fct_trade_flows": FctTradeFlows,
    "import_dependency": ImportDependency,
    "import_dependency_hs6": ImportDependencyHs6,
    "import_dependency_pooled": ImportDependencyPooled,
    "import_dependency_by_element": ImportDependencyByElement,
    "net_trade": NetTrade,
    "monthly_flows": MonthlyFlows,
    "mirror_flows": MirrorFlows,
    "mirror_data_quality": MirrorDataQuality,
    "china_mirror_flows": ChinaMirrorFlows,
    "reporter_declared_dependency": ReporterDeclaredDependency,
}
