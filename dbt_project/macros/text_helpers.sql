{#  snake_case a free-text label: lower case, runs of non-alphanumerics -> '_',
    no leading/trailing '_'. 'Rare Earths (Heavy)' -> 'rare_earths_heavy'. #}
{% macro to_snake_case(expr) -%}
    {{ chokepoint.regex_replace_all(
        chokepoint.regex_replace_all('lower(trim(' ~ expr ~ '))', "'[^a-z0-9]+'", "'_'"),
        "'^_+|_+$'", "''") }}
{%- endmacro %}

{#  Three-letter English month abbreviation (Jan..Dec) -> month number. #}
{% macro month_abbr_to_number(expr) -%}
    case lower({{ expr }})
        when 'jan' then 1 when 'feb' then 2 when 'mar' then 3 when 'apr' then 4
        when 'may' then 5 when 'jun' then 6 when 'jul' then 7 when 'aug' then 8
        when 'sep' then 9 when 'oct' then 10 when 'nov' then 11 when 'dec' then 12
    end
{%- endmacro %}

{#  HS code as zero-padded text: HS codes have an even number of digits, so a code
    that lost its leading zero (read as a number somewhere upstream) gets it back. #}
{% macro normalise_hs_code(expr) -%}
    case
        when {{ expr }} is null or trim({{ expr }}) = '' then null
        when mod({{ dbt.length('trim(' ~ expr ~ ')') }}, 2) = 1
            then {{ dbt.concat(["'0'", 'trim(' ~ expr ~ ')']) }}
        else trim({{ expr }})
    end
{%- endmacro %}

{#  A vocabulary (generated var, home data_contracts/vocabularies.py) as a SQL value list for `in (...)`, so a model
    that filters on a whole vocabulary reads it instead of copying its values (tests/unit/test_vocabulary_copies.py). #}
{% macro vocabulary_list(name) -%}
    {%- for value in var(name) -%}'{{ value }}'{% if not loop.last %}, {% endif %}{%- endfor -%}
{%- endmacro %}
