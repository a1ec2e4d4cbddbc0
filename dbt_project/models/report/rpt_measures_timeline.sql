-- Figure "US imports from China with export-control effective dates": the bars, US annual imports from China of the
-- report minerals (USITC DataWeb), summed over the mineral's codes.

select
    mineral,
    year,
    sum(value_usd) as value_usd
from {{ ref('fct_trade_flows') }}
where {{ report_us_annual_series('reporter_iso3') }}
    and flow = 'import'
    and partner_iso3 = 'CHN'
group by mineral, year
