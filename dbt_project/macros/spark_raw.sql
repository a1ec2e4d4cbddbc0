{#
    The raw layer on Spark without a second loader: orchestration/spark/engine.py exports every table of DuckDB's
    raw schema to <raw_dir>/<table>/ as Parquet (the DuckDB raw tables, loaded and sha256-verified by the raw assets,
    stay the source of truth; the export is a derived copy rewritten on every Spark build), and this on-run-start
    hook registers each one as raw.<table> USING parquet, so source('raw', ...) resolves on both engines.
    The table list comes from the export's directory (var spark_raw_tables, set by the runner). No-op on DuckDB.
#}
{% macro spark_register_raw_tables() %}
    {%- if target.type == 'spark' and execute -%}
        {%- set raw_dir = var('spark_raw_dir', none) -%}
        {%- if raw_dir is none -%}
            {{ exceptions.raise_compiler_error("Spark target: pass --vars spark_raw_dir (orchestration/spark/engine.py does)") }}
        {%- endif -%}
        {% do run_query('create database if not exists raw') %}
        {%- for table in var('spark_raw_tables', []) -%}
            {% do run_query('drop table if exists raw.' ~ table) %}
            {% do run_query("create table raw." ~ table ~ " using parquet location '" ~ raw_dir ~ "/" ~ table ~ "'") %}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
