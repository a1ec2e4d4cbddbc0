-- USGS Mineral Commodity Summaries statistics, both editions in one long table:
-- MCS 2026 data release (all commodities) + MCS 2025 rare-earth transcription.
-- Value tokens are kept verbatim (value_published) and classified (value_kind,
-- comparator, value_numeric) by the macros in macros/usgs_tokens.sql.
-- Data releases fetched live from ScienceBase (raw_live.usgs_mcs_live, same layout) join the snapshot's:
-- per edition, only the latest vintage is kept, so a re-published release replaces the snapshot's figures.

{% set release_columns = ['source_row', 'mcs_chapter', 'section', 'commodity', 'country', 'statistics',
                          'statistics_detail', 'unit', 'year', 'value', 'notes', 'is_critical_mineral_2025',
                          'other_notes', '_source', '_source_file', '_source_sha256', '_retrieved_at', '_loaded_at'] %}

with

snapshot_release as (

    select 2026 as edition, {{ release_columns | join(', ') }}
    from {{ source('raw', 'usgs_mcs2026') }}

),

live_releases as (

    select cast(edition as integer) as edition, {{ release_columns | join(', ') }}
    from {{ live_source('usgs_mcs_live', 'select cast(null as ' ~ dbt.type_string() ~ ') as edition, * from '
                        ~ source('raw', 'usgs_mcs2026') ~ ' where 1 = 0') }}

),

all_vintages as (

    select * from snapshot_release
    union all
    select * from live_releases

),

latest_vintage as (

    select edition, max(_retrieved_at) as latest_retrieved_at
    from all_vintages
    group by edition

),

mcs2026 as (

    select all_vintages.*
    from all_vintages
    inner join latest_vintage
        on all_vintages.edition = latest_vintage.edition
        and all_vintages._retrieved_at = latest_vintage.latest_retrieved_at

),

mcs2025_rare_earths as (

    select * from {{ source('raw', 'usgs_mcs2025_rare_earths') }}

),

renamed_2026 as (

    select
        edition,
        source_row,
        mcs_chapter,
        section,
        commodity as commodity_published,
        {{ to_snake_case('commodity') }} as commodity,
        country,
        statistics as statistic_published,
        {{ to_snake_case('statistics') }} as statistic,
        statistics_detail as statistic_detail,
        cast(null as {{ dbt.type_string() }}) as item,
        unit,
        year as year_published,
        {{ usgs_clean_token('value') }} as value_published,
        -- the data release prefixes estimated figures with the footnote 'Estimated.'
        coalesce(notes like 'Estimated.%', false) as is_estimated,
        notes,
        case is_critical_mineral_2025 when 'Yes' then true when 'No' then false end as is_critical_mineral_2025,
        other_notes,
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _loaded_at as loaded_at
    from mcs2026

),

renamed_2025 as (

    select
        cast(replace(edition, 'MCS', '') as integer) as edition,
        source_row,
        'RARE EARTHS' as mcs_chapter,
        'Salient Statistics—United States' as section,
        commodity as commodity_published,
        commodity,
        'United States' as country,
        statistic as statistic_published,
        statistic,
        cast(null as {{ dbt.type_string() }}) as statistic_detail,
        item,
        unit,
        year as year_published,
        {{ usgs_clean_token('value') }} as value_published,
        is_estimate = 'true' as is_estimated,
        note as notes,
        true as is_critical_mineral_2025,
        source as other_notes,
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _loaded_at as loaded_at
    from mcs2025_rare_earths

),

unioned as (

    select * from renamed_2026
    union all
    select * from renamed_2025

)

select
    edition,
    source_row,
    mcs_chapter,
    section,
    commodity_published,
    commodity,
    country,
    statistic_published,
    statistic,
    statistic_detail,
    item,
    unit,
    year_published,
    -- '2021–24' (en dash) -> 2021..2024; a single year -> start = end
    cast(substring(year_published, 1, 4) as integer) as year_start,
    case
        when {{ chokepoint.regex_matches('year_published', "'^[0-9]{4}$'") }}
            then cast(year_published as integer)
        when {{ chokepoint.regex_matches('year_published', "'^[0-9]{4}\\s*(–|-)\\s*[0-9]{2}$'") }}
            then cast(substring(year_published, 1, 2) as integer) * 100
                + cast({{ chokepoint.regex_extract('year_published', "'([0-9]{2})$'") }} as integer)
    end as year_end,
    value_published,
    {{ usgs_value_kind('value_published') }} as value_kind,
    {{ usgs_comparator('value_published') }} as comparator,
    {{ usgs_numeric_value('value_published') }} as value_numeric,
    is_estimated,
    notes,
    is_critical_mineral_2025,
    other_notes,
    source_file,
    source_sha256,
    loaded_at
from unioned
