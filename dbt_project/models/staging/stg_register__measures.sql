-- One row per export-control measure of the project register. scheduled_effective is the
-- earliest in_force_from of the measure's parts: the date the text says it takes effect, which
-- a suspension can pre-empt (Nos. 55-58 [2025]), so it is not a date the measure applied. The
-- date it first applied (date_effective) needs the status rules: int_measures__effective_dates.

with

source as (

    select * from {{ source('raw', 'export_measures') }}

),

parts as (

    select
        measure_id,
        min(cast(in_force_from as date)) as scheduled_effective
    from {{ source('raw', 'export_measure_parts') }}
    group by measure_id

),

countries as (

    select * from {{ ref('country_reference') }}

)

select
    ---------- ids
    source.measure_id,
    upper(trim(source.jurisdiction)) as jurisdiction_iso2,
    countries.iso3 as jurisdiction_iso3,
    source.issuer,
    source.instrument_number,
    source.title,
    source.legal_type,
    source.legal_type = 'suspension' as is_suspension,

    ---------- dates
    cast(source.date_announced as date) as date_announced,
    parts.scheduled_effective,

    ---------- descriptions and lineage
    source.notes,
    source.register_version,
    source._source_file as source_file,
    source._source_sha256 as source_sha256,
    source._loaded_at as loaded_at
from source
left join parts
    on source.measure_id = parts.measure_id
left join countries
    on upper(trim(source.jurisdiction)) = countries.iso2
