-- USGS's China share of US imports beside the share the warehouse computes for the nearest scope: same years
-- pooled (import_dependency_pooled), China + Hong Kong as USGS counts it where its note says so, the closest
-- codes the trade data have (usgs_reconciliation_scope). One row per USGS edition x commodity x form x period.
-- Issue 25 item 8: USGS import-source shares are shares of import QUANTITY (MCS, REO-equivalent for rare earths),
-- so the gap is taken on our quantity share; a value share beside it is context, never the comparison. A heading
-- that bundles other goods (codes_match = mixed_heading) gets no numeric gap: any number would measure the bundle.
-- Shares are fractions 0..1 (issue 25 item 10); USGS's printed percent is kept as *_pct_published.

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

),

compared as (

    select
        usgs_china.*,
        scope.mineral as our_mineral,
        scope.source as our_source,
        scope.our_codes,
        scope.codes_match,
        scope.codes_note,
        ours.importer_iso3 as our_importer_iso3,
        ours.denominator_scope as our_denominator_scope,
        ours.value_basis as our_value_basis,
        ours.quantity_unit as our_quantity_unit,
        ours.supplier_value_usd as our_supplier_value_usd,
        -- CN+HK where USGS includes Hong Kong, CN alone otherwise
        case when usgs_china.china_includes_hong_kong then ours.china_hk_share else ours.china_share end
            as our_china_share_by_value,
        case
            when usgs_china.china_includes_hong_kong then ours.china_hk_share_by_quantity
            else ours.china_share_by_quantity
        end as our_china_share_by_quantity
    from usgs_china
    left join scope
        on usgs_china.commodity = scope.usgs_commodity
        and usgs_china.form = scope.usgs_form
    left join ours
        on scope.mineral = ours.mineral
        and scope.source = ours.source
        and usgs_china.first_year = ours.first_year
        and usgs_china.last_year = ours.last_year

),

judged as (

    select
        compared.*,
        case
            when our_mineral is null then 'no computed scope: usgs_reconciliation_scope has no row for this commodity and form'
            when our_importer_iso3 is null then 'no computed share: the source lacks one of the years pooled'
            when codes_match = 'mixed_heading'
                then 'not comparable: our heading bundles other goods (' || codes_note || ')'
            when our_china_share_by_quantity is null
                then 'no quantity share: our heading is reported in more than one quantity unit, and USGS shares are of quantity'
        end as gap_null_reason
    from compared

)

select
    edition,
    commodity,
    form,
    period_label,
    first_year,
    last_year,
    value_published as usgs_china_share_published,
    share_pct_published as usgs_china_share_pct_published,
    share as usgs_china_share,
    'quantity' as usgs_share_basis,
    china_includes_hong_kong as usgs_china_includes_hong_kong,
    our_mineral,
    our_source,
    our_codes,
    our_denominator_scope,
    our_value_basis,
    our_china_share_by_value,
    our_china_share_by_quantity,
    our_quantity_unit,
    our_supplier_value_usd,
    case when gap_null_reason is null then share - our_china_share_by_quantity end as gap_share,
    case when gap_null_reason is null then 'quantity' end as gap_basis,
    gap_null_reason,
    codes_match,
    case
        when our_mineral is null or our_importer_iso3 is null then gap_null_reason
        else concat_ws('; ',
            case our_denominator_scope
                when 'selected_partners' then 'partner set: our share is of the 18 partners the USITC query selected, not World (overstates the listed partners, China included)'
                when 'world' then null
                else 'partner set: ' || our_denominator_scope
            end,
            case codes_match when 'same' then null else 'codes (' || codes_match || '): ' || codes_note end,
            'basis: USGS shares are of import quantity (REO-equivalent for rare earths); ours by quantity in '
                || coalesce(our_quantity_unit, 'mixed units') || ' of gross product weight, by value (' || our_value_basis || ') beside it',
            case when china_includes_hong_kong then 'partners: CN+HK on both sides' else 'partners: China alone on both sides' end
        )
    end as gap_reasons
from judged
