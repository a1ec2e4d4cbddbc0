-- How much of a source's own total the supplier denominator of import_dependency covers, where the source
-- publishes enough to tell: one row per source x importer x mineral x year x period_kind.
--   un_comtrade: sum of the individual partners the fact carries / the World row Comtrade publishes (1 when they
--               agree; below 1 by the value of Comtrade partner areas without ISO3, e.g. 837 Bunkers)
--   cepii_baci:  value whose exporter baci_country_codes names / all BACI value (unmapped rows stay in staging)
--   usitc_dataweb (issue 25 item 7): the query has 18 selected partners and no World total, so its coverage is
--               estimated from another source: in CEPII BACI, the US imports from those 18 partners / from every
--               exporter, over the BACI HS6 codes that fall inside the mineral's USITC headings, for the years BACI
--               has US rows (2024 today). An estimate on BACI's basis (FOB, HS17, reconciled), labelled so in
--               denominator_coverage_basis; NULL where BACI has no code inside the headings or no year.
-- The bulk folder (would need a scan of every row) has none: NULL there, and denominator_scope says what the
-- shares are of.

with

comtrade as (

    select * from {{ ref('stg_comtrade__records') }}
    where flow = 'import' and period_kind = 'annual'

),

comtrade_minerals as (

    {{ longest_prefix_mineral('comtrade', 'cmd_code') }}

),

comtrade_totals as (

    select
        'un_comtrade' as source,
        comtrade.reporter_iso3 as importer_iso3,
        comtrade_minerals.mineral,
        comtrade.year,
        comtrade.period_kind,
        sum(case when not comtrade.is_world_partner and comtrade.partner_iso3 is not null then comtrade.primary_value_usd else 0 end)
            as covered_value_usd,
        sum(case when comtrade.is_world_partner then comtrade.primary_value_usd else 0 end) as source_total_value_usd
    from comtrade
    inner join comtrade_minerals
        on comtrade.cmd_code = comtrade_minerals.commodity_code
    where comtrade_minerals.mineral is not null
    group by comtrade.reporter_iso3, comtrade_minerals.mineral, comtrade.year, comtrade.period_kind

),

baci_totals as (

    select
        'cepii_baci' as source,
        reporter_iso3 as importer_iso3,
        mineral,
        year,
        period_kind,
        sum(case when not is_unmapped_country then value_usd else 0 end) as covered_value_usd,
        sum(value_usd) as source_total_value_usd
    from {{ ref('int_cepii__flows_mapped') }}
    where source = 'cepii_baci'
        and mineral is not null
        and reporter_iso3 is not null
    group by reporter_iso3, mineral, year, period_kind

),

usitc_headings as (

    select distinct
        reporter_iso3 as importer_iso3,
        mineral,
        mineral_matched_prefix as heading
    from {{ ref('int_trade__flows_mapped') }}
    where source = 'usitc_dataweb'
        and flow = 'import'
        and mineral is not null

),

usitc_partners as (

    select distinct partner_iso3
    from {{ ref('int_usitc__flows_by_heading') }}
    where flow = 'import'
        and partner_iso3 is not null

),

-- BACI rows of the same importer whose HS6 code lies inside one of the mineral's USITC headings
baci_in_usitc_headings as (

    select
        usitc_headings.mineral,
        baci.reporter_iso3 as importer_iso3,
        baci.year,
        baci.period_kind,
        baci.commodity_code,
        baci.value_usd,
        usitc_partners.partner_iso3 is not null as is_usitc_partner
    from {{ ref('int_cepii__flows_mapped') }} as baci
    inner join usitc_headings
        on baci.reporter_iso3 = usitc_headings.importer_iso3
        and substring(baci.commodity_code, 1, 4) = usitc_headings.heading
    left join usitc_partners
        on baci.partner_iso3 = usitc_partners.partner_iso3
    where baci.source = 'cepii_baci'

),

baci_codes as (

    select distinct mineral, importer_iso3, year, period_kind, commodity_code
    from baci_in_usitc_headings

),

baci_code_lists as (

    select
        mineral,
        importer_iso3,
        year,
        period_kind,
        {{ dbt.listagg('commodity_code', "', '", 'order by commodity_code') }} as baci_codes
    from baci_codes
    group by mineral, importer_iso3, year, period_kind

),

usitc_totals as (

    select
        'usitc_dataweb' as source,
        baci_in_usitc_headings.importer_iso3,
        baci_in_usitc_headings.mineral,
        baci_in_usitc_headings.year,
        baci_in_usitc_headings.period_kind,
        sum(case when baci_in_usitc_headings.is_usitc_partner then baci_in_usitc_headings.value_usd else 0 end)
            as covered_value_usd,
        sum(baci_in_usitc_headings.value_usd) as source_total_value_usd,
        'estimate from CEPII BACI (FOB, HS17): US imports from the 18 USITC partners / from every exporter, BACI codes '
            || max(baci_code_lists.baci_codes) || ' inside the USITC headings' as denominator_coverage_basis
    from baci_in_usitc_headings
    inner join baci_code_lists
        on {{ join_on_keys('baci_in_usitc_headings', 'baci_code_lists', ['mineral', 'importer_iso3', 'year', 'period_kind']) }}
    group by
        baci_in_usitc_headings.importer_iso3,
        baci_in_usitc_headings.mineral,
        baci_in_usitc_headings.year,
        baci_in_usitc_headings.period_kind

),

unioned as (

    select
        *,
        'Comtrade individual partners / Comtrade World row, same code and year' as denominator_coverage_basis
    from comtrade_totals
    union all
    select
        *,
        'BACI value with a named exporter / all BACI value, same code and year' as denominator_coverage_basis
    from baci_totals
    union all
    select * from usitc_totals

)

select
    source,
    importer_iso3,
    mineral,
    year,
    period_kind,
    covered_value_usd,
    source_total_value_usd,
    case when source_total_value_usd > 0 then covered_value_usd / source_total_value_usd end as denominator_coverage,
    denominator_coverage_basis
from unioned
