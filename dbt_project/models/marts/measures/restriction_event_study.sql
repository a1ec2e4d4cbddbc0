-- Event study of each export-control measure: the event windows (int_restriction__event_windows) indexed to
-- their pre-period mean. Grain, windows and indexes: the model's description in restriction_event_study.yml.

{% set pre = var('event_study_pre_periods', 3) %}
{% set post = var('event_study_post_periods', 2) %}
{% set series_key = event_series_key() %}

with

windows as (

    select * from {{ ref('int_restriction__event_windows') }}

),

pre_means as (

    select
        {{ key_columns(series_key) }},
        avg(value_usd) as pre_period_mean_value_usd,
        avg(all_partners_value_usd) as pre_period_mean_all_partners_value_usd,
        count(*) as pre_periods_with_data,
        min(year) as pre_first_year,
        max(year) as pre_last_year
    from windows
    where relative_period < 0
    group by {{ key_columns(series_key) }}

),

post_spans as (

    select
        {{ key_columns(series_key) }},
        count(*) as post_periods_with_data,
        min(year) as post_first_year,
        max(year) as post_last_year
    from windows
    where relative_period >= 0
    group by {{ key_columns(series_key) }}

),

pre_quantity as (

    select
        {{ key_columns(series_key) }},
        case
            when count(quantity) = count(*) and min(quantity_unit) = max(quantity_unit)
                then avg(quantity)
        end as pre_period_mean_quantity
    from windows
    where relative_period < 0
    group by {{ key_columns(series_key) }}

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
    on {{ join_on_keys('windows', 'pre_means', series_key) }}
left join post_spans
    on {{ join_on_keys('windows', 'post_spans', series_key) }}
left join pre_quantity
    on {{ join_on_keys('windows', 'pre_quantity', series_key) }}
