-- Every trade row at the fact grain: the CEPII BACI-format rows with both countries named (int_cepii__flows_mapped:
-- the bulk folder and the snapshot's BACI files, incremental by source and year) and the reported sources
-- (int_trade__reported_flows_mapped, a small table). A view: at 50M bulk rows a table here would cost a full copy on
-- every run, even one that added a single year; readers get a materialized copy at publish time.
-- is_self_trade is computed here, so the incremental CEPII table keeps its schema (on_schema_change='fail'). BACI
-- rows whose country baci_country_codes cannot name stay out (stg_cepii__trade_flows.is_unmapped_country, counted in
-- the raw assets' metadata): a fact row without a reporter or partner cannot be attributed.

{{ config(materialized='view') }}

{% set fact_columns = ['source', 'reporter_iso3', 'partner_iso3', 'partner_in_china_incl_hk', 'partner_is_country',
                       'flow', 'commodity_code', 'hs6', 'mineral', 'mineral_matched_prefix', 'year', 'period_kind',
                       'month', 'ytd_through_month', 'value_usd', 'quantity', 'quantity_unit'] %}

-- The large branch first: DuckDB (2.0.1) sizes a GROUP BY over a UNION ALL from its first branch, and with the
-- small table first the grain test on fct_trade_flows ran out of memory at 50M rows under a 1 GB limit (bulk first:
-- 8 s, passes). Measured, see docs/BENCHMARKS.md.
select
    {{ fact_columns | join(', ') }},
    hs_revision,
    value_basis,
    reporter_iso3 = partner_iso3 as is_self_trade
from {{ ref('int_cepii__flows_mapped') }}
where not is_unmapped_country

union all

select
    {{ fact_columns | join(', ') }},
    cast(null as {{ dbt.type_string() }}) as hs_revision,
    -- what each reporter's value measures: Comtrade imports are CIF (primaryValue), exports FOB; USITC imports for
    -- consumption and Census general imports are customs value (no freight or insurance)
    case
        when source = 'un_comtrade' and flow = 'import' then 'cif_reported'
        when source = 'un_comtrade' then 'fob_reported'
        else 'customs_value_reported'
    end as value_basis,
    coalesce(reporter_iso3 = partner_iso3, false) as is_self_trade
from {{ ref('int_trade__reported_flows_mapped') }}
