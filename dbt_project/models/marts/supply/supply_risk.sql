-- EU critical raw materials supply-risk indicator from the US importer's perspective. The formula, each input
-- and its source, the governance fallback and sr_status: the model's description in supply_risk.yml (one
-- home; docs/methods.md section 5 derives it).

with

hhi as (

    select * from {{ ref('int_supply__hhi_wgi_t') }}

),

commodity_map as (

    select * from {{ ref('supply_commodity_map') }}

),

parameters as (

    select * from {{ ref('supply_risk_parameters') }}

),

nir as (

    select * from {{ ref('net_import_reliance') }}
    where edition = 2026

),

global_supply as (

    select * from hhi
    where perspective = 'global_supply'

),

us_sourcing as (

    select * from hhi
    where perspective = 'us_sourcing'

),

import_reliance as (

    select
        commodity_map.usgs_commodity as commodity,
        nir.year,
        nir.value_published as ir_published,
        case
            when nir.value_kind in ('number', 'zero', 'lower_bound', 'upper_bound') then nir.nir_share
            when nir.value_kind = 'net_exporter' then 0
        end as ir,
        case
            when nir.value_kind in ('number', 'zero') then 'published'
            when nir.value_kind = 'lower_bound' then 'lower_bound_used'
            when nir.value_kind = 'upper_bound' then 'upper_bound_used'
            when nir.value_kind = 'net_exporter' then 'net_exporter_zero'
            else 'not_available'
        end as ir_basis
    from nir
    inner join commodity_map
        on nir.commodity = commodity_map.usgs_commodity
        and coalesce(nir.form, '') = coalesce(commodity_map.nir_form, '')

),

eol as (

    select scope as commodity, value as eol_rir, source as eol_rir_source
    from parameters
    where parameter = 'eol_rir'

),

substitution as (

    select scope as commodity, value as si_sr, source as si_sr_source
    from parameters
    where parameter = 'si_sr'

),

assembled as (

    select
        global_supply.commodity,
        commodity_map.trade_mineral as mineral,
        global_supply.year,
        global_supply.stage as global_supply_stage,
        global_supply.hhi_fraction * 10000 as global_supply_hhi,
        global_supply.hhi_t as global_supply_hhi_t,
        global_supply.hhi_wgi_t as global_supply_hhi_wgi_t,
        global_supply.max_trade_factor as global_supply_max_trade_factor,
        global_supply.wgi_missing_country_count as global_supply_wgi_missing_countries,
        us_sourcing.hhi_fraction * 10000 as us_sourcing_hhi,
        us_sourcing.hhi_t as us_sourcing_hhi_t,
        us_sourcing.hhi_wgi_t as us_sourcing_hhi_wgi_t,
        us_sourcing.max_trade_factor as us_sourcing_max_trade_factor,
        us_sourcing.wgi_missing_country_count as us_sourcing_wgi_missing_countries,
        us_sourcing.denominator_scope as us_sourcing_denominator_scope,
        case
            when global_supply.governance_basis = 'wgi_weighted'
                and us_sourcing.governance_basis = 'wgi_weighted' then 'wgi_weighted'
            else 'unweighted_wgi_missing'
        end as governance_basis,
        import_reliance.ir_published,
        import_reliance.ir,
        coalesce(import_reliance.ir_basis, 'not_available') as ir_basis,
        eol.eol_rir,
        substitution.si_sr,
        eol.eol_rir_source,
        substitution.si_sr_source
    from global_supply
    inner join commodity_map
        on global_supply.commodity = commodity_map.usgs_commodity
    left join us_sourcing
        on global_supply.commodity = us_sourcing.commodity
        and global_supply.year = us_sourcing.year
    left join import_reliance
        on global_supply.commodity = import_reliance.commodity
        and global_supply.year = import_reliance.year
    left join eol
        on global_supply.commodity = eol.commodity
    left join substitution
        on global_supply.commodity = substitution.commodity

),

combined as (

    select
        assembled.*,
        case
            when governance_basis = 'wgi_weighted' then global_supply_hhi_wgi_t
            else global_supply_hhi_t
        end as global_supply_term,
        case
            when governance_basis = 'wgi_weighted' then us_sourcing_hhi_wgi_t
            else us_sourcing_hhi_t
        end as us_sourcing_term
    from assembled

),

risk as (

    select
        combined.*,
        (global_supply_term * ir / 2 + us_sourcing_term * (1 - ir / 2)) * (1 - eol_rir) as sr_before_substitution
    from combined

)

select
    commodity,
    mineral,
    year,
    global_supply_stage,
    global_supply_hhi,
    global_supply_hhi_t,
    global_supply_hhi_wgi_t,
    global_supply_max_trade_factor,
    global_supply_wgi_missing_countries,
    us_sourcing_hhi,
    us_sourcing_hhi_t,
    us_sourcing_hhi_wgi_t,
    us_sourcing_max_trade_factor,
    us_sourcing_wgi_missing_countries,
    us_sourcing_denominator_scope,
    governance_basis,
    global_supply_term,
    us_sourcing_term,
    ir_published,
    ir,
    ir_basis,
    eol_rir,
    si_sr,
    sr_before_substitution,
    sr_before_substitution * si_sr as supply_risk,
    case
        when ir is null then 'not_computable_ir_missing'
        when us_sourcing_term is null then 'not_computable_us_sourcing_missing'
        when eol_rir is null then 'not_computable_eol_rir_missing'
        when si_sr is null then 'not_computable_si_sr_missing'
        when governance_basis = 'wgi_weighted' then 'computed'
        else 'computed_unweighted'
    end as sr_status,
    eol_rir_source,
    si_sr_source
from risk
