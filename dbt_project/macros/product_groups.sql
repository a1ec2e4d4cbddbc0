{#  Product group of a product key (hs_mineral_map.mineral). Keys listed in hs_product_groups are
    semiconductor products; every other key is a critical mineral, because hs_mineral_map held only
    minerals before the semiconductor codes were added (see hs_product_groups.yml). NULL for an
    unmapped code (NULL key). A scalar
    subquery, so any model can label its rows without another join in its grain; max() because Spark only
    accepts an aggregated correlated scalar subquery (product is unique in the seed, so max is that one row). #}
{% macro product_group(product_column) -%}
    case
        when {{ product_column }} is not null then coalesce(
            (select max(hs_product_groups.product_group)
             from {{ ref('hs_product_groups') }} as hs_product_groups
             where hs_product_groups.product = {{ product_column }}),
            'critical_mineral'
        )
    end
{%- endmacro %}

{#  True when the product key is a member of the mineral group (seed mineral_groups). A scalar subquery, like
    product_group, so a mart gains one boolean per group without a join that would multiply its rows for a
    mineral in two groups. Pass a qualified column (measures.mineral): a bare `mineral` would bind to the seed's
    own column inside the subquery. #}
{% macro in_mineral_group(product_column, group_name) -%}
    {#- count(*) > 0, not a bare "select true": Spark accepts only an aggregated correlated scalar subquery. -#}
    (select count(*) > 0
     from {{ ref('mineral_groups') }} as mineral_groups
     where mineral_groups.mineral = {{ product_column }}
         and mineral_groups.mineral_group = '{{ group_name }}')
{%- endmacro %}
