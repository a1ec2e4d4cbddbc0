-- USGS's own statement of where US imports come from, as BI users should see it beside computed shares:
-- one row per edition x commodity x form x period x partner, from the MCS 2026 data release (2021-24, ~50
-- commodities) and the MCS 2025 rare-earth chapter (2020-23). Tokens kept verbatim (value_published) beside the
-- parsed share. Shares of one edition x commodity x form x period add to ~100 (USGS rounds); never add across
-- forms (USGS also publishes a 'Combined total' form) or editions (overlapping periods).

with

mcs2026 as (

    select
        edition,
        commodity,
        statistic_detail as form_published,
        year_published as period_published,
        year_start,
        year_end,
        country as partner_published,
        value_published,
        value_kind,
        comparator,
        value_numeric,
        notes,
        source_row,
        source_file
    from {{ ref('stg_usgs__mcs_statistics') }}
    where statistic like 'import_sources%'

),

mcs2025 as (

    select
        edition,
        commodity,
        form_published,
        period_published,
        year_start,
        year_end,
        partner_published,
        value_published,
        value_kind,
        comparator,
        value_numeric,
        note as notes,
        source_row,
        source_file
    from {{ ref('stg_usgs__mcs2025_import_sources') }}

),

unioned as (

    select * from mcs2026
    union all
    select * from mcs2025

),

partners as (

    select * from {{ ref('usgs_partner_names') }}

)

select
    unioned.edition,
    unioned.commodity,
    {{ to_snake_case('unioned.form_published') }} as form,
    unioned.form_published,
    unioned.year_start as first_year,
    unioned.year_end as last_year,
    cast(unioned.year_start as {{ dbt.type_string() }}) || '-'
        || substring(cast(unioned.year_end as {{ dbt.type_string() }}), 3, 2) as period_label,
    unioned.period_published,
    unioned.partner_published,
    partners.iso3 as partner_iso3,
    coalesce(partners.is_country, false) as partner_is_country,
    -- USGS counts Hong Kong inside China where its note says so (rare earths, both editions)
    unioned.partner_published = 'China' and lower(coalesce(unioned.notes, '')) like '%includes hong kong%' as china_includes_hong_kong,
    unioned.value_published,
    unioned.value_kind,
    unioned.comparator,
    unioned.value_numeric as share_pct_published,
    -- issue 25 item 10: shares are fractions across marts; the percent above is USGS's printed figure
    unioned.value_numeric / 100.0 as share,
    'quantity' as share_basis,
    unioned.notes,
    unioned.source_row,
    unioned.source_file
from unioned
left join partners
    on unioned.partner_published = partners.usgs_partner_name
