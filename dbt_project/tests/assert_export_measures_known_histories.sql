-- Status histories of the register's real cases (status rules in int_measures__status_periods).

with

expected as (

    select 'CN-2025-57' as measure_id, '2025-10-09 announced; 2025-11-07 suspended; 2026-11-10 in_force' as status_history
    union all select 'CN-2024-46', '2024-12-03 in_force; 2025-11-09 suspended; 2026-11-27 in_force'
    union all select 'CN-2025-70', '2025-11-07 in_force; 2026-11-10 expired'
    union all select 'CN-2025-GENLIC', '2025-12-19 announced'
    union all select 'CN-2024-33', '2024-09-15 in_force'

)

select
    expected.measure_id,
    expected.status_history as expected_history,
    actual.status_history as actual_history
from expected
left join {{ ref('export_measures') }} as actual
    on expected.measure_id = actual.measure_id
where actual.status_history is null
    or actual.status_history <> expected.status_history
