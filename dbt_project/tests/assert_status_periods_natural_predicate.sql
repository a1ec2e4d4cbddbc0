-- Issue 25 class 10 (valid_from): the natural predicate `d >= valid_from and (valid_to is null or d < valid_to)`
-- finds exactly one status period per measure part on every date, including dates before a part was announced
-- (a NULL valid_from on the leading period made it find none). Checked on each period's first day, the day
-- before it and 2000-01-01; returns every (part, date) with a count other than 1.

with

periods as (

    select * from {{ ref('export_measure_status_periods') }}

),

probe_dates as (

    select distinct measure_id, part_id, valid_from as probe_date from periods where valid_from is not null
    union
    select distinct measure_id, part_id, cast({{ dbt.dateadd('day', -1, 'valid_to') }} as date) as probe_date
    from periods where valid_to is not null
    union
    select distinct measure_id, part_id, cast('2000-01-01' as date) as probe_date from periods

)

select probe_dates.measure_id, probe_dates.part_id, probe_dates.probe_date, count(periods.period_number) as periods_found
from probe_dates
left join periods
    on {{ join_on_keys('probe_dates', 'periods', measure_part_key()) }}
    and probe_dates.probe_date >= periods.valid_from
    and (periods.valid_to is null or probe_dates.probe_date < periods.valid_to)
group by probe_dates.measure_id, probe_dates.part_id, probe_dates.probe_date
having count(periods.period_number) <> 1
