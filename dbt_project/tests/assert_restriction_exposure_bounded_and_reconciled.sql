-- Each dollar once, and never more exposed than imported:
--   (1) per importer x trade code x period x source: covered <= upper bound <= imports
--       from the restricting country;
--   (2) per importer x restricting country x year x period x source, restriction_exposure's
--       import value equals fct_trade_flows summed over the same trade codes (no fan-out
--       from several measures or parts reaching one flow row).
-- Rows without a trade code (bound gaps) carry no value and stay out of both checks.

with

bounds as (

    select
        'bound' as failure,
        importer_iso3, restricting_country_iso3, commodity_code, year, period_kind, source,
        import_value_usd, covered_value_usd, upper_bound_value_usd
    from {{ ref('restriction_exposure') }}
    where commodity_code is not null
        and (
            covered_value_usd > upper_bound_value_usd
            or upper_bound_value_usd > import_value_usd
            or covered_value_usd < 0
            or covered_value_usd_prorated_estimate > covered_value_usd * 1.000000001
            or upper_bound_value_usd_prorated_estimate > upper_bound_value_usd * 1.000000001
        )

),

exposure_totals as (

    select importer_iso3, restricting_country_iso3, year, period_kind, source, sum(import_value_usd) as value_usd
    from {{ ref('restriction_exposure') }}
    where commodity_code is not null
    group by importer_iso3, restricting_country_iso3, year, period_kind, source

),

fact_totals as (

    select
        flows.reporter_iso3 as importer_iso3,
        flows.partner_iso3 as restricting_country_iso3,
        flows.year,
        flows.period_kind,
        flows.source,
        sum(flows.value_usd) as value_usd
    from {{ ref('fct_trade_flows') }} as flows
    where flows.flow = 'import'
        and exists (
            select 1 from {{ ref('restriction_exposure') }} as exposure
            where exposure.importer_iso3 = flows.reporter_iso3
                and exposure.restricting_country_iso3 = flows.partner_iso3
                and exposure.commodity_code = flows.commodity_code
                and exposure.year = flows.year
                and exposure.period_kind = flows.period_kind
                and exposure.source = flows.source
        )
    group by flows.reporter_iso3, flows.partner_iso3, flows.year, flows.period_kind, flows.source

),

reconciliation as (

    select
        'reconciliation' as failure,
        exposure_totals.importer_iso3, exposure_totals.restricting_country_iso3,
        cast(null as {{ dbt.type_string() }}) as commodity_code,
        exposure_totals.year, exposure_totals.period_kind, exposure_totals.source,
        exposure_totals.value_usd as import_value_usd,
        fact_totals.value_usd as covered_value_usd,
        cast(null as {{ dbt.type_float() }}) as upper_bound_value_usd
    from exposure_totals
    left join fact_totals
        on {{ join_on_keys('exposure_totals', 'fact_totals', ['importer_iso3', 'restricting_country_iso3', 'year', 'period_kind', 'source']) }}
    where fact_totals.value_usd is null
        or abs(exposure_totals.value_usd - fact_totals.value_usd) > 0.005

)

select * from bounds
union all
select * from reconciliation
