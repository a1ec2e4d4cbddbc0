-- Figure "US imports from China with export-control effective dates": the bars, US annual imports from China of the
-- report minerals (USITC DataWeb), summed over the mineral's codes.

select
    mineral,
    year,
    sum(value_usd) as value_usd
from {{ ref('fct_trade_flows') }}
where source = 'usitc_dataweb'
    and period_kind = 'annual'
    and flow = 'import'
    and reporter_iso3 = 'USA'
    and partner_iso3 = 'CHN'
    and mineral in ({{ vocabulary_list('report_minerals') }})
group by mineral, year
