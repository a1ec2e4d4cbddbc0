-- One row per declaration: year x reporter x partner x HS6 x flow, its total row recovered from the rows Comtrade
-- repeated under the key. The rule is the LARGEST-VALUE row, not the sum: breakdown rows (customs procedure,
-- transport mode, second partner) are parts of the total, so summing counts the same trade several times (summed
-- keys run at a median 2x BACI, the largest row at 1.00x: tests/assert_comtrade_total_row_rule_matches_baci.sql).
-- A total also weighs at least as much as any of its parts; a key whose largest-value row declares a weight below another
-- row, or whose largest value is shared by rows of different weights, is not resolved: kept, counted, value NULL.

-- Rows come from the snapshot files and from live Comtrade responses (raw_live.comtrade_live_records, any reporter and
-- flow configured by CHOKEPOINT_COMTRADE_*): one rule for both. A live response answers one reporter x flow x code x
-- year for every partner, so its latest vintage replaces the snapshot's rows of exactly that unit (not the whole
-- reporter-year: a live run that asked for one code must not erase the reporter's other snapshot codes).
with

snapshot_rows as (

    select
        year, reporter, partner, cmd, flow, value, netwgt, source_row,
        'snapshot_file' as declaration_source,
        _source_file, _source_sha256, _loaded_at
    from {{ source('raw_comtrade_two_sided', 'comtrade_two_sided') }}

),

-- Annual records only: the declaration grain is a year (monthly live records stay in stg_comtrade__records), and
-- six-digit codes only (the default live codes include HS4 headings, which are not declarations of an HS6 code).
live_records as (

    select
        cast(refYear as integer) as year,
        cast(reporterCode as integer) as reporter,
        cast(partnerCode as integer) as partner,
        cmdCode as cmd,
        flowCode as flow,
        primaryValue as value,
        netWgt as netwgt,  -- noqa: AL09
        record_index as source_row,
        _source_file,
        _source_sha256,
        _retrieved_at,
        _loaded_at
    from {{ live_source('comtrade_live_records', 'select * from ' ~ source('raw', 'comtrade_records') ~ ' where 1 = 0') }}
    where freqCode = 'A' and flowCode in ('M', 'X') and {{ dbt.length('cmdCode') }} = 6

),

live_latest_vintage as (

    select year, reporter, flow, cmd, max(_retrieved_at) as latest_retrieved_at
    from live_records
    group by year, reporter, flow, cmd

),

live_rows as (

    select
        live_records.year, live_records.reporter, live_records.partner, live_records.cmd, live_records.flow,
        live_records.value, live_records.netwgt, live_records.source_row,
        'live_vintage' as declaration_source,
        live_records._source_file, live_records._source_sha256, live_records._loaded_at
    from live_records
    inner join live_latest_vintage
        on
            live_records.year = live_latest_vintage.year
            and live_records.reporter = live_latest_vintage.reporter
            and live_records.flow = live_latest_vintage.flow
            and live_records.cmd = live_latest_vintage.cmd
            and live_records._retrieved_at = live_latest_vintage.latest_retrieved_at

),

source as (

    select live_rows.* from live_rows
    union all
    select snapshot_rows.* from snapshot_rows
    where not exists (
        select 1 from live_latest_vintage
        where
            live_latest_vintage.year = snapshot_rows.year
            and live_latest_vintage.reporter = snapshot_rows.reporter
            and live_latest_vintage.flow = snapshot_rows.flow
            and live_latest_vintage.cmd = snapshot_rows.cmd
    )

),

codes as (

    select * from {{ ref('baci_country_codes') }}

),

-- Comtrade partner areas BACI's table lacks (837 Bunkers, 839 Special Categories, 'nes' areas): named by Comtrade's
-- own list, no ISO3 sourced (partner_iso3 NULL), partner_kind 'comtrade_area'.
areas as (

    select * from {{ ref('comtrade_partner_areas') }}

),

ranked as (

    select
        source.*,
        row_number() over (
            partition by source.year, source.reporter, source.partner, source.cmd, source.flow
            order by source.value desc, source.netwgt desc, source.source_row asc
        ) as value_rank,
        max(source.value) over (
            partition by source.year, source.reporter, source.partner, source.cmd, source.flow
        ) as key_max_value
    from source

),

keys as (

    select
        year,
        reporter,
        partner,
        cmd,
        flow,
        count(*) as rows_published,
        count(distinct concat(cast(value as {{ dbt.type_string() }}), '|', coalesce(cast(netwgt as {{ dbt.type_string() }}), '')))
            as distinct_rows,
        sum(value) as naive_sum_usd,
        sum(netwgt) as naive_sum_net_weight_kg,
        max(netwgt) as max_net_weight_kg,
        count(distinct case when value = key_max_value then coalesce(netwgt, -1) end) as weights_at_max_value,
        max(declaration_source) as declaration_source,
        max(_source_file) as source_file,
        max(_source_sha256) as source_sha256,
        max(_loaded_at) as loaded_at
    from ranked
    group by year, reporter, partner, cmd, flow

),

resolved as (

    select
        keys.*,
        largest.value as largest_row_value_usd,
        largest.netwgt as largest_row_net_weight_kg,
        case
            when keys.distinct_rows = 1 then 'single_row'
            when keys.weights_at_max_value > 1 then 'unresolved_tie'
            when largest.netwgt is not null and keys.max_net_weight_kg > largest.netwgt then 'unresolved_weight'
            else 'largest_row'
        end as total_row_rule
    from keys
    inner join ranked as largest
        on
            keys.year = largest.year
            and keys.reporter = largest.reporter
            and keys.partner = largest.partner
            and keys.cmd = largest.cmd
            and keys.flow = largest.flow
            and largest.value_rank = 1

)

select
    ---------- declaration key
    resolved.year,
    resolved.reporter as reporter_code,
    reporter_codes.iso3 as reporter_iso3,
    resolved.partner as partner_code,
    partner_codes.iso3 as partner_iso3,
    coalesce(partner_codes.country_name, partner_areas.partner_name) as partner_name,
    {{ comtrade_partner_kind('resolved.partner', 'partner_codes', 'partner_areas') }} as partner_kind,
    resolved.partner = 0 as is_world_partner,
    resolved.cmd as hs6,
    resolved.flow,
    case when resolved.flow = 'M' then 'cif_declared' else 'fob_declared' end as value_basis,

    ---------- the total-row rule
    resolved.total_row_rule,
    resolved.total_row_rule in ({{ vocabulary_list('resolved_total_row_rules') }}) as is_resolved,
    resolved.rows_published,
    resolved.distinct_rows,
    case when resolved.total_row_rule in ({{ vocabulary_list('resolved_total_row_rules') }}) then resolved.largest_row_value_usd end as value_usd,
    case when resolved.total_row_rule in ({{ vocabulary_list('resolved_total_row_rules') }}) then resolved.largest_row_net_weight_kg end as net_weight_kg,
    resolved.largest_row_value_usd,
    resolved.largest_row_net_weight_kg,
    resolved.naive_sum_usd,
    resolved.naive_sum_net_weight_kg,

    ---------- countries the BACI table cannot name (areas nes, bunkers, free zones): kept, flagged
    reporter_codes.iso3 is null or (resolved.partner <> 0 and partner_codes.iso3 is null) as is_unmapped_country,

    ---------- lineage
    resolved.declaration_source,
    resolved.source_file,
    resolved.source_sha256,
    resolved.loaded_at

from resolved
left join codes as reporter_codes
    on resolved.reporter = reporter_codes.country_code
left join codes as partner_codes
    on resolved.partner = partner_codes.country_code
left join areas as partner_areas
    on resolved.partner = partner_areas.partner_code
