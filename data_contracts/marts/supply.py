"""Contracts of the supply marts read from USGS Mineral Commodity Summaries: production concentration, supply
risk, net import reliance, and USGS's import sources beside the trade data."""

from __future__ import annotations

import pandera.ibis as pa

from data_contracts.expressions import same_truth
from data_contracts.marts.common import SHARE
from data_contracts.vocabularies import (
    COMPARATORS,
    GOVERNANCE_BASES,
    MCS_EDITIONS,
    NIR_VALUE_KINDS,
    SHARE_DENOMINATOR_BASES,
    SUPPLY_RISK_STATUSES,
    SUPPLY_STAGES,
    USGS_SHARE_VALUE_KINDS,
)


class NetImportReliance(pa.DataFrameModel):
    edition = pa.Field(isin=MCS_EDITIONS)
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")
    year = pa.Field(ge=1990, le=2100)
    value_published = pa.Field(nullable=False)
    nir_comparator = pa.Field(isin=COMPARATORS, nullable=True)
    nir_pct_published = pa.Field(ge=0, le=100, nullable=True)
    nir_share = pa.Field(ge=0, le=1, nullable=True)
    value_kind = pa.Field(isin=NIR_VALUE_KINDS)

    @pa.dataframe_check(name="a numeric value exactly when the token is a number or a bound")
    def numeric_only_for_numbers(cls, data) -> bool:
        table = data.table
        numeric_kinds = table.value_kind.isin(["number", "lower_bound", "upper_bound", "zero"])
        return same_truth(numeric_kinds, table.nir_pct_published.notnull())


class SupplyConcentration(pa.DataFrameModel):
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")
    mineral = pa.Field(str_matches=r"^[a-z0-9_]+$")  # never NULL: joins on mineral keep every commodity
    stage = pa.Field(isin=SUPPLY_STAGES)
    year = pa.Field(ge=1990, le=2100)
    share_denominator = pa.Field(gt=0, nullable=True)
    share_denominator_basis = pa.Field(isin=SHARE_DENOMINATOR_BASES, nullable=True)
    china_share = pa.Field(**SHARE)
    top_producer_share = pa.Field(**SHARE)
    hhi = pa.Field(ge=0, le=10_000, nullable=True)
    hhi_upper_bound = pa.Field(ge=0, le=10_000, nullable=True)
    equivalent_producers = pa.Field(ge=1, nullable=True)

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
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")
    year = pa.Field(ge=1990, le=2100)
    governance_basis = pa.Field(isin=GOVERNANCE_BASES)
    ir = pa.Field(ge=0, le=1, nullable=True)
    eol_rir = pa.Field(ge=0, le=1, nullable=True)
    si_sr = pa.Field(ge=0, le=1, nullable=True)
    supply_risk = pa.Field(ge=0, nullable=True)
    sr_status = pa.Field(isin=SUPPLY_RISK_STATUSES)

    @pa.dataframe_check(name="a supply-risk value exactly when sr_status says computed")
    def value_matches_status(cls, data) -> bool:
        table = data.table
        return same_truth(table.sr_status.isin(["computed", "computed_unweighted"]), table.supply_risk.notnull())

    @pa.dataframe_check(name="WGI-weighted rows are labelled, unweighted rows say governance is missing")
    def governance_label_matches(cls, data) -> bool:
        table = data.table
        return (table.sr_status != "computed") | (table.governance_basis == "wgi_weighted")


class UsgsImportSources(pa.DataFrameModel):
    """edition x commodity x form x period x partner, USGS tokens kept."""

    edition = pa.Field(isin=MCS_EDITIONS)
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")
    first_year = pa.Field(ge=1990, le=2100)
    last_year = pa.Field(ge=1990, le=2100)
    value_published = pa.Field(nullable=False)
    value_kind = pa.Field(isin=USGS_SHARE_VALUE_KINDS)
    comparator = pa.Field(isin=COMPARATORS)
    share_pct_published = pa.Field(ge=0, le=100)
    share = pa.Field(ge=0, le=1)
    share_basis = pa.Field(isin=["quantity"])

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

    edition = pa.Field(isin=MCS_EDITIONS)
    commodity = pa.Field(str_matches=r"^[a-z0-9_]+$")
    usgs_china_share_pct_published = pa.Field(ge=0, le=100, nullable=True)
    usgs_china_share = pa.Field(ge=0, le=1, nullable=True)
    usgs_share_basis = pa.Field(isin=["quantity"])
    our_china_share_by_value = pa.Field(ge=0, le=1, nullable=True)
    our_china_share_by_quantity = pa.Field(ge=0, le=1, nullable=True)
    gap_share = pa.Field(ge=-1, le=1, nullable=True)
    gap_reasons = pa.Field(nullable=False)

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


CONTRACTS = {
    "net_import_reliance": NetImportReliance,
    "supply_concentration": SupplyConcentration,
    "supply_risk": SupplyRisk,
    "usgs_import_sources": UsgsImportSources,
    "usgs_import_reconciliation": UsgsImportReconciliation,
}
