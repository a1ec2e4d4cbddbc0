-- Drill-down bridge: one row per import flow row (source x importer x restricting country x
-- trade code x period) x goods-restricting measure whose parts reach it. NOT ADDITIVE:
-- import_value_usd repeats on every measure reaching the same flow row; sum it only within
-- one measure_id (restriction_exposure carries each dollar once).
-- value_under_measure_usd_prorated_estimate spreads the period's value evenly over its days
-- (annual data cannot say when in the year goods moved): an estimate of the value imported
-- while the measure was in force, the figure to quote as "under control".

{%- set flow_measure_key = restriction_flow_row_key(['measure_id']) %}

with

flow_parts as (

    select * from {{ ref('int_restriction__flow_parts') }}

),

intervals as (

    select * from {{ ref('int_restriction__flow_part_in_force') }}

),

status_periods as (

    select * from {{ ref('int_measures__status_periods') }}

),

measure_days as (

    {{ union_interval_days('intervals', flow_measure_key, 'in_force_start', 'in_force_end') }}

),

-- status of each part on the last day of the flow row's period
part_status_at_end as (

    select
        {{ key_columns(flow_measure_key, 'flow_parts') }},
        flow_parts.part_id,
        status_periods.status,
        status_periods.status_basis
    from flow_parts
    inner join status_periods
        on {{ join_on_keys('flow_parts', 'status_periods', measure_part_key()) }}
        and {{ period_covers_date('status_periods', dbt.dateadd('day', -1, 'flow_parts.period_end_exclusive')) }}

),

measure_status_at_end as (

    select
        {{ key_columns(flow_measure_key) }},
        -- a measure is as binding as its most binding reaching part
        {{ most_binding_status('status') }} as status_at_period_end,
        case when max(case when status_basis = 'assumed_lapse' then 1 else 0 end) = 1
            then 'assumed_lapse' else 'sourced' end as status_basis_at_period_end
    from part_status_at_end
    group by {{ key_columns(flow_measure_key) }}

),

by_measure as (

    select
        {{ key_columns(flow_measure_key) }},
        max(hs6) as hs6,
        max(mineral) as mineral,
        max(ytd_through_month) as ytd_through_month,
        max(import_value_usd) as import_value_usd,
        -- the most binding effect of the reaching parts on these goods
        case when max(case when legal_type = 'export_ban' then 1 else 0 end) = 1
            then 'export_ban' else 'licence_requirement' end as legal_type,
        case when max(case when code_basis = 'printed' then 1 else 0 end) = 1
            then 'complete' else 'partial_heading_level' end as bound_completeness,
        {{ dbt.listagg('part_id', "', '", 'order by part_id') }} as parts,
        case when max(case when coverage_level = 'full' then 1 else 0 end) = 1 then 'full' else 'partial' end as coverage_level,
        min(code_match) as code_match,
        min(destination_level) as destination_level,
        max(period_start) as period_start,
        max(period_end_exclusive) as period_end_exclusive
    from flow_parts
    group by {{ key_columns(flow_measure_key) }}

)

select
    by_measure.source,
    by_measure.importer_iso3,
    by_measure.restricting_country_iso3,
    by_measure.commodity_code,
    {{ dbt.concat(["'HS'", dbt.safe_cast(dbt.length('by_measure.commodity_code'), api.Column.translate_type('string'))]) }} as trade_code_level,
    by_measure.hs6,
    by_measure.mineral,
    by_measure.year,
    by_measure.period_kind,
    by_measure.month,
    by_measure.ytd_through_month,
    by_measure.measure_id,
    by_measure.parts,
    by_measure.legal_type,
    by_measure.coverage_level,
    by_measure.code_match,
    by_measure.destination_level,
    by_measure.bound_completeness,
    by_measure.import_value_usd,
    -- bigint on both engines (DuckDB's datediff gives one, Spark's an int): the contract's dtype.
    cast({{ dbt.datediff('by_measure.period_start', 'by_measure.period_end_exclusive', 'day') }} as {{ dbt.type_bigint() }}) as days_in_period,
    coalesce(measure_days.days, 0) as days_in_force,
    coalesce(measure_days.days, 0) > 0 as in_force_during_period,
    case when coalesce(measure_days.days, 0) > 0 then by_measure.import_value_usd else 0 end as value_under_measure_usd,
    by_measure.import_value_usd * coalesce(measure_days.days, 0)
    / {{ dbt.datediff('by_measure.period_start', 'by_measure.period_end_exclusive', 'day') }} as value_under_measure_usd_prorated_estimate,
    measure_status_at_end.status_at_period_end,
    measure_status_at_end.status_basis_at_period_end
from by_measure
left join measure_days
    on {{ join_on_keys('by_measure', 'measure_days', flow_measure_key, null_safe=['month']) }}
left join measure_status_at_end
    on {{ join_on_keys('by_measure', 'measure_status_at_end', flow_measure_key, null_safe=['month']) }}
