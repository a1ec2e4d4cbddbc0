-- Status of every measure part on any date: half-open periods [valid_from, valid_to).
-- A published copy of int_measures__status_periods (the one implementation of the rules)
-- with the part's legal type beside it, so BI users can filter goods restrictions.

select
    periods.measure_id,
    periods.part_id,
    periods.period_number,
    periods.status,
    periods.status_basis,
    periods.valid_from,
    periods.valid_to,
    periods.suspended_by_measure_id,
    periods.suspended_by_part_id,
    parts.legal_type,
    parts.restricts_goods
from {{ ref('int_measures__status_periods') }} as periods
inner join {{ ref('stg_register__measure_parts') }} as parts
    on {{ join_on_keys('periods', 'parts', measure_part_key()) }}
