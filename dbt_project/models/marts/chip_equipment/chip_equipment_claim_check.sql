-- The claim "Chinese chipmakers purchased $38 billion in advanced gear last year" (House Select Committee on the
-- CCP, 'Selling the Forges of the Future', 2025-10-07) beside what the customs data say: one row per figure.
-- The two are different measures and must not be read as one confirming or refuting the other:
--   data rows   China's imports of HS07 848610/20/40/90 from all exporters, BACI (FOB, reconciled), 2023 and 2024;
--               848630 (flat-panel machinery) is not in the extract; any supplier, any tool, shipped into China
--   claim row   China revenue of five toolmakers (Applied Materials, Lam Research, KLA, ASML, Tokyo Electron) in 2024,
--               company segment reporting (our reading: ship-to location, each firm's fiscal year, may include
--               service revenue), not customs data; the figure is the committee's (seed chip_equipment_claims)

with

data_rows as (

    select
        'baci_8486_imports_' || cast(year as {{ dbt.type_string() }}) as figure_id,
        year,
        'data' as figure_kind,
        total_value_usd as value_usd,
        'China imports of HS07 848610/20/40/90 from every exporter (848630 absent from the extract); BACI V202601 FOB, reconciled' as scope,
        'CEPII BACI HS07 V202601 (data/snapshot/baci, extract of GitHub Larkstongueinaspic/statistical-model)' as figure_source,
        'customs trade value, FOB' as measure_kind
    from {{ ref('chip_equipment_dependency_summary') }}
    where product_code = '8486'
        and year in (2023, 2024)

),

claim_rows as (

    select
        figure_id,
        year,
        'claim' as figure_kind,
        value_usd,
        scope,
        figure_source,
        measure_kind
    from {{ ref('chip_equipment_claims') }}

),

both_ as (

    select * from data_rows
    union all
    select * from claim_rows

),

data_2024 as (

    select value_usd from data_rows where year = 2024

)

select
    both_.figure_id,
    both_.year,
    both_.figure_kind,
    both_.value_usd,
    both_.scope,
    both_.figure_source,
    both_.measure_kind,
    case when both_.figure_kind = 'claim' then both_.value_usd - data_2024.value_usd end as claim_minus_data_2024_usd,
    false as same_measure_as_other_rows,
    'Not the same measure: the claim is five firms' || chr(39) || ' China revenue (company segments, fiscal years, possibly services and '
        || 'non-Chinese-owned fabs in China), the data are customs imports of HS 8486 from every supplier valued FOB; '
        || 'tools from other makers, parts (848690) and re-exports via third countries are in the data, service revenue '
        || 'is not; 848630 is in neither the extract nor the five firms' || chr(39) || ' core business.' as why_they_differ
from both_
cross join data_2024
