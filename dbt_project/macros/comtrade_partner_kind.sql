{#  What a UN Comtrade partner code names (vocabulary comtrade_partner_kinds): World, a country or an area of BACI's
    table (joined as baci_alias), or a Comtrade partner area BACI's table lacks (comtrade_partner_areas, joined as
    area_alias; no ISO3 is sourced for it). One home for the rule both Comtrade staging models apply; NULL for a code
    in neither seed, which the live contract quarantines (ComtradeLiveRecords) and the snapshot files do not hold.
    is_country_expr lets stg_comtrade__records keep country_reference's convention (490 is not a country there). #}
{% macro comtrade_partner_kind(code_expr, baci_alias, area_alias, is_country_expr=none) -%}
    case
        when {{ code_expr }} = 0 then 'world'
        when {{ baci_alias }}.country_code is not null and {{ is_country_expr or baci_alias ~ '.is_country' }} then 'country'
        when {{ baci_alias }}.country_code is not null then 'area'
        when {{ area_alias }}.partner_code is not null then 'comtrade_area'
    end
{%- endmacro %}
