-- Monthly reported trade (source x reporter x partner x flow x native code x month), each source's rows of one key
-- aggregated by that source's own rule (data/snapshot/monthly_trade README; vocabulary monthly_aggregation_rules):
--   uk_hmrc           sum_declarations      HMRC publishes a key once per port / EU-non-EU flow type; the file
--                                            drops those columns, so the rows are parts of the total.
--   eurostat_comext   copies_once_then_sum  205 of 222 keys are pure copies (the month fetched twice): a copy is
--                                            not a second declaration; the rows that differ are summed like HMRC's.
--   others            one_row_per_key       a second row would fail this model's source_rows test.
-- Unit values (USD/kg) only where every row of the key carries a positive quantity. Outliers are judged against
-- the same partner's own series of the same code (a Chinese magnet's price is not a Japanese one's); the factor
-- and minimum series length are vars in dbt_project.yml (unit_value_outlier_*).

{% set factor = var('unit_value_outlier_factor') %}
{% set min_rows = var('unit_value_outlier_min_rows') %}

with

rows_in as (

    select * from {{ ref('stg_atlas__monthly_flows') }}

),

-- Eurostat's exact copies collapse to one; every other source keeps every row (HMRC's identical rows are separate
-- declarations: 7 of its 2,235 repeated keys hold identical rows, consistent with two ports declaring the same)
deduplicated as (

    select
        source, reporter_iso3, partner_code, flow, native_code, year, month,
        max(native_code_digits) as native_code_digits,
        max(hs6) as hs6,
        value_usd,
        qty_kg,
        max(case when is_confidential then 1 else 0 end) as is_confidential,
        max(case when is_partner_group then 1 else 0 end) as is_partner_group,
        count(*) as copies
    from rows_in
    where source = 'eurostat_comext'
    group by source, reporter_iso3, partner_code, flow, native_code, year, month, value_usd, qty_kg

    union all

    select
        source, reporter_iso3, partner_code, flow, native_code, year, month,
        native_code_digits,
        hs6,
        value_usd,
        qty_kg,
        case when is_confidential then 1 else 0 end as is_confidential,
        case when is_partner_group then 1 else 0 end as is_partner_group,
        1 as copies
    from rows_in
    where source <> 'eurostat_comext'

),

aggregated as (

    select
        source,
        reporter_iso3,
        partner_code,
        flow,
        native_code,
        max(native_code_digits) as native_code_digits,
        max(hs6) as hs6,
        year,
        month,
        sum(value_usd) as value_usd,
        sum(qty_kg) as qty_kg,
        count(qty_kg) as rows_with_quantity,
        count(*) as source_rows,
        cast(sum(copies) as bigint) as file_rows,
        max(is_confidential) = 1 as is_confidential,
        max(is_partner_group) = 1 as is_partner_group
    from deduplicated
    group by source, reporter_iso3, partner_code, flow, native_code, year, month

),

with_unit_values as (

    select
        aggregated.*,
        case
            when qty_kg is null then 'no_quantity'
            when rows_with_quantity < source_rows then 'mixed_quantity_rows'
            when qty_kg = 0 then 'zero_quantity'
            else 'ok'
        end as unit_value_status
    from aggregated

),

series_stats as (

    select
        source, reporter_iso3, partner_code, flow, native_code,
        avg(ln(value_usd / qty_kg)) as mean_log_unit_value,
        count(*) as series_unit_values
    from with_unit_values
    where unit_value_status = 'ok' and value_usd > 0
    group by source, reporter_iso3, partner_code, flow, native_code

)

select
    flows.source,
    'critical_materials_atlas' as compiled_by,
    flows.reporter_iso3,
    flows.partner_code,
    flows.partner_code <> 'n/a' and not flows.is_partner_group as partner_is_country,
    flows.flow,
    flows.native_code,
    case flows.source
        when 'uk_hmrc' then 'CN8'
        when 'eurostat_comext' then 'CN8'
        when 'br_comexstat' then 'NCM8'
        else 'HS6'
    end as native_code_system,
    flows.hs6,
    flows.year,
    flows.month,
    flows.year * 12 + flows.month - 1 as month_index,
    flows.value_usd,
    case flows.source
        when 'uk_hmrc' then 'GBP'
        when 'eurostat_comext' then 'EUR'
        else 'USD'
    end as currency_published,
    case flows.source
        when 'uk_hmrc' then 'converted_by_compiler_rate_not_in_file'
        when 'eurostat_comext' then 'converted_by_compiler_rate_not_in_file'
        else 'published_in_usd'
    end as usd_conversion,
    case
        when flows.source = 'uk_hmrc' or flows.source = 'eurostat_comext'
            then 'ECB monthly reference rates via EUR crosses, applied by Varcolacus/critical-materials-atlas '
            || '(pipeline/fx.py); the rate of the month is not in the file, so no native-currency value is kept'
    end as usd_conversion_source,
    case flows.source
        when 'br_comexstat' then 'fob'
        else 'not_stated'
    end as value_basis,
    flows.qty_kg,
    case when flows.qty_kg is not null then 'kg' end as quantity_unit_declared,
    case flows.source
        when 'uk_hmrc' then 'sum_declarations'
        when 'eurostat_comext' then 'copies_once_then_sum'
        else 'one_row_per_key'
    end as aggregation_rule,
    flows.source_rows,
    flows.file_rows,
    flows.is_confidential,
    case when flows.unit_value_status = 'ok' then flows.value_usd / flows.qty_kg end as unit_value_usd_per_kg,
    flows.unit_value_status,
    case
        when flows.unit_value_status <> 'ok' or flows.value_usd <= 0 or stats.series_unit_values < {{ min_rows }} then null
        else abs(ln(flows.value_usd / flows.qty_kg) - stats.mean_log_unit_value) > ln({{ factor }})
    end as unit_value_outlier
from with_unit_values as flows
left join series_stats as stats
    on {{ join_on_keys('flows', 'stats', ['source', 'reporter_iso3', 'partner_code', 'flow', 'native_code']) }}
