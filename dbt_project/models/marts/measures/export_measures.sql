-- One row per register measure x part (article or item): what it is, its dates, the
-- suspension acting on it now, its status on the as-of date (var as_of_date, default
-- current_date) with the basis of that status, and its full status history. All statuses
-- come from int_measures__status_periods (published as export_measure_status_periods for
-- "status on any date").

with

measures as (

    select * from {{ ref('stg_register__measures') }}

),

parts as (

    select * from {{ ref('stg_register__measure_parts') }}

),

links as (

    select * from {{ ref('stg_register__measure_links') }}

),

codes as (

    select * from {{ ref('stg_register__measure_codes') }}

),

status_periods as (

    select * from {{ ref('int_measures__status_periods') }}

),

effective as (

    select * from {{ ref('int_measures__effective_dates') }}

),

part_links as (

    select
        measure_id,
        part_id,
        {{ dbt.listagg("case when link_type = 'destination' then link_value end", "', '", "order by ordinal") }} as destinations,
        {{ dbt.listagg("case when link_type = 'element' then link_value end", "', '", "order by ordinal") }} as elements,
        {{ dbt.listagg("case when link_type = 'suspends' then " ~ dbt.concat(['link_value', "' '", 'link_detail']) ~ " end", "', '", "order by ordinal") }} as suspends_parts,
        {{ dbt.listagg("case when link_type = 'source_url' then link_value end", "' '", "order by ordinal") }} as source_urls,
        {{ dbt.listagg("case when link_type = 'source_url' then " ~ dbt.concat(['link_value', "' -> '", 'link_detail', "' ['", 'verification', "']'"]) ~ " end", "'; '", "order by ordinal") }} as source_confirms
    from links
    where part_id is not null
    group by measure_id, part_id

),

measure_links as (

    select
        measure_id,
        {{ dbt.listagg("case when link_type = 'commodity' then link_value end", "', '", "order by ordinal") }} as commodities,
        {{ dbt.listagg("case when link_type = 'related_measure' then link_value end", "', '", "order by ordinal") }} as related_measures
    from links
    where part_id is null
    group by measure_id

),

part_codes as (

    select
        measure_id,
        part_id,
        count(*) as customs_code_count,
        {{ dbt.listagg("coalesce(code_printed, " ~ dbt.concat(["'heading '", 'heading']) ~ ")", "', '", "order by ordinal") }} as customs_codes_printed,
        {{ dbt.listagg("case when code_corrected is not null then " ~ dbt.concat(['code_printed', "' -> '", 'code_corrected']) ~ " end", "', '", "order by ordinal") }} as customs_codes_corrected
    from codes
    group by measure_id, part_id

),

history as (

    select
        measure_id,
        part_id,
        {{ dbt.listagg(
            dbt.concat([dbt.safe_cast('valid_from', api.Column.translate_type('string')), "' '", 'status', "' ('", 'status_basis', "')'"]),
            "'; '",
            'order by valid_from'
        ) }} as status_history
    from status_periods
    where status <> 'not_yet_announced'
    group by measure_id, part_id

),

status_now as (

    select *
    from status_periods
    where {{ period_covers_date('status_periods', as_of_date()) }}

)

select
    ---------- keys
    parts.measure_id,
    parts.part_id,
    parts.part_label,

    ---------- the measure
    measures.jurisdiction_iso2 as jurisdiction,
    measures.jurisdiction_iso3,
    measures.issuer,
    measures.instrument_number,
    measures.title,
    measures.legal_type as measure_legal_type,
    parts.legal_type,
    -- kept for BI users of register_version 1: the part's legal type
    parts.legal_type as measure_type,
    measures.is_suspension,
    parts.restricts_goods,
    measures.date_announced,
    effective.date_effective,
    effective.scheduled_effective,
    effective.never_applied,

    ---------- the part
    parts.scope,
    part_links.destinations,
    part_links.elements,
    part_links.suspends_parts,
    part_codes.customs_code_count,
    part_codes.customs_codes_printed,
    part_codes.customs_codes_corrected,
    parts.in_force_from,
    parts.in_force_until,
    parts.until_reading,
    parts.until_as_printed,

    ---------- status on the as-of date
    {{ as_of_date() }} as status_as_of,
    status_now.status,
    status_now.status_basis,
    status_now.suspended_by_measure_id,
    status_now.suspended_by_part_id,
    status_now.valid_from as status_since,
    status_now.valid_to as status_until,
    history.status_history,

    ---------- provenance
    parts.verification,
    part_links.source_urls,
    part_links.source_confirms,
    measure_links.commodities,
    measure_links.related_measures,
    parts.notes as part_notes,
    measures.notes as measure_notes,
    measures.register_version
from parts
inner join measures
    on parts.measure_id = measures.measure_id
left join part_links
    on {{ join_on_keys('parts', 'part_links', measure_part_key()) }}
left join effective
    on parts.measure_id = effective.measure_id
left join measure_links
    on parts.measure_id = measure_links.measure_id
left join part_codes
    on {{ join_on_keys('parts', 'part_codes', measure_part_key()) }}
left join status_now
    on {{ join_on_keys('parts', 'status_now', measure_part_key()) }}
left join history
    on {{ join_on_keys('parts', 'history', measure_part_key()) }}
