-- Exposure of an importer's supply of a mineral to an export-control measure:
-- one row per importer x mineral x year x period_kind x source x measure, for every
-- non-suspension measure whose jurisdiction is a partner in the source's trade data,
-- whose coverage maps to the mineral, and whose jurisdiction is not the importer.
-- restricted_origin_share = imports from the jurisdiction / importer's total imports of
-- the mineral (import_dependency). match = 'heading_includes_other_goods' -> upper bound.
-- Status comes from int_measures__status_periods: at the end of the period, and whether
-- any in_force period overlaps the period.

with

dependency as (

    select * from {{ ref('import_dependency') }}

),

supplier_shares as (

    select * from {{ ref('int_trade__supplier_shares') }}

),

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}

),

measures as (

    select * from {{ ref('stg_register__measures') }}
    where not is_suspension

),

coverage as (

    select * from {{ ref('measure_coverage') }}

),

status_periods as (

    select * from {{ ref('int_measures__status_periods') }}

),

-- importers named by BACI's country table too: the BACI source has every importer, country_reference 62 areas
countries as (

    select iso3, iso2 from {{ ref('country_reference') }}
    where iso2 is not null

    union all

    select iso3, iso2 from {{ ref('baci_country_codes') }}
    where iso2 is not null
        and iso3 not in (select iso3 from {{ ref('country_reference') }} where iso2 is not null)

),

-- one row per measure x mineral; the tightest match wins
measure_minerals as (

    select
        measure_id,
        mineral,
        case
            when min(case match when 'same_mineral' then 1 else 2 end) = 1 then 'same_mineral'
            else 'heading_includes_other_goods'
        end as match
    from coverage
    where mineral is not null
    group by measure_id, mineral

),

source_partners as (

    select distinct source, partner_iso3
    from flows

),

candidates as (

    select
        dependency.importer_iso3,
        importer.iso2 as importer_iso2,
        dependency.mineral,
        dependency.year,
        dependency.period_kind,
        dependency.ytd_through_month,
        dependency.source,
        measures.measure_id,
        measures.jurisdiction_iso2,
        measures.jurisdiction_iso3,
        measures.measure_type,
        measures.target_scope,
        measure_minerals.match,
        dependency.total_value_usd as importer_total_value_usd,
        dependency.denominator_scope,
        {{ year_start('dependency.year') }} as period_start,
        {{ period_end_date('dependency.year', 'dependency.period_kind', 'dependency.ytd_through_month') }} as period_end
    from dependency
    inner join measure_minerals
        on dependency.mineral = measure_minerals.mineral
    inner join measures
        on measure_minerals.measure_id = measures.measure_id
    inner join source_partners
        on dependency.source = source_partners.source
        and measures.jurisdiction_iso3 = source_partners.partner_iso3
    left join countries as importer
        on dependency.importer_iso3 = importer.iso3
    where measures.jurisdiction_iso3 <> dependency.importer_iso3

),

with_values as (

    select
        candidates.*,
        coalesce(supplier_shares.value_usd, 0) as restricted_origin_value_usd
    from candidates
    left join supplier_shares
        on candidates.importer_iso3 = supplier_shares.importer_iso3
        and candidates.mineral = supplier_shares.mineral
        and candidates.year = supplier_shares.year
        and candidates.period_kind = supplier_shares.period_kind
        and candidates.source = supplier_shares.source
        and candidates.jurisdiction_iso3 = supplier_shares.partner_iso3

),

status_end as (

    select
        with_values.measure_id,
        with_values.period_end,
        max(status_periods.status) as status_in_period
    from (select distinct measure_id, period_end from with_values) as with_values
    inner join status_periods
        on with_values.measure_id = status_periods.measure_id
        and {{ period_covers_date('status_periods', 'with_values.period_end') }}
    group by with_values.measure_id, with_values.period_end

),

in_force as (

    select
        periods.measure_id,
        periods.period_start,
        periods.period_end,
        max(
            case
                when status_periods.status = 'in_force'
                    and {{ period_overlaps_range('status_periods', 'periods.period_start', 'periods.period_end') }}
                    then 1
                else 0
            end
        ) as in_force_during_period
    from (select distinct measure_id, period_start, period_end from with_values) as periods
    inner join status_periods
        on periods.measure_id = status_periods.measure_id
    group by periods.measure_id, periods.period_start, periods.period_end

)

select
    with_values.importer_iso3,
    with_values.mineral,
    with_values.year,
    with_values.period_kind,
    with_values.ytd_through_month,
    with_values.source,
    with_values.measure_id,
    with_values.jurisdiction_iso3,
    with_values.measure_type,
    with_values.target_scope,
    with_values.restricted_origin_value_usd,
    case
        when with_values.importer_total_value_usd > 0
            then with_values.restricted_origin_value_usd / with_values.importer_total_value_usd
    end as restricted_origin_share,
    with_values.importer_total_value_usd,
    with_values.denominator_scope,
    with_values.match,
    (with_values.target_scope = 'all'
        or with_values.target_scope = with_values.importer_iso2) as target_applies_to_importer,
    with_values.period_start,
    with_values.period_end,
    status_end.status_in_period,
    in_force.in_force_during_period = 1 as in_force_during_period
from with_values
left join status_end
    on with_values.measure_id = status_end.measure_id
    and with_values.period_end = status_end.period_end
left join in_force
    on with_values.measure_id = in_force.measure_id
    and with_values.period_start = in_force.period_start
    and with_values.period_end = in_force.period_end
