-- Import value by importer x mineral x year x period_kind x source x partner, with
-- each partner's share of the group total. Positive values only: a zero-value
-- partner is not a supplier, and a group with no positive value has no shares.
-- Monthly rows are left out: the dependency grain has no month yet.
-- Suppliers as import_dependency counts them (macro dependency_measures): country partners other than the importer
-- itself. Self-imports (CHN re-imports into CHN) and non-country partners ('Other Asia nes', 'Areas nes') are not
-- supply, so they are neither a row here nor in group_total_value_usd; import_dependency keeps them in its totals.

{#- a share's group (after the importer) and, with the partner, one row -#}
{% set group_key = ['mineral', 'year', 'period_kind', 'ytd_through_month', 'source'] %}
{% set partner_key = group_key + ['partner_iso3', 'partner_in_china_incl_hk', 'partner_is_country'] %}

with

flows as (

    select * from {{ ref('int_trade__flows_mapped') }}

),

by_partner as (

    select
        reporter_iso3 as importer_iso3,
        {{ key_columns(partner_key) }},
        sum(value_usd) as value_usd
    from flows
    where flow = 'import'
        and mineral is not null
        and period_kind in ('annual', 'ytd')
        and value_usd > 0
        and {{ is_supplier('partner_is_country', 'is_self_trade') }}
    group by reporter_iso3, {{ key_columns(partner_key) }}

)

select
    importer_iso3,
    {{ key_columns(partner_key) }},
    value_usd,
    sum(value_usd) over (
        partition by importer_iso3, {{ key_columns(group_key) }}
    ) as group_total_value_usd,
    value_usd / sum(value_usd) over (
        partition by importer_iso3, {{ key_columns(group_key) }}
    ) as share
from by_partner
