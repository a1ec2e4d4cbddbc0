-- Event study of each export-control measure: imports of the affected mineral from the
-- restricting country (and from all partners) in the periods around the measure's effective
-- date, indexed to the pre-period mean.
-- One row per importer x mineral x source x period_kind x measure x relative_period.
--   event period      = the period containing date_effective (relative_period 0; partly
--                       before the measure took effect)
--   pre-period        = relative periods -pre..-1 (var event_study_pre_periods, default 3)
--   post-period       = relative periods 0..+post (var event_study_post_periods, default 2)
--   value_index       = 100 x value / mean(value over the pre-period periods that have data)
-- Pairs: exactly the importer x mineral x measure pairs restriction_exposure_by_measure links
-- (goods-restricting measures only; value = imports under the codes the measure covers).
-- Periods are numbered on one integer axis (period_number): the year for annual data;
-- monthly data would use year * 12 + month - 1 in `periods` and the same windowing applies.
-- Quantity is summed only when one quantity unit applies (else NULL, unit 'mixed').

{% set pre = var('event_study_pre_periods', 3) %}
{% set post = var('event_study_post_periods', 2) %}

with

-- imports of each mineral from the restricting country under the codes a measure covers
-- (each code once per measure, from the bridge), beside the importer's total imports of it
exposure as (

    select
        bridge.importer_iso3,
        bridge.mineral,
        bridge.year,
        bridge.period_kind,
        bridge.source,
        bridge.measure_id,
        bridge.restricting_country_iso3 as jurisdiction_iso3,
        max(bridge.legal_type) as measure_type,
        max(bridge.destination_level) as target_scope,
        case when max(case when bridge.coverage_level = 'full' then 1 else 0 end) = 1 then 'full' else 'partial' end as match,
        max(dependency.denominator_scope) as denominator_scope,
        sum(bridge.import_value_usd) as restricted_origin_value_usd,
        max(dependency.total_value_usd) as importer_total_value_usd
    from {{ ref('restriction_exposure_by_measure') }} as bridge
    left join {{ ref('import_dependency') }} as dependency
        on bridge.importer_iso3 = dependency.importer_iso3
        and bridge.mineral = dependency.mineral
        and bridge.year = dependency.year
        and bridge.period_kind = dependency.period_kind
        and bridge.source = dependency.source
    where bridge.period_kind = 'annual'
        and bridge.mineral is not null
    group by bridge.importer_iso3, bridge.mineral, bridge.year, bridge.period_kind, bridge.source,
        bridge.measure_id, bridge.restricting_country_iso3

),

measures as (

    select * from {{ ref('stg_register__measures') }}
    where not is_suspension
        and date_effective is not null

),

flows as (

    select * from {{ ref('fct_trade_flows') }}
    where flow = 'import'
        and period_kind = 'annual'

),

periods as (

    select
        exposure.importer_iso3,
        exposure.mineral,
        exposure.source,
        exposure.period_kind,
        exposure.measure_id,
        exposure.jurisdiction_iso3,
        exposure.measure_type,
        exposure.target_scope,
        exposure.match,
        exposure.denominator_scope,
        measures.date_effective,
        exposure.year,
        exposure.year as period_number,
        -- standard SQL extract (DuckDB, Spark, Trino)
        cast(extract(year from measures.date_effective) as integer) as event_period_number,
        exposure.restricted_origin_value_usd as value_usd,
        exposure.importer_total_value_usd as all_partners_value_usd
    from exposure
    inner join measures
        on exposure.measure_id = measures.measure_id

),

windowed as (

    select
        periods.*,
        period_number - event_period_number as relative_period
    from periods
    where period_number - event_period_number between -{{ pre }} and {{ post }}

),

quantities as (

    select
        reporter_iso3 as importer_iso3,
        mineral,
        source,
        partner_iso3,
        year,
        sum(quantity) as quantity,
        min(quantity_unit) as min_unit,
        max(quantity_unit) as max_unit,
        count(*) as row_count,
        count(quantity) as quantity_count
    from flows
    where mineral is not null
    group by reporter_iso3, mineral, source, partner_iso3, year

),

pre_means as (

    select
        importer_iso3,
        mineral,
        source,
        period_kind,
        measure_id,
        avg(value_usd) as pre_period_mean_value_usd,
        avg(all_partners_value_usd) as pre_period_mean_all_partners_value_usd,
        count(*) as pre_periods_with_data,
        min(year) as pre_first_year,
        max(year) as pre_last_year
    from windowed
    where relative_period < 0
    group by importer_iso3, mineral, source, period_kind, measure_id

),

post_spans as (

    select
        importer_iso3,
        mineral,
        source,
        period_kind,
        measure_id,
        count(*) as post_periods_with_data,
        min(year) as post_first_year,
        max(year) as post_last_year
    from windowed
    where relative_period >= 0
    group by importer_iso3, mineral, source, period_kind, measure_id

),

with_quantity as (

    select
        windowed.*,
        case
            when quantities.quantity_count = quantities.row_count
                and quantities.min_unit = quantities.max_unit
                and quantities.min_unit <> 'mixed'
                then quantities.quantity
        end as quantity,
        case
            when quantities.min_unit = quantities.max_unit then quantities.min_unit
            when quantities.min_unit is not null then 'mixed'
        end as quantity_unit
    from windowed
    left join quantities
        on windowed.importer_iso3 = quantities.importer_iso3
        and windowed.mineral = quantities.mineral
        and windowed.source = quantities.source
        and windowed.jurisdiction_iso3 = quantities.partner_iso3
        and windowed.year = quantities.year

),

pre_quantity as (

    select
        importer_iso3,
        mineral,
        source,
        period_kind,
        measure_id,
        case
            when count(quantity) = count(*) and min(quantity_unit) = max(quantity_unit)
                then avg(quantity)
        end as pre_period_mean_quantity
    from with_quantity
    where relative_period < 0
    group by importer_iso3, mineral, source, period_kind, measure_id

)

select
    with_quantity.importer_iso3,
    with_quantity.mineral,
    with_quantity.source,
    with_quantity.period_kind,
    with_quantity.measure_id,
    with_quantity.jurisdiction_iso3,
    with_quantity.measure_type,
    with_quantity.target_scope,
    with_quantity.match,
    with_quantity.denominator_scope,
    with_quantity.date_effective,
    with_quantity.event_period_number as event_year,
    with_quantity.year,
    with_quantity.relative_period,
    case when with_quantity.relative_period < 0 then 'pre' else 'post' end as window_side,
    with_quantity.value_usd,
    pre_means.pre_period_mean_value_usd,
    case
        when pre_means.pre_period_mean_value_usd > 0
            then 100 * with_quantity.value_usd / pre_means.pre_period_mean_value_usd
    end as value_index,
    with_quantity.all_partners_value_usd,
    pre_means.pre_period_mean_all_partners_value_usd,
    case
        when pre_means.pre_period_mean_all_partners_value_usd > 0
            then 100 * with_quantity.all_partners_value_usd / pre_means.pre_period_mean_all_partners_value_usd
    end as all_partners_value_index,
    with_quantity.quantity,
    with_quantity.quantity_unit,
    pre_quantity.pre_period_mean_quantity,
    case
        when pre_quantity.pre_period_mean_quantity > 0 and with_quantity.quantity is not null
            then 100 * with_quantity.quantity / pre_quantity.pre_period_mean_quantity
    end as quantity_index,
    {{ dbt.concat([dbt.safe_cast('pre_means.pre_first_year', api.Column.translate_type('string')), "'-'", dbt.safe_cast('pre_means.pre_last_year', api.Column.translate_type('string'))]) }} as pre_period_years,
    {{ dbt.concat([dbt.safe_cast('post_spans.post_first_year', api.Column.translate_type('string')), "'-'", dbt.safe_cast('post_spans.post_last_year', api.Column.translate_type('string'))]) }} as post_period_years,
    coalesce(pre_means.pre_periods_with_data, 0) as pre_periods_with_data,
    post_spans.post_periods_with_data,
    {{ pre }} as pre_periods_requested,
    {{ post }} as post_periods_requested
from with_quantity
left join pre_means
    on with_quantity.importer_iso3 = pre_means.importer_iso3
    and with_quantity.mineral = pre_means.mineral
    and with_quantity.source = pre_means.source
    and with_quantity.period_kind = pre_means.period_kind
    and with_quantity.measure_id = pre_means.measure_id
left join post_spans
    on with_quantity.importer_iso3 = post_spans.importer_iso3
    and with_quantity.mineral = post_spans.mineral
    and with_quantity.source = post_spans.source
    and with_quantity.period_kind = post_spans.period_kind
    and with_quantity.measure_id = post_spans.measure_id
left join pre_quantity
    on with_quantity.importer_iso3 = pre_quantity.importer_iso3
    and with_quantity.mineral = pre_quantity.mineral
    and with_quantity.source = pre_quantity.source
    and with_quantity.period_kind = pre_quantity.period_kind
    and with_quantity.measure_id = pre_quantity.measure_id
