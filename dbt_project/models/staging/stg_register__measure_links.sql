-- One row per link of a register measure (commodity, element, HS code, suspended
-- measure, related measure, source URL). HS codes are Chinese 10-digit tariff lines:
-- their first 6 digits are the international HS6 subheading.

with

source as (

    select * from {{ source('raw', 'export_measure_links') }}

),

renamed as (

    select
        measure_id,
        link_type,
        trim(link_value) as link_value,
        commodity as element_commodity,
        ordinal,
        case when link_type = 'hs_code' then {{ normalise_hs_code('link_value') }} end as hs_code,
        case
            when link_type = 'hs_code' and {{ dbt.length('trim(link_value)') }} >= 6
                then substring(trim(link_value), 1, 6)
        end as hs6,
        _source_file as source_file,
        _loaded_at as loaded_at
    from source

)

select * from renamed
