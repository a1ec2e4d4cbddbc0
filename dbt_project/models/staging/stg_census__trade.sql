-- US Census International Trade API, monthly, one row per flow x country x HS6 code x month,
-- from the LATEST vintage of each request (a re-published month supersedes the earlier one;
-- both stay in raw.census_trade). Imports: value_usd = GEN_VAL_MO (general imports, customs
-- value) with its quantity GEN_QY1_MO; exports: ALL_VAL_MO with QTY_1_MO.
-- Country groupings (codes starting with 0 or holding X) and the all-country total ('-') are
-- kept and flagged (is_partner_grouping); downstream facts drop them.

with

source as (

    select * from {{ live_source('census_trade', "
        select
            cast(null as bigint) as record_index, cast(null as string) as flow, cast(null as string) as time,
            cast(null as string) as CTY_CODE, cast(null as string) as CTY_NAME, cast(null as string) as COMMODITY,
            cast(null as string) as COMMODITY_SDESC, cast(null as string) as COMM_LVL,
            cast(null as double) as GEN_VAL_MO, cast(null as double) as CON_VAL_MO, cast(null as double) as ALL_VAL_MO,
            cast(null as double) as QTY_1_MO, cast(null as string) as UNIT_QY1,
            cast(null as string) as _request_key, cast(null as string) as _request_url,
            cast(null as string) as _source, cast(null as string) as _source_file, cast(null as string) as _source_sha256,
            cast(null as timestamp) as _retrieved_at, cast(null as timestamp) as _loaded_at
        where 1 = 0") }}

),

latest_vintage as (

    select _request_key, max(_retrieved_at) as latest_retrieved_at
    from source
    group by _request_key

),

current_rows as (

    select source.*
    from source
    inner join latest_vintage
        on source._request_key = latest_vintage._request_key
        and source._retrieved_at = latest_vintage.latest_retrieved_at

),

countries as (

    select * from {{ ref('census_country_codes') }}

)

-- Contract columns cast: a live run that landed no rows leaves columns DuckDB could not type.
select
    ---------- reporter / partner
    'USA' as reporter_iso3,
    cast(current_rows.CTY_CODE as string) as cty_code,
    current_rows.CTY_NAME as partner_name,
    countries.iso3 as partner_iso3,
    (current_rows.CTY_CODE = '-' or current_rows.CTY_CODE like '0%' or current_rows.CTY_CODE like '%X%') as is_partner_grouping,
    {{ china_incl_hk('countries.iso3') }} as partner_in_china_incl_hk,

    ---------- flow / commodity
    case current_rows.flow when 'imports' then 'import' when 'exports' then 'export' end as flow,
    cast(current_rows.COMMODITY as string) as commodity_code,
    current_rows.COMMODITY_SDESC as commodity_description,
    current_rows.COMM_LVL as commodity_level,

    ---------- period
    cast(substring(current_rows.time, 1, 4) as integer) as year,
    cast(substring(current_rows.time, 6, 2) as integer) as month,
    'monthly' as period_kind,
    current_rows.time as period_published,

    ---------- figures
    cast(case current_rows.flow when 'imports' then current_rows.GEN_VAL_MO else current_rows.ALL_VAL_MO end as double) as value_usd,
    current_rows.GEN_VAL_MO as general_imports_value_usd,
    current_rows.CON_VAL_MO as consumption_imports_value_usd,
    current_rows.ALL_VAL_MO as exports_value_usd,
    cast(case when current_rows.UNIT_QY1 not in ('', '-', 'X') then current_rows.QTY_1_MO end as double) as quantity,
    case when current_rows.UNIT_QY1 not in ('', '-', 'X') then current_rows.UNIT_QY1 end as quantity_unit,

    ---------- lineage
    current_rows._request_key as request_key,
    current_rows._request_url as request_url,
    current_rows._source_file as source_file,
    current_rows._source_sha256 as source_sha256,
    current_rows._retrieved_at as retrieved_at,
    current_rows._loaded_at as loaded_at
from current_rows
left join countries
    on current_rows.CTY_CODE = countries.cty_code
