# ruff: noqa: E501  (dbt test names, as the manifest spells them, are longer than a line)
"""Every dbt data test that reads, through its model's parents, a table a live source lands, and where its rule runs.

Issue 30: a live period that passed its raw contract but broke a dbt test stopped every later refresh, because dbt
runs on all sources at once. So each such test is classified once, here:

- ``RawContract(contract, rule)``: the rule that test relies on for one source's rows runs in that raw contract
  (``data_contracts/sources/<source>.py``), at fetch and again on landed periods before each refresh; a period that breaks it is
  quarantined (``raw.live_quarantine``) and never reaches dbt.
- ``CannotFail(reason)``: no single live period can make it fail while its rows pass their raw contract.
- ``NotMoved(reason)``: one live period CAN fail it and its rule has no raw home yet: the refresh still fails on it
  (listed in docs/LIVE_SOURCES.md, "Not covered yet").

``tests/unit/test_downstream_test_classification.py`` reads the dbt manifest and fails on a test missing here (a new
test must be classified) or named here but gone."""

from __future__ import annotations

from typing import NamedTuple

from data_contracts.sources.common import NO_FUTURE_PERIOD
from data_contracts.sources.comtrade import COMTRADE_CODES_KNOWN, PARTNERS_WITHIN_WORLD
from data_contracts.sources.usgs import NIR_YEARS_IN_RANGE, PRODUCTION_WITHIN_WORLD
from data_contracts.sources.worldbank import WGI_MEAN_IN_RANGE


class RawContract(NamedTuple):
    contract: str
    rule: str


class CannotFail(NamedTuple):
    reason: str


class NotMoved(NamedTuple):
    reason: str


LIVE_RAW_TABLES = ("census_trade", "comtrade_live_records", "comtrade_live_monthly", "fedreg_documents", "usgs_mcs_live", "wgi_scores")

RAW_COMTRADE_CODES = RawContract("ComtradeLiveRecords", COMTRADE_CODES_KNOWN)
RAW_COMTRADE_FIELDS = RawContract("ComtradeRecords", "cmdCode, flowCode, freqCode, partnerCode, primaryValue present and in their domains")
# A grain test also requires its key columns present (tests/generic/unique_combination_of_columns.sql).
RAW_COMTRADE_KEY = RawContract("ComtradeRecords", "partnerCode and cmdCode present, one record per period, reporter, flow, partner, partner2, commodity, customs and transport mode")
RAW_COMTRADE_WITHIN_WORLD = RawContract("ComtradeRecords", PARTNERS_WITHIN_WORLD)
RAW_CENSUS_KEY = RawContract("CensusTrade", "flow, CTY_CODE and COMMODITY present, one row per flow, month, country and commodity")
RAW_FEDREG_DOCUMENT = RawContract("FedregDocuments", "document_number present and unique (the table is replaced whole)")
RAW_WGI_KEY = RawContract("WgiScores", "indicator_id, country_iso3 and year present, one estimate per indicator, country and year")
RAW_WGI_UNIQUE = RawContract("WgiScores", "one estimate per indicator, country and year")
RAW_WGI_MEAN = RawContract("WgiScores", WGI_MEAN_IN_RANGE)
RAW_USGS_FIELDS = RawContract("UsgsMcsLive", "edition, source_row, commodity, statistics and year present and shaped")
RAW_USGS_KEY = RawContract("UsgsMcsLive", "edition and source_row present, source_row unique within an edition (staging keeps one vintage per edition)")

DERIVED = CannotFail("computed by the model's SQL from rows the raw contracts bound (values >= 0, keys unique, codes "
                     "known, Comtrade partners = World) and from seeds/the register; a failure is a SQL or reference-data "
                     "defect, which the model's dbt unit tests and the snapshot build catch, not one live period")
DERIVED_TOTAL_CASE = CannotFail("the usgs_value_kind macro maps every token, unknown ones to 'unparsed' (in the list)")
SNAPSHOT_BACI_ONLY = CannotFail("reads import_dependency_hs6 for source cepii_baci only (snapshot files) beside the "
                                "two-sided Comtrade snapshot: no live source's rows reach it")
WARN_ONLY = CannotFail("severity warn: it reports, it never fails the refresh")
RAW_NO_FUTURE_PERIOD = RawContract("ComtradeRecords, CensusTrade", NO_FUTURE_PERIOD)
PINNED_FIGURES = CannotFail("severity warn: a live revision may change a pinned figure legitimately; the snapshot build "
                            "(tests/integration/test_pipeline.py) requires it to pass")
RAW_USGS_YEARS = RawContract("UsgsMcsLive", NIR_YEARS_IN_RANGE)
RAW_USGS_PRODUCTION = RawContract("UsgsMcsLive", PRODUCTION_WITHIN_WORLD)

DOWNSTREAM_TESTS: dict[str, RawContract | CannotFail | NotMoved] = {
    # DERIVED
    # issue 26 (live half): the two-sided declarations read raw_live.comtrade_live_records; keys and lineage come from the SQL
    'unique_combination_of_columns_china_mirror_flows_year__partner_code__hs6': DERIVED,
    'unique_combination_of_columns_mirror_data_quality_year__breakdown__breakdown_value__breakdown': DERIVED,
    'unique_combination_of_columns_mirror_flows_year__exporter_code__importer_code__hs6': DERIVED,
    'assert_comtrade_total_row_rule_matches_baci': NotMoved(
        "evidence for the total-row rule on the 2024 declarations against BACI (>= 10,000 matched flows, median "
        "0.9-1.1x): a live 2024 vintage replacing thousands of the snapshot's flows, or declaring far from BACI, "
        "can fail it; a median over flows has no home in one period's raw contract"),
    'unique_combination_of_columns_chip_equipment_control_exposure_year__hs6__restricting_country_iso3': DERIVED,
    'not_null_fct_trade_flows_mineral': DERIVED,
    'not_null_fct_trade_flows_partner_is_country': DERIVED,
    'relationships_fct_trade_flows_mineral__mineral__ref_hs_mineral_map_': DERIVED,
    'unique_combination_of_columns_fct_trade_flows_source__reporter_iso3__partner_iso3__flow__commodity_code__hs_revision__year__period_kind__month__hs_revision__month': DERIVED,
    'accepted_range_import_dependency_china_hk_share_by_quantity__1__0': DERIVED,
    'accepted_range_import_dependency_china_share_by_quantity__1__0': DERIVED,
    'accepted_range_import_dependency_denominator_coverage__1_0001__0': DERIVED,
    'accepted_range_import_dependency_supplier_value_usd__0': DERIVED,
    'accepted_values_import_dependency_period_kind__annual__ytd': DERIVED,
    'accepted_values_import_dependency_product_group__critical_mineral__semiconductor_manufacturing_equipment__semiconductors__semiconductor_related_hardware': DERIVED,
    'not_null_import_dependency_in_group_battery_materials': DERIVED,
    'not_null_import_dependency_in_group_magnets': DERIVED,
    'not_null_import_dependency_supplier_value_usd': DERIVED,
    'unique_combination_of_columns_import_dependency_importer_iso3__mineral__year__period_kind__source': DERIVED,
    'accepted_values_import_dependency_by_element_denominator_scope___var_denominator_scopes_': DERIVED,
    'unique_combination_of_columns_import_dependency_by_element_element__importer_iso3__mineral__year__period_kind__source': DERIVED,
    'accepted_range_import_dependency_hs6_china_hk_share_by_quantity__1__0': DERIVED,
    'accepted_range_import_dependency_hs6_china_share_by_quantity__1__0': DERIVED,
    'accepted_range_import_dependency_hs6_equivalent_suppliers__1': DERIVED,
    'accepted_range_import_dependency_hs6_positive_supplier_count__0': DERIVED,
    'accepted_values_import_dependency_hs6_product_group__critical_mineral__semiconductor_manufacturing_equipment__semiconductors__semiconductor_related_hardware': DERIVED,
    'not_null_import_dependency_hs6_in_group_battery_materials': DERIVED,
    'not_null_import_dependency_hs6_in_group_magnets': DERIVED,
    'not_null_import_dependency_hs6_positive_supplier_count': DERIVED,
    'unique_combination_of_columns_import_dependency_hs6_importer_iso3__hs6__hs_revision__year__period_kind__source__hs6__hs_revision__year__period_kind': DERIVED,
    'accepted_range_import_dependency_pooled_china_hk_share_by_quantity__1__0': DERIVED,
    'accepted_range_import_dependency_pooled_china_share_by_quantity__1__0': DERIVED,
    'accepted_range_import_dependency_pooled_equivalent_suppliers__1': DERIVED,
    'accepted_range_import_dependency_pooled_positive_supplier_count__0': DERIVED,
    'accepted_range_import_dependency_pooled_top_supplier_share__1__0': DERIVED,
    'not_null_import_dependency_pooled_positive_supplier_count': DERIVED,
    'unique_combination_of_columns_import_dependency_pooled_importer_iso3__mineral__first_year__last_year__source__mineral__first_year__last_year': DERIVED,
    'unique_combination_of_columns_int_restriction__flow_parts_source__importer_iso3__restricting_country_iso3__commodity_code__year__period_kind__month__measure_id__part_id__source__importer_iso3__restricting_country_iso3__commodity_code__year__period_kind__month__measure_id__part_id': DERIVED,
    'accepted_range_int_supply__country_weights_share__1__False__0': DERIVED,
    'accepted_range_int_supply__country_weights_trade_factor__1_5__0_8': DERIVED,
    'accepted_range_int_supply__country_weights_wgi_scaled__11___1': DERIVED,
    'accepted_values_int_supply__country_weights_denominator_scope___var_hhi_denominator_bases_selected_partners_': DERIVED,
    'accepted_values_int_supply__country_weights_perspective__global_supply__us_sourcing': DERIVED,
    'accepted_values_int_supply__country_weights_stage___var_supply_stages_imports_': DERIVED,
    'not_null_int_supply__country_weights_country_iso3': DERIVED,
    'not_null_int_supply__country_weights_denominator_scope': DERIVED,
    'not_null_int_supply__country_weights_measures_in_force': DERIVED,
    'not_null_int_supply__country_weights_share': DERIVED,
    'not_null_int_supply__country_weights_trade_factor': DERIVED,
    'relationships_int_supply__country_weights_commodity__usgs_commodity__ref_supply_commodity_map_': DERIVED,
    'sums_to_one_int_supply__country_weights_share__commodity__stage__year': DERIVED,
    'unique_combination_of_columns_int_supply__country_weights_perspective__commodity__stage__year__country': DERIVED,
    'not_null_int_supply__governance_indicator_count': DERIVED,
    'not_null_int_supply__governance_wgi_mean': DERIVED,
    'not_null_int_supply__governance_wgi_scaled': DERIVED,
    'unique_combination_of_columns_int_supply__governance_country_iso3__year': DERIVED,
    'accepted_range_int_supply__hhi_wgi_t_hhi_t__2__0': DERIVED,
    'accepted_values_int_supply__hhi_wgi_t_governance_basis___var_governance_bases_': DERIVED,
    'not_null_int_supply__hhi_wgi_t_governance_basis': DERIVED,
    'not_null_int_supply__hhi_wgi_t_hhi_t': DERIVED,
    'unique_combination_of_columns_int_supply__hhi_wgi_t_perspective__commodity__stage__year__perspective__commodity__stage__year': DERIVED,
    'accepted_values_int_supply__production_shares_stage___var_supply_stages_': DERIVED,
    'unique_combination_of_columns_int_supply__production_shares_commodity__stage__year__country': DERIVED,
    'accepted_range_int_supply__trade_factors_trade_factor__1_5__False__1': DERIVED,
    'not_null_int_supply__trade_factors_measures_in_force': DERIVED,
    'not_null_int_supply__trade_factors_trade_factor': DERIVED,
    'unique_combination_of_columns_int_supply__trade_factors_country_iso3__register_commodity__year': DERIVED,
    'unique_combination_of_columns_int_trade__denominator_coverage_source__importer_iso3__mineral__year__period_kind__source__importer_iso3__mineral__year__period_kind': DERIVED,
    'accepted_values_int_trade__reported_flows_mapped_source___var_reported_trade_sources_': DERIVED,
    'not_null_int_trade__reported_flows_mapped_mineral': DERIVED,
    'not_null_int_trade__reported_flows_mapped_partner_in_china_incl_hk': DERIVED,
    'not_null_int_trade__reported_flows_mapped_partner_is_country': DERIVED,
    'not_null_int_trade__reported_flows_mapped_value_usd': DERIVED,
    'unique_combination_of_columns_int_trade__reported_flows_mapped_source__reporter_iso3__partner_iso3__flow__commodity_code__year__period_kind__month__source__year__period_kind__month': DERIVED,
    'accepted_range_int_trade__supplier_shares_share__1__0': DERIVED,
    'accepted_range_int_trade__supplier_shares_value_usd__False__0': DERIVED,
    'not_null_int_trade__supplier_shares_share': DERIVED,
    'sums_to_one_int_trade__supplier_shares_share__importer_iso3__mineral__year__period_kind__ytd_through_month__source__1e_06': DERIVED,
    'unique_combination_of_columns_int_trade__supplier_shares_importer_iso3__mineral__year__period_kind__ytd_through_month__source__partner_iso3__year__period_kind__ytd_through_month__source': DERIVED,
    'accepted_values_net_import_reliance_basis__apparent_consumption__reported_consumption__estimated_consumption__total_apparent_consumption__apparent_consumption_by_value__not_stated': DERIVED,
    'not_null_net_import_reliance_basis': DERIVED,
    'not_null_net_import_reliance_is_estimated': DERIVED,
    'unique_combination_of_columns_net_import_reliance_edition__commodity__form__year__form': DERIVED,
    'accepted_values_net_trade_denominator_scope__selected_partners': DERIVED,
    'not_null_net_trade_in_group_battery_materials': DERIVED,
    'not_null_net_trade_in_group_magnets': DERIVED,
    'unique_combination_of_columns_net_trade_reporter_iso3__mineral__stage__year__period_kind__ytd_through_month__source__period_kind__ytd_through_month__source': DERIVED,
    'not_null_restriction_event_study_date_effective': DERIVED,
    'relationships_restriction_event_study_measure_id__measure_id__ref_export_measures_': DERIVED,
    'unique_combination_of_columns_restriction_event_study_importer_iso3__mineral__source__period_kind__measure_id__relative_period': DERIVED,
    'not_null_restriction_exposure_commodity_code': DERIVED,
    'not_null_restriction_exposure_covered_value_usd': DERIVED,
    'not_null_restriction_exposure_import_value_usd': DERIVED,
    'not_null_restriction_exposure_upper_bound_value_usd': DERIVED,
    'unique_combination_of_columns_restriction_exposure_source__importer_iso3__restricting_country_iso3__commodity_code__year__period_kind__month__unbounded_scope__commodity_code__month__unbounded_scope': DERIVED,
    'not_null_restriction_exposure_covered_value_usd_prorated_estimate': DERIVED,
    'not_null_restriction_exposure_upper_bound_value_usd_prorated_estimate': DERIVED,
    'unique_combination_of_columns_int_restriction__bound_gaps_source__importer_iso3__restricting_country_iso3__year__period_kind__month__unbounded_scope__source__importer_iso3__restricting_country_iso3__year__period_kind__month__unbounded_scope': DERIVED,
    'relationships_restriction_exposure_by_measure_measure_id__measure_id__ref_stg_register__measures_': DERIVED,
    'unique_combination_of_columns_restriction_exposure_by_measure_source__importer_iso3__restricting_country_iso3__commodity_code__year__period_kind__month__measure_id__year__period_kind__month': DERIVED,
    'assert_restriction_exposure_bounded_and_reconciled': DERIVED,
    'assert_event_study_only_measures_that_applied': DERIVED,
    'assert_supply_hhi_one_definition': DERIVED,
    'accepted_values_supply_concentration_hhi_denominator_basis___var_hhi_denominator_bases_': DERIVED,
    'not_null_supply_concentration_positive_producer_count': DERIVED,
    'not_null_supply_concentration_withheld_country_count': DERIVED,
    'unique_combination_of_columns_supply_concentration_commodity__stage__year': DERIVED,
    'accepted_range_supply_risk_global_supply_hhi__10000__0': DERIVED,
    'accepted_range_supply_risk_us_sourcing_hhi__10000__0': DERIVED,
    'accepted_values_supply_risk_ir_basis__published__lower_bound_used__upper_bound_used__net_exporter_zero__not_available': DERIVED,
    'unique_combination_of_columns_supply_risk_commodity__year': DERIVED,
    'unique_combination_of_columns_usgs_import_reconciliation_edition__commodity__form__first_year__last_year__edition__commodity__form__first_year__last_year': DERIVED,
    'unique_combination_of_columns_usgs_import_sources_edition__commodity__form__first_year__last_year__partner_published__form': DERIVED,
    # DERIVED_TOTAL_CASE
    'accepted_values_stg_usgs__mcs_statistics_value_kind___var_usgs_token_kinds_unparsed_': DERIVED_TOTAL_CASE,
    'not_null_stg_usgs__mcs_statistics_value_kind': DERIVED_TOTAL_CASE,
    # RAW_NO_FUTURE_PERIOD
    'accepted_range_fct_trade_flows_year__extract_year_from_current_date___1993': RAW_NO_FUTURE_PERIOD,
    # PINNED_FIGURES
    'assert_trade_sanity_figures': PINNED_FIGURES,
    'assert_nir_rare_earths_published_values': PINNED_FIGURES,
    # RAW_USGS_PRODUCTION
    'accepted_range_int_supply__production_shares_hhi_share__1__0': RAW_USGS_PRODUCTION,
    'accepted_range_int_supply__production_shares_production__0': RAW_USGS_PRODUCTION,
    'accepted_range_int_supply__production_shares_share__1__0': RAW_USGS_PRODUCTION,
    # RAW_USGS_YEARS
    'accepted_range_net_import_reliance_year__2030__2000': RAW_USGS_YEARS,
    # RAW_CENSUS_KEY
    'unique_combination_of_columns_stg_census__trade_flow__cty_code__commodity_code__year__month__year__month': RAW_CENSUS_KEY,
    # RAW_COMTRADE_CODES
    'not_null_stg_comtrade__records_partner_is_country': RAW_COMTRADE_CODES,
    # RAW_COMTRADE_FIELDS
    # issue 26 (live half): the two-sided declarations read raw_live.comtrade_live_records; the key's uniqueness
    # comes from the SQL, its presence from the raw contract
    'unique_combination_of_columns_stg_comtrade_two_sided__declarations_year__reporter_code__partner_code__hs6__flow__flow': RAW_COMTRADE_FIELDS,
    'accepted_values_stg_comtrade__records_freq_code__A__M': RAW_COMTRADE_FIELDS,
    # RAW_COMTRADE_KEY
    'unique_combination_of_columns_stg_comtrade__records_reporter_code__partner_code__partner2_code__flow_code__cmd_code__year__month__customs_code__mot_code__reporter_code__partner2_code__flow_code__year__month__customs_code__mot_code': RAW_COMTRADE_KEY,
    # RAW_COMTRADE_WITHIN_WORLD
    'accepted_range_int_trade__denominator_coverage_denominator_coverage__1_0001__0': RAW_COMTRADE_WITHIN_WORLD,
    # RAW_FEDREG_DOCUMENT
    'not_null_stg_fedreg__documents_document_number': RAW_FEDREG_DOCUMENT,
    'unique_stg_fedreg__documents_document_number': RAW_FEDREG_DOCUMENT,
    # RAW_USGS_FIELDS
    'not_null_stg_usgs__mcs_statistics_statistic': RAW_USGS_FIELDS,
    'not_null_stg_usgs__mcs_statistics_year_end': RAW_USGS_FIELDS,
    'not_null_stg_usgs__mcs_statistics_year_start': RAW_USGS_FIELDS,
    # RAW_USGS_KEY
    'unique_combination_of_columns_stg_usgs__mcs_statistics_edition__source_row': RAW_USGS_KEY,
    # RAW_WGI_MEAN
    'accepted_range_int_supply__governance_wgi_mean__3___3': RAW_WGI_MEAN,
    'accepted_range_int_supply__governance_wgi_scaled__11___1': RAW_WGI_MEAN,
    # RAW_WGI_UNIQUE
    'accepted_range_int_supply__governance_indicator_count__6__6': RAW_WGI_UNIQUE,
    # RAW_WGI_KEY
    'unique_combination_of_columns_stg_worldbank__wgi_indicator_id__country_iso3__year': RAW_WGI_KEY,
    # WARN_ONLY
    'not_null_stg_census__trade_partner_iso3': WARN_ONLY,
    'unique_combination_of_columns_reporter_declared_dependency_year__importer_code__hs6': SNAPSHOT_BACI_ONLY,
    # issue 28 (report split): the report's figure data, filters and groupings of marts whose keys are tested
    'unique_combination_of_columns_rpt_china_share_hhi_mineral__year': DERIVED,
    'unique_combination_of_columns_rpt_event_studies_mineral__measure_id__relative_period': DERIVED,
    'unique_combination_of_columns_rpt_measures_timeline_mineral__year': DERIVED,
    'unique_combination_of_columns_rpt_world_production_china_share_commodity__stage__year': DERIVED,
}
