-- Evidence for the total-row rule of stg_comtrade_two_sided__declarations: on the 2024 flows CEPII BACI also
-- reports (same exporter, importer, HS6; both declarations of each flow), the resolved declarations must sit at a
-- median within 10 % of BACI's reconciled value, where the naive sum of the key's rows runs far above it (the README
-- of ../shared/data/comtrade_two_sided: largest row median 1.00x BACI, summed rows 2.0x). Returns a row (fails)
-- when the rule drifts from BACI, or when too few flows match for the comparison to mean anything.
{{ config(meta={'dagster': {'ref': {'name': 'stg_comtrade_two_sided__declarations'}}}) }}

with

declared as (

    select
        flow,
        hs6,
        value_usd,
        naive_sum_usd,
        case when flow = 'X' then reporter_code else partner_code end as exporter_code,
        case when flow = 'X' then partner_code else reporter_code end as importer_code
    from {{ ref('stg_comtrade_two_sided__declarations') }}
    where year = 2024 and is_resolved and not is_world_partner and value_usd > 0

),

baci as (

    select exporter_code, importer_code, hs6, value_usd
    from {{ ref('stg_cepii__trade_flows') }}
    where source = 'cepii_baci' and year = 2024 and hs_revision = 'HS17' and value_usd > 0

),

matched as (

    select
        declared.value_usd / baci.value_usd as resolved_ratio,
        declared.naive_sum_usd / baci.value_usd as naive_ratio
    from declared
    inner join baci
        on
            declared.exporter_code = baci.exporter_code
            and declared.importer_code = baci.importer_code
            and declared.hs6 = baci.hs6

),

summary as (

    select
        count(*) as flows_matched,
        {{ median_of('resolved_ratio') }} as median_resolved_ratio,
        {{ median_of('naive_ratio') }} as median_naive_ratio
    from matched

)

select flows_matched, median_resolved_ratio, median_naive_ratio
from summary
where
    flows_matched < 10000
    or median_resolved_ratio not between 0.9 and 1.1
