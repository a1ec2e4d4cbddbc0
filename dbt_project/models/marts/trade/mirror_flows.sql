-- Every flow as both sides declare it: the exporter's export (usually FOB) beside the importer's import from that
-- exporter (usually CIF), per HS6 and year, from the resolved declarations of stg_comtrade_two_sided__declarations.
-- A side whose total row could not be resolved makes the flow 'unresolved' rather than one-sided, so an unresolved
-- key is never read as a missing declaration. No CIF/FOB factor is applied: none is sourced for these flows.
-- Only declarations with a country partner are flows: World, BACI's aggregate areas (Free Zones, Areas nes) and
-- Comtrade's partner areas (Bunkers, Special Categories, 'nes' areas) never declare, so pairing them would make an
-- 'exporter_only' gap no counterpart could ever close. Their dollars stay in mirror_data_quality's declaration
-- totals and its non_country_partner_* columns.

with

declarations as (

    select * from {{ ref('stg_comtrade_two_sided__declarations') }}
    where partner_kind = 'country'

),

exports as (

    select
        year,
        reporter_code as exporter_code,
        partner_code as importer_code,
        hs6,
        is_resolved,
        value_usd,
        net_weight_kg
    from declarations
    where flow = 'X'

),

imports as (

    select
        year,
        partner_code as exporter_code,
        reporter_code as importer_code,
        hs6,
        is_resolved,
        value_usd,
        net_weight_kg
    from declarations
    where flow = 'M'

),

-- who reported each flow at all in a year: an absent declaration from a non-reporter is not a discrepancy
reporters as (

    select distinct year, reporter_code, flow
    from {{ ref('stg_comtrade_two_sided__declarations') }}

),

codes as (

    select * from {{ ref('baci_country_codes') }}

),

baci as (

    select year, exporter_code, importer_code, hs6, value_usd
    from {{ ref('stg_cepii__trade_flows') }}
    where source = 'cepii_baci' and hs_revision = 'HS17'

),

paired as (

    select
        coalesce(exports.year, imports.year) as year,
        coalesce(exports.exporter_code, imports.exporter_code) as exporter_code,
        coalesce(exports.importer_code, imports.importer_code) as importer_code,
        coalesce(exports.hs6, imports.hs6) as hs6,
        exports.is_resolved as exporter_resolved,
        imports.is_resolved as importer_resolved,
        exports.value_usd as exporter_declared_fob_usd,
        imports.value_usd as importer_declared_cif_usd,
        exports.net_weight_kg as exporter_net_weight_kg,
        imports.net_weight_kg as importer_net_weight_kg
    from exports
    full outer join imports
        on
            exports.year = imports.year
            and exports.exporter_code = imports.exporter_code
            and exports.importer_code = imports.importer_code
            and exports.hs6 = imports.hs6

),

classified as (

    select
        paired.*,
        case
            when paired.exporter_declared_fob_usd > 0 and paired.importer_declared_cif_usd > 0
                then paired.importer_declared_cif_usd / paired.exporter_declared_fob_usd
        end as importer_to_exporter_ratio,
        case
            when paired.exporter_resolved = false or paired.importer_resolved = false then 'unresolved'
            when paired.exporter_resolved is null then 'importer_only'
            when paired.importer_resolved is null then 'exporter_only'
            when
                paired.importer_declared_cif_usd <= paired.exporter_declared_fob_usd * {{ var('mirror_agreement_band') }}
                and paired.exporter_declared_fob_usd <= paired.importer_declared_cif_usd * {{ var('mirror_agreement_band') }}
                then 'agree'
            else 'disagree'
        end as gap_class
    from paired

)

select
    classified.year,
    classified.exporter_code,
    exporter_codes.iso3 as exporter_iso3,
    classified.importer_code,
    importer_codes.iso3 as importer_iso3,
    classified.hs6,
    classified.exporter_declared_fob_usd,
    classified.importer_declared_cif_usd,
    classified.importer_declared_cif_usd as importer_declared_fob_equivalent_usd,
    classified.exporter_net_weight_kg,
    classified.importer_net_weight_kg,
    classified.importer_to_exporter_ratio,
    classified.gap_class,
    exporter_reported.reporter_code is not null as exporter_reported_exports,
    importer_reported.reporter_code is not null as importer_reported_imports,
    baci.value_usd as baci_value_usd
from classified
left join codes as exporter_codes
    on classified.exporter_code = exporter_codes.country_code
left join codes as importer_codes
    on classified.importer_code = importer_codes.country_code
left join reporters as exporter_reported
    on
        classified.year = exporter_reported.year
        and classified.exporter_code = exporter_reported.reporter_code
        and exporter_reported.flow = 'X'
left join reporters as importer_reported
    on
        classified.year = importer_reported.year
        and classified.importer_code = importer_reported.reporter_code
        and importer_reported.flow = 'M'
left join baci
    on
        classified.year = baci.year
        and classified.exporter_code = baci.exporter_code
        and classified.importer_code = baci.importer_code
        and classified.hs6 = baci.hs6
