-- CEPII BACI rows of the snapshot, one per exporter x importer x HS6 x year x HS revision, with both countries
-- named from BACI's own country table (baci_country_codes). A file that carries ISO3 only is mapped to the
-- current code of that ISO3. Rows whose country is not in the table are KEPT with NULL ISO3 and
-- is_unmapped_country = true: the raw asset counts them, and a share computed downstream says what it left out.
-- Values stay FOB as BACI publishes them (thousand USD x 1000), never relabelled as a customs (CIF) figure.

with

source as (

    select * from {{ source('raw_baci', 'baci_trade_flows') }}

),

codes as (

    select * from {{ ref('baci_country_codes') }}

),

current_codes as (

    select * from codes where current_code_for_iso3

),

renamed as (

    select
        ---------- period and nomenclature
        source.t as year,
        source.hs_revision,
        source.baci_version,

        ---------- exporter / importer (code from the file, else from its ISO3)
        coalesce(source.i, exporter_by_iso3.country_code) as exporter_code,
        coalesce(exporter_by_code.iso3, exporter_by_iso3.iso3) as exporter_iso3,
        coalesce(exporter_by_code.is_country, exporter_by_iso3.is_country) as exporter_is_country,
        coalesce(source.j, importer_by_iso3.country_code) as importer_code,
        coalesce(importer_by_code.iso3, importer_by_iso3.iso3) as importer_iso3,
        coalesce(importer_by_code.is_country, importer_by_iso3.is_country) as importer_is_country,
        source.exporter_iso3 as exporter_iso3_in_file,
        source.importer_iso3 as importer_iso3_in_file,

        ---------- commodity
        lpad(cast(source.k as {{ dbt.type_string() }}), 6, '0') as hs6,

        ---------- figures
        source.v * 1000 as value_usd,
        source.q as quantity_t,
        'fob_baci' as value_basis,

        ---------- lineage
        source.layout as source_layout,
        source._source_file as source_file,
        source._source_sha256 as source_sha256,
        source._loaded_at as loaded_at

    from source
    left join codes as exporter_by_code
        on source.i = exporter_by_code.country_code
    left join current_codes as exporter_by_iso3
        on source.i is null and source.exporter_iso3 = exporter_by_iso3.iso3
    left join codes as importer_by_code
        on source.j = importer_by_code.country_code
    left join current_codes as importer_by_iso3
        on source.j is null and source.importer_iso3 = importer_by_iso3.iso3

)

select
    *,
    exporter_iso3 is null or importer_iso3 is null as is_unmapped_country
from renamed
