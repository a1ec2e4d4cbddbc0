-- CEPII BACI rows of the snapshot at the fact grain, from the importer's side (reporter = importer, partner =
-- exporter, flow = 'import'), with the trade mineral from the longest matching prefix in hs_mineral_map (NULL for
-- a code the map does not cover: the HS6 level of import_dependency still reads it). Every row is kept, also
-- unmapped countries (reporter/partner NULL, is_unmapped_country) and self-trade; the marts decide what a share
-- may count. Tens of thousands of rows: a table, unlike the incremental bulk folder path.

with

flows as (

    select * from {{ ref('stg_baci__trade_flows') }}

),

code_minerals as (

    {{ longest_prefix_mineral('flows', 'hs6') }}

)

select
    'cepii_baci' as source,
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
    flows.importer_code as reporter_code
from flows
left join code_minerals
    on flows.hs6 = code_minerals.commodity_code
