{#
    Row keys that several models share, each written once (issue 28): the list of key columns, and the select list /
    join condition built from a list. Plain standard SQL (null_safe_equal is too), the same text on DuckDB and Spark.
#}

{#  The restriction flow-row key: one import flow row from a restricting country (source x importer x restricting
    country x trade code x period). `month` is NULL on annual and ytd rows, so joins on it must be null-safe
    (join_on_keys' null_safe). `extra` appends finer keys, e.g. ['measure_id'] for the per-measure bridge. #}
{% macro restriction_flow_row_key(extra=[]) -%}
    {{ return(['source', 'importer_iso3', 'restricting_country_iso3', 'commodity_code', 'year', 'period_kind', 'month'] + extra) }}
{%- endmacro %}

{#  The event key of an export-control event study: one series (importer x mineral x source x period kind) around
    one measure. #}
{% macro event_series_key(extra=[]) -%}
    {{ return(['importer_iso3', 'mineral', 'source', 'period_kind', 'measure_id'] + extra) }}
{%- endmacro %}

{#  `keys` as a comma-separated list, each qualified by `relation` when one is given. #}
{% macro key_columns(keys, relation=none) -%}
    {%- for key in keys %}{% if relation %}{{ relation }}.{% endif %}{{ key }}{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}

{#  `left.key = right.key` for every key, ANDed; a key in `null_safe` matches NULL to NULL (null_safe_equal). #}
{% macro join_on_keys(left, right, keys, null_safe=[]) -%}
    {%- for key in keys -%}
        {%- if not loop.first %}
    and {% endif -%}
        {%- if key in null_safe -%}
            {{ null_safe_equal(left ~ '.' ~ key, right ~ '.' ~ key) }}
        {%- else -%}
            {{ left }}.{{ key }} = {{ right }}.{{ key }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#  The measure part key: one article or item of a register measure, what status periods, codes, destinations and
    sources are recorded against. #}
{% macro measure_part_key() -%}
    {{ return(['measure_id', 'part_id']) }}
{%- endmacro %}
