{#
    THE rule for "which HS6 of a monthly source a measure part reaches" (event_windows_monthly, monthly_exposure):
    HS6 whose leading digits are a code of the part (coverage full or partial), or a project mapping of goods the part
    names without a code (seed uncoded_scope_products) where no code of the part already reaches that HS6.
    `products` is a relation or subquery with a column hs6. Returns measure_id, part_id, hs6, scope_basis,
    coverage_level.
#}
{% macro monthly_part_scope(products) -%}
    select
        codes.measure_id,
        codes.part_id,
        products.hs6,
        'register_code' as scope_basis,
        max(codes.coverage_level) as coverage_level
    from {{ ref('stg_register__measure_codes') }} as codes
    inner join {{ products }} as products
        on substring(products.hs6, 1, length(codes.match_prefix)) = codes.match_prefix
    where codes.coverage_level in ({{ vocabulary_list('exposure_coverage_levels') }})
    group by codes.measure_id, codes.part_id, products.hs6

    union all

    select
        mapped.measure_id,
        mapped.part_id,
        mapped.hs6,
        'uncoded_goods_mapping' as scope_basis,
        mapped.coverage_level
    from {{ ref('uncoded_scope_products') }} as mapped
    where not exists (
        select 1
        from {{ ref('stg_register__measure_codes') }} as codes
        where {{ join_on_keys('codes', 'mapped', measure_part_key()) }}
            and codes.coverage_level in ({{ vocabulary_list('exposure_coverage_levels') }})
            and substring(mapped.hs6, 1, length(codes.match_prefix)) = codes.match_prefix
    )
{%- endmacro %}
