-- USITC DataWeb rolled up to one row per flow x HTS heading x partner x period.
-- DataWeb splits a heading's value by quantity unit ('Value for: kilograms',
-- 'Value for: number', ...): value_usd is the sum over those split rows of the
-- value sheet (Customs Value for imports, FAS Value for exports).
-- Quantity (First Unit of Quantity) is only additive within one unit: it is kept
-- when a single unit carries trade in the period, else quantity is NULL and the
-- unit is 'mixed'.

{#- one output row: flow x HTS heading x partner x period (by_unit splits it by quantity_unit) -#}
{% set heading_key = ['flow', 'reporter_iso3', 'partner_name', 'partner_iso3', 'partner_in_china_incl_hk', 'hts_code', 'year', 'period_kind', 'ytd_through_month'] %}

with

usitc as (

    select * from {{ ref('stg_usitc__trade') }}

),

by_unit as (

    select
        {{ key_columns(heading_key) }},
        quantity_unit,
        sum(
            case
                when measure = 'value'
                    and ((flow = 'import' and value_basis = 'customs_value')
                        or (flow = 'export' and value_basis = 'fas_value'))
                    then value
            end
        ) as value_usd,
        sum(case when measure = 'first_quantity' then value end) as quantity,
        count(case when measure = 'value' then 1 end) as n_value_cells
    from usitc
    group by {{ key_columns(heading_key) }}, quantity_unit

),

flagged as (

    select
        by_unit.*,
        case
            when coalesce(value_usd, 0) <> 0 or coalesce(quantity, 0) <> 0 then 1
            else 0
        end as is_active_unit
    from by_unit

),

rolled_up as (

    select
        {{ key_columns(heading_key) }},
        sum(value_usd) as value_usd,
        sum(n_value_cells) as n_value_cells,
        count(*) as n_units,
        sum(is_active_unit) as n_active_units,
        sum(case when is_active_unit = 1 then quantity end) as active_quantity,
        max(case when is_active_unit = 1 then quantity_unit end) as active_unit,
        sum(quantity) as any_quantity,
        max(quantity_unit) as any_unit
    from flagged
    group by {{ key_columns(heading_key) }}

)

select
    'usitc_dataweb' as source,
    reporter_iso3,
    partner_name,
    partner_iso3,
    partner_in_china_incl_hk,
    flow,
    hts_code as commodity_code,
    year,
    period_kind,
    ytd_through_month,
    value_usd,
    case
        when n_active_units = 1 then active_quantity
        when n_active_units = 0 and n_units = 1 then any_quantity
    end as quantity,
    case
        when n_active_units = 1 then active_unit
        when n_active_units = 0 and n_units = 1 then any_unit
        else 'mixed'
    end as quantity_unit,
    n_units as n_quantity_units
from rolled_up
-- a heading x partner x period appears on the value sheet; quantity-only rows would be noise
where n_value_cells > 0
