-- The one place the published rare-earth net import reliance figures are pinned (both editions), as BI users chart
-- them: token as printed, parsed percentage (nir_pct_published) and its fraction (nir_share), comparator and kind;
-- is_estimated where the edition marks it.
--   MCS 2025 Rare Earths chapter (USGS, Jan 2025, p.144-145): compounds & metals 2020 100, 2021-2023 >95, 2024 80.
--   MCS 2026 Rare Earths chapter (USGS, Feb 2026, p.152-153; data release doi:10.5066/P1WKQ63T): compounds & metals
--   2021 >95, 2022 >95, 2023 >90, 2024 53, 2025e 67; mineral concentrates E (net exporter) every year.
-- The editions differ on 2024 (80 vs 53): MCS 2026 revised it. Returns a row for every figure missing or different.

-- severity warn: a re-released MCS edition may change a pinned figure legitimately and must not stop the refresh;
-- on the snapshot build tests/integration/test_pipeline.py requires every check, warn ones too, to pass.
{{ config(severity='warn') }}

with

expected as (

    select 2025 as edition, 'compounds_and_metals' as form, 2020 as year, '100' as value_published,
        100.0 as nir_pct_published, '=' as nir_comparator, 'number' as value_kind, cast(null as boolean) as is_estimated
    union all select 2025, 'compounds_and_metals', 2021, '>95', 95.0, '>', 'lower_bound', null
    union all select 2025, 'compounds_and_metals', 2022, '>95', 95.0, '>', 'lower_bound', null
    union all select 2025, 'compounds_and_metals', 2023, '>95', 95.0, '>', 'lower_bound', null
    union all select 2025, 'compounds_and_metals', 2024, '80', 80.0, '=', 'number', null
    union all select 2026, 'compounds_and_metals', 2021, '>95', 95.0, '>', 'lower_bound', false
    union all select 2026, 'compounds_and_metals', 2022, '>95', 95.0, '>', 'lower_bound', false
    union all select 2026, 'compounds_and_metals', 2023, '>90', 90.0, '>', 'lower_bound', false
    union all select 2026, 'compounds_and_metals', 2024, '53', 53.0, '=', 'number', false
    union all select 2026, 'compounds_and_metals', 2025, '67', 67.0, '=', 'number', true
    union all select 2026, 'mineral_concentrates', 2021, 'E', null, null, 'net_exporter', false
    union all select 2026, 'mineral_concentrates', 2022, 'E', null, null, 'net_exporter', false
    union all select 2026, 'mineral_concentrates', 2023, 'E', null, null, 'net_exporter', false
    union all select 2026, 'mineral_concentrates', 2024, 'E', null, null, 'net_exporter', false
    union all select 2026, 'mineral_concentrates', 2025, 'E', null, null, 'net_exporter', true

),

actual as (

    select edition, form, year, value_published, nir_pct_published, nir_share, nir_comparator, value_kind, is_estimated
    from {{ ref('net_import_reliance') }}
    where commodity = 'rare_earths'

)

select
    expected.edition,
    expected.form,
    expected.year,
    expected.value_published as expected_value,
    actual.value_published as actual_value
from expected
left join actual
    on expected.edition = actual.edition
    and expected.form = actual.form
    and expected.year = actual.year
where actual.value_published is null
    or actual.value_published <> expected.value_published
    or actual.nir_pct_published is distinct from expected.nir_pct_published
    -- issue 25 item 10: the fraction beside the published percent
    or actual.nir_share is distinct from expected.nir_pct_published / 100.0
    or actual.nir_comparator is distinct from expected.nir_comparator
    or actual.value_kind <> expected.value_kind
    or (expected.is_estimated is not null and actual.is_estimated <> expected.is_estimated)
