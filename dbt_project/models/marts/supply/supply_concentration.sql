-- Global supply concentration from USGS MCS 2026 world production tables:
-- one row per commodity x stage x year (stage: mine / refinery / smelter / primary).
--   china_share      = China's production / published World total (USGS's own percentages)
--   hhi              = 10,000 x sum of squared country shares (0-10,000; methods.md section 4),
--                      over listed countries with a numeric value; 'Other countries' (an
--                      aggregate of unlisted producers) and withheld ('W') rows are excluded,
--                      so hhi is a lower bound when they are non-zero.
--   hhi_upper_bound  = hhi + 10,000 x (unattributed share)^2: as if everything not attributed
--                      to a listed country came from a single producer.
--   equivalent_producers = 10,000 / hhi (methods.md section 4).
-- Denominator: the published (rounded) World total. When the listed countries sum to MORE
-- than it (rounding), HHI shares are taken of the listed sum instead so HHI stays <= 10,000;
-- hhi_denominator_basis says which. With no numeric World total (basis 'sum_of_listed_countries')
-- the listed countries' coverage of world output is unknown - USGS lists only the United States
-- for construction sand and crushed stone, which gave HHI = 10,000 - so the HHI family is NULL:
-- it would describe the list, not world supply.
-- mineral: the trade mineral where supply_commodity_map maps one, else the USGS commodity itself,
-- so a commodity without a same-mineral trade heading (gallium) still carries its label.

with

shares as (

    select * from {{ ref('int_supply__production_shares') }}

),

commodity_map as (

    select * from {{ ref('supply_commodity_map') }}

),

groups as (

    select
        commodity,
        stage,
        year,
        max(unit) as unit,
        max(world_total) as world_total,
        max(world_total_published) as world_total_published,
        max(share_denominator_basis) as share_denominator_basis,
        max(share_denominator) as share_denominator,
        sum(production) as listed_sum,
        sum(case when not is_other_countries then production end) as listed_countries_sum,
        sum(case when is_other_countries then production end) as other_countries_production,
        sum(case when country = 'China' then production end) as china_production,
        max(case when country = 'China' then value_published end) as china_value_published,
        max(case when country = 'China' then value_kind end) as china_value_kind,
        cast(sum(case when not is_other_countries and production > 0 then 1 else 0 end) as {{ dbt.type_int() }}) as positive_producer_count,
        cast(sum(case when value_kind = 'withheld' then 1 else 0 end) as {{ dbt.type_int() }}) as withheld_country_count,
        cast(sum(case when production is null then 1 else 0 end) as {{ dbt.type_int() }}) as non_numeric_country_count,
        max(case when is_estimated then 1 else 0 end) as any_estimated
    from shares
    group by commodity, stage, year

),

hhi_base as (

    select
        groups.*,
        case
            when groups.listed_sum > groups.share_denominator then groups.listed_sum
            else groups.share_denominator
        end as hhi_denominator,
        case
            when groups.listed_sum > groups.share_denominator then 'listed_sum_above_world_total'
            else groups.share_denominator_basis
        end as hhi_denominator_basis
    from groups

),

concentration as (

    select
        hhi_base.commodity,
        hhi_base.stage,
        hhi_base.year,
        -- hhi_share: the one definition in int_supply__production_shares (also the supply-risk input)
        {{ hhi('shares.hhi_share') }} as hhi,
        sum(shares.hhi_share) as attributed_share
    from hhi_base
    inner join shares
        on hhi_base.commodity = shares.commodity
        and hhi_base.stage = shares.stage
        and hhi_base.year = shares.year
    where not shares.is_other_countries
        and shares.production is not null
        and hhi_base.hhi_denominator > 0
    group by hhi_base.commodity, hhi_base.stage, hhi_base.year

),

ranked as (

    select
        commodity,
        stage,
        year,
        country,
        share,
        row_number() over (
            partition by commodity, stage, year
            order by production desc, country asc
        ) as producer_rank
    from shares
    where not is_other_countries
        and production > 0

)

select
    hhi_base.commodity,
    coalesce(commodity_map.trade_mineral, hhi_base.commodity) as mineral,
    hhi_base.stage,
    hhi_base.year,
    hhi_base.unit,
    hhi_base.world_total_published,
    hhi_base.world_total,
    hhi_base.listed_countries_sum,
    hhi_base.other_countries_production,
    hhi_base.share_denominator,
    hhi_base.share_denominator_basis,
    hhi_base.china_value_published,
    hhi_base.china_value_kind,
    hhi_base.china_production,
    hhi_base.china_production / hhi_base.share_denominator as china_share,
    top_producer.country as top_producer,
    top_producer.share as top_producer_share,
    hhi_base.positive_producer_count,
    hhi_base.withheld_country_count,
    hhi_base.non_numeric_country_count,
    world_covered.hhi,
    case
        when world_covered.hhi is not null
            then world_covered.hhi
                + 10000 * (case when world_covered.attributed_share < 1 then 1 - world_covered.attributed_share else 0 end)
                * (case when world_covered.attributed_share < 1 then 1 - world_covered.attributed_share else 0 end)
    end as hhi_upper_bound,
    case when world_covered.hhi > 0 then 10000 / world_covered.hhi end as equivalent_producers,
    hhi_base.hhi_denominator_basis,
    hhi_base.any_estimated = 1 as includes_estimates,
    2026 as mcs_edition
from hhi_base
left join concentration as world_covered
    on hhi_base.commodity = world_covered.commodity
    and hhi_base.stage = world_covered.stage
    and hhi_base.year = world_covered.year
    and hhi_base.share_denominator_basis = 'published_world_total'
left join ranked as top_producer
    on hhi_base.commodity = top_producer.commodity
    and hhi_base.stage = top_producer.stage
    and hhi_base.year = top_producer.year
    and top_producer.producer_rank = 1
left join commodity_map
    on hhi_base.commodity = commodity_map.usgs_commodity
