-- China's imports of HS 8486 equipment from each controlling country with the measures in force that year:
-- the semiconductor-equipment rows of restriction_exposure (same register, same flow x measure-part logic as
-- the minerals side, each dollar once), one row per HS07 subheading x year x restricting country, beside the
-- share of China's 8486 imports that row is. The register maps the BIS / Dutch / Japanese rules (written as
-- ECCNs and equipment lists, not HS codes) onto heading 8486 with 'partial' coverage, so covered_value_usd
-- (full coverage) is 0 and upper_bound_value_usd is the most that can be under control, not the controlled value;
-- upper_bound_value_usd_prorated_estimate spreads it over the days in force (an estimate from annual data).

with

exposure as (

    select * from {{ ref('restriction_exposure') }}
    where importer_iso3 = 'CHN'
        and source = 'cepii_baci'
        and hs6 like '8486%'

),

heading as (

    select year, supplier_value_usd
    from {{ ref('chip_equipment_dependency_summary') }}
    where product_code = '8486'

),

suppliers as (

    select * from {{ ref('chip_equipment_suppliers') }}

)

select
    exposure.year,
    exposure.hs6,
    {{ product_group('exposure.mineral') }} as product_group,
    exposure.importer_iso3,
    exposure.restricting_country_iso3,
    coalesce(suppliers.supplier_label, exposure.restricting_country_iso3) as supplier_label,
    exposure.import_value_usd,
    exposure.import_value_usd / nullif(heading.supplier_value_usd, 0) as share_of_8486,
    exposure.covered_value_usd,
    exposure.upper_bound_value_usd,
    exposure.upper_bound_value_usd_prorated_estimate,
    exposure.days_in_period,
    exposure.days_in_force_full,
    exposure.days_in_force_upper,
    exposure.measures_in_force_count,
    exposure.measures_in_force,
    exposure.measures_in_scope,
    exposure.code_match,
    exposure.coverage_note,
    'FOB (CEPII BACI HS07 V202601, reconciled)' as value_basis
from exposure
left join heading
    on exposure.year = heading.year
left join suppliers
    on exposure.restricting_country_iso3 = suppliers.iso3
