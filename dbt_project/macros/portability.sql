{#
    Portability layer. Every DuckDB-specific function used by the models lives
    here, behind adapter.dispatch, so the same models run on Spark or Trino by
    adding a spark__/trino__ implementation (equivalents named in each comment).
    Everything else in models/ is standard SQL or a dbt cross-database macro.
#}

{# True when `expr` matches the regular expression `pattern` (a SQL string literal).
   DuckDB: regexp_matches(expr, pattern)
   Spark:  expr rlike pattern
   Trino:  regexp_like(expr, pattern) #}
{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'chokepoint')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    regexp_like({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike {{ pattern }})
{%- endmacro %}

{# Replace every match of `pattern` in `expr`.
   DuckDB: regexp_replace(expr, pattern, replacement, 'g')  (without 'g' only the first match)
   Spark / Trino: regexp_replace(expr, pattern, replacement)  (global by default) #}
{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'chokepoint')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

{% macro duckdb__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{# Capture group `group_index` of the first match of `pattern`, NULL when no match.
   DuckDB: regexp_extract returns '' on no match -> wrapped in nullif.
   Spark:  regexp_extract(expr, pattern, idx) also returns '' -> same nullif.
   Trino:  regexp_extract(expr, pattern, group) returns NULL. #}
{% macro regex_extract(expr, pattern, group_index=1) -%}
    {{ return(adapter.dispatch('regex_extract', 'chokepoint')(expr, pattern, group_index)) }}
{%- endmacro %}

{% macro default__regex_extract(expr, pattern, group_index=1) -%}
    nullif(regexp_extract({{ expr }}, {{ pattern }}, {{ group_index }}), '')
{%- endmacro %}

{#  First day of `year_expr` (an integer expression) as a DATE.
    Standard SQL cast of 'YYYY-01-01'; works on DuckDB, Spark and Trino. #}
{% macro year_start(year_expr) -%}
    cast({{ dbt.concat([dbt.safe_cast(year_expr, api.Column.translate_type('string')), "'-01-01'"]) }} as date)
{%- endmacro %}

{#  Text date 'YYYY-MM-DD' or 'YYYY-MM' (month precision -> first of month) to DATE.
    Standard SQL; no DuckDB-only function. #}
{% macro parse_register_date(expr) -%}
    case
        when {{ expr }} is null or trim({{ expr }}) = '' then null
        when {{ dbt.length('trim(' ~ expr ~ ')') }} = 7
            then cast({{ dbt.concat(['trim(' ~ expr ~ ')', "'-01'"]) }} as date)
        else cast(trim({{ expr }}) as date)
    end
{%- endmacro %}

{% macro register_date_precision(expr) -%}
    case
        when {{ expr }} is null or trim({{ expr }}) = '' then null
        when {{ dbt.length('trim(' ~ expr ~ ')') }} = 7 then 'month'
        else 'day'
    end
{%- endmacro %}

{#  The as-of date for status columns: var('as_of_date') when given
    (e.g. --vars '{as_of_date: "2026-01-01"}'), else the database's current_date. #}
{% macro as_of_date() -%}
    {%- set v = var('as_of_date', none) -%}
    {%- if v is none or v == '' -%}
        current_date
    {%- else -%}
        cast('{{ v }}' as date)
    {%- endif -%}
{%- endmacro %}

{#  Incremental "replace every row of the keys that changed" (here: the source-years with new rows).
    DuckDB: delete+insert on unique_key. Spark: insert_overwrite of those partitions (the table is partitioned by
    the key; dbt-spark sets partitionOverwriteMode=dynamic), since merge/delete need Delta/Iceberg and plain
    Parquet tables have neither. Trino (Hive/Iceberg): delete+insert.
    Used in config() at parse time, so it reads target.type instead of dispatching. #}
{% macro replace_by_key_strategy() -%}
    {{ return('insert_overwrite' if target.type == 'spark' else 'delete+insert') }}
{%- endmacro %}

{#  `key`: the unique_key, one column or a list of them. #}
{% macro replace_by_key_partition(key) -%}
    {{ return(([key] if key is string else key) if target.type == 'spark' else none) }}
{%- endmacro %}


{# Median of a numeric expression as an aggregate (DuckDB and ANSI: percentile_cont; Spark: percentile). #}
{% macro median_of(expr) -%}
    {{ return(adapter.dispatch('median_of')(expr)) }}
{%- endmacro %}

{% macro default__median_of(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro spark__median_of(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}


{# As an aggregate: `arg` of the row with the largest `value`, ties to the smallest `arg`; rows where `condition`
   is false take no part (NULL when none qualifies). The same answer as row_number() over (order by value desc,
   arg) = 1, without a window over every input row and a join back: at 50M bulk rows that window and join spilled
   to disk (docs/BENCHMARKS.md).
   DuckDB: arg_min(arg, (-value, arg)), NULL orderings skipped
   Spark:  min_by(arg, struct(-value, arg)), NULL orderings skipped
   Trino:  min_by(arg, row(-value, arg)) #}
{% macro arg_of_max_value(arg, value, condition) -%}
    {{ return(adapter.dispatch('arg_of_max_value')(arg, value, condition)) }}
{%- endmacro %}

{% macro default__arg_of_max_value(arg, value, condition) -%}
    arg_min(case when {{ condition }} then {{ arg }} end, case when {{ condition }} then row(-({{ value }}), {{ arg }}) end)
{%- endmacro %}

{% macro spark__arg_of_max_value(arg, value, condition) -%}
    min_by(case when {{ condition }} then {{ arg }} end, case when {{ condition }} then struct(-({{ value }}), {{ arg }}) end)
{%- endmacro %}
