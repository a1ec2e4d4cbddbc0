-- The HS07 subheadings of heading 8486 the chip figures cover: the codes present in China's imports in the BACI
-- extract, so the caption names what the data hold (848630 is absent from the extract).

select distinct hs6
from {{ ref('chip_equipment_dependency') }}
