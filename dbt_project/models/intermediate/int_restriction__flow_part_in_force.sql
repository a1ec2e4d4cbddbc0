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
        {{ clip_to_period('in_force', 'flow_parts.period_start', 'flow_parts.period_end_exclusive') }}
    from flow_parts
    inner join in_force
        on {{ join_on_keys('flow_parts', 'in_force', measure_part_key()) }}

)

select * from clipped
where in_force_start < in_force_end
