"""Contracts of the export-control marts: the measures register, status periods and status today, coverage,
restriction exposure, the annual event study and the monthly event windows."""

from __future__ import annotations

import ibis
import pandera.ibis as pa

from data_contracts import vocabularies as _vocab
from data_contracts.expressions import same_truth
from data_contracts.marts.common import EPSILON
from data_contracts.vocabularies import (
    BOUND_COMPLETENESSES,
    BOUNDED_COMPLETENESSES,
    COVERAGE_LEVELS,
    EVENT_WINDOW_SIDES,
    EXPOSURE_COVERAGE_LEVELS,
    GOODS_LEGAL_TYPES,
    LEGAL_TYPES,
    MEASURE_STATUSES,
    PERIOD_KINDS,
    POSSIBLY_IN_FORCE_STATUSES,
    SOURCES,
    STATUS_BASES,
    STATUS_PERIOD_OPEN_START,
    UNTIL_READINGS,
    VERIFICATION,
)


class ExportMeasures(pa.DataFrameModel):
    """measure x part (register_version 2)."""

    jurisdiction_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)  # NULL: a WTO ruling
    legal_type = pa.Field(isin=LEGAL_TYPES)
    restricts_goods = pa.Field(nullable=False)
    status = pa.Field(isin=MEASURE_STATUSES)
    status_basis = pa.Field(isin=STATUS_BASES)
    status_as_of = pa.Field(nullable=False)
    status_history = pa.Field(nullable=False)
    source_urls = pa.Field(nullable=False)
    until_reading = pa.Field(isin=UNTIL_READINGS)

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


class ExportMeasureStatusPeriods(pa.DataFrameModel):
    """measure x part x period; [valid_from, valid_to), NULL = open."""

    period_number = pa.Field(ge=1)
    status = pa.Field(isin=MEASURE_STATUSES)
    status_basis = pa.Field(isin=STATUS_BASES)
    valid_from = pa.Field(nullable=False)
    legal_type = pa.Field(isin=LEGAL_TYPES)
    restricts_goods = pa.Field(nullable=False)

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

    status_as_of = pa.Field(nullable=False)
    legal_type = pa.Field(isin=LEGAL_TYPES)
    restricts_goods = pa.Field(nullable=False)
    status = pa.Field(isin=MEASURE_STATUSES)
    status_basis = pa.Field(isin=STATUS_BASES)
    in_force_sourced = pa.Field(nullable=False)
    possibly_in_force = pa.Field(nullable=False)
    status_since = pa.Field(nullable=False)

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

    source_rank = pa.Field(ge=1)
    source_url = pa.Field(str_matches=r"^https?://")
    verification = pa.Field(isin=list(VERIFICATION))


class MeasureCoverage(pa.DataFrameModel):
    """measure part x HS6 (or heading) x coverage level."""

    match_prefix = pa.Field(str_matches=r"^(\d{4}|\d{6})$")
    hs6 = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    coverage_level = pa.Field(isin=COVERAGE_LEVELS)
    legal_type = pa.Field(isin=GOODS_LEGAL_TYPES)


class RestrictionExposure(pa.DataFrameModel):
    """importer x trade code x period x restricting country; each dollar once. Rows without a trade code
    (bound_completeness not_coded / not_in_trade_data) carry no value: they say a bound is incomplete."""

    source = pa.Field(isin=SOURCES)
    commodity_code = pa.Field(str_matches=r"^\d{4,10}$", nullable=True)
    import_value_usd = pa.Field(ge=0, nullable=True)
    covered_value_usd = pa.Field(ge=0, nullable=True)
    upper_bound_value_usd = pa.Field(ge=0, nullable=True)
    covered_value_usd_prorated_estimate = pa.Field(ge=0, nullable=True)
    upper_bound_value_usd_prorated_estimate = pa.Field(ge=0, nullable=True)
    days_in_force_full = pa.Field(ge=0, le=366)
    days_in_force_upper = pa.Field(ge=0, le=366)
    bound_completeness = pa.Field(isin=BOUND_COMPLETENESSES)

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


class RestrictionExposureByMeasure(pa.DataFrameModel):
    """restriction_exposure x measure: a drill-down bridge, not additive across measures."""

    source = pa.Field(isin=SOURCES)
    commodity_code = pa.Field(str_matches=r"^\d{4,10}$")
    year = pa.Field(nullable=False)
    period_kind = pa.Field(isin=PERIOD_KINDS)
    legal_type = pa.Field(isin=GOODS_LEGAL_TYPES)
    coverage_level = pa.Field(isin=EXPOSURE_COVERAGE_LEVELS)
    import_value_usd = pa.Field(ge=0)
    days_in_period = pa.Field(ge=1, le=366)
    days_in_force = pa.Field(ge=0, le=366)
    in_force_during_period = pa.Field(nullable=False)
    value_under_measure_usd = pa.Field(ge=0)
    value_under_measure_usd_prorated_estimate = pa.Field(ge=0)
    bound_completeness = pa.Field(isin=BOUNDED_COMPLETENESSES)
    status_at_period_end = pa.Field(isin=MEASURE_STATUSES)
    status_basis_at_period_end = pa.Field(isin=STATUS_BASES)

    @pa.dataframe_check(name="value under a measure never exceeds the imports")
    def bounded(cls, data) -> bool:
        table = data.table
        return (table.value_under_measure_usd <= table.import_value_usd) & (
            table.value_under_measure_usd_prorated_estimate <= table.value_under_measure_usd * (1 + EPSILON))

    @pa.dataframe_check(name="in force during the period exactly when it has days in force, within the period")
    def days_consistent(cls, data) -> bool:
        table = data.table
        return (table.in_force_during_period == (table.days_in_force > 0)) & (table.days_in_force <= table.days_in_period)


class RestrictionEventStudy(pa.DataFrameModel):
    year = pa.Field(nullable=False)
    relative_period = pa.Field(ge=-12, le=12)
    window_side = pa.Field(isin=EVENT_WINDOW_SIDES)
    value_usd = pa.Field(ge=0)
    value_index = pa.Field(ge=0, nullable=True)

    @pa.dataframe_check(name="pre rows have negative relative periods")
    def side_matches_period(cls, data) -> bool:
        table = data.table
        return (table.window_side == "pre") == (table.relative_period < 0)


class EventWindowsMonthly(pa.DataFrameModel):
    """measure x part x source x importer x hs6 x relative_month (the key is the dbt YAML's grain test)."""

    jurisdiction_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    date_effective = pa.Field(nullable=False)
    source = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    importer_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    scope_basis = pa.Field(isin=_vocab.EVENT_SCOPE_BASES)
    coverage_level = pa.Field(isin=EXPOSURE_COVERAGE_LEVELS)
    month_index = pa.Field(nullable=False)
    year = pa.Field(ge=2000, le=2100)
    month = pa.Field(ge=1, le=12)
    relative_month = pa.Field(ge=-12, le=12)
    window_side = pa.Field(isin=EVENT_WINDOW_SIDES)
    origin_qty_kg = pa.Field(ge=0, nullable=True)
    total_qty_kg = pa.Field(ge=0, nullable=True)
    total_qty_kg_in_outlier_rows = pa.Field(ge=0)
    origin_unit_value_usd_per_kg = pa.Field(gt=0, nullable=True)
    comparison_hs6 = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    comparison_pre_gap_variance = pa.Field(ge=0, nullable=True)
    comparison_origin_qty_kg = pa.Field(ge=0, nullable=True)
    comparison_total_qty_kg = pa.Field(ge=0, nullable=True)
    comparison_origin_unit_value_usd_per_kg = pa.Field(gt=0, nullable=True)

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

    source = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    importer_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    hs6 = pa.Field(str_matches=r"^\d{6}$")
    outcome = pa.Field(isin=_vocab.EVENT_OUTCOMES)
    comparison_hs6 = pa.Field(str_matches=r"^\d{6}$", nullable=True)
    window_months = pa.Field(ge=1, le=25)
    n_pre = pa.Field(ge=0, le=12)
    n_post = pa.Field(ge=0, le=13)
    did_std_error = pa.Field(ge=0, nullable=True)
    did_df = pa.Field(nullable=False)
    did_relative_change = pa.Field(gt=-1, nullable=True)
    pre_trend_slope_std_error = pa.Field(ge=0, nullable=True)
    verdict = pa.Field(isin=_vocab.EVENT_VERDICTS)

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

    jurisdiction_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    source = pa.Field(isin=_vocab.MONTHLY_TRADE_SOURCES)
    importer_iso3 = pa.Field(str_matches=r"^[A-Z]{3}$")
    year = pa.Field(ge=2000, le=2100)
    month = pa.Field(ge=1, le=12)
    days_in_month = pa.Field(ge=28, le=31)
    days_in_force = pa.Field(ge=0, le=31)
    share_of_month_in_force = pa.Field(ge=0, le=1)
    products_in_scope = pa.Field(ge=1)
    products_in_scope_full = pa.Field(ge=0)
    value_usd_in_scope = pa.Field(ge=0)
    value_usd_in_scope_full_coverage = pa.Field(ge=0)
    qty_kg_in_scope = pa.Field(ge=0, nullable=True)
    value_usd_in_force_prorated = pa.Field(ge=0)
    qty_kg_in_force_prorated = pa.Field(ge=0, nullable=True)
    months_with_data_in_year = pa.Field(ge=1, le=12)
    year_fully_monthly = pa.Field(nullable=False)

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


CONTRACTS = {
    "export_measures": ExportMeasures,
    "export_measure_status_periods": ExportMeasureStatusPeriods,
    "measures_status_today": MeasuresStatusToday,
    "measure_part_sources": MeasurePartSources,
    "measure_coverage": MeasureCoverage,
    "restriction_exposure": RestrictionExposure,
    "restriction_exposure_by_measure": RestrictionExposureByMeasure,
    "restriction_event_study": RestrictionEventStudy,
    "event_windows_monthly": EventWindowsMonthly,
    "event_window_estimates": EventWindowEstimates,
    "monthly_exposure": MonthlyExposure,
}
