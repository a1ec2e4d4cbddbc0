-- One row per export-control measure of the project register, with typed dates.
-- 'YYYY-MM' dates (month known, day not) become the first of the month and carry
-- a precision column so nobody reads them as exact days.

with

source as (

    select * from {{ source('raw', 'export_measures') }}

),

countries as (

    select * from {{ ref('country_reference') }}

),

renamed as (

    select
        ---------- ids
        measure_id,
        upper(trim(jurisdiction)) as jurisdiction_iso2,
        authority,
        instrument,
        measure_type,
        measure_type = 'suspension' as is_suspension,
        target_scope,

        ---------- descriptions
        items_covered,
        hs_codes_note,
        notes,
        source_stored_at,

        ---------- dates
        date_announced as date_announced_published,
        date_effective as date_effective_published,
        date_end as date_end_published,
        {{ parse_register_date('date_announced') }} as date_announced,
        {{ register_date_precision('date_announced') }} as date_announced_precision,
        {{ parse_register_date('date_effective') }} as date_effective,
        {{ register_date_precision('date_effective') }} as date_effective_precision,
        {{ parse_register_date('date_end') }} as date_end,
        {{ register_date_precision('date_end') }} as date_end_precision,

        ---------- lineage
        register_version,
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _loaded_at as loaded_at

    from source

)

select
    renamed.*,
    countries.iso3 as jurisdiction_iso3
from renamed
left join countries
    on renamed.jurisdiction_iso2 = countries.iso2
