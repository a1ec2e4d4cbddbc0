-- Figure "Event studies": US annual imports (USITC DataWeb) from the restricting country around each measure on a
-- report mineral, as restriction_event_study indexes them.

select
    mineral, measure_id, date_effective, relative_period, year, value_usd, value_index, pre_period_years,
    post_period_years
from {{ ref('restriction_event_study') }}
where {{ report_us_annual_series() }}
