-- Event study of each export-control measure: the event windows (int_restriction__event_windows) indexed to
-- their pre-period mean. Grain, windows and indexes: the model's description in restriction_event_study.yml.

{% set pre = var('event_study_pre_periods', 3) %}
{% set post = var('event_study_post_periods', 2) %}

with

windows as (

    select * from {{ ref('int_restriction__event_windows') }}

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
    from windows
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
    from windows
    where relative_period >= 0
    group by importer_iso3, mineral, source, period_kind, measure_id

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
    from windows
    where relative_period < 0
    group by importer_iso3, mineral, source, period_kind, measure_id

)

select
    windows.importer_iso3,
    windows.mineral,
    windows.source,
    windows.period_kind,
    windows.measure_id,
    windows.jurisdiction_iso3,
    windows.measure_type,
    windows.target_scope,
    windows.match,
    windows.denominator_scope,
    windows.date_effective,
    windows.event_period_number as event_year,
    windows.year,
    windows.relative_period,
    case when windows.relative_period < 0 then 'pre' else 'post' end as window_side,
    windows.value_usd,
    pre_means.pre_period_mean_value_usd,
    case
        when pre_means.pre_period_mean_value_usd > 0
            then 100 * windows.value_usd / pre_means.pre_period_mean_value_usd
    end as value_index,
    windows.all_partners_value_usd,
    pre_means.pre_period_mean_all_partners_value_usd,
    case
        when pre_means.pre_period_mean_all_partners_value_usd > 0
            then 100 * windows.all_partners_value_usd / pre_means.pre_period_mean_all_partners_value_usd
    end as all_partners_value_index,
    windows.quantity,
    windows.quantity_unit,
    pre_quantity.pre_period_mean_quantity,
    case
        when pre_quantity.pre_period_mean_quantity > 0 and windows.quantity is not null
            then 100 * windows.quantity / pre_quantity.pre_period_mean_quantity
    end as quantity_index,
    {{ dbt.concat([dbt.safe_cast('pre_means.pre_first_year', api.Column.translate_type('string')), "'-'", dbt.safe_cast('pre_means.pre_last_year', api.Column.translate_type('string'))]) }} as pre_period_years,
    {{ dbt.concat([dbt.safe_cast('post_spans.post_first_year', api.Column.translate_type('string')), "'-'", dbt.safe_cast('post_spans.post_last_year', api.Column.translate_type('string'))]) }} as post_period_years,
    coalesce(pre_means.pre_periods_with_data, 0) as pre_periods_with_data,
    post_spans.post_periods_with_data,
    {{ pre }} as pre_periods_requested,
    {{ post }} as post_periods_requested
from windows
left join pre_means
    on windows.importer_iso3 = pre_means.importer_iso3
    and windows.mineral = pre_means.mineral
    and windows.source = pre_means.source
    and windows.period_kind = pre_means.period_kind
    and windows.measure_id = pre_means.measure_id
left join post_spans
    on windows.importer_iso3 = post_spans.importer_iso3
    and windows.mineral = post_spans.mineral
    and windows.source = post_spans.source
    and windows.period_kind = post_spans.period_kind
    and windows.measure_id = post_spans.measure_id
left join pre_quantity
    on windows.importer_iso3 = pre_quantity.importer_iso3
    and windows.mineral = pre_quantity.mineral
    and windows.source = pre_quantity.source
    and windows.period_kind = pre_quantity.period_kind
    and windows.measure_id = pre_quantity.measure_id
