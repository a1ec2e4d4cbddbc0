-- Trade factor t per restricting country x register commodity x year, from our own measures
-- register (EU CRM 2017 methodology, docs/methods.md section 5: t = 1 baseline, t > 1 when the
-- country applies an export restriction). A country gets the largest t of the measures that
-- (a) list the commodity (stg_register__measure_links, link_type 'commodity'), (b) have a part whose
-- legal_type has a 'trade_factor' row in the supply_risk_parameters seed (licence_requirement,
-- export_ban - PROJECT ASSUMPTION values, see the seed's source column), (c) whose destinations
-- include 'all' or 'US' (the whole US, not only end users), and (d) that part is in force at any
-- time in the year (int_measures__status_periods, measure x part; sourced in force only: status_applies).
-- The legal type is the part's effect on that commodity: where the text treats a commodity
-- differently (link_type commodity_legal_type: graphite under No. 46 Art. 2 gets stricter
-- end-use review, not the denial Ga/Ge/Sb get), the commodity's own type sets its factor.
-- Countries without such a measure do not appear: downstream uses the baseline t.

with

measures as (

    select * from {{ ref('stg_register__measures') }}
    where not is_suspension

),

-- the register commodities a measure lists (the same links measure_coverage expands; read here
-- directly so this intermediate model does not depend on a mart)
coverage as (

    select distinct measure_id, link_value as register_commodity
    from {{ ref('stg_register__measure_links') }}
    where link_type = 'commodity'

),

status_periods as (

    select * from {{ ref('int_measures__status_periods') }}
    where {{ status_applies('status', 'sourced') }}

),

parts as (

    select parts.measure_id, parts.part_id, parts.legal_type
    from {{ ref('stg_register__measure_parts') }} as parts
    where exists (
        select 1 from {{ ref('stg_register__measure_links') }} as links
        where {{ join_on_keys('links', 'parts', measure_part_key()) }}
            and links.link_type = 'destination'
            and links.link_value in ('all', 'US')
    )

),

commodity_legal_types as (

    select measure_id, part_id, link_value as register_commodity, link_detail as legal_type
    from {{ ref('stg_register__measure_links') }}
    where link_type = 'commodity_legal_type'

),

factors as (

    select scope as measure_type, value as trade_factor
    from {{ ref('supply_risk_parameters') }}
    where parameter = 'trade_factor'
        and scope <> 'baseline'

),

years as (

    select distinct year from {{ ref('int_supply__production_shares') }}
    union
    select distinct year from {{ ref('int_trade__supplier_shares') }}

),

in_force as (

    select distinct
        measures.jurisdiction_iso3 as country_iso3,
        coverage.register_commodity,
        years.year,
        measures.measure_id,
        coalesce(commodity_legal_types.legal_type, parts.legal_type) as measure_type,
        factors.trade_factor
    from measures
    inner join coverage
        on measures.measure_id = coverage.measure_id
    inner join parts
        on measures.measure_id = parts.measure_id
    left join commodity_legal_types
        on {{ join_on_keys('parts', 'commodity_legal_types', measure_part_key()) }}
        and coverage.register_commodity = commodity_legal_types.register_commodity
    inner join factors
        on coalesce(commodity_legal_types.legal_type, parts.legal_type) = factors.measure_type
    inner join status_periods
        on {{ join_on_keys('parts', 'status_periods', measure_part_key()) }}
    cross join years
    where {{ period_overlaps_range('status_periods', year_start('years.year'), period_end_date('years.year', "'annual'", 'null')) }}

)

select
    country_iso3,
    register_commodity,
    year,
    max(trade_factor) as trade_factor,
    {{ dbt.listagg('measure_id', "', '", 'order by measure_id') }} as measures_in_force
from in_force
group by country_iso3, register_commodity, year
