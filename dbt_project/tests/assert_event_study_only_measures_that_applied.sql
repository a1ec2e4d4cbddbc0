-- Issue 25 class 5: an event study has an event only where the measure applied. Every measure in
-- restriction_event_study must have been sourced in force on its event date (date_effective): a measure suspended
-- before its scheduled date (CN-2025-57) has no such day, so it must have no window and no post period.

select distinct study.measure_id, study.date_effective
from {{ ref('restriction_event_study') }} as study
where not exists (
    select 1
    from {{ ref('export_measure_status_periods') }} as periods
    where periods.measure_id = study.measure_id
        and periods.status = 'in_force'
        and periods.status_basis = 'sourced'
        and {{ period_covers_date('periods', 'study.date_effective') }}
)
