-- What each export-control measure covers, translated to trade minerals:
-- one row per measure x register commodity x element x trade mineral x stated HS code.
--   coverage_basis = 'commodity_listed': a commodity (or, when the register lists them,
--     each element of it) mapped through the register_commodity_map seed; register
--     commodities without trade data keep mineral NULL so nothing disappears.
--   coverage_basis = 'hs_code_stated': a Chinese 10-digit code printed in the source,
--     mapped to a mineral by longest HS prefix (hs_mineral_map).
-- Suspension measures have no coverage of their own (their effect is in the status).

with

measures as (

    select * from {{ ref('stg_register__measures') }}
    where not is_suspension

),

links as (

    select links.*
    from {{ ref('stg_register__measure_links') }} as links
    inner join measures
        on links.measure_id = measures.measure_id

),

commodity_map as (

    select * from {{ ref('register_commodity_map') }}

),

commodities as (

    select measure_id, link_value as register_commodity
    from links
    where link_type = 'commodity'

),

elements as (

    select measure_id, element_commodity as register_commodity, link_value as element
    from links
    where link_type = 'element'

),

-- a commodity listed with elements is covered element by element
commodity_or_elements as (

    select
        commodities.measure_id,
        commodities.register_commodity,
        elements.element
    from commodities
    left join elements
        on commodities.measure_id = elements.measure_id
        and commodities.register_commodity = elements.register_commodity

),

commodity_rows as (

    select
        commodity_or_elements.measure_id,
        commodity_or_elements.register_commodity,
        commodity_or_elements.element,
        commodity_map.mineral,
        commodity_map.match,
        cast(null as {{ dbt.type_string() }}) as hs_code_stated,
        cast(null as {{ dbt.type_string() }}) as hs6,
        'commodity_listed' as coverage_basis
    from commodity_or_elements
    left join commodity_map
        on commodity_or_elements.register_commodity = commodity_map.register_commodity

),

hs_links as (

    select measure_id, hs_code, hs6
    from links
    where link_type = 'hs_code'

),

hs_minerals as (

    {{ longest_prefix_mineral('hs_links', 'hs_code') }}

),

-- an HS code is attributed to a register commodity only when the measure lists one
single_commodity as (

    select measure_id, max(register_commodity) as register_commodity
    from commodities
    group by measure_id
    having count(*) = 1

),

hs_rows as (

    select
        hs_links.measure_id,
        single_commodity.register_commodity,
        cast(null as {{ dbt.type_string() }}) as element,
        hs_minerals.mineral,
        case
            when hs_minerals.mineral is null then null
            -- without a same-mineral mapping the heading is treated as an upper bound
            else coalesce(commodity_map.match, 'heading_includes_other_goods')
        end as match,
        hs_links.hs_code as hs_code_stated,
        hs_links.hs6,
        'hs_code_stated' as coverage_basis
    from hs_links
    left join hs_minerals
        on hs_links.hs_code = hs_minerals.commodity_code
    left join single_commodity
        on hs_links.measure_id = single_commodity.measure_id
    left join commodity_map
        on single_commodity.register_commodity = commodity_map.register_commodity
        and hs_minerals.mineral = commodity_map.mineral

)

select * from commodity_rows
union all
select * from hs_rows
