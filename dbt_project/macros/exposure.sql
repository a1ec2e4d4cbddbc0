{#  The one rule for which status puts goods under a measure in the exposure marts and the supply-risk trade
    factor: only 'in_force', the status a published text states. A status resting on an unconfirmed lapse of a
    suspension is not counted as in force here; an upper-bound variant that counts it would change this macro only. #}
{% macro counts_as_in_force(status_expr) -%}
    {{ status_expr }} = 'in_force'
{%- endmacro %}
