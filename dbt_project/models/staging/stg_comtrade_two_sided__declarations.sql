-- One row per declaration: year x reporter x partner x HS6 x flow, its total row recovered from the rows Comtrade
-- repeated under the key. The rule is the LARGEST-VALUE row, not the sum: breakdown rows (customs procedure,
-- transport mode, second partner) are parts of the total, so summing counts the same trade several times (summed
-- keys run at a median 2x BACI, the largest row at 1.00x: tests/assert_comtrade_total_row_rule_matches_baci.sql).
-- A total also weighs at least as much as any of its parts; a key whose largest-value row declares a weight below another
-- row, or whose largest value is shared by rows of different weights, is not resolved: kept, counted, value NULL.

with

source as (

    select * from {{ source('raw_comtrade_two_sided', 'comtrade_two_sided') }}

),

codes as (

    select * from {{ ref('baci_country_codes') }}

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
    resolved.source_file,
    resolved.source_sha256,
    resolved.loaded_at

from resolved
left join codes as reporter_codes
    on resolved.reporter = reporter_codes.country_code
left join codes as partner_codes
    on resolved.partner = partner_codes.country_code
