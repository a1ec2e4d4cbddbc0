-- One row per USITC DataWeb cell that is a real trade figure:
-- flow x measure (value / quantity) x HTS heading x partner x quantity unit x period.
-- Dropped here: 'Total: ' aggregate rows, *_Suppressed flag columns and the annual
-- column of the in-progress year (all zeros; the YTD sheets cover that year).

with

source as (

    select * from {{ source('raw', 'usitc_dataweb') }}

),

countries as (

    select * from {{ ref('country_reference') }}

),

renamed as (

    select
        ---------- ids
        trade_flow as trade_flow_published,
        sheet_name,
        source_row,
        case trade_flow
            when 'Imports For Consumption' then 'import'
            when 'Domestic Exports' then 'export'
        end as flow,
        case trim(data_type)
            when 'Customs Value' then 'value'
            when 'FAS Value' then 'value'
            when 'First Unit of Quantity' then 'first_quantity'
            when 'Second Unit of Quantity' then 'second_quantity'
            when 'Total:' then 'total'
        end as measure,
        case trim(data_type)
            when 'Customs Value' then 'customs_value'
            when 'FAS Value' then 'fas_value'
        end as value_basis,

        ---------- partner and commodity
        trim(country) as partner_name,
        {{ normalise_hs_code('hts_number') }} as hts_code,
        description as hts_description,
        trim(
            case
                when quantity_description like 'Value for:%'
                    then substring(quantity_description, 11, {{ dbt.length('quantity_description') }})
                else quantity_description
            end
        ) as quantity_unit,

        ---------- period, parsed from the column header ('2024', '2024_Year_to_date', '2024_Suppressed')
        column_header,
        cast({{ chokepoint.regex_extract('column_header', "'^([0-9]{4})'") }} as integer) as year,
        case
            -- escape '!', not '\': Spark's lexer reads '\' as an unterminated literal
            when column_header like '%!_Year!_to!_date%' escape '!' then 'ytd'
            else 'annual'
        end as period_kind,
        column_header like '%!_Suppressed' escape '!' as is_suppressed_flag,
        {{ month_abbr_to_number(chokepoint.regex_extract('banner', "'Jan - ([A-Za-z]{3})'")) }} as banner_ytd_through_month,

        ---------- figures
        value,
        cast(download_date as date) as download_date,
        extract(year from download_date) as download_year,

        ---------- lineage
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _retrieved_at as retrieved_at,
        _loaded_at as loaded_at

    from source

),

filtered as (

    select * from renamed
    where measure <> 'total'
        and partner_name <> ''
        and not is_suppressed_flag
        -- the in-progress year's annual column is all zeros: drop it
        and not (period_kind = 'annual' and year >= download_year)

),

latest_download as (

    -- A workbook dropped in CHOKEPOINT_DATAWEB_DROP_DIR may repeat figures of another (a newer download of the
    -- same query): the latest download wins, so a figure is never counted twice. (Identical bytes are already
    -- skipped by the raw loader.)
    select
        *,
        row_number() over (
            partition by flow, measure, value_basis, hts_code, partner_name, quantity_unit, year, period_kind
            order by download_date desc, retrieved_at desc, source_sha256 asc
        ) as download_rank
    from filtered

)

select
    filtered.flow,
    filtered.measure,
    filtered.value_basis,
    filtered.trade_flow_published,
    filtered.sheet_name,
    filtered.source_row,
    'USA' as reporter_iso3,
    filtered.partner_name,
    countries.iso3 as partner_iso3,
    {{ china_incl_hk('countries.iso3') }} as partner_in_china_incl_hk,
    filtered.hts_code,
    filtered.hts_description,
    filtered.quantity_unit,
    filtered.column_header,
    filtered.year,
    filtered.period_kind,
    case when filtered.period_kind = 'ytd' then filtered.banner_ytd_through_month end as ytd_through_month,
    filtered.value,
    filtered.download_date,
    filtered.source_file,
    filtered.source_sha256,
    filtered.retrieved_at,
    filtered.loaded_at
from latest_download as filtered
left join countries
    on filtered.partner_name = countries.usitc_name
where filtered.download_rank = 1
