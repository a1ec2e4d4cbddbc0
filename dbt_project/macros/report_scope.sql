{#  The report's US series (dbt_project/models/report): USITC DataWeb annual rows with the US as importer, for the
    report minerals (vocabulary report_minerals). importer_column: the column naming the importer in the mart read
    (importer_iso3 in the dependency marts, reporter_iso3 in fct_trade_flows, where the US reports its imports). #}
{% macro report_us_annual_series(importer_column='importer_iso3') -%}
    {{ importer_column }} = 'USA'
    and source = 'usitc_dataweb'
    and period_kind = 'annual'
    and mineral in ({{ vocabulary_list('report_minerals') }})
{%- endmacro %}
