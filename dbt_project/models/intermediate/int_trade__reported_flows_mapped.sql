-- Trade rows of the reported sources (USITC DataWeb, UN Comtrade, US Census when landed live) at the fact grain
-- (source x reporter x partner x flow x commodity code x period), World/Total/aggregate rows excluded, with the
-- trade mineral from the longest matching prefix in the hs_mineral_map seed. Thousands of rows: a table.
-- The bulk source (tens of millions of rows) is mapped incrementally in int_cepii__flows_mapped instead, and the
-- two meet in the int_trade__flows_mapped view.

with

usitc as (

    select * from {{ ref('int_usitc__flows_by_heading') }}

),

comtrade as (

    select * from {{ ref('stg_comtrade__records') }}

),

census as (

    select * from {{ ref('stg_census__trade') }}

),

countries as (

    select * from {{ ref('country_reference') }}

),

unioned as (

    select
        usitc.source,
        usitc.reporter_iso3,
        usitc.partner_iso3,
        usitc.partner_in_china_incl_hk,
        countries.is_country as partner_is_country,
        usitc.flow,
        usitc.commodity_code,
        usitc.year,
        usitc.period_kind,
        cast(null as integer) as month,
        usitc.ytd_through_month,
        usitc.value_usd,
        usitc.quantity,
        usitc.quantity_unit
    from usitc
    left join countries
        on usitc.partner_name = countries.usitc_name

    union all

    select
        'un_comtrade' as source,
        reporter_iso3,
        partner_iso3,
        partner_in_china_incl_hk,
        partner_is_country,
        flow,
        cmd_code as commodity_code,
        year,
        period_kind,
        month,
        cast(null as integer) as ytd_through_month,
        primary_value_usd as value_usd,
        quantity,
        quantity_unit
    from comtrade
    -- World is the sum of the partners: keeping it would double count. A Comtrade partner area BACI's table lacks
    -- (partner_kind 'comtrade_area': 837 Bunkers, 839 Special Categories ...) has no ISO3, so a fact row of it could not
    -- be attributed: it stays in stg_comtrade__records, as unmapped BACI rows stay in stg_cepii__trade_flows, and
    -- int_trade__denominator_coverage counts its value as not covered.
    where not is_world_partner
        and partner_iso3 is not null

    union all

    -- US Census monthly trade (live source; empty in snapshot mode). Only individual countries that the
    -- census_country_codes seed maps: the all-country total and groupings would double count.
    select
        'us_census' as source,
        reporter_iso3,
        partner_iso3,
        partner_in_china_incl_hk,
        true as partner_is_country,
        flow,
        commodity_code,
        year,
        period_kind,
        month,
        cast(null as integer) as ytd_through_month,
        value_usd,
        quantity,
        quantity_unit
    from census
    where not is_partner_grouping
        and partner_iso3 is not null

),

code_minerals as (

    {{ longest_prefix_mineral('unioned', 'commodity_code') }}

)

select
    unioned.source,
    unioned.reporter_iso3,
    unioned.partner_iso3,
    unioned.partner_in_china_incl_hk,
    unioned.partner_is_country,
    unioned.flow,
    unioned.commodity_code,
    case
        when {{ dbt.length('unioned.commodity_code') }} >= 6 then substring(unioned.commodity_code, 1, 6)
    end as hs6,
    code_minerals.mineral,
    code_minerals.matched_prefix as mineral_matched_prefix,
    unioned.year,
    unioned.period_kind,
    unioned.month,
    unioned.ytd_through_month,
    unioned.value_usd,
    unioned.quantity,
    unioned.quantity_unit
from unioned
left join code_minerals
    on unioned.commodity_code = code_minerals.commodity_code
