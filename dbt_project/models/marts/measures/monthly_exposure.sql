-- Monthly exposure (issue 27 item 3): for each goods-restricting register measure part, each importer and source
-- with monthly data (monthly_flows imports) and each month that source has for that importer, the days the part
-- was in force in the month (sourced in force only: status_applies 'sourced' over export_measure_status_periods,
-- the published int_measures__status_periods) and the month's imports from the measure's jurisdiction of the HS6
-- in the part's scope (monthly_part_scope, the rule event_windows_monthly uses). Annual exposure from monthly data
-- is then the sum of its months (value_usd_in_force_prorated summed over a year with 12 months of data), in place
-- of restriction_exposure's *_prorated_estimate, which spreads an annual value evenly over the year.
-- Rows exist only for a part x importer where the importer has at least one in-scope HS6 from any partner in the
-- source; a month the source has for the importer with no row for a product is zero trade (these sources publish
-- non-zero rows only). Destinations are not applied (as in event_windows_monthly): the register's goods parts in
-- these sources name whole-country destinations or none (coverage_level says how much of a code is controlled).

{#- one row of the days and trade CTEs: a measure part, source and importer in one month -#}
{% set part_month_key = ['measure_id', 'part_id', 'source', 'importer_iso3', 'month_index'] %}

with

flows as (

    select * from {{ ref('monthly_flows') }}
    where flow = 'import'

),

importer_months as (

    select distinct
        source,
        reporter_iso3 as importer_iso3,
        year,
        month,
        month_index,
        {{ trade_period_start('year', "'monthly'", 'month') }} as month_start,
        {{ trade_period_end_exclusive('year', "'monthly'", 'month', 'month') }} as month_end
    from flows

),

importer_products as (

    select distinct source, reporter_iso3 as importer_iso3, hs6
    from flows

),

parts as (

    select distinct periods.measure_id, periods.part_id, measures.jurisdiction_iso3
    from {{ ref('export_measure_status_periods') }} as periods
    inner join {{ ref('stg_register__measures') }} as measures
        on periods.measure_id = measures.measure_id
    where periods.restricts_goods
        and not measures.is_suspension
        and measures.jurisdiction_iso3 is not null

),

in_force as (

    select measure_id, part_id, valid_from, valid_to
    from {{ ref('export_measure_status_periods') }}
    where {{ status_applies('status', 'sourced') }}

),

scope as (

    {{ monthly_part_scope('(select distinct hs6 from flows)') }}

),

part_products as (

    select
        parts.measure_id,
        parts.part_id,
        parts.jurisdiction_iso3,
        products.source,
        products.importer_iso3,
        products.hs6,
        scope.coverage_level
    from parts
    inner join scope
        on {{ join_on_keys('parts', 'scope', measure_part_key()) }}
    inner join importer_products as products
        on scope.hs6 = products.hs6
        and parts.jurisdiction_iso3 <> products.importer_iso3

),

part_importers as (

    select
        measure_id,
        part_id,
        jurisdiction_iso3,
        source,
        importer_iso3,
        cast(count(distinct hs6) as {{ dbt.type_int() }}) as products_in_scope,
        cast(sum(case when coverage_level = 'full' then 1 else 0 end) as {{ dbt.type_int() }}) as products_in_scope_full
    from part_products
    group by measure_id, part_id, jurisdiction_iso3, source, importer_iso3

),

part_months as (

    select
        part_importers.*,
        months.year,
        months.month,
        months.month_index,
        months.month_start,
        months.month_end
    from part_importers
    inner join importer_months as months
        on part_importers.source = months.source
        and part_importers.importer_iso3 = months.importer_iso3

),

-- in-force periods of a part never overlap (one status per day), so their clipped days add up
days as (

    select
        {{ key_columns(part_month_key, 'part_months') }},
        sum({{ dbt.datediff(
            'case when in_force.valid_from > part_months.month_start then in_force.valid_from else part_months.month_start end',
            'case when in_force.valid_to is null or in_force.valid_to > part_months.month_end then part_months.month_end else in_force.valid_to end',
            'day') }}) as days_in_force
    from part_months
    inner join in_force
        on {{ join_on_keys('part_months', 'in_force', measure_part_key()) }}
        and {{ period_overlaps_range('in_force', 'part_months.month_start', 'part_months.month_end') }}
        and part_months.month_end > in_force.valid_from
    group by {{ key_columns(part_month_key, 'part_months') }}

),

trade as (

    select
        part_products.measure_id,
        part_products.part_id,
        part_products.source,
        part_products.importer_iso3,
        flows.month_index,
        sum(flows.value_usd) as value_usd,
        sum(flows.qty_kg) as qty_kg,
        sum(case when part_products.coverage_level = 'full' then flows.value_usd else 0 end) as value_usd_full
    from part_products
    inner join flows
        on part_products.source = flows.source
        and part_products.importer_iso3 = flows.reporter_iso3
        and part_products.hs6 = flows.hs6
        and part_products.jurisdiction_iso3 = flows.partner_code
    group by part_products.measure_id, part_products.part_id, part_products.source, part_products.importer_iso3,
        flows.month_index

),

year_months as (

    select source, importer_iso3, year, cast(count(*) as {{ dbt.type_int() }}) as months_with_data_in_year
    from importer_months
    group by source, importer_iso3, year

),

assembled as (

    select
        part_months.measure_id,
        part_months.part_id,
        part_months.jurisdiction_iso3,
        part_months.source,
        part_months.importer_iso3,
        part_months.year,
        part_months.month,
        part_months.month_index,
        cast({{ dbt.datediff('part_months.month_start', 'part_months.month_end', 'day') }} as {{ dbt.type_int() }}) as days_in_month,
        cast(coalesce(days.days_in_force, 0) as {{ dbt.type_int() }}) as days_in_force,
        part_months.products_in_scope,
        part_months.products_in_scope_full,
        coalesce(trade.value_usd, 0) as value_usd_in_scope,
        coalesce(trade.value_usd_full, 0) as value_usd_in_scope_full_coverage,
        -- NULL when the source gives no quantity at all (US Census); 0 when the month has no in-scope row
        case when trade.value_usd is null then 0 else trade.qty_kg end as qty_kg_in_scope,
        year_months.months_with_data_in_year
    from part_months
    left join days
        on {{ join_on_keys('part_months', 'days', part_month_key) }}
    left join trade
        on {{ join_on_keys('part_months', 'trade', part_month_key) }}
    inner join year_months
        on part_months.source = year_months.source
        and part_months.importer_iso3 = year_months.importer_iso3
        and part_months.year = year_months.year

)

select
    measure_id,
    part_id,
    jurisdiction_iso3,
    source,
    importer_iso3,
    year,
    month,
    month_index,
    days_in_month,
    days_in_force,
    cast(days_in_force as double) / days_in_month as share_of_month_in_force,
    products_in_scope,
    products_in_scope_full,
    value_usd_in_scope,
    value_usd_in_scope_full_coverage,
    qty_kg_in_scope,
    value_usd_in_scope * days_in_force / days_in_month as value_usd_in_force_prorated,
    qty_kg_in_scope * days_in_force / days_in_month as qty_kg_in_force_prorated,
    months_with_data_in_year,
    months_with_data_in_year = 12 as year_fully_monthly
from assembled
