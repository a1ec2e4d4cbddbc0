-- Bulk trade source (CEPII BACI-shaped), one row per exporter x importer x HS6 x year, typed and renamed:
-- ISO3 codes from BACI's country table, the baci_country_codes seed (NULL when the code is not in it: counted as
-- unmapped_country_rows_loaded in the raw asset's metadata; int_bulk__flows_mapped leaves such rows out), HS6 as
-- zero-padded text, value in USD (BACI publishes thousand USD), quantity in metric tons.
-- A view: at tens of millions of rows a staging copy would cost a full rewrite on every run; the incremental
-- int_bulk__flows_mapped reads only the years loaded since its last run through it.

{{ config(materialized='view') }}

with

source as (

    select * from {{ source('raw_bulk', 'bulk_trade_flows') }}

),

countries as (

    select country_code, iso3, is_country from {{ ref('baci_country_codes') }}

),

renamed as (

    select
        ---------- period
        source.t as year,

        ---------- exporter / importer
        source.i as exporter_code,
        exporter.iso3 as exporter_iso3,
        exporter.is_country as exporter_is_country,
        source.j as importer_code,
        importer.iso3 as importer_iso3,

        ---------- commodity
        lpad(cast(source.k as string), 6, '0') as hs6,

        ---------- figures
        source.v * 1000 as value_usd,
        source.q as quantity_t,

        ---------- lineage
        source._source_file as source_file,
        source._source_sha256 as source_sha256,
        source._loaded_at as loaded_at

    from source
    left join countries as exporter
        on source.i = exporter.country_code
    left join countries as importer
        on source.j = importer.country_code

)

select * from renamed
