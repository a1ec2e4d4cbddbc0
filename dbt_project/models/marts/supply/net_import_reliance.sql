-- US net import reliance (NIR) as published by USGS Mineral Commodity Summaries:
-- one row per edition x commodity x form x year (all MCS 2026 commodities + the
-- MCS 2025 rare-earth transcription). The token is kept verbatim (value_published)
-- and parsed: comparator, nir_pct_published, value_kind. 'E' means NET EXPORTER, not estimated.
-- The footnote token 's' is resolved from its footnote text, never guessed:
--   "Less than ½ unit."                        -> upper_bound, '<', 0.5
--   "... preclude calculation of a meaningful net import reliance" -> not_available
-- Any other token keeps a value_kind outside the accepted list and fails the tests.

with

statistics as (

    select * from {{ ref('stg_usgs__mcs_statistics') }}

),

nir as (

    select
        *,
        lower(coalesce(statistic_detail, '')) as detail_lower,
        lower(coalesce(notes, '')) as notes_lower
    from statistics
    where statistic = 'net_import_reliance'

),

parsed as (

    select
        edition,
        source_row,
        commodity,
        commodity_published,
        statistic_detail,
        year_start as year,
        value_published,
        is_estimated,
        notes,
        -- form: the qualifier after ':' or ',' in the MCS 2026 detail text
        -- ('...: Compounds and metals', '..., refined metal'); the MCS 2025 item code
        case
            when edition = 2025 then item
            when {{ chokepoint.regex_matches('detail_lower', "'consumption\\s*[:,]\\s*\\S'") }}
                then {{ to_snake_case(chokepoint.regex_extract('detail_lower', "'consumption\\s*[:,]\\s*(.+)$'")) }}
        end as form_raw,
        -- basis: what the percentage is taken of
        case
            when edition = 2025 and unit = 'pct_of_apparent_consumption' then 'apparent_consumption'
            when detail_lower like '%percentage of total apparent consumption%' then 'total_apparent_consumption'
            when detail_lower like '%percentage of apparent consumption%(based on value)%' then 'apparent_consumption_by_value'
            when detail_lower like '%percentage of apparent consumption%' then 'apparent_consumption'
            when detail_lower like '%percentage of reported consumption%' then 'reported_consumption'
            when detail_lower like '%percentage of estimated consumption%' then 'estimated_consumption'
            else 'not_stated'
        end as basis,
        case
            when value_kind = 'see_note' and notes_lower like '%less than ½ unit%' then 'upper_bound'
            when value_kind = 'see_note'
                and notes_lower like '%preclude%calculation of a meaningful net import reliance%'
                then 'not_available'
            else value_kind
        end as value_kind,
        case
            when value_kind = 'see_note' and notes_lower like '%less than ½ unit%' then '<'
            when value_kind = 'see_note' then null
            else comparator
        end as nir_comparator,
        case
            when value_kind = 'see_note' and notes_lower like '%less than ½ unit%' then 0.5
            when value_kind = 'see_note' then null
            else value_numeric
        end as nir_pct_published,
        -- MCS 2026: the definition footnote without the leading 'Estimated.' flag.
        -- MCS 2025: the transcription carries a transcriber's remark, not a definition.
        case
            when edition = 2025 then null
            when notes like 'Estimated. -- %' then substring(notes, 15, {{ dbt.length('notes') }})
            when notes like 'Estimated.%' then nullif(trim(substring(notes, 11, {{ dbt.length('notes') }})), '')
            else notes
        end as definition_note,
        notes as source_note
    from nir

),

-- The Mica (Natural) chapter has two salient-statistics blocks, 'Scrap and flake' then
-- 'Sheet'; the data release drops the sub-headers, leaving two unlabelled NIR rows per
-- year. They are told apart by their order in the file (sheet mica: 100 %, no US output).
-- Only mica is special-cased: any other duplicate must fail the grain test.
disambiguated as (

    select
        parsed.*,
        case
            when commodity = 'mica_natural' and form_raw is null
                then case
                    when row_number() over (
                        partition by edition, commodity, year order by source_row
                    ) = 1 then 'scrap_and_flake'
                    else 'sheet'
                end
            else form_raw
        end as form_resolved
    from parsed

)

select
    edition,
    commodity,
    -- a qualifier that only repeats the commodity name ('...: Helium') is not a form
    case when form_resolved = commodity then null else form_resolved end as form,
    year,
    value_published,
    nir_comparator,
    nir_pct_published,
    -- issue 25 item 10: shares are fractions across marts; USGS's printed percent stays beside it
    nir_pct_published / 100.0 as nir_share,
    value_kind,
    is_estimated,
    basis,
    definition_note,
    source_note,
    commodity_published,
    statistic_detail,
    source_row
from disambiguated
