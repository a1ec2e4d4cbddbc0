-- One label row per ISO3 a mart can carry: BACI's table is the widest country list in the project
-- (every code a trade row can name, Comtrade's areas included), so it sets the rows; the Comtrade
-- reference adds its numeric code (M49 but for Comtrade's own variants) where it has one. Where an ISO3 has several BACI codes the current
-- one names it; an ISO3 with no current code (historical: ANT; areas: W00, X2, _X, ZA1) keeps its
-- only row, since trade rows still carry it.

with

baci_codes as (

    select
        *,
        row_number() over (
            partition by iso3
            order by case when current_code_for_iso3 then 0 else 1 end, country_code
        ) as preference
    from {{ ref('baci_country_codes') }}

),

baci as (

    select * from baci_codes
    where preference = 1

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
    comtrade.m49_code as comtrade_code,
    baci.country_code as baci_country_code,
    baci.source
from baci
left join comtrade
    on
        baci.iso3 = comtrade.iso3
        and comtrade.preference = 1
