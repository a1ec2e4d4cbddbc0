-- The published sources of every register measure part as rows (one per part x source URL), for
-- measures_status_today and export_measures readers who need every source, not a space-joined string.

select
    links.measure_id,
    links.part_id,
    cast(row_number() over (partition by links.measure_id, links.part_id order by links.ordinal) as {{ dbt.type_bigint() }}) as source_rank,
    links.link_value as source_url,
    links.link_detail as source_confirms,
    links.verification
from {{ ref('stg_register__measure_links') }} as links
where links.link_type = 'source_url'
    and links.part_id is not null
