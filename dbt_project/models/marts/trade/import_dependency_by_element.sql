-- Element-level view of import_dependency: one row per element x the import_dependency row of a trade mineral that
-- holds it (mineral_elements seed). The analyst's entry point for "US imports of gallium, China share":
--   select year, source, mineral, mixed_heading, total_value_usd, china_share
--   from marts.import_dependency_by_element
--   where element = 'gallium' and importer_iso3 = 'USA' and period_kind = 'annual'
-- mixed_heading = true means the codes also hold other elements: the dollars and shares are the heading's, an
-- upper bound on the element's value and NOT the element's own share. No rule is restated here: shares, HHI and
-- their denominators are import_dependency's.

with

dependency as (

    select * from {{ ref('import_dependency') }}

),

elements as (

    select * from {{ ref('mineral_elements') }}

)

select
    elements.element,
    elements.mixed_heading,
    dependency.importer_iso3,
    dependency.importer_is_country,
    dependency.mineral,
    dependency.year,
    dependency.period_kind,
    dependency.ytd_through_month,
    dependency.source,
    dependency.value_basis,
    dependency.denominator_scope,
    dependency.denominator_coverage,
    dependency.total_value_usd,
    dependency.supplier_value_usd,
    dependency.china_value_usd,
    dependency.china_hk_value_usd,
    dependency.china_share,
    dependency.china_hk_share,
    dependency.top_supplier_iso3,
    dependency.top_supplier_share,
    dependency.hhi,
    elements.note as element_note
from dependency
inner join elements
    on dependency.mineral = elements.mineral
