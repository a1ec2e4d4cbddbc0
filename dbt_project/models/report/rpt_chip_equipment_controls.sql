-- Figures "China's imports of chip-making equipment": the control dates drawn as lines, one per control.

select distinct
    measure_id,
    controlling_country_iso3,
    control_date
from {{ ref('chip_equipment_event_study') }}
