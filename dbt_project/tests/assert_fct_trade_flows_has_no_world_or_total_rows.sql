-- World / Total / aggregate partners must never reach the fact table (double counting).

select *
from {{ ref('fct_trade_flows') }}
where partner_iso3 in ('W00', 'WLD', '')
    or partner_iso3 is null
