-- US net trade per mineral: USITC DataWeb domestic exports beside imports for consumption, one row per
-- mineral x year x period_kind x ytd_through_month, so a mineral the US exports more of than it imports is not
-- read as a dependency from import_dependency alone. Both flows are the same workbook query (the 18 selected
-- partners), so the net figure is a balance with those partners, not with the world. Import values are customs
-- value, export values FAS (free alongside ship): neither carries freight or insurance, but they are two bases.
-- Issue 25 item 6: netting is per processing stage (seed hs_processing_stages). Exporting ore concentrate and
-- importing separated compounds is not "net exporting" a mineral, so a basket whose two flows are of different
-- stages (US rare-earth exports under 2846 carry Mountain Pass concentrate) is stage 'mixed' and gets no label.

with

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}
    where source = 'usitc_dataweb'
        and reporter_iso3 = 'USA'
        and mineral is not null
        and period_kind in ('annual', 'ytd')

),

stages as (

    select * from {{ ref('hs_processing_stages') }}

),

-- A code's net basket is one stage only when its exports are of the stage its HS text names.
staged as (

    select
        flows.*,
        case
            when stages.us_exports_stage is not null and stages.us_exports_stage <> stages.stage then 'mixed'
            else stages.stage
        end as stage,
        case
            when stages.us_exports_stage is not null and stages.us_exports_stage <> stages.stage
                then stages.us_exports_stage_basis
            else stages.stage_basis
        end as stage_basis
    from flows
    inner join stages
        on flows.mineral_matched_prefix = stages.commodity_code

),

by_mineral as (

    select
        reporter_iso3,
        mineral,
        stage,
        case
            when count(distinct stage_basis) = 1 then min(stage_basis)
            else 'several codes of this stage: see seed hs_processing_stages'
        end as stage_basis,
        year,
        period_kind,
        ytd_through_month,
        source,
        sum(case when flow = 'import' then value_usd else 0 end) as imports_value_usd,
        sum(case when flow = 'export' then value_usd else 0 end) as exports_value_usd,
        count(distinct case when flow = 'import' and value_usd > 0 then partner_iso3 end) as import_partner_count,
        count(distinct case when flow = 'export' and value_usd > 0 then partner_iso3 end) as export_partner_count
    from staged
    group by reporter_iso3, mineral, stage, year, period_kind, ytd_through_month, source

)

select
    reporter_iso3,
    mineral,
    {{ product_group('mineral') }} as product_group,
    {{ in_mineral_group('by_mineral.mineral', 'magnets') }} as in_group_magnets,
    {{ in_mineral_group('by_mineral.mineral', 'battery_materials') }} as in_group_battery_materials,
    stage,
    stage_basis,
    year,
    period_kind,
    ytd_through_month,
    source,
    imports_value_usd,
    exports_value_usd,
    exports_value_usd - imports_value_usd as net_exports_value_usd,
    case
        when imports_value_usd = 0 and exports_value_usd = 0 then 'no_trade'
        when stage = 'mixed' then 'stage_mix'
        when exports_value_usd > imports_value_usd then 'net_exporter'
        when exports_value_usd < imports_value_usd then 'net_importer'
        else 'balanced'
    end as trade_balance,
    case when imports_value_usd > 0 then exports_value_usd / imports_value_usd end as export_import_ratio,
    import_partner_count,
    export_partner_count,
    'customs_value_imports_for_consumption' as import_value_basis,
    'fas_value_domestic_exports' as export_value_basis,
    'selected_partners' as denominator_scope
from by_mineral
