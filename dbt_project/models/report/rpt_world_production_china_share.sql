-- Figure "China's share of world production": every commodity x stage x year with a China share (the figure draws
-- the latest year).

select
    commodity,
    stage,
    year,
    china_share,
    hhi,
    world_total,
    unit,
    share_denominator_basis
from {{ ref('supply_concentration') }}
where china_share is not null
