-- Issue 25 class 1: 'in_force' is a fact, so it is never the status of a period that rests only on an end date
-- passing (basis assumed_lapse), and a dated effect is a day the measure was sourced in force. Rows returned:
--   assumed_in_force            - a status period says in_force on an assumed lapse
--   date_effective_not_in_force - export_measures.date_effective falls on no sourced in_force / issued period of
--                                 the measure (Nos. 55-58 [2025] claimed 2025-11-08, a day they were suspended)

select 'assumed_in_force' as problem, measure_id, part_id, status, cast(valid_from as date) as on_date
from {{ ref('export_measure_status_periods') }}
where status_basis = 'assumed_lapse'
    and status = 'in_force'

union all

select distinct 'date_effective_not_in_force' as problem, measures.measure_id, measures.part_id,
    cast(null as {{ api.Column.translate_type('string') }}) as status, measures.date_effective as on_date
from {{ ref('export_measures') }} as measures
where measures.date_effective is not null
    and not exists (
        select 1
        from {{ ref('export_measure_status_periods') }} as periods
        where periods.measure_id = measures.measure_id
            and periods.status in ('in_force', 'issued')
            and periods.status_basis = 'sourced'
            and {{ period_covers_date('periods', 'measures.date_effective') }}
    )
