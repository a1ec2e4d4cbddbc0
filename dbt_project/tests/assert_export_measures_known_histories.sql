-- Status histories of the register's real cases at part level (rules in
-- int_measures__status_periods): No. 46 Art. 2 suspended by No. 72 while Art. 1 stays in
-- force; Nos. 55-58 suspended before they took effect; the US stay's explicit last day.

with

expected as (

    select 'CN-2025-57' as measure_id, 'all' as part_id,
        '2025-10-09 announced (sourced); 2025-11-07 suspended (sourced); 2026-11-11 suspension_ended_unconfirmed (assumed_lapse)' as status_history
    union all select 'CN-2024-46', 'art1', '2024-12-03 in_force (sourced)'
    union all select 'CN-2024-46', 'art2', '2024-12-03 in_force (sourced); 2025-11-09 suspended (sourced); 2026-11-28 suspension_ended_unconfirmed (assumed_lapse)'
    union all select 'CN-2024-46', 'art3', '2024-12-03 in_force (sourced)'
    union all select 'CN-2025-70', 'all', '2025-11-07 in_force (sourced); 2026-11-11 end_date_passed_unconfirmed (assumed_lapse)'
    union all select 'US-2025-BIS-47201', 'all', '2025-09-29 in_force (sourced); 2025-11-10 suspended (sourced); 2026-11-10 suspension_ended_unconfirmed (assumed_lapse)'
    union all select 'CN-2024-33', 'antimony', '2024-08-15 announced (sourced); 2024-09-15 in_force (sourced)'
    union all select 'CN-WTO-DS431', 'report', '2012-03-13 announced (sourced); 2014-03-26 issued (sourced)'

)

select
    expected.measure_id,
    expected.part_id,
    expected.status_history as expected_history,
    actual.status_history as actual_history
from expected
left join {{ ref('export_measures') }} as actual
    on {{ join_on_keys('expected', 'actual', measure_part_key()) }}
where actual.status_history is null
    or actual.status_history <> expected.status_history
