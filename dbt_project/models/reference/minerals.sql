-- One label row per trade mineral of hs_mineral_map (the home of code -> mineral), with its customs
-- codes and the elements mineral_elements says those codes hold, so an analyst can read a mineral key
-- in any mart without opening the seeds.

with

codes as (

    select
        mineral,
        count(*) as hs_code_count,
        {{ dbt.listagg('commodity_code', "', '", 'order by commodity_code') }} as hs_codes
    from {{ ref('hs_mineral_map') }}
    group by mineral

),

elements as (

    select
        mineral,
        {{ dbt.listagg('element', "', '", 'order by element') }} as elements,
        max(case when mixed_heading then 1 else 0 end) = 1 as has_mixed_heading
    from {{ ref('mineral_elements') }}
    group by mineral

)

select
    codes.mineral,
    replace(codes.mineral, '_', ' ') as mineral_label,
    codes.hs_code_count,
    codes.hs_codes,
    elements.elements,
    elements.has_mixed_heading
from codes
left join elements
    on codes.mineral = elements.mineral
