-- Data-quality figures of the two-sided Comtrade declarations a user can cite: how often the two declarations of a
-- flow disagree by more than the agreement band, and what the total-row rule changed against a naive sum of the
-- repeated rows. One row per year x breakdown x breakdown_value: 'all', each HS6, each reporter. Under 'reporter'
-- a flow counts for both of its declarants (its exporter and its importer), so reporter rows do not add up to 'all'.

with

flows as (

    select * from {{ ref('mirror_flows') }}

),

declarations as (

    select * from {{ ref('stg_comtrade_two_sided__declarations') }}

),

flow_sides as (

    select year, 'all' as breakdown, 'all' as breakdown_value, gap_class, importer_to_exporter_ratio from flows
    union all
    select year, 'hs6' as breakdown, hs6 as breakdown_value, gap_class, importer_to_exporter_ratio from flows
    union all
    select year, 'reporter' as breakdown, cast(exporter_code as {{ dbt.type_string() }}) as breakdown_value, gap_class, importer_to_exporter_ratio
    from flows
    union all
    select year, 'reporter' as breakdown, cast(importer_code as {{ dbt.type_string() }}) as breakdown_value, gap_class, importer_to_exporter_ratio
    from flows

),

gaps as (

    select
        year,
        breakdown,
        breakdown_value,
        count(*) as flows,
        sum(case when gap_class in ({{ vocabulary_list('two_sided_gap_classes') }}) then 1 else 0 end) as two_sided_flows,
        sum(case when gap_class = 'disagree' then 1 else 0 end) as disagreeing_flows,
        sum(case when gap_class = 'unresolved' then 1 else 0 end) as unresolved_flows,
        {{ median_of('importer_to_exporter_ratio') }} as median_importer_to_exporter_ratio
    from flow_sides
    group by year, breakdown, breakdown_value

),

declaration_sides as (

    select year, 'all' as breakdown, 'all' as breakdown_value, declarations.* from declarations
    union all
    select year, 'hs6' as breakdown, hs6 as breakdown_value, declarations.* from declarations
    union all
    select year, 'reporter' as breakdown, cast(reporter_code as {{ dbt.type_string() }}) as breakdown_value, declarations.*
    from declarations

),

rule as (

    select
        year,
        breakdown,
        breakdown_value,
        count(*) as declarations,
        sum(rows_published) as rows_published,
        sum(case when rows_published > 1 then 1 else 0 end) as declarations_with_repeated_rows,
        sum(case when is_resolved then rows_published - 1 else 0 end) as rows_dropped_by_rule,
        sum(case when is_resolved then 0 else 1 end) as declarations_unresolved,
        sum(case when is_resolved then 0 else rows_published end) as rows_in_unresolved_declarations,
        sum(case when is_resolved then value_usd else 0 end) as resolved_value_usd,
        sum(case when is_resolved then naive_sum_usd else 0 end) as naive_sum_value_usd,
        sum(case when partner_kind <> 'country' then 1 else 0 end) as non_country_partner_declarations,
        sum(case when partner_kind <> 'country' and is_resolved then value_usd else 0 end) as non_country_partner_value_usd
    from declaration_sides
    where not is_world_partner
    group by year, breakdown, breakdown_value

),

codes as (

    select * from {{ ref('baci_country_codes') }}

)

select
    rule.year,
    rule.breakdown,
    rule.breakdown_value,
    codes.iso3 as reporter_iso3,
    cast(coalesce(gaps.flows, 0) as {{ dbt.type_bigint() }}) as flows,
    cast(coalesce(gaps.two_sided_flows, 0) as {{ dbt.type_bigint() }}) as two_sided_flows,
    cast(coalesce(gaps.disagreeing_flows, 0) as {{ dbt.type_bigint() }}) as disagreeing_flows,
    case when gaps.two_sided_flows > 0 then cast(gaps.disagreeing_flows as double) / gaps.two_sided_flows end as disagree_share,
    cast(coalesce(gaps.unresolved_flows, 0) as {{ dbt.type_bigint() }}) as unresolved_flows,
    gaps.median_importer_to_exporter_ratio,
    cast(rule.declarations as {{ dbt.type_bigint() }}) as declarations,
    cast(rule.rows_published as {{ dbt.type_bigint() }}) as rows_published,
    cast(rule.declarations_with_repeated_rows as {{ dbt.type_bigint() }}) as declarations_with_repeated_rows,
    cast(rule.rows_dropped_by_rule as {{ dbt.type_bigint() }}) as rows_dropped_by_rule,
    cast(rule.declarations_unresolved as {{ dbt.type_bigint() }}) as declarations_unresolved,
    cast(rule.rows_in_unresolved_declarations as {{ dbt.type_bigint() }}) as rows_in_unresolved_declarations,
    rule.resolved_value_usd,
    rule.naive_sum_value_usd,
    cast(rule.non_country_partner_declarations as {{ dbt.type_bigint() }}) as non_country_partner_declarations,
    rule.non_country_partner_value_usd,
    case when rule.resolved_value_usd > 0 then rule.naive_sum_value_usd / rule.resolved_value_usd end as naive_over_resolved
from rule
left join gaps
    on
        rule.year = gaps.year
        and rule.breakdown = gaps.breakdown
        and rule.breakdown_value = gaps.breakdown_value
left join codes
    on
        rule.breakdown = 'reporter'
        and rule.breakdown_value = cast(codes.country_code as {{ dbt.type_string() }})
