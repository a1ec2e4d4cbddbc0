-- One label row per ISO3 a mart can carry: BACI's table is the widest country list in the project
-- (every code a trade row can name), so it sets the rows; the Comtrade reference adds the UN M49
-- code where it has one. Only the code BACI currently uses for an ISO3 is kept, so the grain is ISO3.

with

baci as (

    select * from {{ ref('baci_country_codes') }}
    where current_code_for_iso3

),

comtrade as (

    -- Comtrade has two codes for BEL (56 Belgium; 58 Belgium-Luxembourg, to 1998): the one with an ISO2 is the
    -- country's own code (the seed leaves the former union's ISO2 empty), which keeps one row per ISO3.
    select
        iso3,
        m49_code,
        row_number() over (
            partition by iso3
            order by case when iso2 is null then 1 else 0 end, m49_code
        ) as preference
    from {{ ref('country_reference') }}

)

select
    baci.iso3,
    baci.iso2,
    baci.country_name,
    baci.is_country,
    comtrade.m49_code,
    baci.country_code as baci_country_code,
    baci.source
from baci
left join comtrade
    on
        baci.iso3 = comtrade.iso3
        and comtrade.preference = 1
