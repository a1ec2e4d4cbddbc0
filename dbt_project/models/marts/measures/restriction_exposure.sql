-- Exposure of imports to goods export restrictions, each dollar once: one row per import
-- flow row from a restricting country (source x importer x restricting country x trade
-- code x period) that at least one goods-restricting measure part reaches in scope.
--   import_value_usd        the flow row's value (imports from the restricting country)
--   covered_value_usd       import_value_usd when a part with FULL coverage (the code holds
--                           only controlled goods, whole-country destination) was in force
--                           on at least one day of the period; else 0 (lower bound)
--   upper_bound_value_usd   the same with partial coverage too (element / purity / item
--                           level, trade heading broader than the controlled HS6, end-user
--                           destinations): the most that can be under control
--   days_in_force_*         days of the period on which such a part was in force (the
--                           union over parts, overlapping measures counted once)
-- Trade value is annual (or ytd / monthly), so a dollar is counted as exposed when a measure
-- was in force on any day of its period; days_in_force says for how much of it, and the
-- *_prorated_estimate columns spread the period's value evenly over its days (value x days in
-- force / days in period): an estimate from annual data, the figure to quote as "under control".
-- bound_completeness says what the upper bound rests on; rows 'not_coded' / 'not_in_trade_data'
-- (int_restriction__bound_gaps) carry no value and no trade code: goods a part in force names that
-- no trade row here can hold, so any total they share a group with is not a complete bound.
-- Technology restrictions, extraterritorial rules, suspensions, easings and rulings restrict
-- no goods and never appear here. Per-measure drill-down: restriction_exposure_by_measure.

{%- set flow_row_key = restriction_flow_row_key() %}

with

intervals as (

    select * from {{ ref('int_restriction__flow_part_in_force') }}

),

bridge as (

    select * from {{ ref('restriction_exposure_by_measure') }}

),

gaps as (

    select * from {{ ref('int_restriction__bound_gaps') }}

),

full_intervals as (

    select * from intervals where coverage_level = 'full'

),

days_full as (

    {{ union_interval_days('full_intervals', flow_row_key, 'in_force_start', 'in_force_end') }}

),

days_upper as (

    {{ union_interval_days('intervals', flow_row_key, 'in_force_start', 'in_force_end') }}

),

flow_rows as (

    select
        {{ key_columns(flow_row_key) }},
        max(hs6) as hs6,
        max(mineral) as mineral,
        max(ytd_through_month) as ytd_through_month,
        max(trade_code_level) as trade_code_level,
        max(import_value_usd) as import_value_usd,
        max(days_in_period) as days_in_period,
        cast(count(*) as {{ dbt.type_int() }}) as measures_in_scope_count,
        cast(sum(case when in_force_during_period then 1 else 0 end) as {{ dbt.type_int() }}) as measures_in_force_count,
        cast(sum(case when in_force_during_period and coverage_level = 'full' then 1 else 0 end) as {{ dbt.type_int() }}) as measures_in_force_full_count,
        {{ dbt.listagg("case when in_force_during_period then measure_id end", "', '", "order by measure_id") }} as measures_in_force,
        {{ dbt.listagg("case when in_force_during_period and coverage_level = 'full' then measure_id end", "', '", "order by measure_id") }} as measures_in_force_full,
        {{ dbt.listagg('measure_id', "', '", 'order by measure_id') }} as measures_in_scope,
        min(code_match) as code_match,
        -- printed codes of a measure in force bound the row; else, of those in force, a mapped heading
        case
            when max(case when in_force_during_period and bound_completeness = 'complete' then 1 else 0 end) = 1 then 'complete'
            when max(case when in_force_during_period then 1 else 0 end) = 1 then 'partial_heading_level'
            when max(case when bound_completeness = 'complete' then 1 else 0 end) = 1 then 'complete'
            else 'partial_heading_level'
        end as bound_completeness
    from bridge
    group by {{ key_columns(flow_row_key) }}

),

trade_rows as (

select
    flow_rows.source,
    flow_rows.importer_iso3,
    flow_rows.restricting_country_iso3,
    flow_rows.commodity_code,
    flow_rows.trade_code_level,
    flow_rows.hs6,
    flow_rows.mineral,
    flow_rows.year,
    flow_rows.period_kind,
    flow_rows.month,
    flow_rows.ytd_through_month,
    flow_rows.import_value_usd,
    case when coalesce(days_full.days, 0) > 0 then flow_rows.import_value_usd else 0 end as covered_value_usd,
    case when coalesce(days_upper.days, 0) > 0 then flow_rows.import_value_usd else 0 end as upper_bound_value_usd,
    flow_rows.import_value_usd * coalesce(days_full.days, 0) / flow_rows.days_in_period as covered_value_usd_prorated_estimate,
    flow_rows.import_value_usd * coalesce(days_upper.days, 0) / flow_rows.days_in_period as upper_bound_value_usd_prorated_estimate,
    cast(flow_rows.days_in_period as {{ dbt.type_int() }}) as days_in_period,
    cast(coalesce(days_full.days, 0) as {{ dbt.type_int() }}) as days_in_force_full,
    cast(coalesce(days_upper.days, 0) as {{ dbt.type_int() }}) as days_in_force_upper,
    flow_rows.measures_in_force_full_count,
    flow_rows.measures_in_force_full,
    flow_rows.measures_in_force_count,
    flow_rows.measures_in_force,
    flow_rows.measures_in_scope_count,
    flow_rows.measures_in_scope,
    flow_rows.code_match,
    case
        when flow_rows.code_match = 'trade_code_broader_than_scope'
            then 'trade code is a broader heading than the controlled codes: covered value 0, upper bound counts the whole heading'
        else 'trade code within the controlled HS6'
    end as coverage_note,
    flow_rows.bound_completeness,
    cast(null as {{ api.Column.translate_type('string') }}) as register_commodity,
    cast(null as {{ api.Column.translate_type('string') }}) as unbounded_scope
from flow_rows
left join days_full
    on {{ join_on_keys('flow_rows', 'days_full', flow_row_key, null_safe=['month']) }}
left join days_upper
    on {{ join_on_keys('flow_rows', 'days_upper', flow_row_key, null_safe=['month']) }}

),

gap_rows as (

    select
        source,
        importer_iso3,
        restricting_country_iso3,
        cast(null as {{ api.Column.translate_type('string') }}) as commodity_code,
        cast(null as {{ api.Column.translate_type('string') }}) as trade_code_level,
        cast(null as {{ api.Column.translate_type('string') }}) as hs6,
        mineral,
        year,
        period_kind,
        month,
        ytd_through_month,
        cast(null as {{ dbt.type_float() }}) as import_value_usd,
        cast(null as {{ dbt.type_float() }}) as covered_value_usd,
        cast(null as {{ dbt.type_float() }}) as upper_bound_value_usd,
        cast(null as {{ dbt.type_float() }}) as covered_value_usd_prorated_estimate,
        cast(null as {{ dbt.type_float() }}) as upper_bound_value_usd_prorated_estimate,
        cast(days_in_period as {{ dbt.type_int() }}) as days_in_period,
        cast(0 as {{ dbt.type_int() }}) as days_in_force_full,
        cast(days_in_force as {{ dbt.type_int() }}) as days_in_force_upper,
        cast(0 as {{ dbt.type_int() }}) as measures_in_force_full_count,
        cast(null as {{ api.Column.translate_type('string') }}) as measures_in_force_full,
        cast(1 as {{ dbt.type_int() }}) as measures_in_force_count,
        measure_id as measures_in_force,
        cast(1 as {{ dbt.type_int() }}) as measures_in_scope_count,
        measure_id as measures_in_scope,
        cast(null as {{ api.Column.translate_type('string') }}) as code_match,
        case
            when bound_completeness = 'not_coded'
                then 'goods the measure names with no customs code or heading in any stored source: not in the upper bound'
            else 'a code the measure names that this source does not carry: not in the upper bound'
        end as coverage_note,
        bound_completeness,
        register_commodity,
        unbounded_scope
    from gaps

),

combined as (

    select * from trade_rows
    union all
    select * from gap_rows

)

select
    source,
    importer_iso3,
    restricting_country_iso3,
    commodity_code,
    trade_code_level,
    hs6,
    mineral,
    year,
    period_kind,
    month,
    ytd_through_month,
    import_value_usd,
    covered_value_usd,
    upper_bound_value_usd,
    covered_value_usd_prorated_estimate,
    upper_bound_value_usd_prorated_estimate,
    days_in_period,
    days_in_force_full,
    days_in_force_upper,
    measures_in_force_full_count,
    measures_in_force_full,
    measures_in_force_count,
    measures_in_force,
    measures_in_scope_count,
    measures_in_scope,
    code_match,
    coverage_note,
    bound_completeness,
    register_commodity,
    unbounded_scope
from combined
