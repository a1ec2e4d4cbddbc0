-- Bulk trade rows at the fact grain, from the importer's side (reporter = importer, partner = exporter,
-- flow = 'import'), with the trade mineral from the longest matching prefix in hs_mineral_map.
-- Only critical-mineral codes whose two countries are in baci_country_codes are kept: the marts are about
-- minerals, and an unmapped country cannot be named (the raw asset counts those rows: unmapped_country_rows_loaded).
--
-- Incremental, delete+insert by year: a run reprocesses only the years that have rows loaded into raw after
-- this table's latest loaded_at (a new or replaced yearly file), so adding one year does not rewrite the others.
-- A file removed from the folder needs `dbt build --full-refresh -s int_bulk__flows_mapped` (docs/BENCHMARKS.md).

{{ config(
    materialized='incremental',
    incremental_strategy=replace_by_key_strategy(),
    unique_key='year',
    partition_by=replace_by_key_partition('year'),
    on_schema_change='fail',
) }}

{#- The years to reprocess are looked up first and written into the query as literals. Straight from raw (two
    columns), not through the staging view's country joins. As a subquery inside the filter, DuckDB 2.0.1 could not
    push it below those joins: every run mapped all rows, 10 s at 50M with nothing new, 0.2 s with literals. -#}
{%- set years_loaded_since_last_run = [] -%}
{%- if is_incremental() and execute -%}
    {%- set new_years_query -%}
        select distinct t
        from {{ source('raw_bulk', 'bulk_trade_flows') }}
        where _loaded_at > (select coalesce(max(loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
        order by t
    {%- endset -%}
    {%- set years_loaded_since_last_run = run_query(new_years_query).columns[0].values() -%}
{%- endif %}

with

flows as (

    select * from {{ ref('stg_bulk__trade_flows') }}
    {% if is_incremental() %}
    -- null: no year has new rows, nothing to reprocess
    where year in ({{ years_loaded_since_last_run | join(', ') if years_loaded_since_last_run else 'null' }})
    {% endif %}

),

code_minerals as (

    {{ longest_prefix_mineral('flows', 'hs6') }}

)

select
    {{ cepii_fact_columns('bulk_trade') }},
    flows.loaded_at
from flows
inner join code_minerals
    on flows.hs6 = code_minerals.commodity_code
where code_minerals.mineral is not null
    and flows.importer_iso3 is not null
    and flows.exporter_iso3 is not null
