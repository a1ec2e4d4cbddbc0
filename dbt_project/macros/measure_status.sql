{#
    Status periods of int_measures__status_periods are half-open [valid_from, valid_to);
    valid_from is never NULL (the leading not_yet_announced period starts at status_period_open_start(),
    a date before every register date), NULL valid_to = open-ended. So the natural predicate
    `d >= valid_from and (valid_to is null or d < valid_to)` is the status on date d;
    `period_covers_date` is THE way to ask it in the models.
#}
{% macro period_covers_date(period_alias, date_expr) -%}
    ({{ period_alias }}.valid_from <= {{ date_expr }}
        and ({{ period_alias }}.valid_to is null or {{ date_expr }} < {{ period_alias }}.valid_to))
{%- endmacro %}

{#  True when status period `period_alias` overlaps the closed date range [start_expr, end_expr]. #}
{% macro period_overlaps_range(period_alias, start_expr, end_expr) -%}
    ({{ period_alias }}.valid_from <= {{ end_expr }}
        and ({{ period_alias }}.valid_to is null or {{ period_alias }}.valid_to > {{ start_expr }}))
{%- endmacro %}

{#  valid_from of the leading not_yet_announced period: the generated var status_period_open_start
    (data_contracts/vocabularies.py: STATUS_PERIOD_OPEN_START), a date literal on every engine. #}
{% macro status_period_open_start() -%}
    cast('{{ var("status_period_open_start") }}' as date)
{%- endmacro %}

{#
    THE decision "does a part apply under this status" (one place, so every consumer counts alike):
      certainty='sourced'  -> only 'in_force' (a text states it applies): central figures, "in force" labels;
      certainty='possible' -> any of var('possibly_in_force_statuses'): 'in_force' plus the *_unconfirmed
                              statuses (an end date passed, no source on what followed). Only for upper
                              bounds, never reported as sourced in force.
#}
{% macro status_applies(status_expr, certainty='sourced') -%}
    {%- if certainty == 'sourced' -%}
        ({{ status_expr }} = 'in_force')
    {%- elif certainty == 'possible' -%}
        ({{ status_expr }} in ('{{ var("possibly_in_force_statuses") | join("', '") }}'))
    {%- else -%}
        {{ exceptions.raise_compiler_error("status_applies: certainty is 'sourced' or 'possible', not " ~ certainty) }}
    {%- endif -%}
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

{#  The most binding status among a measure's parts (aggregate over `status_expr`): in_force >
    suspension_ended_unconfirmed (possibly in force) > suspended > end_date_passed_unconfirmed > announced >
    not_yet_announced. #}
{% macro most_binding_status(status_expr) -%}
    case max(case {{ status_expr }}
                when 'in_force' then 6 when 'suspension_ended_unconfirmed' then 5 when 'suspended' then 4
                when 'end_date_passed_unconfirmed' then 3 when 'announced' then 2 else 1 end)
        when 6 then 'in_force' when 5 then 'suspension_ended_unconfirmed' when 4 then 'suspended'
        when 3 then 'end_date_passed_unconfirmed' when 2 then 'announced' else 'not_yet_announced'
    end
{%- endmacro %}

{#  A status period (`status_alias`, half-open [valid_from, valid_to), NULL = open) clipped to a trade period
    [period_start, period_end_exclusive): the part of the period the status covers. Two columns, in_force_start and
    in_force_end; the caller keeps the rows where in_force_start < in_force_end (no overlap otherwise). #}
{% macro clip_to_period(status_alias, period_start, period_end_exclusive) -%}
    case
        when {{ status_alias }}.valid_from is null or {{ status_alias }}.valid_from < {{ period_start }} then {{ period_start }}
        else {{ status_alias }}.valid_from
    end as in_force_start,
    case
        when {{ status_alias }}.valid_to is null or {{ status_alias }}.valid_to > {{ period_end_exclusive }} then {{ period_end_exclusive }}
        else {{ status_alias }}.valid_to
    end as in_force_end
{%- endmacro %}
