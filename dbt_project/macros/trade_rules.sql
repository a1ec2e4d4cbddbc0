{#
    Rules that several models share, each written once here (issue 28). Plain standard SQL: nothing here needs
    adapter.dispatch, the same text runs on DuckDB and Spark.
#}

{#  China including Hong Kong: the partner is China (CHN) or Hong Kong (HKG), the pair docs/methods.md reads as
    "China incl. Hong Kong" because much of China's trade is consigned through Hong Kong.
    An unknown partner (NULL ISO3) counts as NOT China: a row whose country cannot be named cannot be attributed
    to China either, and a boolean fact column without NULLs keeps `where partner_in_china_incl_hk` and
    `not partner_in_china_incl_hk` complementary. The models that wrote the rule without coalesce (bulk folder,
    Comtrade staging) never reach it with a NULL ISO3 in the marts (the bulk model drops unnamed countries, the
    reported-flows model has a not_null test on the column), so the one choice changes no published row. #}
{% macro china_incl_hk(iso3_expr) -%}
    coalesce({{ iso3_expr }} in ('CHN', 'HKG'), false)
{%- endmacro %}

{#  Who counts as a supplier in a share or an HHI: a country partner (not 'Areas nes', Free Zones, World ...) that
    is not the importer itself (a re-import is not a foreign supplier). Unknown is no: a NULL partner_is_country
    or a NULL self-trade flag (a partner or reporter without ISO3) keeps the row out of the denominator - it
    stays in the totals, which every mart reports beside the shares. `self_trade_expr` is a boolean expression,
    e.g. `is_self_trade` or `partner_iso3 = reporter_iso3`. #}
{% macro is_supplier(partner_is_country_expr, self_trade_expr) -%}
    (coalesce({{ partner_is_country_expr }}, false) and not coalesce({{ self_trade_expr }}, true))
{%- endmacro %}

{#  Herfindahl-Hirschman index of concentration = scale x sum of squared shares (docs/methods.md section 4),
    an aggregate over one row per supplier or producer. scale=10000 gives the 0-10,000 points scale of the marts,
    scale=1 the 0-1 fraction the supply-risk weights multiply. #}
{% macro hhi(share_expr, scale=10000) -%}
    {%- if scale == 1 -%}
        sum({{ share_expr }} * {{ share_expr }})
    {%- else -%}
        {{ scale }} * sum({{ share_expr }} * {{ share_expr }})
    {%- endif -%}
{%- endmacro %}

{#  The same index from values instead of shares: scale x sum(value^2) / (sum value)^2, for a model that holds the
    sum of squared values and the total already aggregated (dependency_measures). One division instead of one per
    supplier, so the figures are those the marts have always published, to the last bit. #}
{% macro hhi_from_values(sum_squared_values_expr, total_expr, scale=10000) -%}
    {{ scale }} * {{ sum_squared_values_expr }} / ({{ total_expr }} * {{ total_expr }})
{%- endmacro %}

