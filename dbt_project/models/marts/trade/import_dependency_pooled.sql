-- Import dependency pooled over consecutive years, as USGS states US import sources ("2020-23", "2021-24": the
-- value of the four years summed, then shared): one row per importer x mineral x pooled period x source.
-- A window is kept only when the importer has rows of that mineral in every one of its years in that source, so a
-- pooled share never silently covers fewer years than its label. Annual rows only (YTD would double count).

{% set pool_years = 4 %}

with

flows as (

    {{ dependency_import_flows(["mineral is not null", "period_kind = 'annual'"]) }}

),

-- one row per importer x mineral x year x partner: the pooling below copies these (not every flow row) into each
-- window a year falls in
partner_years as (

    {{ dependency_partner_rows('flows', ['importer_iso3', 'mineral', 'year', 'source', 'value_basis']) }}

),

windows as (

    select distinct
        year - {{ pool_years - 1 }} as first_year,
        year as last_year
    from partner_years

),

pooled_partner_years as (

    select
        windows.first_year,
        windows.last_year,
        partner_years.*
    from partner_years
    inner join windows
        on partner_years.year between windows.first_year and windows.last_year

),

complete_windows as (

    select importer_iso3, mineral, source, first_year, last_year
    from pooled_partner_years
    group by importer_iso3, mineral, source, first_year, last_year
    having count(distinct year) = {{ pool_years }}

),

complete_partner_years as (

    select pooled_partner_years.*
    from pooled_partner_years
    inner join complete_windows
        on {{ join_on_keys('pooled_partner_years', 'complete_windows', ['importer_iso3', 'mineral', 'source', 'first_year']) }}

),

measures as (

    {{ dependency_measures('complete_partner_years', ['importer_iso3', 'mineral', 'first_year', 'last_year', 'source', 'value_basis'], flows_are_partner_rows=true) }}

)

select
    importer_iso3,
    mineral,
    first_year,
    last_year,
    cast(first_year as {{ dbt.type_string() }}) || '-' || substring(cast(last_year as {{ dbt.type_string() }}), 3, 2) as period_label,
    source,
    total_value_usd,
    china_value_usd,
    china_hk_value_usd,
    china_share,
    china_hk_share,
    top_supplier_iso3,
    top_supplier_share,
    positive_supplier_count,
    hhi,
    equivalent_suppliers,
    {{ denominator_scope('source') }} as denominator_scope,
    supplier_value_usd,
    self_trade_value_usd,
    non_country_value_usd,
    value_basis,
    quantity_unit,
    supplier_quantity,
    china_share_by_quantity,
    china_hk_share_by_quantity
from measures
