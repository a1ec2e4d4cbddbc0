-- What the upper bound of restriction exposure cannot hold: one row per flow period from a
-- restricting country (source x importer x restricting country x year x period_kind x month,
-- as in int_trade__flows_mapped) x goods-restricting measure part in force on at least one day
-- of it x goods the part names but no trade row can carry:
--   not_coded          goods the text names with no code or heading in any stored source
--                      (register uncoded_scope), e.g. No. 18's magnets;
--   not_in_trade_data  a code or heading the part names (printed or mapped) that no trade
--                      code of the source matches (e.g. GaN under 3818 when the source carries
--                      only mineral headings).
-- No value: these rows say the bound is incomplete, they never add dollars. Only status
-- 'in_force' counts (int_restriction__flow_part_in_force's rule), so a part that never applied
-- leaves no gap.

with

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}
    where flow = 'import'

),

parts as (

    select parts.measure_id, parts.part_id, parts.legal_type, measures.jurisdiction_iso3
    from {{ ref('stg_register__measure_parts') }} as parts
    inner join {{ ref('stg_register__measures') }} as measures
        on parts.measure_id = measures.measure_id
    where parts.restricts_goods

),

links as (

    select * from {{ ref('stg_register__measure_links') }}

),

codes as (

    select * from {{ ref('stg_register__measure_codes') }}
    where coverage_level <> 'none'

),

-- one commodity per measure where the measure names only one: the commodity of its codes
single_commodity as (

    select measure_id, max(link_value) as commodity
    from links
    where link_type = 'commodity'
    group by measure_id
    having count(*) = 1

),

source_codes as (

    select distinct source, commodity_code from flows

),

sources as (

    select distinct source from flows

),

uncoded as (

    select
        sources.source,
        links.measure_id,
        links.part_id,
        'not_coded' as bound_completeness,
        links.link_value as register_commodity,
        links.link_detail as goods
    from links
    cross join sources
    where links.link_type = 'uncoded_scope'

),

absent as (

    select
        sources.source,
        codes.measure_id,
        codes.part_id,
        'not_in_trade_data' as bound_completeness,
        coalesce(max(codes.commodity), max(single_commodity.commodity)) as register_commodity,
        {{ dbt.concat(["'HS '", 'codes.match_prefix', "' not in the source: '", dbt.listagg('codes.goods', "'; '", 'order by codes.ordinal')]) }} as goods
    from codes
    cross join sources
    left join single_commodity
        on codes.measure_id = single_commodity.measure_id
    where not exists (
        select 1 from source_codes
        where source_codes.source = sources.source
            and (
                substring(source_codes.commodity_code, 1, {{ dbt.length('codes.match_prefix') }}) = codes.match_prefix
                or substring(codes.match_prefix, 1, {{ dbt.length('source_codes.commodity_code') }}) = source_codes.commodity_code
            )
    )
    group by sources.source, codes.measure_id, codes.part_id, codes.match_prefix

),

gaps as (

    select * from uncoded
    union all
    select * from absent

),

flow_periods as (

    select distinct
        source,
        reporter_iso3 as importer_iso3,
        partner_iso3 as restricting_country_iso3,
        year,
        period_kind,
        month,
        ytd_through_month,
        {{ trade_period_start('year', 'period_kind', 'month') }} as period_start,
        {{ trade_period_end_exclusive('year', 'period_kind', 'month', 'ytd_through_month') }} as period_end_exclusive
    from flows
    where partner_iso3 in (select jurisdiction_iso3 from parts)

),

in_force as (

    select * from {{ ref('int_measures__status_periods') }}
    where {{ status_applies('status', 'sourced') }}

),

reached as (

    select
        flow_periods.*,
        parts.measure_id,
        parts.part_id,
        parts.legal_type,
        importers.destination_level,
        {{ clip_to_period('in_force', 'flow_periods.period_start', 'flow_periods.period_end_exclusive') }}
    from flow_periods
    inner join parts
        on flow_periods.restricting_country_iso3 = parts.jurisdiction_iso3
    inner join {{ ref('int_restriction__part_importers') }} as importers
        on flow_periods.importer_iso3 = importers.importer_iso3
        and {{ join_on_keys('parts', 'importers', measure_part_key()) }}
    inner join in_force
        on {{ join_on_keys('parts', 'in_force', measure_part_key()) }}
    where flow_periods.importer_iso3 <> parts.jurisdiction_iso3

),

reached_in_period as (

    select * from reached where in_force_start < in_force_end

),

part_days as (

    {{ union_interval_days('reached_in_period', ['source', 'importer_iso3', 'restricting_country_iso3', 'year', 'period_kind', 'month', 'measure_id', 'part_id'], 'in_force_start', 'in_force_end') }}

),

part_periods as (

    select distinct
        source, importer_iso3, restricting_country_iso3, year, period_kind, month, ytd_through_month,
        period_start, period_end_exclusive, measure_id, part_id, legal_type, destination_level
    from reached_in_period

),

minerals as (

    select register_commodity, mineral
    from {{ ref('register_commodity_map') }}
    where match = 'same_mineral'

)

select
    part_periods.source,
    part_periods.importer_iso3,
    part_periods.restricting_country_iso3,
    part_periods.year,
    part_periods.period_kind,
    part_periods.month,
    part_periods.ytd_through_month,
    part_periods.measure_id,
    part_periods.part_id,
    part_periods.legal_type,
    part_periods.destination_level,
    gaps.bound_completeness,
    gaps.register_commodity,
    minerals.mineral,
    gaps.goods,
    {{ dbt.concat(['part_periods.measure_id', "' '", 'part_periods.part_id', "': '", 'gaps.goods']) }} as unbounded_scope,
    cast({{ dbt.datediff('part_periods.period_start', 'part_periods.period_end_exclusive', 'day') }} as {{ dbt.type_bigint() }}) as days_in_period,
    part_days.days as days_in_force
from part_periods
inner join gaps
    on part_periods.source = gaps.source
    and {{ join_on_keys('part_periods', 'gaps', measure_part_key()) }}
inner join part_days
    on {{ join_on_keys('part_periods', 'part_days', ['source', 'importer_iso3', 'restricting_country_iso3', 'year', 'period_kind', 'month', 'measure_id', 'part_id'], null_safe=['month']) }}
left join minerals
    on gaps.register_commodity = minerals.register_commodity
