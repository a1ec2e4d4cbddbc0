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

{#
    Seeds on Spark. dbt-spark's session cursor substitutes bindings with plain `%s` formatting: an empty CSV cell
    arrives as the string 'None' and a value with an apostrophe breaks the statement. Here the values are written
    as literals: NULL for an empty cell; an apostrophe as chr(39) (the profile sets escapedStringLiterals, so a
    backslash is literal as in DuckDB and cannot escape a quote).
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast(('{{ (value | string).replace("'", "' || chr(39) || '") }}') as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
