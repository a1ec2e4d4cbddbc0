-- Import dependency per HS6 product: one row per importer x HS6 x HS revision x year x period_kind x source, every
-- code a source reports at six digits or more (BACI's 30 critical-material codes for every importer, BACI's HS07
-- semiconductor codes for China, the bulk folder), mapped to a mineral where hs_mineral_map has one (NULL
-- otherwise). Same definitions as import_dependency (macro dependency_measures). Rows of one mineral across its
-- codes add up to the mineral-level row only where the mineral has no 4-digit-only codes in that source.

with

flows as (

    {{ dependency_import_flows(["hs6 is not null", "period_kind in ('annual', 'ytd')"]) }}

),

measures as (

    -- bulk rows are one per importer x exporter x code x year (int_cepii__flows_mapped's unique test), so one per
    -- key x partner here: they skip the per-partner GROUP BY
    {{ dependency_measures('flows', ['importer_iso3', 'hs6', 'hs_revision', 'mineral', 'year', 'period_kind', 'ytd_through_month', 'source', 'value_basis'],
                           partner_grain_sources=['bulk_trade']) }}

)

select
    importer_iso3,
    hs6,
    hs_revision,
    -- one code per HS 2017 scope, so a series that crosses into HS 2022 (BACI HS22, Comtrade H6) can be grouped
    {{ hs6_as_hs2017('measures.hs6', 'measures.hs_revision') }} as hs6_hs2017,
    mineral,
    {{ product_group('mineral') }} as product_group,
    {{ in_mineral_group('measures.mineral', 'magnets') }} as in_group_magnets,
    {{ in_mineral_group('measures.mineral', 'battery_materials') }} as in_group_battery_materials,
    year,
    period_kind,
    ytd_through_month,
    source,
    total_value_usd,
    china_value_usd,
    china_hk_value_usd,
    china_share,
    china_hk_share,
    top_supplier_iso3,
    top_supplier_share,
    positive_supplier_count,
    hhi,
    equivalent_suppliers,
    {{ denominator_scope('source') }} as denominator_scope,
    supplier_value_usd,
    self_trade_value_usd,
    non_country_value_usd,
    value_basis,
    quantity_unit,
    supplier_quantity,
    china_share_by_quantity,
    china_hk_share_by_quantity
from measures
