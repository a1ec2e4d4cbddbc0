{#
    dbt.listagg on Spark, ordered. dbt-spark's own spark__listagg drops the order_by_clause (collect_list order is
    whatever the shuffle gives), so the same mart would list measures in another order on each engine. Found through
    dbt's dispatch (dbt_project.yml: dispatch macro_namespace dbt searches chokepoint first), so models keep calling
    dbt.listagg unchanged. Collects (sort key, value) structs, sorts them, keeps the values: one ascending sort
    expression, as every model here passes. NULL when no value is non-null, like DuckDB's string_agg.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set key = (order_by_clause or '') | trim -%}
    {%- if key[:8] | lower == 'order by' -%}{%- set key = key[8:] | trim -%}{%- endif -%}
    {%- if key.lower().endswith(' desc') or ',' in key -%}
        {{ exceptions.raise_compiler_error("spark__listagg: only one ascending sort expression is supported, got: " ~ order_by_clause) }}
    {%- endif -%}
    {%- if key -%}
        {%- set collected = "transform(array_sort(collect_list(struct(" ~ key ~ " as k, " ~ measure ~ " as v))), x -> x.v)" -%}
    {%- else -%}
        {%- set collected = "collect_list(" ~ measure ~ ")" -%}
    {%- endif -%}
    {%- if limit_num -%}{%- set collected = "slice(" ~ collected ~ ", 1, " ~ limit_num ~ ")" -%}{%- endif -%}
    case when count({{ measure }}) = 0 then null else array_join({{ collected }}, {{ delimiter_text }}) end
{%- endmacro %}
