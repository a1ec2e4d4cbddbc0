{#
    The grain: the combination of columns identifies a row. Fails once per duplicated key, and once per key with a
    missing column (NULL) outside `nullable_columns`: a row without its key is not identified. So a key column needs
    no not_null test of its own (issue 31: 208 of them were one more query and one more Dagster check each).
    `nullable_columns` lists the key columns this test does not require present: among them a NULL counts as a
    value (two annual rows with month NULL and the same other keys are duplicates), which is what a grain test needs.
#}
{% test unique_combination_of_columns(model, combination_of_columns, nullable_columns=[]) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{%- for column in combination_of_columns if column not in nullable_columns %}
    or {{ column }} is null
{%- endfor %}

{% endtest %}
