-- Reported as a check on the fact it guards (it also reads staging), not as an unattached observation.
{{ config(meta={'dagster': {'ref': {'name': 'fct_trade_flows'}}}) }}

-- UN Comtrade: for every reporter x flow x code x year, the partners in fct_trade_flows
-- must add up to the World row the API returned (so import_dependency's
-- denominator_scope = 'world' is true). Tolerance 1 USD.

with

world as (

    select reporter_iso3, flow, cmd_code as commodity_code, year, primary_value_usd as world_value_usd
    from {{ ref('stg_comtrade__records') }}
    where is_world_partner

),

partners as (

    select reporter_iso3, flow, commodity_code, year, sum(value_usd) as partner_value_usd
    from {{ ref('fct_trade_flows') }}
    where source = 'un_comtrade'
    group by reporter_iso3, flow, commodity_code, year

)

select
    world.*,
    partners.partner_value_usd
from world
left join partners
    on world.reporter_iso3 = partners.reporter_iso3
    and world.flow = partners.flow
    and world.commodity_code = partners.commodity_code
    and world.year = partners.year
where partners.partner_value_usd is null
    or abs(partners.partner_value_usd - world.world_value_usd) > 1
