{#
    A table landed by a live extractor (orchestration/extract/live) exists only after its first live run.
    live_source() reads it when it exists and otherwise stands in `empty_select` (same columns, no rows),
    so snapshot builds keep working. source() is called unconditionally so dbt, and the Dagster asset graph,
    always record the dependency.
#}
{% macro live_source(table_name, empty_select) -%}
    {%- set relation = source('raw_live', table_name) -%}
    {#- In a unit test, source() already names the test's fixture, which is not a relation to look up. -#}
    {%- if execute and model.resource_type != 'unit_test' and load_relation(relation) is none -%}
        ({{ empty_select }})
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
