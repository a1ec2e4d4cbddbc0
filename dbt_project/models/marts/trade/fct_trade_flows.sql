-- One row per source x reporter x partner x flow x commodity code x period.
-- USITC: reporter USA, partners = 18 selected countries (not World), annual 1993-2025
-- and Jan-Apr year-to-date. Comtrade: China's imports of HS 2846 by partner, annual.
-- Zero values are real zeros and are kept; World / Total / aggregate rows never appear.
-- A view in the build warehouse: with the bulk source it is tens of millions of rows, and a table would be one more
-- full copy per run. BI never reads the build file; the serving copy (orchestration/publish) stores it as a table.

{{ config(materialized='view') }}

with

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}

)

select
    source,
    reporter_iso3,
    partner_iso3,
    partner_in_china_incl_hk,
    partner_is_country,
    flow,
    commodity_code,
    hs6,
    mineral,
    year,
    period_kind,
    month,
    ytd_through_month,
    value_usd,
    quantity,
    quantity_unit,
    hs_revision,
    value_basis,
    is_self_trade
from flows
