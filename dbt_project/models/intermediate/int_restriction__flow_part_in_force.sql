-- The in-force intervals of each (import flow row x measure part) of
-- int_restriction__flow_parts, clipped to the flow row's period: half-open
-- [in_force_start, in_force_end). A part suspended or expired in part of the period has
-- several or shorter intervals; a part never in force in the period has none.
-- Sourced in force only (status_applies, certainty 'sourced'): a part whose suspension ended with no source
-- on what followed (suspension_ended_unconfirmed) has no interval here; an upper bound that counts it as
-- possibly in force asks status_applies(status, 'possible') of int_measures__status_periods itself.

with

flow_parts as (

    select * from {{ ref('int_restriction__flow_parts') }}

),

in_force as (

    select * from {{ ref('int_measures__status_periods') }}
    where {{ status_applies('status', 'sourced') }}

),

clipped as (

    select
        {{ key_columns(restriction_flow_row_key(['measure_id']), 'flow_parts') }},
        flow_parts.part_id,
        flow_parts.coverage_level,
        case
            when in_force.valid_from is null or in_force.valid_from < flow_parts.period_start then flow_parts.period_start
            else in_force.valid_from
        end as in_force_start,
        case
            when in_force.valid_to is null or in_force.valid_to > flow_parts.period_end_exclusive then flow_parts.period_end_exclusive
            else in_force.valid_to
        end as in_force_end
    from flow_parts
    inner join in_force
        on flow_parts.measure_id = in_force.measure_id
        and flow_parts.part_id = in_force.part_id

)

select * from clipped
where in_force_start < in_force_end
