-- How much of a source's own total the supplier denominator of import_dependency covers, where the source
-- publishes enough to tell: one row per source x importer x mineral x year x period_kind.
--   un_comtrade: sum of the individual partners / the World row Comtrade publishes (1 when they agree)
--   cepii_baci:  value whose exporter baci_country_codes names / all BACI value (unmapped rows stay in staging)
-- USITC (18 selected partners, no World total in the query) and the bulk folder (would need a scan of every row)
-- have none: NULL there, and denominator_scope says what the shares are of.

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
        sum(case when not comtrade.is_world_partner then comtrade.primary_value_usd else 0 end) as covered_value_usd,
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
    from {{ ref('int_baci__flows_mapped') }}
    where mineral is not null
        and reporter_iso3 is not null
    group by reporter_iso3, mineral, year, period_kind

),

unioned as (

    select * from comtrade_totals
    union all
    select * from baci_totals

)

select
    source,
    importer_iso3,
    mineral,
    year,
    period_kind,
    covered_value_usd,
    source_total_value_usd,
    case when source_total_value_usd > 0 then covered_value_usd / source_total_value_usd end as denominator_coverage
from unioned
