{#
    Fails for every row where `column_name` is outside [min_value, max_value].
    Bounds are inclusive unless inclusive=false; either bound may be omitted.
    NULLs pass (pair with not_null when they must not occur).
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true, where_clause=none) %}

select
    {{ column_name }} as out_of_range_value,
    *
from {{ model }}
where {{ column_name }} is not null
    {% if where_clause %}and ({{ where_clause }}){% endif %}
    and (
        1 = 0
        {% if min_value is not none %}
        or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
        {% endif %}
        {% if max_value is not none %}
        or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
        {% endif %}
    )

{% endtest %}
