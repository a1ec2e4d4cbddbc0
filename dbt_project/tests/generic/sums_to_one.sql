{#
    A share column must sum to 1 (within `tolerance`) inside every group.
    Fails once per group whose shares sum elsewhere. Groups whose shares are
    all NULL (nothing to share) are skipped.
#}
{% test sums_to_one(model, column_name, group_by_columns, tolerance=0.000001) %}

select
    {{ group_by_columns | join(', ') }},
    sum({{ column_name }}) as share_sum
from {{ model }}
group by {{ group_by_columns | join(', ') }}
having count({{ column_name }}) > 0
    and abs(sum({{ column_name }}) - 1) > {{ tolerance }}

{% endtest %}
