-- The claim "Chinese chipmakers purchased $38 billion in advanced gear last year" (House Select Committee on the
-- CCP, 'Selling the Forges of the Future', 2025-10-07) beside what the customs data say: one row per figure.
-- The figures are different measures and must not be read as one confirming or refuting the other, so no row
-- carries a difference (issue 25 item 9: claim_minus_data_2024_usd is NULL, difference_null_reason says why):
--   data rows   China's imports from all exporters, BACI (FOB, reconciled), 2023 and 2024, in two scopes: HS07
--               848610/20/40/90 (heading 8486 as far as the extract has it), and the same plus 903082 and 903141,
--               the wafer and mask test and inspection instruments classified in chapter 90 (the extract holds
--               them; they do the metrology job of tools the claim's five firms sell). 848630 (flat-panel
--               machinery) is in neither: the extract does not have it. Other codes: not in the extract.
--   claim row   China revenue of five toolmakers (Applied Materials, Lam Research, KLA, ASML, Tokyo Electron) in 2024,
--               company segment reporting (our reading: ship-to location, each firm's fiscal year, may include
--               service revenue), not customs data; the figure is the committee's (seed chip_equipment_claims)

with

heading_8486 as (

    select
        'baci_8486_imports_' || cast(year as {{ dbt.type_string() }}) as figure_id,
        year,
        'data' as figure_kind,
        total_value_usd as value_usd,
        'China imports of HS07 848610/20/40/90 from every exporter (848630 absent from the extract); BACI V202601 FOB, reconciled' as scope,
        '848610, 848620, 848640, 848690 (HS07)' as hs_codes_included,
        '848630 flat-panel machinery (absent from the extract); 903082 and 903141 wafer/mask test and inspection instruments (chapter 90: in the wider rows); any other code: not in the extract' as hs_codes_not_included
    from {{ ref('chip_equipment_dependency_summary') }}
    where product_code = '8486'
        and year in (2023, 2024)

),

inspection_instruments as (

    select
        year,
        sum(value_usd) as value_usd
    from {{ ref('int_cepii__flows_mapped') }}
    where source = 'cepii_baci'
        and reporter_iso3 = 'CHN'
        and flow = 'import'
        and commodity_code in ('903082', '903141')
        and year in (2023, 2024)
    group by year

),

with_inspection as (

    select
        'baci_8486_903082_903141_imports_' || cast(heading_8486.year as {{ dbt.type_string() }}) as figure_id,
        heading_8486.year,
        'data' as figure_kind,
        heading_8486.value_usd + inspection_instruments.value_usd as value_usd,
        'China imports of HS07 848610/20/40/90 plus 903082 and 903141 (wafer and mask test and inspection instruments) from every exporter; BACI V202601 FOB, reconciled' as scope,
        '848610, 848620, 848640, 848690, 903082, 903141 (HS07)' as hs_codes_included,
        '848630 flat-panel machinery (absent from the extract); any other code: not in the extract' as hs_codes_not_included
    from heading_8486
    inner join inspection_instruments
        on heading_8486.year = inspection_instruments.year

),

-- both data scopes carry the same columns, so the source and measure labels are written once
data_figures as (

    select * from heading_8486
    union all
    select * from with_inspection

),

data_rows as (

    select
        figure_id, year, figure_kind, value_usd, scope,
        'CEPII BACI HS07 V202601 (data/snapshot/baci, extract of GitHub Larkstongueinaspic/statistical-model)' as figure_source,
        'customs trade value, FOB' as measure_kind,
        hs_codes_included,
        hs_codes_not_included
    from data_figures

),

claim_rows as (

    select
        figure_id,
        year,
        'claim' as figure_kind,
        value_usd,
        scope,
        figure_source,
        measure_kind,
        cast(null as {{ dbt.type_string() }}) as hs_codes_included,
        'not applicable: company revenue, not classified by customs code' as hs_codes_not_included
    from {{ ref('chip_equipment_claims') }}

),

both_ as (

    select * from data_rows
    union all
    select * from claim_rows

)

select
    figure_id,
    year,
    figure_kind,
    value_usd,
    scope,
    hs_codes_included,
    hs_codes_not_included,
    figure_source,
    measure_kind,
    -- double like value_usd (dbt.type_float() is DuckDB's 4-byte FLOAT: seven significant digits of a dollar figure)
    cast(null as double) as claim_minus_data_2024_usd,
    'not computed: the claim (five firms' || chr(39) || ' China revenue) and the data (customs imports, FOB) are different '
        || 'measures, so their difference would be read as one confirming or refuting the other' as difference_null_reason,
    false as same_measure_as_other_rows,
    'Not the same measure: the claim is five firms' || chr(39) || ' China revenue (company segments, fiscal years, possibly services and '
        || 'non-Chinese-owned fabs in China), the data are customs imports from every supplier valued FOB; '
        || 'tools from other makers, parts (848690) and re-exports via third countries are in the data, service revenue '
        || 'is not; 848630 is in neither the extract nor the five firms' || chr(39) || ' core business.' as why_they_differ
from both_
