-- Governance- and trade-weighted concentration (EU CRM 2017 methodology, docs/methods.md
-- section 5), one row per perspective x commodity x stage x year:
--   hhi_wgi_t = sum_c S_c^2 x WGI_scaled,c x t_c    (S_c fractions -> 0..10; NULL unless EVERY
--                                                    country with a share has a WGI score)
--   hhi_t     = sum_c S_c^2 x t_c                   (the documented UNWEIGHTED variant: WGI
--                                                    treated as absent, 0..1 x t - not on the
--                                                    EU 0..10 scale)
--   governance_basis = 'wgi_weighted' | 'unweighted_wgi_missing' (never a silent default)

with

weights as (

    select * from {{ ref('int_supply__country_weights') }}

)

select
    perspective,
    commodity,
    stage,
    year,
    max(denominator_scope) as denominator_scope,
    cast(count(*) as {{ dbt.type_int() }}) as country_count,
    cast(sum(case when wgi_scaled is null then 1 else 0 end) as {{ dbt.type_int() }}) as wgi_missing_country_count,
    cast(sum(case when trade_factor > 1 then 1 else 0 end) as {{ dbt.type_int() }}) as restricting_country_count,
    max(trade_factor) as max_trade_factor,
    -- publication lag stated: the WGI year(s) the weights used (int_supply__country_weights.wgi_year)
    min(wgi_year) as wgi_year_min,
    max(wgi_year) as wgi_year_max,
    {{ hhi('share', scale=1) }} as hhi_fraction,
    sum(share * share * trade_factor) as hhi_t,
    case
        when count(wgi_scaled) = count(*) then sum(share * share * wgi_scaled * trade_factor)
    end as hhi_wgi_t,
    case
        when count(wgi_scaled) = count(*) then 'wgi_weighted'
        else 'unweighted_wgi_missing'
    end as governance_basis
from weights
group by perspective, commodity, stage, year
