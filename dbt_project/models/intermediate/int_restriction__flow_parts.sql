-- Which goods-restricting measure parts reach which import flow: one row per import row
-- of int_trade__flows_mapped (source x importer x partner x code x period) x measure part,
-- where the partner is the measure's jurisdiction, the importer is not, a customs code of
-- the part matches the trade code, and a destination of the part applies to the importer.
-- Only licence requirements and export bans appear (technology restrictions,
-- extraterritorial rules, suspensions, easings and rulings restrict no goods).
-- Code match, either way round:
--   trade code within the scope prefix (an HS6 row in a register HS6): the code's coverage
--   trade code broader than the scope (an HS4 heading holding a register HS6): 'partial',
--     the heading also holds other subheadings
-- coverage_level = 'full' only when the code match is full AND the destination is a whole
-- country (end-user destinations reach part of a country's imports at most). A part with
-- several matching codes keeps the best level. Status is not applied here: every period is
-- kept, so marts can show years before and after a measure.
-- legal_type is the part's legal effect on the goods of the trade code: a code naming a
-- commodity the text treats differently (link_type commodity_legal_type: graphite under No. 46
-- Art. 2 gets stricter review, not denial) carries that commodity's type; a trade code holding
-- codes of both kinds takes the more binding (export_ban), since the row is an upper bound.
-- code_basis 'printed' when a printed code matches, else 'project_mapping' (a heading the
-- project bounds an uncoded item list at): the exposure marts' bound_completeness.

with

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}
    where flow = 'import'

),

parts as (

    select parts.*, measures.jurisdiction_iso2, measures.jurisdiction_iso3
    from {{ ref('stg_register__measure_parts') }} as parts
    inner join {{ ref('stg_register__measures') }} as measures
        on parts.measure_id = measures.measure_id
    where parts.restricts_goods

),

codes as (

    select * from {{ ref('stg_register__measure_codes') }}
    where coverage_level <> 'none'

),

commodity_legal_types as (

    select measure_id, part_id, link_value as commodity, link_detail as legal_type
    from {{ ref('stg_register__measure_links') }}
    where link_type = 'commodity_legal_type'

),

-- the distinct trade codes imported from a restricting jurisdiction, matched to part codes
code_matches as (

    select
        trade_codes.commodity_code,
        parts.measure_id,
        parts.part_id,
        case
            when {{ dbt.length('trade_codes.commodity_code') }} >= {{ dbt.length('codes.match_prefix') }}
                then codes.coverage_level
            else 'partial'
        end as code_coverage,
        case
            when {{ dbt.length('trade_codes.commodity_code') }} >= {{ dbt.length('codes.match_prefix') }}
                then 'trade_code_within_scope'
            else 'trade_code_broader_than_scope'
        end as code_match,
        codes.code_basis,
        coalesce(commodity_legal_types.legal_type, parts.legal_type) as legal_type
    from (
        select distinct flows.commodity_code, flows.partner_iso3
        from flows
        where flows.partner_iso3 in (select jurisdiction_iso3 from parts)
    ) as trade_codes
    inner join parts
        on trade_codes.partner_iso3 = parts.jurisdiction_iso3
    inner join codes
        on {{ join_on_keys('parts', 'codes', measure_part_key()) }}
        and (
            substring(trade_codes.commodity_code, 1, {{ dbt.length('codes.match_prefix') }}) = codes.match_prefix
            or substring(codes.match_prefix, 1, {{ dbt.length('trade_codes.commodity_code') }}) = trade_codes.commodity_code
        )
    left join commodity_legal_types
        on {{ join_on_keys('codes', 'commodity_legal_types', measure_part_key()) }}
        and codes.commodity = commodity_legal_types.commodity

),

best_code_match as (

    select
        commodity_code,
        measure_id,
        part_id,
        case when max(case when code_coverage = 'full' then 1 else 0 end) = 1 then 'full' else 'partial' end as code_coverage,
        min(code_match) as code_match,
        case when max(case when code_basis = 'printed' then 1 else 0 end) = 1 then 'printed' else 'project_mapping' end as code_basis,
        case when max(case when legal_type = 'export_ban' then 1 else 0 end) = 1
            then 'export_ban' else 'licence_requirement' end as legal_type
    from code_matches
    group by commodity_code, measure_id, part_id

),

importer_destinations as (

    select * from {{ ref('int_restriction__part_importers') }}

)

select
    flows.source,
    flows.reporter_iso3 as importer_iso3,
    flows.partner_iso3 as restricting_country_iso3,
    flows.commodity_code,
    flows.hs6,
    flows.mineral,
    flows.year,
    flows.period_kind,
    flows.month,
    flows.ytd_through_month,
    flows.value_usd as import_value_usd,
    best_code_match.measure_id,
    best_code_match.part_id,
    best_code_match.legal_type,
    best_code_match.code_match,
    best_code_match.code_basis,
    best_code_match.code_coverage,
    importer_destinations.destination_level,
    case
        when best_code_match.code_coverage = 'full' and importer_destinations.destination_level = 'country' then 'full'
        else 'partial'
    end as coverage_level,
    {{ trade_period_start('flows.year', 'flows.period_kind', 'flows.month') }} as period_start,
    {{ trade_period_end_exclusive('flows.year', 'flows.period_kind', 'flows.month', 'flows.ytd_through_month') }} as period_end_exclusive
from flows
inner join best_code_match
    on flows.commodity_code = best_code_match.commodity_code
inner join parts
    on {{ join_on_keys('best_code_match', 'parts', measure_part_key()) }}
    and flows.partner_iso3 = parts.jurisdiction_iso3
inner join importer_destinations
    on flows.reporter_iso3 = importer_destinations.importer_iso3
    and {{ join_on_keys('best_code_match', 'importer_destinations', measure_part_key()) }}
where flows.reporter_iso3 <> parts.jurisdiction_iso3
