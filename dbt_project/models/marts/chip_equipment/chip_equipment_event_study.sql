-- Supplier shares of China's HS 8486 imports around each control on chip-making equipment: one row per control
-- (register measure part on heading 8486 by a controlling country, in force from 2024 or earlier: the data end
-- in 2024) x supplier group. Shares of heading 8486 imports from country suppliers other than China, in the year
-- before the control took effect, the year it did, and the year after (NULL when the data have no such year).
-- The data are annual: the event year mixes months before and after the control, and 'after' also holds every
-- later rule. Values are FOB. Imports rose ahead of announced controls (stockpiling), so a pre-year share is no
-- counterfactual.

with

controls as (

    select
        parts.measure_id,
        parts.part_id,
        measures.jurisdiction_iso3,
        parts.in_force_from as control_date
    from {{ ref('stg_register__measure_parts') }} as parts
    inner join {{ ref('stg_register__measures') }} as measures
        on parts.measure_id = measures.measure_id
    inner join {{ ref('chip_equipment_suppliers') }} as suppliers
        on measures.jurisdiction_iso3 = suppliers.iso3
        and suppliers.is_controlling_country
    where parts.restricts_goods
        and parts.in_force_from is not null
        and exists (
            select 1 from {{ ref('stg_register__measure_codes') }} as codes
            where {{ join_on_keys('codes', 'parts', measure_part_key()) }}
                and codes.heading = '8486'
        )
        -- an event only where the control applied: sourced in force on its in_force_from (a part suspended before
        -- that date, as Nos. 55-58 [2025] were, has no event year)
        and exists (
            select 1 from {{ ref('int_measures__status_periods') }} as periods
            where {{ join_on_keys('periods', 'parts', measure_part_key()) }}
                and {{ status_applies('periods.status', 'sourced') }}
                and {{ period_covers_date('periods', 'parts.in_force_from') }}
        )

),

events as (

    select
        controls.*,
        cast(extract(year from controls.control_date) as {{ dbt.type_int() }}) as event_year
    from controls

),

supplier_years as (

    select
        year,
        supplier_group,
        sum(value_usd) as value_usd,
        sum(share_of_8486) as share_of_8486
    from {{ ref('chip_equipment_dependency') }}
    where counts_in_shares
    group by year, supplier_group

),

data_years as (

    select min(year) as first_year, max(year) as last_year from supplier_years

),

groups as (

    select distinct supplier_group from supplier_years

)

select
    events.measure_id,
    events.part_id,
    events.jurisdiction_iso3 as controlling_country_iso3,
    events.control_date,
    events.event_year,
    groups.supplier_group,
    events.event_year - 1 as pre_year,
    events.event_year + 1 as post_year,
    pre.share_of_8486 as pre_year_share,
    event_year_.share_of_8486 as event_year_share,
    post.share_of_8486 as post_year_share,
    post.share_of_8486 - pre.share_of_8486 as post_minus_pre_share,
    pre.value_usd as pre_year_value_usd,
    event_year_.value_usd as event_year_value_usd,
    post.value_usd as post_year_value_usd,
    case when events.event_year + 1 > data_years.last_year then 'no post year in the data (ends ' || cast(data_years.last_year as {{ dbt.type_string() }}) || ')' end as post_year_note,
    'annual data: the event year mixes months before and after the control; post year also holds later rules; FOB values (BACI); imports rose ahead of announced controls (stockpiling), so the pre year is no counterfactual; shares of imports from country suppliers other than China' as caveats
from events
cross join groups
cross join data_years
left join supplier_years as pre
    on pre.year = events.event_year - 1 and groups.supplier_group = pre.supplier_group
left join supplier_years as event_year_
    on events.event_year = event_year_.year and groups.supplier_group = event_year_.supplier_group
left join supplier_years as post
    on post.year = events.event_year + 1 and groups.supplier_group = post.supplier_group
where events.event_year <= data_years.last_year
