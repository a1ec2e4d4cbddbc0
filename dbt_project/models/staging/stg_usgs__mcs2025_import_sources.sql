-- MCS 2025 'Import sources' line(s), hand-transcribed from the chapter PDF: one row per edition x commodity x
-- form x period x partner. Tokens kept verbatim and classified by the same macros as the MCS 2026 release.

with

source as (

    select * from {{ source('raw', 'usgs_mcs2025_import_sources') }}

)

select
    2025 as edition,
    source_row,
    commodity,
    scope as form_published,
    period as period_published,
    cast(substring(period, 1, 4) as integer) as year_start,
    cast(substring(period, 6, 4) as integer) as year_end,
    partner as partner_published,
    {{ usgs_clean_token('share_pct') }} as value_published,
    {{ usgs_value_kind(usgs_clean_token('share_pct')) }} as value_kind,
    {{ usgs_comparator(usgs_clean_token('share_pct')) }} as comparator,
    {{ usgs_numeric_value(usgs_clean_token('share_pct')) }} as value_numeric,
    note,
    source as transcription_source,
    _source_file as source_file,
    _source_sha256 as source_sha256,
    _loaded_at as loaded_at
from source
