-- One row per export-control measure of the register, with parsed dates, the
-- suspension acting on it, its status on the as-of date (var as_of_date, default
-- current_date) and its full status history, all derived from
-- int_measures__status_periods (the single implementation of the status rules).

with

measures as (

    select * from {{ ref('stg_register__measures') }}

),

links as (

    select * from {{ ref('stg_register__measure_links') }}

),

status_periods as (

    select * from {{ ref('int_measures__status_periods') }}

),

suspensions as (

    select
        links.link_value as measure_id,
        links.measure_id as suspension_measure_id,
        suspension.date_effective as suspended_from,
        suspension.date_end as suspended_until,
        row_number() over (
            partition by links.link_value
            order by suspension.date_effective desc, links.measure_id
        ) as suspension_rank
    from links
    inner join measures as suspension
        on links.measure_id = suspension.measure_id
    where links.link_type = 'suspends'

),

link_lists as (

    select
        measure_id,
        {{ dbt.listagg("case when link_type = 'commodity' then link_value end", "', '", "order by ordinal") }} as commodities,
        {{ dbt.listagg("case when link_type = 'element' then link_value end", "', '", "order by ordinal") }} as elements,
        {{ dbt.listagg("case when link_type = 'hs_code' then link_value end", "', '", "order by ordinal") }} as hs_codes_stated,
        {{ dbt.listagg("case when link_type = 'related_measure' then link_value end", "', '", "order by ordinal") }} as related_measures,
        {{ dbt.listagg("case when link_type = 'source_url' then link_value end", "' '", "order by ordinal") }} as source_urls
    from links
    group by measure_id

),

history as (

    select
        measure_id,
        {{ dbt.listagg(
            dbt.concat([dbt.safe_cast('valid_from', api.Column.translate_type('string')), "' '", 'status']),
            "'; '",
            'order by valid_from'
        ) }} as status_history
    from status_periods
    where valid_from is not null
    group by measure_id

),

status_now as (

    select
        status_periods.measure_id,
        status_periods.status
    from status_periods
    where {{ period_covers_date('status_periods', as_of_date()) }}

)

select
    measures.measure_id,
    measures.jurisdiction_iso2 as jurisdiction,
    measures.jurisdiction_iso3,
    measures.authority,
    measures.instrument,
    measures.measure_type,
    measures.is_suspension,
    measures.target_scope,
    measures.date_announced,
    measures.date_announced_precision,
    measures.date_effective,
    measures.date_effective_precision,
    measures.date_end,
    measures.date_end_precision,
    suspensions.suspension_measure_id as suspended_by,
    suspensions.suspended_from,
    suspensions.suspended_until,
    {{ as_of_date() }} as status_as_of,
    status_now.status,
    history.status_history,
    link_lists.commodities,
    link_lists.elements,
    link_lists.hs_codes_stated,
    link_lists.related_measures,
    link_lists.source_urls,
    measures.items_covered,
    measures.hs_codes_note,
    measures.notes,
    measures.source_stored_at,
    measures.register_version
from measures
left join suspensions
    on measures.measure_id = suspensions.measure_id
    and suspensions.suspension_rank = 1
left join status_now
    on measures.measure_id = status_now.measure_id
left join history
    on measures.measure_id = history.measure_id
left join link_lists
    on measures.measure_id = link_lists.measure_id
