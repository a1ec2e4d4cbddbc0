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
    {{ cepii_fact_columns('cepii_baci') }},
    flows.hs_revision,
    flows.value_basis,
    flows.is_unmapped_country,
    flows.exporter_code as partner_code,
    flows.importer_code as reporter_code
from flows
left join code_minerals
    on flows.hs6 = code_minerals.commodity_code
