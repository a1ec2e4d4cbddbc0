-- World Bank Worldwide Governance Indicators estimates, typed: one row per indicator x country x year with a
-- published estimate. Two inputs: the snapshot's WGIData.csv (2023 update, data 1996-2022; raw.wgi_snapshot) and,
-- in live mode, the World Bank API (raw.wgi_scores, empty in snapshot mode). A live estimate replaces the
-- snapshot's for the same indicator, country and year (a later release revises earlier years); wgi_source says
-- which one a row is.

with

{#- raw.wgi_scores is created by the raw/wgi_scores asset (empty in snapshot mode); when dbt runs
    against a warehouse where that asset never ran, an empty stand-in keeps the build working. -#}
{%- set relation = source('worldbank', 'wgi_scores') -%}
{%- if execute and load_relation(relation) is none %}
live as (
    select
        cast(null as {{ dbt.type_string() }}) as indicator_id,
        cast(null as {{ dbt.type_string() }}) as country_iso3,
        cast(null as {{ dbt.type_string() }}) as country_name,
        cast(null as {{ dbt.type_string() }}) as year,
        cast(null as double) as value
    where 1 = 0
),
{%- else %}
live as (
    select indicator_id, country_iso3, country_name, year, value from {{ relation }}
),
{%- endif %}

snapshot as (

    select indicator_id, country_iso3, country_name, year, value from {{ source('raw', 'wgi_snapshot') }}

),

typed as (

    select
        indicator_id, country_iso3, country_name, cast(year as integer) as year, cast(value as double) as estimate,
        'worldbank_api' as wgi_source
    from live
    where value is not null
        and country_iso3 is not null
        and country_iso3 <> ''

    union all

    select
        snapshot.indicator_id, snapshot.country_iso3, snapshot.country_name, cast(snapshot.year as integer) as year,
        cast(snapshot.value as double) as estimate, 'wgi_2023_update_snapshot' as wgi_source
    from snapshot
    where not exists (
        select 1 from live
        where live.value is not null
            and live.indicator_id = snapshot.indicator_id
            and live.country_iso3 = snapshot.country_iso3
            and cast(live.year as integer) = cast(snapshot.year as integer)
    )

)

select * from typed
