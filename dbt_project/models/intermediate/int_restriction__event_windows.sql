-- The event window of each export-control measure: for every importer x mineral x measure pair that
-- restriction_exposure_by_measure links, the imports from the restricting jurisdiction (under the codes the
-- measure covers) and from all partners in each year from -pre to +post around the year of date_effective, with
-- the quantity when one unit applies. restriction_event_study indexes these rows to their pre-period mean.
-- Periods are numbered on one integer axis (period_number): the year for annual data; monthly data would use
-- year * 12 + month - 1 in `periods` and the same windowing applies.
-- Ephemeral (inlined into restriction_event_study as a CTE, no table, no Dagster asset): it reads marts, and as a
-- table it would add an intermediate step and a third marts step to every refresh (8 s measured). A model of its
-- own still gives the windows their own unit test and keeps each file under 200 lines.

{{ config(materialized='ephemeral') }}

{% set pre = var('event_study_pre_periods', 3) %}
{% set post = var('event_study_post_periods', 2) %}

with

-- imports of each mineral from the restricting country under the codes a measure covers
-- (each code once per measure, from the bridge), beside the importer's total imports of it
exposure as (

    select
        bridge.importer_iso3,
        bridge.mineral,
        bridge.year,
        bridge.period_kind,
        bridge.source,
        bridge.measure_id,
        bridge.restricting_country_iso3 as jurisdiction_iso3,
        max(bridge.legal_type) as measure_type,
        max(bridge.destination_level) as target_scope,
        case when max(case when bridge.coverage_level = 'full' then 1 else 0 end) = 1 then 'full' else 'partial' end as match,
        max(dependency.denominator_scope) as denominator_scope,
        sum(bridge.import_value_usd) as restricted_origin_value_usd,
        max(dependency.total_value_usd) as importer_total_value_usd
    from {{ ref('restriction_exposure_by_measure') }} as bridge
    left join {{ ref('import_dependency') }} as dependency
        on {{ join_on_keys('bridge', 'dependency', ['importer_iso3', 'mineral', 'year', 'period_kind', 'source']) }}
    where bridge.period_kind = 'annual'
        and bridge.mineral is not null
    group by bridge.importer_iso3, bridge.mineral, bridge.year, bridge.period_kind, bridge.source,
        bridge.measure_id, bridge.restricting_country_iso3

),

-- only measures that applied: one suspended before its scheduled date (Nos. 55-58 [2025]) has no event, so
-- no post period a fall could be attributed to (int_measures__effective_dates: date_effective NULL)
measures as (

    select effective.measure_id, effective.date_effective
    from {{ ref('int_measures__effective_dates') }} as effective
    inner join {{ ref('stg_register__measures') }} as registered
        on effective.measure_id = registered.measure_id
    where not registered.is_suspension
        and not effective.never_applied

),

flows as (

    select * from {{ ref('fct_trade_flows') }}
    where flow = 'import'
        and period_kind = 'annual'
        -- only rows from a restricting country can match the bridge below. Stated here, DuckDB filters before it
        -- aggregates; without it, it grouped all 44M bulk rows at 50M and spilled ~7 GB (docs/BENCHMARKS.md)
        and partner_iso3 in (select restricting_country_iso3 from {{ ref('restriction_exposure_by_measure') }})

),

periods as (

    select
        exposure.importer_iso3,
        exposure.mineral,
        exposure.source,
        exposure.period_kind,
        exposure.measure_id,
        exposure.jurisdiction_iso3,
        exposure.measure_type,
        exposure.target_scope,
        exposure.match,
        exposure.denominator_scope,
        measures.date_effective,
        exposure.year,
        exposure.year as period_number,
        -- standard SQL extract (DuckDB, Spark, Trino)
        cast(extract(year from measures.date_effective) as integer) as event_period_number,
        exposure.restricted_origin_value_usd as value_usd,
        exposure.importer_total_value_usd as all_partners_value_usd
    from exposure
    inner join measures
        on exposure.measure_id = measures.measure_id

),

windowed as (

    select
        periods.*,
        period_number - event_period_number as relative_period
    from periods
    where period_number - event_period_number between -{{ pre }} and {{ post }}

),

-- quantities over the same trade codes as value_usd (those the measure covers)
quantities as (

    select
        flows.reporter_iso3 as importer_iso3,
        flows.mineral,
        flows.source,
        flows.partner_iso3,
        bridge.measure_id,
        flows.year,
        sum(flows.quantity) as quantity,
        min(flows.quantity_unit) as min_unit,
        max(flows.quantity_unit) as max_unit,
        count(*) as row_count,
        count(flows.quantity) as quantity_count
    from flows
    inner join {{ ref('restriction_exposure_by_measure') }} as bridge
        on flows.reporter_iso3 = bridge.importer_iso3
        and flows.partner_iso3 = bridge.restricting_country_iso3
        and flows.commodity_code = bridge.commodity_code
        and flows.year = bridge.year
        and flows.period_kind = bridge.period_kind
        and flows.source = bridge.source
    where flows.mineral is not null
    group by flows.reporter_iso3, flows.mineral, flows.source, flows.partner_iso3, bridge.measure_id, flows.year

),

with_quantity as (

    select
        windowed.*,
        case
            when quantities.quantity_count = quantities.row_count
                and quantities.min_unit = quantities.max_unit
                and quantities.min_unit <> 'mixed'
                then quantities.quantity
        end as quantity,
        case
            when quantities.min_unit = quantities.max_unit then quantities.min_unit
            when quantities.min_unit is not null then 'mixed'
        end as quantity_unit
    from windowed
    left join quantities
        on windowed.importer_iso3 = quantities.importer_iso3
        and windowed.mineral = quantities.mineral
        and windowed.source = quantities.source
        and windowed.jurisdiction_iso3 = quantities.partner_iso3
        and windowed.measure_id = quantities.measure_id
        and windowed.year = quantities.year

)

select
    importer_iso3,
    mineral,
    source,
    period_kind,
    measure_id,
    jurisdiction_iso3,
    measure_type,
    target_scope,
    match,
    denominator_scope,
    date_effective,
    event_period_number,
    year,
    relative_period,
    value_usd,
    all_partners_value_usd,
    quantity,
    quantity_unit
from with_quantity
