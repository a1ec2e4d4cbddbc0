-- China's dependency on foreign chip-making equipment per product and year: one row per product x year, where
-- product is heading 8486 (all its subheadings in the extract) or one HS07 subheading (848610/20/40/90). The
-- heading row holds the same dollars as its subheading rows: never add rows across product_level.
-- Shares are of imports from country suppliers other than China (chip_equipment_dependency); HHI on the
-- 0-10,000 scale over those suppliers. Values FOB as BACI reconciles them.

with

rows_ as (

    select * from {{ ref('chip_equipment_dependency') }}

),

by_product as (

    select year, hs6 as product_code, 'hs6' as product_level, exporter_iso3, supplier_group, is_controlling_country, counts_in_shares, value_usd
    from rows_

    union all

    select year, '8486' as product_code, 'heading' as product_level, exporter_iso3, supplier_group, is_controlling_country, counts_in_shares, value_usd
    from rows_

),

per_supplier as (

    select
        year, product_code, product_level, exporter_iso3,
        max(supplier_group) as supplier_group,
        max(case when is_controlling_country then 1 else 0 end) = 1 as is_controlling_country,
        max(case when counts_in_shares then 1 else 0 end) = 1 as counts_in_shares,
        sum(value_usd) as value_usd
    from by_product
    group by year, product_code, product_level, exporter_iso3

),

totals as (

    select
        year, product_code, product_level,
        sum(value_usd) as total_value_usd,
        sum(case when counts_in_shares then value_usd else 0 end) as supplier_value_usd,
        -- count, not a sum of ones: DuckDB sums integers into HUGEINT, which BI drivers and Spark read badly
        count(case when counts_in_shares and value_usd > 0 then 1 end) as positive_supplier_count
    from per_supplier
    group by year, product_code, product_level

),

shares as (

    select
        per_supplier.*,
        per_supplier.value_usd / nullif(totals.supplier_value_usd, 0) as share,
        row_number() over (
            partition by per_supplier.year, per_supplier.product_code
            order by per_supplier.value_usd desc, per_supplier.exporter_iso3 asc
        ) as supplier_rank
    from per_supplier
    inner join totals
        on per_supplier.year = totals.year
        and per_supplier.product_code = totals.product_code
    where per_supplier.counts_in_shares

),

measures as (

    select
        year,
        product_code,
        {{ hhi('share') }} as hhi,
        max(case when supplier_rank = 1 then exporter_iso3 end) as top_supplier_iso3,
        max(case when supplier_rank = 1 then share end) as top_supplier_share,
        coalesce(sum(case when is_controlling_country then share end), 0) as controlling_countries_share,
        coalesce(sum(case when exporter_iso3 = 'USA' then share end), 0) as us_share,
        coalesce(sum(case when exporter_iso3 = 'JPN' then share end), 0) as japan_share,
        coalesce(sum(case when exporter_iso3 = 'NLD' then share end), 0) as netherlands_share,
        coalesce(sum(case when exporter_iso3 = 'KOR' then share end), 0) as korea_share,
        coalesce(sum(case when exporter_iso3 = 'S19' then share end), 0) as taiwan_share,
        coalesce(sum(case when exporter_iso3 = 'DEU' then share end), 0) as germany_share,
        coalesce(sum(case when exporter_iso3 = 'SGP' then share end), 0) as singapore_share,
        coalesce(sum(case when exporter_iso3 = 'USA' then value_usd end), 0) as us_value_usd,
        coalesce(sum(case when exporter_iso3 = 'JPN' then value_usd end), 0) as japan_value_usd,
        coalesce(sum(case when exporter_iso3 = 'NLD' then value_usd end), 0) as netherlands_value_usd,
        coalesce(sum(case when is_controlling_country then value_usd end), 0) as controlling_countries_value_usd
    from shares
    group by year, product_code

)

select
    totals.year,
    totals.product_code,
    totals.product_level,
    'semiconductor_manufacturing_equipment' as product_group,
    'CHN' as importer_iso3,
    totals.total_value_usd,
    totals.supplier_value_usd,
    totals.positive_supplier_count,
    measures.top_supplier_iso3,
    measures.top_supplier_share,
    measures.hhi,
    measures.controlling_countries_share,
    measures.controlling_countries_value_usd,
    measures.us_share,
    measures.japan_share,
    measures.netherlands_share,
    measures.korea_share,
    measures.taiwan_share,
    measures.germany_share,
    measures.singapore_share,
    measures.us_value_usd,
    measures.japan_value_usd,
    measures.netherlands_value_usd,
    'FOB (CEPII BACI HS07 V202601, reconciled)' as value_basis,
    'imports from country suppliers other than China (BACI exporters)' as share_denominator
from totals
left join measures
    on totals.year = measures.year
    and totals.product_code = measures.product_code
