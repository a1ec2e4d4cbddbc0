{#
    Parsing of USGS Mineral Commodity Summaries value tokens (methods.md §1).
    Tokens are kept verbatim elsewhere; these macros only classify them.
      '1,234' / '67' / '0.5'  -> number        (comparator '=')
      '>95'                    -> lower_bound   (comparator '>')
      '<25'                    -> upper_bound   (comparator '<')
      'E'                      -> net_exporter  (NOT "estimated")
      'W'                      -> withheld
      'NA'                     -> not_available
      '—' / '--'               -> zero          (comparator '=', value 0)
      'XX'                     -> not_applicable
      's'                      -> see_note      (meaning is in the footnote, e.g. "Less than ½ unit.")
      '50–300' / '330 - 390'   -> range
      anything else            -> unparsed      (marts reject it through accepted_values tests)
    `token` must already be trimmed (see usgs_clean_token).
#}

{% macro usgs_clean_token(expr) -%}
    {{ chokepoint.regex_replace_all(expr, "'^[\\s\\x{00a0}]+|[\\s\\x{00a0}]+$'", "''") }}
{%- endmacro %}

{% macro usgs_value_kind(token) -%}
    case
        when {{ token }} is null then 'not_available'
        when {{ chokepoint.regex_matches(token, "'^[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?$|^[0-9]+(\\.[0-9]+)?$'") }} then 'number'
        when {{ chokepoint.regex_matches(token, "'^>\\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?$'") }} then 'lower_bound'
        when {{ chokepoint.regex_matches(token, "'^<\\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?$'") }} then 'upper_bound'
        when {{ token }} = 'E' then 'net_exporter'
        when {{ token }} = 'W' then 'withheld'
        when {{ token }} = 'NA' then 'not_available'
        when {{ token }} in ('—', '--', '–') then 'zero'
        when {{ token }} = 'XX' then 'not_applicable'
        when {{ token }} = 's' then 'see_note'
        when {{ chokepoint.regex_matches(token, "'^[0-9,.]+\\s*(–|-)\\s*[0-9,.]+$'") }} then 'range'
        else 'unparsed'
    end
{%- endmacro %}

{% macro usgs_comparator(token) -%}
    case {{ chokepoint.usgs_value_kind(token) }}
        when 'number' then '='
        when 'zero' then '='
        when 'lower_bound' then '>'
        when 'upper_bound' then '<'
    end
{%- endmacro %}

{#  Numeric value of a number or bound (thousands separators removed), 0 for the
    zero token, NULL for every other token. Never a silent coercion. #}
{% macro usgs_numeric_value(token) -%}
    case
        when {{ chokepoint.usgs_value_kind(token) }} in ('number', 'lower_bound', 'upper_bound')
            then cast(trim(replace(replace(replace({{ token }}, ',', ''), '>', ''), '<', '')) as double)
        when {{ chokepoint.usgs_value_kind(token) }} = 'zero' then 0
    end
{%- endmacro %}
