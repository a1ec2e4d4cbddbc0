-- Every trade row at the fact grain: the reported sources (int_trade__reported_flows_mapped, a small table) and
-- the bulk source (int_bulk__flows_mapped, incremental by year). A view: at 50M bulk rows a table here would cost a
-- full copy on every run, even one that added a single year; readers get a materialized copy at publish time.

{{ config(materialized='view') }}

{% set fact_columns = ['source', 'reporter_iso3', 'partner_iso3', 'partner_in_china_incl_hk', 'partner_is_country',
                       'flow', 'commodity_code', 'hs6', 'mineral', 'mineral_matched_prefix', 'year', 'period_kind',
                       'month', 'ytd_through_month', 'value_usd', 'quantity', 'quantity_unit'] %}

-- The large branch first: DuckDB (2.0.1) sizes a GROUP BY over a UNION ALL from its first branch, and with the
-- small table first the grain test on fct_trade_flows ran out of memory at 50M rows under a 1 GB limit (bulk first:
-- 8 s, passes). Measured, see docs/BENCHMARKS.md.
select {{ fact_columns | join(', ') }}
from {{ ref('int_bulk__flows_mapped') }}

union all

select {{ fact_columns | join(', ') }}
from {{ ref('int_trade__reported_flows_mapped') }}
