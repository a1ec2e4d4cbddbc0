-- Figure "The '$38 billion' claim beside China's HS 8486 imports" and its table: the claim-check mart's rows, the
-- columns the figure and the table show.

select
    figure_id, year, figure_kind, value_usd, scope, hs_codes_included, figure_source, measure_kind,
    same_measure_as_other_rows, why_they_differ
from {{ ref('chip_equipment_claim_check') }}
