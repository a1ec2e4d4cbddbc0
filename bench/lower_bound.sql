-- Lower bound: the bulk-source marts computed straight from the Parquet files by one DuckDB script.
-- No orchestration, no validation, no intermediate tables, no publish. Same definitions as the dbt models
-- (stg_cepii__trade_flows -> int_cepii__flows_mapped -> fct_trade_flows / import_dependency, source 'bulk_trade').
-- Placeholders filled by bench/variants.py: {bulk_glob}, {seeds}, {denominator_scope} (the bulk source's scope in
-- data_contracts/vocabularies.py, its one home: a literal here went stale when it became 'named_partners').

create or replace table countries as
select cast(m49_code as integer) as m49_code, iso3, cast(is_country as boolean) as is_country
from read_csv('{seeds}/country_reference.csv', header = true, all_varchar = false);

create or replace table hs_map as
select cast(commodity_code as varchar) as commodity_code, mineral
from read_csv('{seeds}/hs_mineral_map.csv', header = true, types = {'commodity_code': 'VARCHAR'});

create or replace table fct_trade_flows as
with flows as (
    select t as year, i, j, lpad(cast(k as varchar), 6, '0') as hs6, v * 1000 as value_usd, q as quantity
    from read_parquet('{bulk_glob}')
),
code_minerals as (
    select commodity_code, mineral, matched_prefix from (
        select codes.hs6 as commodity_code, hs_map.mineral, hs_map.commodity_code as matched_prefix,
               row_number() over (partition by codes.hs6 order by length(hs_map.commodity_code) desc) as prefix_rank
        from (select distinct hs6 from flows) as codes
        left join hs_map on substring(codes.hs6, 1, length(hs_map.commodity_code)) = hs_map.commodity_code
    ) where prefix_rank = 1
)
select
    'bulk_trade' as source, imp.iso3 as reporter_iso3, exp.iso3 as partner_iso3,
    exp.iso3 in ('CHN', 'HKG') as partner_in_china_incl_hk, exp.is_country as partner_is_country,
    'import' as flow, flows.hs6 as commodity_code, flows.hs6, cm.mineral, flows.year,
    'annual' as period_kind, cast(null as integer) as month, cast(null as integer) as ytd_through_month,
    flows.value_usd, flows.quantity, case when flows.quantity is not null then 't' end as quantity_unit
from flows
join countries as exp on flows.i = exp.m49_code
join countries as imp on flows.j = imp.m49_code
join code_minerals as cm on flows.hs6 = cm.commodity_code
where cm.mineral is not null;

create or replace table import_dependency as
with by_partner as (
    select reporter_iso3 as importer_iso3, mineral, year, partner_iso3, sum(value_usd) as value_usd
    from fct_trade_flows where value_usd > 0
    group by all
),
shares as (
    select *, value_usd / sum(value_usd) over (partition by importer_iso3, mineral, year) as share
    from by_partner
),
concentration as (
    select importer_iso3, mineral, year, count(*) as positive_supplier_count, 10000 * sum(share * share) as hhi
    from shares group by all
),
top_supplier as (
    select importer_iso3, mineral, year, partner_iso3, share from (
        select *, row_number() over (partition by importer_iso3, mineral, year order by share desc, partner_iso3) as rnk
        from shares
    ) where rnk = 1
),
groups as (
    select reporter_iso3 as importer_iso3, mineral, year,
           sum(case when value_usd > 0 then value_usd else 0 end) as total_value_usd,
           sum(case when value_usd > 0 and partner_iso3 = 'CHN' then value_usd else 0 end) as china_value_usd,
           sum(case when value_usd > 0 and partner_in_china_incl_hk then value_usd else 0 end) as china_hk_value_usd
    from fct_trade_flows group by all
)
select
    g.importer_iso3, g.mineral, g.year, 'annual' as period_kind, cast(null as integer) as ytd_through_month,
    'bulk_trade' as source, g.total_value_usd, g.china_value_usd, g.china_hk_value_usd,
    case when g.total_value_usd > 0 then g.china_value_usd / g.total_value_usd end as china_share,
    case when g.total_value_usd > 0 then g.china_hk_value_usd / g.total_value_usd end as china_hk_share,
    t.partner_iso3 as top_supplier_iso3, t.share as top_supplier_share,
    coalesce(c.positive_supplier_count, 0) as positive_supplier_count, c.hhi,
    case when c.hhi > 0 then 10000 / c.hhi end as equivalent_suppliers,
    '{denominator_scope}' as denominator_scope
from groups as g
left join concentration as c using (importer_iso3, mineral, year)
left join top_supplier as t using (importer_iso3, mineral, year);

drop table countries;
drop table hs_map;
