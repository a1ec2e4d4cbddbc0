{#
    Longest-prefix match of commodity codes on the hs_mineral_map seed.
    Returns a SELECT with one row per distinct code of `codes_relation.code_column`:
    commodity_code, mineral (NULL when no prefix matches), matched_prefix.
    A 6-digit seed row therefore refines its 4-digit heading (280530 beats 2805).
#}
{% macro longest_prefix_mineral(codes_relation, code_column) -%}
    select
        commodity_code,
        mineral,
        matched_prefix
    from (
        select
            codes.commodity_code,
            hs_map.mineral,
            hs_map.commodity_code as matched_prefix,
            row_number() over (
                partition by codes.commodity_code
                order by {{ dbt.length('hs_map.commodity_code') }} desc
            ) as prefix_rank
        from (
            select distinct {{ code_column }} as commodity_code
            from {{ codes_relation }}
            where {{ code_column }} is not null
        ) as codes
        left join {{ ref('hs_mineral_map') }} as hs_map
            on substring(codes.commodity_code, 1, {{ dbt.length('hs_map.commodity_code') }}) = hs_map.commodity_code
    ) as ranked
    where prefix_rank = 1
{%- endmacro %}

{#  Last day of the period a trade row covers: Dec 31 for annual rows, the last day of
    month `ytd_through_month` for year-to-date rows. `year_expr` is an integer. #}
{% macro period_end_date(year_expr, period_kind_expr, ytd_month_expr) -%}
    case
        when {{ period_kind_expr }} = 'ytd'
            then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', ytd_month_expr, chokepoint.year_start(year_expr))) }} as date)
        else cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, chokepoint.year_start(year_expr))) }} as date)
    end
{%- endmacro %}

{#  The HS 2017 code a six-digit code stands for (seed hs_revision_concordance): HS 2022 codes that split or
    narrowed map to their HS 2017 code, other HS 2022 and every HS 2017 code to themselves; NULL for another
    revision (HS07, or a bulk row without one), which the concordance does not cover. A scalar subquery, so the
    mart grain is unchanged. #}
{% macro hs6_as_hs2017(hs6_column, revision_column) -%}
    case
        when {{ revision_column }} = 'HS17' then {{ hs6_column }}
        when {{ revision_column }} = 'HS22' then coalesce(
            {#- max(): Spark accepts only an aggregated correlated scalar subquery; hs2022_code is unique in the seed. #}
            (select max(hs_revision_concordance.hs2017_code)
             from {{ ref('hs_revision_concordance') }} as hs_revision_concordance
             where hs_revision_concordance.hs2022_code = {{ hs6_column }}),
            {{ hs6_column }}
        )
    end
{%- endmacro %}
