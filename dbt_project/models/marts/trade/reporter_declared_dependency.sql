-- Dependency on China as each importer declares it (2022 and 2024), beside BACI's reconciled share (2024): the
-- importer's declared imports from China over its declared imports from the World, per HS6, with the first reason
-- that explains why the two differ. Every importer that declared imports of a code, plus every BACI importer.

with

declarations as (

    select * from {{ ref('stg_comtrade_two_sided__declarations') }}
    where flow = 'M'

),

declared as (

    select
        year,
        reporter_code as importer_code,
        hs6,
        max(case when is_world_partner then 1 else 0 end) as has_world_row,
        sum(case when is_world_partner then value_usd end) as world_value_usd,
        sum(case when partner_code = 156 then value_usd end) as china_value_usd,
        sum(case when partner_code = 344 then value_usd end) as hong_kong_value_usd
    from declarations
    group by year, reporter_code, hs6

),

codes as (

    select * from {{ ref('baci_country_codes') }}
    where current_code_for_iso3

),

baci as (

    select
        dependency.year,
        codes.country_code as importer_code,
        dependency.hs6,
        dependency.supplier_value_usd,
        dependency.china_share,
        dependency.china_hk_share
    from {{ ref('import_dependency_hs6') }} as dependency
    inner join codes
        on dependency.importer_iso3 = codes.iso3
    where dependency.source = 'cepii_baci' and dependency.hs_revision = 'HS17' and dependency.period_kind = 'annual'

),

baci_years as (

    select distinct year from baci

),

joined as (

    select
        coalesce(declared.year, baci.year) as year,
        coalesce(declared.importer_code, baci.importer_code) as importer_code,
        coalesce(declared.hs6, baci.hs6) as hs6,
        declared.has_world_row,
        declared.world_value_usd,
        declared.china_value_usd,
        declared.hong_kong_value_usd,
        case when declared.world_value_usd > 0 then coalesce(declared.china_value_usd, 0) / declared.world_value_usd end
            as declared_china_share,
        case
            when declared.world_value_usd > 0
                then (coalesce(declared.china_value_usd, 0) + coalesce(declared.hong_kong_value_usd, 0)) / declared.world_value_usd
        end as declared_china_hk_share,
        baci.supplier_value_usd as baci_supplier_value_usd,
        baci.china_share as baci_china_share,
        baci.china_hk_share as baci_china_hk_share,
        coalesce(declared.year, baci.year) in (select year from baci_years) as baci_has_year
    from declared
    full outer join baci
        on
            declared.year = baci.year
            and declared.importer_code = baci.importer_code
            and declared.hs6 = baci.hs6

),

explained as (

    select
        joined.*,
        case
            when not joined.baci_has_year then 'no_baci_year'
            when joined.has_world_row is null then 'importer_declared_nothing'
            when joined.world_value_usd is null then 'no_world_total'
            when joined.baci_china_share is null then 'no_baci_flow'
            when joined.china_value_usd is null and joined.baci_china_share > 0 then 'china_undeclared'
            when
                joined.hong_kong_value_usd > 0
                and abs(joined.declared_china_hk_share - joined.baci_china_share)
                < abs(joined.declared_china_share - joined.baci_china_share)
                then 'hong_kong_attribution'
            else 'basis_and_reconciliation'
        end as difference_reason
    from joined

)

select
    explained.year,
    explained.importer_code,
    codes.iso3 as importer_iso3,
    explained.hs6,
    explained.world_value_usd as declared_world_imports_usd,
    explained.china_value_usd as declared_china_imports_usd,
    explained.hong_kong_value_usd as declared_hong_kong_imports_usd,
    explained.declared_china_share,
    explained.declared_china_hk_share,
    lag(explained.year) over (partition by explained.importer_code, explained.hs6 order by explained.year) as previous_year,
    explained.declared_china_share
    - lag(explained.declared_china_share) over (partition by explained.importer_code, explained.hs6 order by explained.year)
        as declared_china_share_change,
    explained.baci_supplier_value_usd,
    explained.baci_china_share,
    explained.declared_china_share - explained.baci_china_share as share_difference,
    explained.difference_reason
from explained
left join codes
    on explained.importer_code = codes.country_code
