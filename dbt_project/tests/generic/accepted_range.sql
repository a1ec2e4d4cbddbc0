{#
    Fails for every row where `column_name` is outside [min_value, max_value].
    Bounds are inclusive by default; `inclusive=false` makes both strict, and
    `min_inclusive` / `max_inclusive` override one side (e.g. HHI in (0, 10000]).
    Either bound may be omitted. NULLs pass (pair with not_null when they must not occur).
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true, min_inclusive=none, max_inclusive=none, where_clause=none) %}

{%- set lower_inclusive = inclusive if min_inclusive is none else min_inclusive -%}
{%- set upper_inclusive = inclusive if max_inclusive is none else max_inclusive -%}

select
    {{ column_name }} as out_of_range_value,
    *
from {{ model }}
where {{ column_name }} is not null
    {% if where_clause %}and ({{ where_clause }}){% endif %}
    and (
        1 = 0
        {% if min_value is not none %}
        or {{ column_name }} {{ '<' if lower_inclusive else '<=' }} {{ min_value }}
        {% endif %}
        {% if max_value is not none %}
        or {{ column_name }} {{ '>' if upper_inclusive else '>=' }} {{ max_value }}
        {% endif %}
    )

{% endtest %}
