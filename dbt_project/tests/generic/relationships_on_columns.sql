{#
    Every non-NULL combination of `columns` in the model exists in `to` (a composite-key
    relationships test; dbt's built-in one takes a single column).
#}
{% test relationships_on_columns(model, to, columns) %}

select {{ columns | join(', ') }}
from {{ model }} as child
where {% for c in columns %}child.{{ c }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    and not exists (
        select 1
        from {{ to }} as parent
        where {% for c in columns %}parent.{{ c }} = child.{{ c }}{% if not loop.last %} and {% endif %}{% endfor %}
    )

{% endtest %}
