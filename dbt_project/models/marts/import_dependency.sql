-- Supplier concentration of imports: one row per importer x mineral x year x
-- period_kind x source. Shares are fractions of the importer's total imports of the
-- mineral in that source; HHI on the 0-10,000 scale (10,000 x sum of squared shares).
-- Denominator: Comtrade partners sum to World ('world'); USITC covers only 18 selected
-- partners, so its shares are shares of those 18 ('selected_partners').
-- Groups with a zero total keep NULL shares / HHI (no division by zero).

with

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}

),

supplier_shares as (

    select * from {{ ref('int_trade__supplier_shares') }}

),

groups as (

    select
        reporter_iso3 as importer_iso3,
        mineral,
        year,
        period_kind,
        ytd_through_month,
        source,
        sum(case when value_usd > 0 then value_usd else 0 end) as total_value_usd,
        sum(case when value_usd > 0 and partner_iso3 = 'CHN' then value_usd else 0 end) as china_value_usd,
        sum(case when value_usd > 0 and partner_in_china_incl_hk then value_usd else 0 end) as china_hk_value_usd
    from flows
    where flow = 'import'
        and mineral is not null
        and period_kind in ('annual', 'ytd')
    group by
        reporter_iso3,
        mineral,
        year,
        period_kind,
        ytd_through_month,
        source

),

concentration as (

    select
        importer_iso3,
        mineral,
        year,
        period_kind,
        source,
        count(*) as positive_supplier_count,
        10000 * sum(share * share) as hhi
    from supplier_shares
    group by importer_iso3, mineral, year, period_kind, source

),

ranked_suppliers as (

    select
        importer_iso3,
        mineral,
        year,
        period_kind,
        source,
        partner_iso3,
        share,
        row_number() over (
            partition by importer_iso3, mineral, year, period_kind, source
            order by share desc, partner_iso3
        ) as supplier_rank
    from supplier_shares

)

select
    groups.importer_iso3,
    groups.mineral,
    groups.year,
    groups.period_kind,
    groups.ytd_through_month,
    groups.source,
    groups.total_value_usd,
    groups.china_value_usd,
    groups.china_hk_value_usd,
    case when groups.total_value_usd > 0 then groups.china_value_usd / groups.total_value_usd end as china_share,
    case when groups.total_value_usd > 0 then groups.china_hk_value_usd / groups.total_value_usd end as china_hk_share,
    top_supplier.partner_iso3 as top_supplier_iso3,
    top_supplier.share as top_supplier_share,
    coalesce(concentration.positive_supplier_count, 0) as positive_supplier_count,
    concentration.hhi,
    case when concentration.hhi > 0 then 10000 / concentration.hhi end as equivalent_suppliers,
    case groups.source
        when 'un_comtrade' then 'world'
        when 'usitc_dataweb' then 'selected_partners'
        -- BACI-shaped bulk files list every exporter (codes missing from country_reference are dropped upstream)
        when 'bulk_trade' then 'world'
    end as denominator_scope
from groups
left join concentration
    on groups.importer_iso3 = concentration.importer_iso3
    and groups.mineral = concentration.mineral
    and groups.year = concentration.year
    and groups.period_kind = concentration.period_kind
    and groups.source = concentration.source
left join ranked_suppliers as top_supplier
    on groups.importer_iso3 = top_supplier.importer_iso3
    and groups.mineral = top_supplier.mineral
    and groups.year = top_supplier.year
    and groups.period_kind = top_supplier.period_kind
    and groups.source = top_supplier.source
    and top_supplier.supplier_rank = 1
