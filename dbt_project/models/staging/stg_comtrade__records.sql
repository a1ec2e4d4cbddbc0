-- One row per UN Comtrade record, typed and renamed to snake_case.
-- The World row (partner_code = 0) is kept here and flagged (is_world_partner):
-- downstream facts drop it; it is useful to check that partners sum to World.
-- Snapshot and live responses are unioned and only the latest vintage of each request is kept.

with

snapshot_records as (

    select * from {{ source('raw', 'comtrade_records') }}

),

-- Live responses (orchestration/extract/live) land with the very same columns, every vintage kept.
live_records as (

    select * from {{ live_source('comtrade_live_records', 'select * from ' ~ source('raw', 'comtrade_records') ~ ' where 1 = 0') }}

),

-- Monthly live responses (freqCode M, period YYYYMM): their own raw table, the same columns. They stay separate
-- requests (freqCode and period are part of a request) and become period_kind 'monthly' rows below.
live_monthly_records as (

    select * from {{ live_source('comtrade_live_monthly', 'select * from ' ~ source('raw', 'comtrade_records') ~ ' where 1 = 0') }}

),

all_vintages as (

    select * from snapshot_records
    union all
    select * from live_records
    union all
    select * from live_monthly_records

),

-- One request = reporter x flow x commodity x frequency x period (all partners): keep its latest vintage,
-- whether that is the snapshot response or a later live one.
latest_vintage as (

    select reporterCode, flowCode, cmdCode, freqCode, period, max(_retrieved_at) as latest_retrieved_at
    from all_vintages
    group by reporterCode, flowCode, cmdCode, freqCode, period

),

source as (

    select all_vintages.*
    from all_vintages
    inner join latest_vintage
        on all_vintages.reporterCode = latest_vintage.reporterCode
        and all_vintages.flowCode = latest_vintage.flowCode
        and all_vintages.cmdCode = latest_vintage.cmdCode
        and all_vintages.freqCode = latest_vintage.freqCode
        and all_vintages.period = latest_vintage.period
        and all_vintages._retrieved_at = latest_vintage.latest_retrieved_at

),

-- ISO3 from BACI's country table, the project's one code -> ISO3 list (every code Comtrade shares with BACI, and
-- Comtrade's areas from country_reference): the live raw contract admits exactly its codes, so a reporter whose
-- partners are the whole world maps all of them. It agrees with country_reference on all of that seed's codes.
codes as (

    select * from {{ ref('baci_country_codes') }}

),

-- Whether a partner can be a supplier keeps country_reference's Comtrade convention where it lists the code
-- (490 'Other Asia, nes' is not a country in the China series, though BACI names Taiwan by it).
countries as (

    select * from {{ ref('country_reference') }}

),

-- Comtrade partner areas BACI's table lacks (837 Bunkers, 839 Special Categories, 'nes' areas): named by Comtrade's
-- own list, no ISO3 sourced, so partner_iso3 stays NULL and partner_kind says 'comtrade_area'.
areas as (

    select * from {{ ref('comtrade_partner_areas') }}

),

renamed as (

    select
        ---------- ids
        record_index,
        typeCode as type_code,
        freqCode as freq_code,
        classificationCode as classification_code,

        ---------- reporter / partner: ISO3 from the numeric code through the reference, never from the
        ---------- API's optional reporterISO/partnerISO text (a live response with an empty reporterISO landed
        ---------- and failed not_null here on every later refresh); the raw contract requires codes of this table
        cast(reporterCode as integer) as reporter_code,
        reporter_iso.iso3 as reporter_iso3,
        reporterDesc as reporter_name,
        cast(partnerCode as integer) as partner_code,
        partner_iso.iso3 as partner_iso3,
        partnerDesc as partner_name,
        cast(partner2Code as integer) as partner2_code,
        cast(partnerCode as integer) = 0 as is_world_partner,

        ---------- flow
        flowCode as flow_code,
        flowDesc as flow_description,
        case flowCode
            when 'M' then 'import'
            when 'X' then 'export'
            when 'RM' then 're_import'
            when 'RX' then 're_export'
        end as flow,

        ---------- commodity
        {{ normalise_hs_code('cmdCode') }} as cmd_code,
        cmdDesc as cmd_description,
        cast(aggrLevel as integer) as aggregation_level,
        isLeaf as is_leaf,
        customsCode as customs_code,
        cast(motCode as integer) as mot_code,

        ---------- period
        cast(refYear as integer) as year,
        case when freqCode = 'M' then cast(refMonth as integer) end as month,
        case freqCode when 'A' then 'annual' when 'M' then 'monthly' end as period_kind,
        period as period_published,

        ---------- figures (qtyUnitCode -1 = no quantity collected: qty 0 is not a zero)
        primaryValue as primary_value_usd,
        cifvalue as cif_value_usd,
        fobvalue as fob_value_usd,
        case when qtyUnitCode <> -1 then qty end as quantity,
        case when qtyUnitCode <> -1 then qtyUnitAbbr end as quantity_unit,
        cast(qtyUnitCode as integer) as quantity_unit_code,
        isQtyEstimated as is_quantity_estimated,
        netWgt as net_weight_kg,
        isReported as is_reported,

        ---------- lineage
        _request_url as request_url,
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _retrieved_at as retrieved_at,
        _loaded_at as loaded_at

    from source
    left join codes as reporter_iso
        on cast(source.reporterCode as integer) = reporter_iso.country_code
    left join codes as partner_iso
        on cast(source.partnerCode as integer) = partner_iso.country_code

)

select
    renamed.*,
    coalesce(partner_ref.is_country, partner_codes.is_country, case when partner_areas.partner_code is not null then false end)
        as partner_is_country,
    {{ comtrade_partner_kind('renamed.partner_code', 'partner_codes', 'partner_areas',
                             'coalesce(partner_ref.is_country, partner_codes.is_country)') }} as partner_kind,
    {{ china_incl_hk('renamed.partner_iso3') }} as partner_in_china_incl_hk
from renamed
left join countries as partner_ref
    on renamed.partner_code = partner_ref.m49_code
left join codes as partner_codes
    on renamed.partner_code = partner_codes.country_code
left join areas as partner_areas
    on renamed.partner_code = partner_areas.partner_code
