-- Figure "Monthly imports from China of the goods in scope of China's major measures". One row per measure x source
-- x importer x month: the measure's in-scope HS6 summed once each (parts of a measure can share an HS6, and
-- event_windows_monthly repeats the HS6's month on each part); unit value = priced value / priced kg (the months
-- whose rows carry a unit value). The measure's line is drawn at its earliest part's effective date.

with

products as (

    select distinct
        measure_id,
        min(date_effective) over (partition by measure_id) as date_effective,
        source,
        importer_iso3,
        hs6,
        month_index,
        year,
        month,
        origin_qty_kg,
        origin_unit_value_usd_per_kg
    from {{ ref('event_windows_monthly') }}
    where jurisdiction_iso3 = 'CHN'

),

-- monthly series only: a source with a single month (Comtrade, Census, Eurostat here) draws no line
series as (

    select
        measure_id,
        source,
        importer_iso3
    from products
    group by measure_id, source, importer_iso3
    having count(distinct month_index) >= 12

)

select
    products.measure_id,
    products.date_effective,
    products.source,
    products.importer_iso3,
    products.year,
    products.month,
    products.month_index,
    sum(products.origin_qty_kg) as origin_qty_kg,
    sum(products.origin_qty_kg * products.origin_unit_value_usd_per_kg) as priced_value_usd,
    sum(products.origin_qty_kg * products.origin_unit_value_usd_per_kg)
    / nullif(sum(case when products.origin_unit_value_usd_per_kg is not null then products.origin_qty_kg end), 0)
        as origin_unit_value_usd_per_kg,
    count(distinct products.hs6) as products
from products
inner join series
    on products.measure_id = series.measure_id
        and products.source = series.source
        and products.importer_iso3 = series.importer_iso3
group by products.measure_id, products.date_effective, products.source, products.importer_iso3, products.year,
    products.month, products.month_index
