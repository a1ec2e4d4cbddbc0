-- One HHI definition: the global-supply HHI of the supply-risk inputs equals supply_concentration's for the same
-- commodity, stage and year (both from int_supply__production_shares.hhi_share). A second definition - e.g. shares
-- of the rounded World total where the listed countries sum to more - would show here (gallium 2025 gave 10,000.6
-- beside 9,803.5 before).
select
    concentration.commodity,
    concentration.stage,
    concentration.year,
    concentration.hhi as concentration_hhi,
    10000 * inputs.hhi_fraction as supply_risk_input_hhi
from {{ ref('supply_concentration') }} as concentration
inner join {{ ref('int_supply__hhi_wgi_t') }} as inputs
    on inputs.perspective = 'global_supply'
    and concentration.commodity = inputs.commodity
    and concentration.stage = inputs.stage
    and concentration.year = inputs.year
where abs(concentration.hhi - 10000 * inputs.hhi_fraction) > 1e-6
