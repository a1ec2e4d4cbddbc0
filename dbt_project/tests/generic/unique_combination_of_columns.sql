{#
    Fails once per duplicated key: the combination of columns must identify a row.
    NULLs count as a value (two rows with the same NULL key are duplicates),
    which is what a grain test needs.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
