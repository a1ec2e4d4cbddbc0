-- Monthly rows of the five reported sources in the critical-materials atlas's flows.parquet, one row per row of the
-- file (keys repeat by design: monthly_flows aggregates each source by its own rule). BACI (annual, already landed
-- from CEPII's own extract) and 'mirror' (the repository's inference, not a source) are left out here.
-- declaration_number tells apart the rows of one key; identical rows get arbitrary but distinct numbers.

with

source as (

    select * from {{ source('raw', 'atlas_monthly_flows') }}
    where freq = 'M'
        and source in ('hmrc', 'comexstat', 'comtrade', 'uscensus', 'eurostat')
        and not is_mirror

),

renamed as (

    select
        case source
            when 'hmrc' then 'uk_hmrc'
            when 'comexstat' then 'br_comexstat'
            when 'comtrade' then 'un_comtrade'
            when 'uscensus' then 'us_census'
            when 'eurostat' then 'eurostat_comext'
        end as source,
        reporter as reporter_iso3,
        partner as partner_code,
        flow,
        native_code,
        code_level as native_code_digits,
        hs6,
        cast(floor(period / 100.0) as integer) as year,
        cast(period - 100 * floor(period / 100.0) as integer) as month,
        value_usd,
        qty_kg,
        coalesce(confidential, false) as is_confidential,
        coalesce(partner_group, false) as is_partner_group,
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _loaded_at as loaded_at
    from source

)

select
    source,
    reporter_iso3,
    partner_code,
    flow,
    native_code,
    native_code_digits,
    hs6,
    year,
    month,
    -- cast: row_number() is BIGINT on DuckDB and INT on Spark; the YAML's data_type says bigint for both
    cast(row_number() over (
        partition by source, reporter_iso3, partner_code, flow, native_code, year, month
        order by value_usd, qty_kg
    ) as {{ dbt.type_bigint() }}) as declaration_number,
    value_usd,
    qty_kg,
    is_confidential,
    is_partner_group,
    source_file,
    source_sha256,
    loaded_at
from renamed
