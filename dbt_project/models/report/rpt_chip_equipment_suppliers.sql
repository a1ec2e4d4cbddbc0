-- Figures "China's imports of chip-making equipment": supplier shares and values by year. Every dollar once: the
-- supplier rows of the dependency mart (not the summary, whose heading row repeats them). Rows outside the shares
-- (re-imports, areas nes) form one group of their own, so the stacked values still add up to China's 8486 imports.

with

labelled as (

    select
        year,
        case
            when counts_in_shares then supplier_group
            else '{{ var("not_a_country_supplier") }}'
        end as supplier_group,
        is_controlling_country,
        exporter_iso3,
        value_usd,
        share_of_8486
    from {{ ref('chip_equipment_dependency') }}

)

select
    year,
    supplier_group,
    max(case when is_controlling_country then 1 else 0 end) = 1 as is_controlling_country,
    -- a group of one country names it, so a control's line takes that country's colour
    case when count(distinct exporter_iso3) = 1 then max(exporter_iso3) end as supplier_iso3,
    sum(value_usd) as value_usd,
    sum(share_of_8486) as share_of_8486
from labelled
group by year, supplier_group
