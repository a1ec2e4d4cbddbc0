-- When each register measure first applied, from the status rules (int_measures__status_periods), beside the
-- date its text scheduled. A measure suspended before its scheduled date (Nos. 55-58 [2025]) never applied:
-- date_effective NULL, never_applied true. A status that rests on an unconfirmed lapse never counts as applying
-- (status_applies, certainty 'sourced'); a dispute ruling applies from its issue date.

with

measures as (

    select * from {{ ref('stg_register__measures') }}

),

applied as (

    select
        measure_id,
        min(valid_from) as date_effective
    from {{ ref('int_measures__status_periods') }}
    where {{ status_applies('status', 'sourced') }}
        or status = 'issued'
    group by measure_id

)

select
    measures.measure_id,
    measures.scheduled_effective,
    applied.date_effective,
    applied.date_effective is null as never_applied
from measures
left join applied
    on measures.measure_id = applied.measure_id
