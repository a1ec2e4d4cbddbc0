-- CEPII BACI-format trade rows, whatever folder they come from, one per source x year x HS revision x exporter x
-- importer x HS6 (x file): 'cepii_baci', the snapshot's BACI files (tens of thousands of rows), and 'bulk_trade', the
-- BACI-shaped files under CHOKEPOINT_BULK_TRADE_DIR (tens of millions in the benchmark). Both countries are named
-- from BACI's own country table (baci_country_codes); a snapshot file that carries ISO3 only is first given the
-- current code of that ISO3. Rows whose country is not in the table are KEPT with NULL ISO3 and
-- is_unmapped_country = true: the raw assets count them, and a share computed downstream says what it left out.
-- Values stay FOB as BACI publishes them (thousand USD x 1000), never relabelled as a customs (CIF) figure.
-- A view: at tens of millions of bulk rows a staging copy would cost a full rewrite on every run; the incremental
-- int_cepii__flows_mapped reads only the (source, year)s loaded since its last run through it.

{{ config(materialized='view') }}

with

codes as (

    select * from {{ ref('baci_country_codes') }}

),

current_codes as (

    select * from codes where current_code_for_iso3

),

snapshot_rows as (

    select
        'cepii_baci' as source,
        snapshot.t,
        coalesce(snapshot.i, exporter_by_iso3.country_code) as i,
        coalesce(snapshot.j, importer_by_iso3.country_code) as j,
        snapshot.k,
        snapshot.v,
        snapshot.q,
        snapshot.hs_revision,
        snapshot.baci_version,
        snapshot.exporter_iso3 as exporter_iso3_in_file,
        snapshot.importer_iso3 as importer_iso3_in_file,
        snapshot.layout,
        snapshot._source_file,
        snapshot._source_sha256,
        snapshot._loaded_at
    from {{ source('raw_baci', 'baci_trade_flows') }} as snapshot
    left join current_codes as exporter_by_iso3
        on snapshot.i is null and snapshot.exporter_iso3 = exporter_by_iso3.iso3
    left join current_codes as importer_by_iso3
        on snapshot.j is null and snapshot.importer_iso3 = importer_by_iso3.iso3

),

bulk_rows as (

    select
        'bulk_trade' as source,
        t,
        i,
        j,
        k,
        v,
        q,
        -- bulk files are CEPII-shaped t,i,j,k,v,q: no revision, release, ISO3 or layout in the row
        cast(null as {{ dbt.type_string() }}) as hs_revision,
        cast(null as {{ dbt.type_string() }}) as baci_version,
        cast(null as {{ dbt.type_string() }}) as exporter_iso3_in_file,
        cast(null as {{ dbt.type_string() }}) as importer_iso3_in_file,
        cast(null as {{ dbt.type_string() }}) as layout,
        _source_file,
        _source_sha256,
        _loaded_at
    from {{ source('raw_bulk', 'bulk_trade_flows') }}

),

cepii_rows as (

    -- the large source first, as everywhere a union feeds an aggregate (int_trade__flows_mapped says why)
    select * from bulk_rows
    union all
    select * from snapshot_rows

),

renamed as (

    select
        ---------- source, period and nomenclature
        cepii_rows.source,
        cepii_rows.t as year,
        cepii_rows.hs_revision,
        cepii_rows.baci_version,

        ---------- exporter / importer
        cepii_rows.i as exporter_code,
        exporter.iso3 as exporter_iso3,
        exporter.is_country as exporter_is_country,
        cepii_rows.j as importer_code,
        importer.iso3 as importer_iso3,
        importer.is_country as importer_is_country,
        cepii_rows.exporter_iso3_in_file,
        cepii_rows.importer_iso3_in_file,

        ---------- commodity
        lpad(cast(cepii_rows.k as {{ dbt.type_string() }}), 6, '0') as hs6,

        ---------- figures
        cepii_rows.v * 1000 as value_usd,
        cepii_rows.q as quantity_t,
        'fob_baci' as value_basis,

        ---------- lineage
        cepii_rows.layout as source_layout,
        cepii_rows._source_file as source_file,
        cepii_rows._source_sha256 as source_sha256,
        cepii_rows._loaded_at as loaded_at

    from cepii_rows
    left join codes as exporter
        on cepii_rows.i = exporter.country_code
    left join codes as importer
        on cepii_rows.j = importer.country_code

)

select
    *,
    exporter_iso3 is null or importer_iso3 is null as is_unmapped_country
from renamed
