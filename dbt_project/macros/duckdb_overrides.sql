{#
    delete+insert on DuckDB, linear in the rows of a key. dbt-duckdb 1.11 deletes for a list unique_key
    (int_cepii__flows_mapped: ['source', 'year']) with `delete ... using <new rows> where <each key column equal>`,
    a join of every old row of a key with every new row of it: a snapshot refresh's 21,723 rows of
    ('cepii_baci', 2024) took 5.7 s, and a replaced bulk year of millions of rows would not finish
    (dbt-labs/dbt-adapters#150, dbt-core#9279). Here the key columns are matched as one row value against the
    distinct keys of the new rows, as dbt-core's cross-adapter default does and as dbt-duckdb already does for a
    single-column key. Found first through `dispatch` (dbt_project.yml).
#}
{% macro duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- if unique_key -%}
        {%- set keys = ([unique_key] if unique_key is string else unique_key) | join(', ') -%}
        delete from {{ target }}
        where ({{ keys }}) in (select distinct {{ keys }} from {{ source }})
        {%- for predicate in incremental_predicates or [] %}
            and {{ predicate }}
        {%- endfor %};
    {%- endif %}

    insert into {{ target }} ({{ dest_cols_csv }})
    (
        select {{ dest_cols_csv }}
        from {{ source }}
    )
{%- endmacro %}
