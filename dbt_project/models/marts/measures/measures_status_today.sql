-- Every register measure part's status on the as-of date (var as_of_date, default the build date) as joinable
-- rows: one per measure x part x commodity x destination, never a comma string. Statuses come from
-- int_measures__status_periods; whether a status applies, only from status_applies. Grain and columns:
-- measures_status_today.yml. Sources as rows: measure_part_sources.

with

parts as (

    select * from {{ ref('stg_register__measure_parts') }}

),

measures as (

    select * from {{ ref('stg_register__measures') }}

),

links as (

    select * from {{ ref('stg_register__measure_links') }}

),

status_now as (

    select * from {{ ref('int_measures__status_periods') }} as status_periods
    where {{ period_covers_date('status_periods', as_of_date()) }}

),

commodities as (

    select distinct measure_id, link_value as commodity
    from links
    where link_type = 'commodity'

),

destinations as (

    select distinct measure_id, part_id, link_value as destination
    from links
    where link_type = 'destination'

),

first_sources as (

    select measure_id, part_id, link_value as primary_source_url, source_count
    from (
        select
            measure_id,
            part_id,
            link_value,
            count(*) over (partition by measure_id, part_id) as source_count,
            row_number() over (partition by measure_id, part_id order by ordinal) as source_rank
        from links
        where link_type = 'source_url'
    ) as ranked
    where source_rank = 1

)

select
    {{ as_of_date() }} as status_as_of,
    parts.measure_id,
    parts.part_id,
    parts.part_label,
    measures.jurisdiction_iso3,
    measures.instrument_number,
    parts.legal_type,
    parts.restricts_goods,
    commodities.commodity,
    destinations.destination,
    status_now.status,
    status_now.status_basis,
    {{ status_applies('status_now.status', 'sourced') }} as in_force_sourced,
    {{ status_applies('status_now.status', 'possible') }} as possibly_in_force,
    status_now.valid_from as status_since,
    status_now.valid_to as status_until,
    status_now.suspended_by_measure_id,
    status_now.suspended_by_part_id,
    parts.in_force_from,
    parts.in_force_until,
    first_sources.primary_source_url,
    cast(first_sources.source_count as {{ dbt.type_bigint() }}) as source_count
from parts
inner join measures
    on parts.measure_id = measures.measure_id
inner join status_now
    on {{ join_on_keys('parts', 'status_now', measure_part_key()) }}
left join commodities
    on parts.measure_id = commodities.measure_id
left join destinations
    on {{ join_on_keys('parts', 'destinations', measure_part_key()) }}
left join first_sources
    on {{ join_on_keys('parts', 'first_sources', measure_part_key()) }}
