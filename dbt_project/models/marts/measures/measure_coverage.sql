-- What each measure part covers at customs-code level: one row per measure x part x
-- match prefix (the HS6, or a 4-digit heading for a project mapping) x coverage level,
-- with the codes as printed (and corrected) that map to it. coverage_level 'full' = the
-- HS6 holds only covered goods; 'partial' = element, purity or item level inside a mixed
-- HS6 (e.g. Sm/Gd/Lu in 2805.30); 'none' = printed beside covered codes, not controlled.
-- Only parts that restrict goods carry codes (the register refuses codes elsewhere).
-- mineral: trade mineral of the longest hs_mineral_map prefix (NULL = no trade mineral).

with

codes as (

    select * from {{ ref('stg_register__measure_codes') }}

),

parts as (

    select * from {{ ref('stg_register__measure_parts') }}

),

measures as (

    select * from {{ ref('stg_register__measures') }}

),

minerals as (

    {{ longest_prefix_mineral('codes', 'match_prefix') }}

),

grouped as (

    select
        measure_id,
        part_id,
        match_prefix,
        coverage_level,
        max(hs6) as hs6,
        max(heading) as heading,
        max(code_basis) as code_basis,
        count(*) as customs_code_count,
        {{ dbt.listagg("coalesce(code_printed, " ~ dbt.concat(["'heading '", 'heading']) ~ ")", "', '", "order by ordinal") }} as customs_codes_printed,
        {{ dbt.listagg("case when code_corrected is not null then " ~ dbt.concat(['code_printed', "' -> '", 'code_corrected']) ~ " end", "', '", "order by ordinal") }} as customs_codes_corrected,
        {{ dbt.listagg("elements", "', '", "order by ordinal") }} as elements,
        {{ dbt.listagg("goods", "'; '", "order by ordinal") }} as goods
    from codes
    group by measure_id, part_id, match_prefix, coverage_level

)

select
    grouped.measure_id,
    grouped.part_id,
    grouped.match_prefix,
    case when grouped.hs6 is not null then 'hs6' else 'heading' end as scope_code_level,
    grouped.hs6,
    grouped.heading,
    grouped.coverage_level,
    grouped.code_basis,
    grouped.customs_code_count,
    grouped.customs_codes_printed,
    grouped.customs_codes_corrected,
    grouped.elements,
    grouped.goods,
    minerals.mineral,
    measures.jurisdiction_iso3,
    parts.legal_type,
    -- kept for BI users of register_version 1
    parts.legal_type as measure_type,
    parts.restricts_goods
from grouped
inner join parts
    on {{ join_on_keys('grouped', 'parts', measure_part_key()) }}
inner join measures
    on grouped.measure_id = measures.measure_id
left join minerals
    on grouped.match_prefix = minerals.commodity_code
