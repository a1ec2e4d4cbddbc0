-- Inputs of HHI_WGI,t (EU CRM 2017 methodology, docs/methods.md section 5), one row per
-- perspective x commodity x year x country:
--   perspective 'global_supply'  : S_c = share of world production (int_supply__production_shares,
--                                  published World total denominator; 'Other countries' and
--                                  withheld rows excluded), for commodities in supply_commodity_map
--   perspective 'us_sourcing'    : S_c = share of US imports of the mapped trade mineral
--                                  (USITC DataWeb annual; 18 selected partners, NOT World)
--   wgi_scaled                   : int_supply__governance for the country, from the latest WGI year available when
--                                  year y's data were published: WGI for year w comes out in autumn w+1 and USGS /
--                                  trade data for year y early in y+1, so w <= y - 1 (wgi_year says which; the
--                                  snapshot's WGI ends in 2022, so 2024 and 2025 both use 2022); NULL when absent
--   trade_factor                 : int_supply__trade_factors for the country, register commodity and
--                                  year; else the seed's baseline (t = 1)

with

commodity_map as (

    select * from {{ ref('supply_commodity_map') }}

),

production_shares as (

    select * from {{ ref('int_supply__production_shares') }}

),

supplier_shares as (

    select * from {{ ref('int_trade__supplier_shares') }}
    where importer_iso3 = 'USA'
        and source = 'usitc_dataweb'
        and period_kind = 'annual'

),

governance as (

    select * from {{ ref('int_supply__governance') }}

),

trade_factors as (

    select * from {{ ref('int_supply__trade_factors') }}

),

baseline as (

    select max(value) as trade_factor
    from {{ ref('supply_risk_parameters') }}
    where parameter = 'trade_factor'
        and scope = 'baseline'

),

global_supply as (

    select
        'global_supply' as perspective,
        production_shares.commodity,
        commodity_map.register_commodity,
        production_shares.stage,
        production_shares.year,
        production_shares.country,
        production_shares.country_iso3,
        -- the HHI share supply_concentration uses (World total, or the listed sum when larger)
        production_shares.hhi_share as share,
        production_shares.hhi_denominator_basis as denominator_scope
    from production_shares
    inner join commodity_map
        on production_shares.commodity = commodity_map.usgs_commodity
    where not production_shares.is_other_countries
        and production_shares.hhi_share > 0

),

us_sourcing as (

    select
        'us_sourcing' as perspective,
        commodity_map.usgs_commodity as commodity,
        commodity_map.register_commodity,
        'imports' as stage,
        supplier_shares.year,
        supplier_shares.partner_iso3 as country,
        supplier_shares.partner_iso3 as country_iso3,
        supplier_shares.share,
        'selected_partners' as denominator_scope
    from supplier_shares
    inner join commodity_map
        on supplier_shares.mineral = commodity_map.trade_mineral
    where supplier_shares.share > 0

),

unioned as (

    select * from global_supply
    union all
    select * from us_sourcing

),

wgi_as_of as (

    select
        unioned.country_iso3,
        unioned.year,
        max(governance.year) as wgi_year
    from (select distinct country_iso3, year from unioned) as unioned
    inner join governance
        on unioned.country_iso3 = governance.country_iso3
        and governance.year <= unioned.year - 1
    group by unioned.country_iso3, unioned.year

)

select
    unioned.perspective,
    unioned.commodity,
    unioned.stage,
    unioned.year,
    unioned.country,
    unioned.country_iso3,
    unioned.share,
    unioned.denominator_scope,
    governance.wgi_scaled,
    wgi_as_of.wgi_year,
    coalesce(trade_factors.trade_factor, baseline.trade_factor) as trade_factor,
    trade_factors.measures_in_force
from unioned
cross join baseline
left join wgi_as_of
    on unioned.country_iso3 = wgi_as_of.country_iso3
    and unioned.year = wgi_as_of.year
left join governance
    on wgi_as_of.country_iso3 = governance.country_iso3
    and wgi_as_of.wgi_year = governance.year
left join trade_factors
    on unioned.country_iso3 = trade_factors.country_iso3
    and unioned.register_commodity = trade_factors.register_commodity
    and unioned.year = trade_factors.year
