-- USGS's China share of US imports beside the share the warehouse computes for the nearest scope: same years
-- pooled (import_dependency_pooled), China + Hong Kong as USGS counts it where its note says so, the closest
-- codes the trade data have (usgs_reconciliation_scope). One row per USGS edition x commodity x form x period.
-- Every row says why the two can differ: partner set, codes, value basis, and that USGS does not state whether
-- its shares are by quantity or value (both computed shares are shown).

with

usgs_china as (

    select * from {{ ref('usgs_import_sources') }}
    where partner_published = 'China'

),

scope as (

    select * from {{ ref('usgs_reconciliation_scope') }}

),

ours as (

    select * from {{ ref('import_dependency_pooled') }}
    where importer_iso3 = 'USA'

)

select
    usgs_china.edition,
    usgs_china.commodity,
    usgs_china.form,
    usgs_china.period_label,
    usgs_china.first_year,
    usgs_china.last_year,
    usgs_china.value_published as usgs_china_share_published,
    usgs_china.share_pct as usgs_china_share_pct,
    usgs_china.china_includes_hong_kong as usgs_china_includes_hong_kong,
    scope.mineral as our_mineral,
    scope.source as our_source,
    scope.our_codes,
    ours.denominator_scope as our_denominator_scope,
    ours.value_basis as our_value_basis,
    -- CN+HK where USGS includes Hong Kong, CN alone otherwise
    100 * case when usgs_china.china_includes_hong_kong then ours.china_hk_share else ours.china_share end as our_china_share_pct,
    100 * case when usgs_china.china_includes_hong_kong then ours.china_hk_share_by_quantity else ours.china_share_by_quantity end
        as our_china_share_by_quantity_pct,
    ours.quantity_unit as our_quantity_unit,
    ours.supplier_value_usd as our_supplier_value_usd,
    usgs_china.share_pct
        - 100 * case when usgs_china.china_includes_hong_kong then ours.china_hk_share else ours.china_share end
        as gap_pct_points,
    scope.codes_match,
    case
        when scope.mineral is null then 'no computed scope yet: usgs_reconciliation_scope has no row for this commodity and form'
        when ours.importer_iso3 is null then 'no computed share: the source lacks one of the years pooled'
        else concat_ws('; ',
            case ours.denominator_scope
                when 'selected_partners' then 'partner set: our share is of the 18 partners the USITC query selected, not World (overstates the listed partners, China included)'
                when 'world' then null
                else 'partner set: ' || ours.denominator_scope
            end,
            case scope.codes_match when 'same' then null else 'codes (' || scope.codes_match || '): ' || scope.codes_note end,
            'basis: ours is ' || ours.value_basis || ' by value (by quantity beside it); USGS does not state in the data whether its shares are of quantity or value',
            case when usgs_china.china_includes_hong_kong then 'partners: CN+HK on both sides' else 'partners: China alone on both sides' end
        )
    end as gap_reasons
from usgs_china
left join scope
    on usgs_china.commodity = scope.usgs_commodity
    and usgs_china.form = scope.usgs_form
left join ours
    on scope.mineral = ours.mineral
    and scope.source = ours.source
    and usgs_china.first_year = ours.first_year
    and usgs_china.last_year = ours.last_year
