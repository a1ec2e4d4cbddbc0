-- MCS 2026 Rare Earths chapter (USGS, Feb 2026, p.152-153; data release doi:10.5066/P1WKQ63T):
-- NIR compounds & metals 2021 >95, 2022 >95, 2023 >90, 2024 53, 2025e 67; concentrates E.
-- Returns a row for every expected figure that is missing or different.

with

expected as (

    select 'compounds_and_metals' as form, 2021 as year, '>95' as value_published, false as is_estimated
    union all select 'compounds_and_metals', 2022, '>95', false
    union all select 'compounds_and_metals', 2023, '>90', false
    union all select 'compounds_and_metals', 2024, '53', false
    union all select 'compounds_and_metals', 2025, '67', true
    union all select 'mineral_concentrates', 2021, 'E', false
    union all select 'mineral_concentrates', 2022, 'E', false
    union all select 'mineral_concentrates', 2023, 'E', false
    union all select 'mineral_concentrates', 2024, 'E', false
    union all select 'mineral_concentrates', 2025, 'E', true

),

actual as (

    select form, year, value_published, is_estimated
    from {{ ref('net_import_reliance') }}
    where edition = 2026
        and commodity = 'rare_earths'

)

select
    expected.form,
    expected.year,
    expected.value_published as expected_value,
    actual.value_published as actual_value
from expected
left join actual
    on expected.form = actual.form
    and expected.year = actual.year
where actual.value_published is null
    or actual.value_published <> expected.value_published
    or actual.is_estimated <> expected.is_estimated
