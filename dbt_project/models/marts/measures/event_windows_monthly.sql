-- Monthly event windows (issue 27): for each register measure part that took effect (first day sourced in force,
-- int_measures__status_periods), each importer with monthly data (monthly_flows imports, per source) and each HS6
-- in the part's scope, the months from -w to +w around the effective month that the source has for that importer
-- (var event_window_months, 12), with three outcomes for the product and for its comparison product.
-- Scope: the monthly_part_scope macro (a code of the part, or a project mapping of goods it names without a code).
-- A part never in force has no window.
-- Comparison product (one per part x importer x product, used for all three outcomes): among the importer's HS6
-- outside every register code and mapping of the same jurisdiction and outside every mineral its measures name
-- (register_commodity_map x hs_mineral_map), the one with China-origin (jurisdiction-origin)
-- quantity in every pre month where the treated product has it, whose pre-period log-quantity gap to the treated
-- product varies least (var_pop of ln q_treated - ln q_candidate: the closest parallel path); ties by HS6.
-- A month the source has for the importer but with no row for a product is zero trade (these sources publish
-- non-zero rows only).

{% set w = var('event_window_months') %}

with

flows as (

    select * from {{ ref('monthly_flows') }}
    where flow = 'import'

),

partner_months as (

    select
        source,
        reporter_iso3 as importer_iso3,
        hs6,
        partner_code,
        month_index,
        sum(value_usd) as value_usd,
        sum(qty_kg) as qty_kg,
        sum(case when unit_value_outlier then qty_kg else 0 end) as outlier_qty_kg,
        sum(case when unit_value_status = 'ok' then 0 else 1 end) as rows_without_unit_value
    from flows
    group by source, reporter_iso3, hs6, partner_code, month_index

),

product_totals as (

    select
        source,
        importer_iso3,
        hs6,
        month_index,
        sum(qty_kg) as total_qty_kg,
        sum(outlier_qty_kg) as total_outlier_qty_kg
    from partner_months
    group by source, importer_iso3, hs6, month_index

),

importer_months as (

    select distinct source, importer_iso3, month_index
    from partner_months

),

importer_products as (

    select distinct source, importer_iso3, hs6
    from partner_months

),

parts_in_force as (

    select
        periods.measure_id,
        periods.part_id,
        measures.jurisdiction_iso3,
        min(periods.valid_from) as date_effective
    from {{ ref('export_measure_status_periods') }} as periods
    inner join {{ ref('stg_register__measures') }} as measures
        on periods.measure_id = measures.measure_id
    where {{ status_applies('periods.status', 'sourced') }}
        and periods.restricts_goods
        and not measures.is_suspension
        and measures.jurisdiction_iso3 is not null
    group by periods.measure_id, periods.part_id, measures.jurisdiction_iso3

),

events as (

    select
        measure_id,
        part_id,
        jurisdiction_iso3,
        date_effective,
        cast(extract(year from date_effective) as integer) * 12
        + cast(extract(month from date_effective) as integer) - 1 as effective_month_index
    from parts_in_force

),

scope as (

    {{ monthly_part_scope('(select distinct hs6 from partner_months)') }}

),

-- every HS6 any measure of the jurisdiction names (applied or not): never a comparison product
jurisdiction_scope as (

    select distinct measures.jurisdiction_iso3, products.hs6
    from {{ ref('stg_register__measure_codes') }} as codes
    inner join {{ ref('stg_register__measures') }} as measures
        on codes.measure_id = measures.measure_id
    inner join (select distinct hs6 from partner_months) as products
        on substring(products.hs6, 1, length(codes.match_prefix)) = codes.match_prefix
    where codes.coverage_level in ({{ vocabulary_list('exposure_coverage_levels') }})

    union

    select distinct measures.jurisdiction_iso3, mapped.hs6
    from {{ ref('uncoded_scope_products') }} as mapped
    inner join {{ ref('stg_register__measures') }} as measures
        on mapped.measure_id = measures.measure_id

    union

    -- and every product of a mineral a measure of the jurisdiction names (register_commodity_map): graphite's
    -- 250490 is not a printed code, but a graphite control can move it
    select distinct measures.jurisdiction_iso3, products.hs6
    from {{ ref('stg_register__measure_links') }} as links
    inner join {{ ref('stg_register__measures') }} as measures
        on links.measure_id = measures.measure_id
    inner join {{ ref('register_commodity_map') }} as commodity_map
        on links.link_value = commodity_map.register_commodity
    inner join {{ ref('hs_mineral_map') }} as minerals
        on commodity_map.mineral = minerals.mineral
    inner join (select distinct hs6 from partner_months) as products
        on substring(products.hs6, 1, length(minerals.commodity_code)) = minerals.commodity_code
    where links.link_type = 'commodity'

),

window_months as (

    select
        events.measure_id,
        events.part_id,
        events.jurisdiction_iso3,
        events.date_effective,
        events.effective_month_index,
        months.source,
        months.importer_iso3,
        months.month_index,
        months.month_index - events.effective_month_index as relative_month
    from events
    inner join importer_months as months
        on events.effective_month_index - {{ w }} <= months.month_index
        and events.effective_month_index + {{ w }} >= months.month_index
        and events.jurisdiction_iso3 <> months.importer_iso3

),

-- the three outcomes of every importer product in every window month
outcomes as (

    select
        windows.measure_id,
        windows.part_id,
        windows.jurisdiction_iso3,
        windows.date_effective,
        windows.source,
        windows.importer_iso3,
        products.hs6,
        windows.month_index,
        windows.relative_month,
        coalesce(origin.qty_kg, case when origin.value_usd is null then 0 end) as origin_qty_kg,
        coalesce(totals.total_qty_kg, case when origin.value_usd is null then 0 end) as total_qty_kg,
        coalesce(totals.total_outlier_qty_kg, 0) as total_qty_kg_in_outlier_rows,
        case
            when origin.qty_kg > 0 and origin.rows_without_unit_value = 0 then origin.value_usd / origin.qty_kg
        end as origin_unit_value_usd_per_kg
    from window_months as windows
    inner join importer_products as products
        on windows.source = products.source
        and windows.importer_iso3 = products.importer_iso3
    left join partner_months as origin
        on products.source = origin.source
        and products.importer_iso3 = origin.importer_iso3
        and products.hs6 = origin.hs6
        and windows.month_index = origin.month_index
        and windows.jurisdiction_iso3 = origin.partner_code
    left join product_totals as totals
        on products.source = totals.source
        and products.importer_iso3 = totals.importer_iso3
        and products.hs6 = totals.hs6
        and windows.month_index = totals.month_index

),

treated as (

    select outcomes.*, scope.scope_basis, scope.coverage_level
    from outcomes
    inner join scope
        on {{ join_on_keys('outcomes', 'scope', measure_part_key()) }}
        and outcomes.hs6 = scope.hs6

),

candidates as (

    select outcomes.*
    from outcomes
    where not exists (
        select 1 from jurisdiction_scope
        where jurisdiction_scope.jurisdiction_iso3 = outcomes.jurisdiction_iso3
            and jurisdiction_scope.hs6 = outcomes.hs6
    )

),

treated_pre_months as (

    select measure_id, part_id, source, importer_iso3, hs6, count(*) as pre_months_positive
    from treated
    where relative_month < 0 and origin_qty_kg > 0
    group by measure_id, part_id, source, importer_iso3, hs6

),

pre_fit as (

    select
        treated.measure_id,
        treated.part_id,
        treated.source,
        treated.importer_iso3,
        treated.hs6,
        candidates.hs6 as comparison_hs6,
        count(*) as common_pre_months,
        var_pop(ln(treated.origin_qty_kg) - ln(candidates.origin_qty_kg)) as pre_gap_variance
    from treated
    inner join candidates
        on {{ join_on_keys('treated', 'candidates', ['measure_id', 'part_id', 'source', 'importer_iso3', 'month_index']) }}
    where treated.relative_month < 0
        and treated.origin_qty_kg > 0
        and candidates.origin_qty_kg > 0
    group by treated.measure_id, treated.part_id, treated.source, treated.importer_iso3, treated.hs6, candidates.hs6

),

ranked as (

    select
        pre_fit.*,
        row_number() over (
            partition by pre_fit.measure_id, pre_fit.part_id, pre_fit.source, pre_fit.importer_iso3, pre_fit.hs6
            order by pre_fit.pre_gap_variance, pre_fit.comparison_hs6
        ) as fit_rank
    from pre_fit
    inner join treated_pre_months as needed
        on {{ join_on_keys('pre_fit', 'needed', ['measure_id', 'part_id', 'source', 'importer_iso3', 'hs6']) }}
    where pre_fit.common_pre_months = needed.pre_months_positive

)

select
    treated.measure_id,
    treated.part_id,
    treated.jurisdiction_iso3,
    treated.date_effective,
    treated.source,
    treated.importer_iso3,
    treated.hs6,
    treated.scope_basis,
    treated.coverage_level,
    treated.month_index,
    cast(floor(treated.month_index / 12.0) as integer) as year,
    cast(treated.month_index - 12 * floor(treated.month_index / 12.0) + 1 as integer) as month,
    treated.relative_month,
    case when treated.relative_month < 0 then 'pre' else 'post' end as window_side,
    treated.origin_qty_kg,
    treated.total_qty_kg,
    treated.total_qty_kg_in_outlier_rows,
    treated.origin_unit_value_usd_per_kg,
    ranked.comparison_hs6,
    ranked.pre_gap_variance as comparison_pre_gap_variance,
    comparison.origin_qty_kg as comparison_origin_qty_kg,
    comparison.total_qty_kg as comparison_total_qty_kg,
    comparison.origin_unit_value_usd_per_kg as comparison_origin_unit_value_usd_per_kg
from treated
left join ranked
    on {{ join_on_keys('treated', 'ranked', ['measure_id', 'part_id', 'source', 'importer_iso3', 'hs6']) }}
    and ranked.fit_rank = 1
left join outcomes as comparison
    on {{ join_on_keys('treated', 'comparison', ['measure_id', 'part_id', 'source', 'importer_iso3', 'month_index']) }}
    and ranked.comparison_hs6 = comparison.hs6
