-- One row per link of a register measure or part: commodity and related_measure (measure
-- level), element, destination, suspends (link_value = suspended measure, link_detail =
-- suspended part) and source_url (link_detail = what the source confirms).

with

source as (

    select * from {{ source('raw', 'export_measure_links') }}

)

select
    measure_id,
    part_id,
    link_type,
    trim(link_value) as link_value,
    link_detail,
    verification,
    ordinal,
    _source_file as source_file,
    _loaded_at as loaded_at
from source
