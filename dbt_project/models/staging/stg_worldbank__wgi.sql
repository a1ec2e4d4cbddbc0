-- World Bank Worldwide Governance Indicators estimates, typed: one row per indicator x
-- country x year with a published estimate. Empty in snapshot mode (no internet).

with

{#- raw.wgi_scores is created by the raw/wgi_scores asset (empty in snapshot mode); when dbt runs
    against a warehouse where that asset never ran, an empty stand-in keeps the build working. -#}
{%- set relation = source('worldbank', 'wgi_scores') -%}
{%- if execute and load_relation(relation) is none %}
source as (

    select
        cast(null as {{ dbt.type_string() }}) as indicator_id,
        cast(null as {{ dbt.type_string() }}) as country_iso3,
        cast(null as {{ dbt.type_string() }}) as country_name,
        cast(null as {{ dbt.type_string() }}) as year,
        cast(null as double) as value
    where 1 = 0

)
{%- else %}
source as (

    select * from {{ relation }}

)
{%- endif %}

select
    indicator_id,
    country_iso3,
    country_name,
    cast(year as integer) as year,
    cast(value as double) as estimate
from source
where value is not null
    and country_iso3 is not null
    and country_iso3 <> ''
