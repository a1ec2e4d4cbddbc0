-- Which importers a goods-restricting measure part's destinations reach: one row per importer
-- x measure part, with the best destination level ('country' when any destination of the part
-- is the whole importing country, else 'end_user'). One home for the destination rule, shared
-- by the flow rows (int_restriction__flow_parts) and the bound gaps (int_restriction__bound_gaps).

with

destinations as (

    select links.measure_id, links.part_id, seed.applies_to, seed.iso2, seed.destination_level
    from {{ ref('stg_register__measure_links') }} as links
    inner join {{ ref('register_destinations') }} as seed
        on links.link_value = seed.destination
    where links.link_type = 'destination'

),

groups as (

    select * from {{ ref('register_destination_groups') }}

),

-- importers named by BACI's country table too: the BACI source has every importer, country_reference 62 areas
importers as (

    select iso3, iso2 from {{ ref('country_reference') }}
    where iso2 is not null

    union all

    select iso3, iso2 from {{ ref('baci_country_codes') }}
    where iso2 is not null
        and iso3 not in (select iso3 from {{ ref('country_reference') }} where iso2 is not null)

)

select
    importers.iso3 as importer_iso3,
    destinations.measure_id,
    destinations.part_id,
    case when max(case when destinations.destination_level = 'country' then 1 else 0 end) = 1
        then 'country' else 'end_user' end as destination_level
from destinations
cross join importers
where destinations.applies_to = 'every_importer'
    or (destinations.applies_to = 'country' and destinations.iso2 = importers.iso2)
    or (destinations.applies_to = 'outside_group' and not exists (
        select 1 from groups
        where groups.group_code = destinations.iso2 and groups.iso2 = importers.iso2))
group by importers.iso3, destinations.measure_id, destinations.part_id
