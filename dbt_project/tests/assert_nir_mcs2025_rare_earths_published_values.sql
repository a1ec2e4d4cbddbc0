-- MCS 2025 Rare Earths chapter (USGS, Jan 2025, p.144-145): NIR compounds & metals
-- 2020 100, 2021-2023 >95, 2024 80. MCS 2026 later revised 2024 to 53: editions differ.

with

expected as (

    select 2020 as year, '100' as value_published, 100.0 as nir_pct, '=' as nir_comparator
    union all select 2021, '>95', 95.0, '>'
    union all select 2022, '>95', 95.0, '>'
    union all select 2023, '>95', 95.0, '>'
    union all select 2024, '80', 80.0, '='

),

actual as (

    select year, value_published, nir_pct, nir_comparator
    from {{ ref('net_import_reliance') }}
    where edition = 2025
        and commodity = 'rare_earths'
        and form = 'compounds_and_metals'

)

select
    expected.year,
    expected.value_published as expected_value,
    actual.value_published as actual_value
from expected
left join actual
    on expected.year = actual.year
where actual.value_published is null
    or actual.value_published <> expected.value_published
    or actual.nir_pct <> expected.nir_pct
    or actual.nir_comparator <> expected.nir_comparator
