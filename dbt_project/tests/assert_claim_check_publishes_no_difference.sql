-- Issue 25 item 9: the claim (company revenue) and the customs figures are different measures; no row may publish
-- their difference, and every data row must say which customs codes it sums.
select figure_id, figure_kind, claim_minus_data_2024_usd
from {{ ref('chip_equipment_claim_check') }}
where claim_minus_data_2024_usd is not null
    or (figure_kind = 'data' and hs_codes_included is null)
