-- Supplier concentration of imports: one row per importer x mineral x year x period_kind x source (grain unchanged
-- for BI users; the HS6 level is import_dependency_hs6, pooled multi-year rows import_dependency_pooled, all three
-- from the dependency_measures macro: one definition of shares and HHI).
-- Shares are fractions of supplier_value_usd: imports from country partners other than the importer itself.
-- Self-imports and non-country partners stay in total_value_usd (self_trade_value_usd, non_country_value_usd).
-- HHI on the 0-10,000 scale. denominator_scope says what the supplier set covers, denominator_coverage how much of
-- the source's own total it is where that can be computed (for USITC an estimate from BACI, denominator_coverage_basis). value_basis: BACI values are FOB, Comtrade imports CIF,
-- USITC customs value; never compare shares across sources without reading it.

with

flows as (

    {{ dependency_import_flows(["mineral is not null", "period_kind in ('annual', 'ytd')"]) }}

),

measures as (

    {{ dependency_measures('flows', ['importer_iso3', 'mineral', 'year', 'period_kind', 'ytd_through_month', 'source', 'value_basis']) }}

),

coverage as (

    select * from {{ ref('int_trade__denominator_coverage') }}

),

-- An importer code is a country when any code the BACI table holds for it is one (BEL is both Belgium, 56, and the
-- former Belgium-Luxembourg union, 58). Codes the table does not hold at all are not assumed away: NULL.
importer_kinds as (

    select
        iso3,
        max(case when is_country then 1 else 0 end) = 1 as is_country
    from {{ ref('baci_country_codes') }}
    group by iso3

)

select
    measures.importer_iso3,
    importer_kinds.is_country as importer_is_country,
    measures.mineral,
    {{ product_group('measures.mineral') }} as product_group,
    {{ in_mineral_group('measures.mineral', 'magnets') }} as in_group_magnets,
    {{ in_mineral_group('measures.mineral', 'battery_materials') }} as in_group_battery_materials,
    measures.year,
    measures.period_kind,
    measures.ytd_through_month,
    measures.source,
    measures.total_value_usd,
    measures.china_value_usd,
    measures.china_hk_value_usd,
    measures.china_share,
    measures.china_hk_share,
    measures.top_supplier_iso3,
    measures.top_supplier_share,
    measures.positive_supplier_count,
    measures.hhi,
    measures.equivalent_suppliers,
    {{ denominator_scope('measures.source') }} as denominator_scope,
    coverage.denominator_coverage,
    coverage.denominator_coverage_basis,
    measures.supplier_value_usd,
    measures.self_trade_value_usd,
    measures.non_country_value_usd,
    measures.value_basis,
    measures.quantity_unit,
    measures.supplier_quantity,
    measures.china_share_by_quantity,
    measures.china_hk_share_by_quantity
from measures
left join coverage
    on {{ join_on_keys('measures', 'coverage', ['source', 'importer_iso3', 'mineral', 'year', 'period_kind']) }}
left join importer_kinds
    on measures.importer_iso3 = importer_kinds.iso3
