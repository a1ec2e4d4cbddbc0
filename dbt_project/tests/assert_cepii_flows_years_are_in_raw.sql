-- int_cepii__flows_mapped replaces a (source, year) only when raw has rows loaded for it since its last run, so a
-- year whose files were all removed (from the bulk folder or the snapshot) would keep its old rows and go on being
-- counted. Returns those source-years: rebuild with `dbt build --full-refresh -s int_cepii__flows_mapped`.
{{ config(meta={'dagster': {'ref': {'name': 'int_cepii__flows_mapped'}}}) }}

with

kept as (

    select distinct source, year
    from {{ ref('int_cepii__flows_mapped') }}

),

in_raw as (

    select distinct 'bulk_trade' as source, t as year from {{ source('raw_bulk', 'bulk_trade_flows') }}
    union all
    select distinct 'cepii_baci' as source, t as year from {{ source('raw_baci', 'baci_trade_flows') }}

)

select kept.source, kept.year
from kept
left join in_raw
    on kept.source = in_raw.source and kept.year = in_raw.year
where in_raw.year is null
