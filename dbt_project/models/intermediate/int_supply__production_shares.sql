-- Country shares of world production, from the USGS MCS 2026 'World ... Production'
-- tables: one row per commodity x stage x year x country (the 'World total' row is not a
-- country; it becomes the denominator). stage: 'mine' (Mine production), 'refinery'
-- (Refinery production), 'smelter' (Smelter production), 'primary' (gallium low-purity
-- primary production). 'Other countries' is kept as published but flagged: it is an
-- aggregate of unlisted producers, not a producer.
-- Denominator: the published World total (rounded by USGS). Only when the World total is
-- not a number is the sum of the listed rows used (share_denominator_basis says which).
-- Withheld ('W'), 'NA' and other tokens keep production NULL: never coerced to a number.

with

statistics as (

    select * from {{ ref('stg_usgs__mcs_statistics') }}
    where edition = 2026
        and statistic = 'production'

),

countries as (

    select * from {{ ref('country_reference') }}
    where is_country

),

production as (

    select
        commodity,
        case
            when statistic_detail in ('Mine production', 'Mine production: rounded') then 'mine'
            when statistic_detail in ('Refinery production', 'Refinery production: rounded') then 'refinery'
            when statistic_detail in ('Smelter production', 'Smelter production: rounded') then 'smelter'
            when statistic_detail in ('Primary production', 'Primary production: rounded') then 'primary'
        end as stage,
        year_start as year,
        country,
        unit,
        value_published,
        value_kind,
        case when value_kind in ('number', 'zero') then value_numeric end as production,
        is_estimated,
        source_row
    from statistics
    where statistic_detail in (
        'Mine production', 'Mine production: rounded',
        'Refinery production', 'Refinery production: rounded',
        'Smelter production', 'Smelter production: rounded',
        'Primary production', 'Primary production: rounded'
    )
        and year_start = year_end

),

world_totals as (

    select
        commodity,
        stage,
        year,
        max(value_published) as world_total_published,
        max(value_kind) as world_total_value_kind,
        max(production) as world_total
    from production
    where country = 'World total'
    group by commodity, stage, year

),

listed as (

    select
        commodity,
        stage,
        year,
        sum(production) as listed_sum
    from production
    where country <> 'World total'
    group by commodity, stage, year

),

country_rows as (

    select
        production.commodity,
        production.stage,
        production.year,
        production.country,
        -- USGS names: country_reference first, then the USGS name table and BACI's country table (so that WGI,
        -- keyed by ISO3, reaches producers outside the 62-row reference)
        coalesce(by_name.iso3, by_usitc_name.iso3, by_usgs_name.iso3, by_baci_name.iso3) as country_iso3,
        production.country = 'Other countries' as is_other_countries,
        production.unit,
        production.value_published,
        production.value_kind,
        production.production,
        production.is_estimated,
        world_totals.world_total,
        world_totals.world_total_published,
        listed.listed_sum,
        case
            when world_totals.world_total > 0 then 'published_world_total'
            when listed.listed_sum > 0 then 'sum_of_listed_countries'
        end as share_denominator_basis,
        case
            when world_totals.world_total > 0 then world_totals.world_total
            when listed.listed_sum > 0 then listed.listed_sum
        end as share_denominator,
        production.source_row
    from production
    left join world_totals
        on production.commodity = world_totals.commodity
        and production.stage = world_totals.stage
        and production.year = world_totals.year
    left join listed
        on production.commodity = listed.commodity
        and production.stage = listed.stage
        and production.year = listed.year
    left join countries as by_name
        on production.country = by_name.country_name
    left join countries as by_usitc_name
        on production.country = by_usitc_name.usitc_name
        and by_name.iso3 is null
    left join {{ ref('usgs_partner_names') }} as by_usgs_name
        on production.country = by_usgs_name.usgs_partner_name
        and by_usgs_name.is_country
    left join (
        select country_name, iso3 from {{ ref('baci_country_codes') }} where current_code_for_iso3 and is_country
    ) as by_baci_name
        on production.country = by_baci_name.country_name
    where production.country <> 'World total'

)

select
    commodity,
    stage,
    year,
    country,
    country_iso3,
    is_other_countries,
    unit,
    value_published,
    value_kind,
    production,
    is_estimated,
    world_total,
    world_total_published,
    listed_sum,
    share_denominator_basis,
    share_denominator,
    production / share_denominator as share,
    -- The one HHI share, read by supply_concentration and the supply-risk inputs alike: of the published World
    -- total, or of the listed rows when they sum to more (USGS rounds the total), so a sum of squares is <= 1
    case when listed_sum > share_denominator then listed_sum else share_denominator end as hhi_denominator,
    case when listed_sum > share_denominator then 'listed_sum_above_world_total' else share_denominator_basis end
        as hhi_denominator_basis,
    production / case when listed_sum > share_denominator then listed_sum else share_denominator end as hhi_share,
    source_row
from country_rows
