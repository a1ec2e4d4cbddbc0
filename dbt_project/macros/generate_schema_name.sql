{#
    Use the custom schema name as-is (staging, intermediate, marts, reference)
    instead of dbt's default "<target_schema>_<custom_schema>" (e.g. main_marts).
    BI users and the orchestrator address tables as marts.<name>.
    Models without a custom schema fall back to the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
