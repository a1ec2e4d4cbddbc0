-- One label row per ISO3 a mart can carry: BACI's table is the widest country list in the project
-- (every code a trade row can name), so it sets the rows; the Comtrade reference adds the UN M49
-- code where it has one. Only the code BACI currently uses for an ISO3 is kept, so the grain is ISO3.

with

baci as (

    select * from {{ ref('baci_country_codes') }}
    where current_code_for_iso3

),

comtrade as (

    select * from {{ ref('country_reference') }}

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
    on baci.iso3 = comtrade.iso3
