-- CEPII BACI-format rows (stg_cepii__trade_flows, both sources) at the fact grain, from the importer's side
-- (reporter = importer, partner = exporter, flow = 'import'), with the trade mineral from the longest matching
-- prefix in hs_mineral_map (NULL for a code the map does not cover).
-- What is kept depends on the source, for volume, not meaning:
--   'cepii_baci' (tens of thousands of rows): every row, also codes without a mineral (import_dependency_hs6 and the
--     chip-equipment marts read them), unmapped countries (reporter/partner NULL, is_unmapped_country) and self-trade;
--     the marts decide what a share may count.
--   'bulk_trade' (tens of millions): critical-mineral codes whose two countries are in baci_country_codes; the raw
--     asset counts the rest (unmapped_country_rows_loaded).
--
-- Incremental, replaced by (source, year): a run reprocesses only the source-years that have rows loaded into raw
-- after this table's latest loaded_at for that source (a new or replaced file), so adding one bulk year does not
-- rewrite the others. A year whose files were all removed keeps its rows until
-- `dbt build --full-refresh -s int_cepii__flows_mapped`; assert_cepii_flows_years_are_in_raw fails until then.

{{ config(
    materialized='incremental',
    incremental_strategy=replace_by_key_strategy(),
    unique_key=['source', 'year'],
    partition_by=replace_by_key_partition(['source', 'year']),
    on_schema_change='fail',
) }}

{%- set raw_tables = {'bulk_trade': source('raw_bulk', 'bulk_trade_flows'),
                      'cepii_baci': source('raw_baci', 'baci_trade_flows')} -%}

{#- The years to reprocess are looked up first and written into the query as literals. Straight from raw (two
    columns), not through the staging view's country joins. As a subquery inside the filter, DuckDB 2.0.1 could not
    push it below those joins: every run mapped all rows, 10 s at 50M with nothing new, 0.2 s with literals. -#}
{%- set years_loaded_since_last_run = {} -%}
{%- if is_incremental() and execute -%}
    {%- for source_name, raw_table in raw_tables.items() -%}
        {%- set new_years_query -%}
            select distinct t
            from {{ raw_table }}
            where _loaded_at > (
                select coalesce(max(loaded_at), cast('1900-01-01' as timestamp))
                from {{ this }}
                where source = '{{ source_name }}'
            )
            order by t
        {%- endset -%}
        {%- do years_loaded_since_last_run.update({source_name: run_query(new_years_query).columns[0].values()}) -%}
    {%- endfor -%}
{%- endif %}

with

flows as (

    select * from {{ ref('stg_cepii__trade_flows') }}
    {% if is_incremental() %}
    -- null: no year of that source has new rows, nothing to reprocess
    where
    {%- for source_name, years in years_loaded_since_last_run.items() %}
        {{ 'or' if not loop.first }} (source = '{{ source_name }}' and year in ({{ years | join(', ') if years else 'null' }}))
    {%- endfor %}
    {% endif %}

),

code_minerals as (

    {{ longest_prefix_mineral('flows', 'hs6') }}

)

select
    flows.source,
    flows.importer_iso3 as reporter_iso3,
    flows.exporter_iso3 as partner_iso3,
    {{ china_incl_hk('flows.exporter_iso3') }} as partner_in_china_incl_hk,
    flows.exporter_is_country as partner_is_country,
    'import' as flow,
    flows.hs6 as commodity_code,
    flows.hs6,
    code_minerals.mineral,
    code_minerals.matched_prefix as mineral_matched_prefix,
    flows.year,
    'annual' as period_kind,
    cast(null as integer) as month,
    cast(null as integer) as ytd_through_month,
    flows.value_usd,
    flows.quantity_t as quantity,
    case when flows.quantity_t is not null then 't' end as quantity_unit,
    flows.hs_revision,
    flows.value_basis,
    flows.is_unmapped_country,
    flows.exporter_code as partner_code,
    flows.importer_code as reporter_code,
    flows.loaded_at
from flows
left join code_minerals
    on flows.hs6 = code_minerals.commodity_code
where flows.source = 'cepii_baci'
    or (code_minerals.mineral is not null and not flows.is_unmapped_country)
