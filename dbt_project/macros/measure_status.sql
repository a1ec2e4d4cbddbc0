{#
    Status periods of int_measures__status_periods are half-open [valid_from, valid_to);
    NULL valid_from = since forever, NULL valid_to = open-ended.
    `period_covers_date` is THE way to ask "what was the status on date d".
#}
{% macro period_covers_date(period_alias, date_expr) -%}
    (({{ period_alias }}.valid_from is null or {{ period_alias }}.valid_from <= {{ date_expr }})
        and ({{ period_alias }}.valid_to is null or {{ date_expr }} < {{ period_alias }}.valid_to))
{%- endmacro %}

{#  True when status period `period_alias` overlaps the closed date range [start_expr, end_expr]. #}
{% macro period_overlaps_range(period_alias, start_expr, end_expr) -%}
    (({{ period_alias }}.valid_from is null or {{ period_alias }}.valid_from <= {{ end_expr }})
        and ({{ period_alias }}.valid_to is null or {{ period_alias }}.valid_to > {{ start_expr }}))
{%- endmacro %}

{#  Days covered by the union of half-open intervals [start_col, end_col) per `keys`
    (overlapping intervals count once): a select over `relation` returning keys + days.
    Gaps and islands on the running maximum end; standard window functions only. #}
{% macro union_interval_days(relation, keys, start_col, end_col) -%}
    {%- set k = keys | join(', ') -%}
    select {{ k }}, cast(sum({{ dbt.datediff('island_start', 'island_end', 'day') }}) as {{ dbt.type_int() }}) as days
    from (
        select {{ k }}, island, min({{ start_col }}) as island_start, max({{ end_col }}) as island_end
        from (
            select
                flagged.*,
                sum(starts_island) over (partition by {{ k }} order by {{ start_col }}, {{ end_col }} rows unbounded preceding) as island
            from (
                select
                    intervals.*,
                    case
                        when max({{ end_col }}) over (
                            partition by {{ k }} order by {{ start_col }}, {{ end_col }}
                            rows between unbounded preceding and 1 preceding
                        ) >= {{ start_col }} then 0
                        else 1
                    end as starts_island
                from {{ relation }} as intervals
            ) as flagged
        ) as numbered
        group by {{ k }}, island
    ) as islands
    group by {{ k }}
{%- endmacro %}

{#  Half-open bounds [start, end) of the period a trade row covers: the calendar year for
    annual rows, January to the end of ytd_through_month for ytd rows, the month for
    monthly rows. #}
{% macro trade_period_start(year_expr, period_kind_expr, month_expr) -%}
    case
        when {{ period_kind_expr }} = 'monthly'
            then cast({{ dbt.dateadd('month', month_expr ~ ' - 1', chokepoint.year_start(year_expr)) }} as date)
        else {{ chokepoint.year_start(year_expr) }}
    end
{%- endmacro %}

{% macro trade_period_end_exclusive(year_expr, period_kind_expr, month_expr, ytd_month_expr) -%}
    case
        when {{ period_kind_expr }} = 'monthly'
            then cast({{ dbt.dateadd('month', month_expr, chokepoint.year_start(year_expr)) }} as date)
        when {{ period_kind_expr }} = 'ytd'
            then cast({{ dbt.dateadd('month', ytd_month_expr, chokepoint.year_start(year_expr)) }} as date)
        else cast({{ dbt.dateadd('year', 1, chokepoint.year_start(year_expr)) }} as date)
    end
{%- endmacro %}

{#  a = b, with NULL = NULL (trade rows carry month only when monthly). #}
{% macro null_safe_equal(left, right) -%}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{%- endmacro %}

{#  The most binding status among a measure's parts: in_force > suspended > expired >
    announced > not_yet_announced (aggregate over `status_expr`). #}
{% macro most_binding_status(status_expr) -%}
    case max(case {{ status_expr }}
                when 'in_force' then 5 when 'suspended' then 4 when 'expired' then 3
                when 'announced' then 2 else 1 end)
        when 5 then 'in_force' when 4 then 'suspended' when 3 then 'expired'
        when 2 then 'announced' else 'not_yet_announced'
    end
{%- endmacro %}
