-- China's imports of semiconductor manufacturing equipment (HS 8486) by supplier: one row per HS07 subheading
-- (848610/20/40/90; 848630 is not in the BACI extract) x year x exporter, each dollar once. Shares are of
-- China's imports of the same subheading (share_of_hs6) and of heading 8486 (share_of_8486) from country
-- suppliers other than China itself (as import_dependency: re-imports and non-country partners stay in the
-- totals, out of the denominators). Values are BACI's: FOB, reconciled, US dollars.

with

flows as (

    select * from {{ ref('int_cepii__flows_mapped') }}
    where source = 'cepii_baci'
        and reporter_iso3 = 'CHN'
        and hs6 like '8486%'

),

suppliers as (

    select * from {{ ref('chip_equipment_suppliers') }}

),

flagged as (

    select
        flows.*,
        {{ is_supplier('flows.partner_is_country', 'flows.partner_iso3 = flows.reporter_iso3') }} as counts_in_shares
    from flows

),

hs6_totals as (

    select
        year,
        hs6,
        sum(value_usd) as hs6_total_value_usd,
        sum(case when counts_in_shares then value_usd else 0 end) as hs6_supplier_value_usd
    from flagged
    group by year, hs6

),

heading_totals as (

    select
        year,
        sum(value_usd) as heading_total_value_usd,
        sum(case when counts_in_shares then value_usd else 0 end) as heading_supplier_value_usd
    from flagged
    group by year

)

select
    flagged.year,
    flagged.hs6,
    {{ product_group('flagged.mineral') }} as product_group,
    flagged.partner_code as exporter_code,
    flagged.partner_iso3 as exporter_iso3,
    coalesce(suppliers.supplier_label, 'other') as supplier_group,
    coalesce(suppliers.is_controlling_country, false) as is_controlling_country,
    flagged.counts_in_shares,
    flagged.value_usd,
    flagged.quantity as quantity_t,
    case when flagged.counts_in_shares then flagged.value_usd / nullif(hs6_totals.hs6_supplier_value_usd, 0) end as share_of_hs6,
    case when flagged.counts_in_shares then flagged.value_usd / nullif(heading_totals.heading_supplier_value_usd, 0) end as share_of_8486,
    hs6_totals.hs6_supplier_value_usd,
    heading_totals.heading_supplier_value_usd,
    flagged.value_basis,
    flagged.source
from flagged
inner join hs6_totals
    on flagged.year = hs6_totals.year
    and flagged.hs6 = hs6_totals.hs6
inner join heading_totals
    on flagged.year = heading_totals.year
left join suppliers
    on flagged.partner_iso3 = suppliers.iso3
