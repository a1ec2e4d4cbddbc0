{#
    One definition of import dependency, shared by import_dependency (mineral level), import_dependency_hs6 and
    import_dependency_pooled. `flows` is a relation of import rows with the fact columns of int_trade__flows_mapped
    (partner_iso3, partner_in_china_incl_hk, partner_is_country, is_self_trade, value_usd, quantity, quantity_unit)
    and the `keys` columns; it returns one row per key.

    Who is a supplier: a country partner (partner_is_country) that is not the importer itself. Self-imports
    (re-imports, e.g. China from China) and non-country partners ('Areas nes', Free Zones ...) stay in
    total_value_usd and are reported apart (self_trade_value_usd, non_country_value_usd); shares, HHI and the top
    supplier are fractions of supplier_value_usd only. HHI = 10,000 x sum of squared supplier shares, so it lies in
    [0, 10,000] by construction (and by test). Quantity shares only where every positive supplier row has a
    quantity in one and the same unit; otherwise NULL.

    `partner_grain_sources`: sources whose rows are already one per key x partner (a uniqueness test in their
    model's YAML says so, and dbt build stops before this model when it fails). Their rows skip the per-partner
    GROUP BY: at 50M bulk rows that GROUP BY had as many groups as input rows and spilled gigabytes
    (docs/BENCHMARKS.md). Same result, summed once.
    `flows_are_partner_rows`: `flows` is already dependency_partner_rows' output at finer keys (see the pooled mart);
    it is rolled up to `keys` instead of grouped from flow rows.
#}
{% macro dependency_measures(flows, keys, partner_grain_sources=[], flows_are_partner_rows=false) -%}
{%- set key_list = keys | join(', ') -%}
with

dep_by_partner as (

    {% if flows_are_partner_rows -%}
    {{ dependency_partner_rollup(flows, keys) }}
    {%- else -%}
    {{ dependency_partner_rows(flows, keys, partner_grain_sources) }}
    {%- endif %}

),

dep_groups as (

    select
        {{ key_list }},
        sum(value_usd) as total_value_usd,
        sum(case when is_supplier = 1 then value_usd else 0 end) as supplier_value_usd,
        sum(case when is_self = 1 then value_usd else 0 end) as self_trade_value_usd,
        sum(case when is_supplier = 0 and is_self = 0 then value_usd else 0 end) as non_country_value_usd,
        sum(case when is_supplier = 1 and partner_iso3 = 'CHN' then value_usd else 0 end) as china_value_usd,
        sum(case when is_supplier = 1 and is_china_hk = 1 then value_usd else 0 end) as china_hk_value_usd,
        sum(case when is_supplier = 1 and value_usd > 0 then 1 else 0 end) as positive_supplier_count,
        sum(case when is_supplier = 1 and value_usd > 0 then value_usd * value_usd else 0 end) as sum_squared_value,
        -- quantity: usable only when every positive supplier row carries one unit
        sum(case when is_supplier = 1 and value_usd > 0 and rows_with_quantity < row_count then 1 else 0 end) as suppliers_missing_quantity,
        -- 0, 1 or "more than one" distinct units: min/max instead of count(distinct), which kept a distinct set per
        -- group and dominated this query at scale
        case
            when min(case when is_supplier = 1 and value_usd > 0 then quantity_unit end) is null then 0
            when min(case when is_supplier = 1 and value_usd > 0 then quantity_unit end)
                = max(case when is_supplier = 1 and value_usd > 0 then quantity_unit end) then 1
            else 2
        end as quantity_unit_count,
        max(case when is_supplier = 1 and value_usd > 0 and quantity_unit <> quantity_unit_max then 1 else 0 end) as mixed_units_within_partner,
        min(case when is_supplier = 1 and value_usd > 0 then quantity_unit end) as supplier_quantity_unit,
        sum(case when is_supplier = 1 and value_usd > 0 then quantity else 0 end) as supplier_quantity,
        sum(case when is_supplier = 1 and value_usd > 0 and partner_iso3 = 'CHN' then quantity else 0 end) as china_quantity,
        sum(case when is_supplier = 1 and value_usd > 0 and is_china_hk = 1 then quantity else 0 end) as china_hk_quantity,
        -- the top supplier: largest value, ties to the first ISO3 code
        {{ arg_of_max_value('partner_iso3', 'value_usd', 'is_supplier = 1 and value_usd > 0') }} as top_supplier_iso3,
        max(case when is_supplier = 1 and value_usd > 0 then value_usd end) as top_supplier_value_usd
    from dep_by_partner
    group by {{ key_list }}

)

select
    {% for key in keys %}dep_groups.{{ key }},
    {% endfor -%}
    dep_groups.total_value_usd,
    dep_groups.china_value_usd,
    dep_groups.china_hk_value_usd,
    case when dep_groups.supplier_value_usd > 0 then dep_groups.china_value_usd / dep_groups.supplier_value_usd end as china_share,
    case when dep_groups.supplier_value_usd > 0 then dep_groups.china_hk_value_usd / dep_groups.supplier_value_usd end as china_hk_share,
    dep_groups.top_supplier_iso3,
    case when dep_groups.supplier_value_usd > 0 then dep_groups.top_supplier_value_usd / dep_groups.supplier_value_usd end as top_supplier_share,
    cast(dep_groups.positive_supplier_count as {{ dbt.type_bigint() }}) as positive_supplier_count,
    -- rounded to 1e-6: a single supplier otherwise gives 10000.000000000002 in floating point
    case when dep_groups.supplier_value_usd > 0
        then round({{ hhi_from_values('dep_groups.sum_squared_value', 'dep_groups.supplier_value_usd') }}, 6) end as hhi,
    case when dep_groups.sum_squared_value > 0
        then (dep_groups.supplier_value_usd * dep_groups.supplier_value_usd) / dep_groups.sum_squared_value end as equivalent_suppliers,
    dep_groups.supplier_value_usd,
    dep_groups.self_trade_value_usd,
    dep_groups.non_country_value_usd,
    case
        when dep_groups.supplier_quantity > 0 and dep_groups.suppliers_missing_quantity = 0
            and dep_groups.quantity_unit_count = 1 and dep_groups.mixed_units_within_partner = 0
            then dep_groups.supplier_quantity_unit
    end as quantity_unit,
    case
        when dep_groups.supplier_quantity > 0 and dep_groups.suppliers_missing_quantity = 0
            and dep_groups.quantity_unit_count = 1 and dep_groups.mixed_units_within_partner = 0
            then dep_groups.supplier_quantity
    end as supplier_quantity,
    case
        when dep_groups.supplier_quantity > 0 and dep_groups.suppliers_missing_quantity = 0
            and dep_groups.quantity_unit_count = 1 and dep_groups.mixed_units_within_partner = 0
            then dep_groups.china_quantity / dep_groups.supplier_quantity
    end as china_share_by_quantity,
    case
        when dep_groups.supplier_quantity > 0 and dep_groups.suppliers_missing_quantity = 0
            and dep_groups.quantity_unit_count = 1 and dep_groups.mixed_units_within_partner = 0
            then dep_groups.china_hk_quantity / dep_groups.supplier_quantity
    end as china_hk_share_by_quantity
from dep_groups
{%- endmacro %}

{# What the denominator of a source's shares covers, one scope per source: the var is generated from
   data_contracts/vocabularies.py (DENOMINATOR_SCOPE_BY_SOURCE, each scope's meaning beside it), so the list of
   sources and their scopes has one home; the CASE below is plain SQL on DuckDB and Spark alike. #}
{% macro denominator_scope(source_column) -%}
    case {{ source_column }}
    {%- for source, scope in var('denominator_scope_by_source').items() %}
        when '{{ source }}' then '{{ scope }}'
    {%- endfor %}
    end
{%- endmacro %}

{#  The import rows every dependency mart starts from: int_trade__flows_mapped's imports seen from the importer,
    restricted by `conditions` (a list of SQL predicates, ANDed), for dependency_measures to group. #}
{% macro dependency_import_flows(conditions) -%}
    select
        reporter_iso3 as importer_iso3,
        *
    from {{ ref('int_trade__flows_mapped') }}
    where flow = 'import'
    {%- for condition in conditions %}
        and {{ condition }}
    {%- endfor %}
{%- endmacro %}


{#  Step one of dependency_measures: one row per key x partner with what the measures need from that partner's
    rows. Every column is a sum, min or max, so partner rows of finer keys (e.g. one year) roll up to coarser keys
    with dependency_partner_rollup and give the same answer as grouping the flow rows directly: the pooled mart
    rolls years up this way instead of copying each flow row into every window it falls in. #}
{% macro dependency_partner_rows(flows, keys, partner_grain_sources=[]) -%}
{%- set key_list = keys | join(', ') -%}
    select
        {{ key_list }},
        partner_iso3,
        max(case when partner_in_china_incl_hk then 1 else 0 end) as is_china_hk,
        max(case when is_self_trade then 1 else 0 end) as is_self,
        min(case when {{ is_supplier('partner_is_country', 'is_self_trade') }} then 1 else 0 end) as is_supplier,
        sum(value_usd) as value_usd,
        sum(quantity) as quantity,
        count(quantity) as rows_with_quantity,
        count(*) as row_count,
        min(quantity_unit) as quantity_unit,
        max(quantity_unit) as quantity_unit_max
    from {{ flows }}
    {%- if partner_grain_sources %}
    where source not in ('{{ partner_grain_sources | join("', '") }}')
    {%- endif %}
    group by {{ key_list }}, partner_iso3
    {%- if partner_grain_sources %}

    union all

    select
        {{ key_list }},
        partner_iso3,
        case when partner_in_china_incl_hk then 1 else 0 end as is_china_hk,
        case when is_self_trade then 1 else 0 end as is_self,
        case when {{ is_supplier('partner_is_country', 'is_self_trade') }} then 1 else 0 end as is_supplier,
        value_usd,
        quantity,
        case when quantity is not null then 1 else 0 end as rows_with_quantity,
        1 as row_count,
        quantity_unit,
        quantity_unit as quantity_unit_max
    from {{ flows }}
    where source in ('{{ partner_grain_sources | join("', '") }}')
    {%- endif %}
{%- endmacro %}

{#  dependency_partner_rows' output rolled up to coarser `keys`: each column by the same kind of aggregate. #}
{% macro dependency_partner_rollup(partner_rows, keys) -%}
{%- set key_list = keys | join(', ') -%}
    select
        {{ key_list }},
        partner_iso3,
        max(is_china_hk) as is_china_hk,
        max(is_self) as is_self,
        min(is_supplier) as is_supplier,
        sum(value_usd) as value_usd,
        sum(quantity) as quantity,
        sum(rows_with_quantity) as rows_with_quantity,
        sum(row_count) as row_count,
        min(quantity_unit) as quantity_unit,
        max(quantity_unit_max) as quantity_unit_max
    from {{ partner_rows }}
    group by {{ key_list }}, partner_iso3
{%- endmacro %}
