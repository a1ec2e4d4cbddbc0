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
