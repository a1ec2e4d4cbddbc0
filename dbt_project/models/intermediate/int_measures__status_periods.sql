-- Status history of every register measure part as contiguous, non-overlapping periods [valid_from, valid_to):
-- THE single implementation of the status rules, stated in the model's description
-- (int_measures__status_periods.yml); marts ask "status on date d" through the period_covers_date macro.

with

parts as (

    select
        parts.measure_id,
        parts.part_id,
        parts.legal_type,
        parts.in_force_from,
        parts.in_force_until,
        -- a rule can apply before it is published (the US stay took effect 2025-11-10, published 2025-11-12)
        case
            when measures.date_announced is null then parts.in_force_from
            when parts.in_force_from is null or measures.date_announced <= parts.in_force_from then measures.date_announced
            else parts.in_force_from
        end as first_known_date
    from {{ ref('stg_register__measure_parts') }} as parts
    inner join {{ ref('stg_register__measures') }} as measures
        on parts.measure_id = measures.measure_id

),

suspensions as (

    select
        links.link_value as measure_id,
        links.link_detail as part_id,
        suspension.measure_id as suspension_measure_id,
        suspension.part_id as suspension_part_id,
        suspension.in_force_from as suspended_from,
        suspension.in_force_until as suspended_until
    from {{ ref('stg_register__measure_links') }} as links
    inner join parts as suspension
        on {{ join_on_keys('links', 'suspension', measure_part_key()) }}
    where links.link_type = 'suspends'
        and suspension.in_force_from is not null

),

-- the earliest end date after which the part's status rests on an unconfirmed lapse
lapses as (

    select measure_id, part_id, min(lapse_date) as first_lapse_date
    from (
        select measure_id, part_id, in_force_until as lapse_date from parts
        union all
        select measure_id, part_id, suspended_until as lapse_date from suspensions
    ) as ends
    where lapse_date is not null
    group by measure_id, part_id

),

-- every date on which the status of a part can change
boundaries as (

    select measure_id, part_id, first_known_date as boundary_date from parts
    union
    select measure_id, part_id, in_force_from as boundary_date from parts
    union
    select measure_id, part_id, in_force_until as boundary_date from parts
    union
    select measure_id, part_id, suspended_from as boundary_date from suspensions
    union
    select measure_id, part_id, suspended_until as boundary_date from suspensions

),

suspended_at_boundary as (

    select
        boundaries.measure_id,
        boundaries.part_id,
        boundaries.boundary_date,
        max(
            case
                when suspensions.suspended_from <= boundaries.boundary_date
                    and (suspensions.suspended_until is null
                        or boundaries.boundary_date < suspensions.suspended_until)
                    then 1
                else 0
            end
        ) as is_suspended
    from boundaries
    left join suspensions
        on {{ join_on_keys('boundaries', 'suspensions', measure_part_key()) }}
    where boundaries.boundary_date is not null
    group by boundaries.measure_id, boundaries.part_id, boundaries.boundary_date

),

status_at_boundary as (

    select
        boundary.measure_id,
        boundary.part_id,
        boundary.boundary_date as valid_from,
        -- an end date passing is never a source: what followed it (extension, reimposition) is unknown, so the
        -- status says so instead of reading as a sourced expiry or a sourced return into force
        case
            when boundary.boundary_date < parts.first_known_date then 'not_yet_announced'
            when parts.in_force_until is not null
                and boundary.boundary_date >= parts.in_force_until then 'end_date_passed_unconfirmed'
            when boundary.is_suspended = 1 then 'suspended'
            when parts.in_force_from is not null
                and boundary.boundary_date >= parts.in_force_from
                then case
                    when parts.legal_type = 'dispute_ruling' then 'issued'
                    when lapses.first_lapse_date is not null
                        and boundary.boundary_date >= lapses.first_lapse_date then 'suspension_ended_unconfirmed'
                    else 'in_force'
                end
            else 'announced'
        end as status,
        case
            when lapses.first_lapse_date is not null
                and boundary.boundary_date >= lapses.first_lapse_date then 'assumed_lapse'
            else 'sourced'
        end as status_basis
    from suspended_at_boundary as boundary
    inner join parts
        on {{ join_on_keys('boundary', 'parts', measure_part_key()) }}
    left join lapses
        on {{ join_on_keys('boundary', 'lapses', measure_part_key()) }}

),

-- before the first boundary nothing is known yet; a dated start (not NULL) keeps the natural predicate
-- `d >= valid_from and (valid_to is null or d < valid_to)` true on these periods
leading_period as (

    select
        measure_id,
        part_id,
        {{ status_period_open_start() }} as valid_from,
        'not_yet_announced' as status,
        'sourced' as status_basis
    from parts

),

all_periods as (

    select measure_id, part_id, valid_from, status, status_basis from leading_period
    union all
    select measure_id, part_id, valid_from, status, status_basis from status_at_boundary

),

sequenced as (

    select
        measure_id,
        part_id,
        valid_from,
        status,
        status_basis,
        lead(valid_from) over (partition by measure_id, part_id order by valid_from) as valid_to,
        row_number() over (partition by measure_id, part_id order by valid_from) as period_seq
    from all_periods

),

-- gaps and islands: consecutive periods with the same status and basis form one island
islands as (

    select
        sequenced.*,
        period_seq - row_number() over (
            partition by measure_id, part_id, status, status_basis
            order by period_seq
        ) as island_id
    from sequenced

),

merged as (

    select
        measure_id,
        part_id,
        status,
        status_basis,
        min(valid_from) as valid_from,
        case when count(valid_to) < count(*) then null else max(valid_to) end as valid_to,
        min(period_seq) as first_seq
    from islands
    group by measure_id, part_id, status, status_basis, island_id

)

select
    merged.measure_id,
    merged.part_id,
    -- bigint on both engines (row_number is a bigint on DuckDB, an int on Spark): the contract's dtype.
    cast(row_number() over (partition by merged.measure_id, merged.part_id order by merged.first_seq) as {{ dbt.type_bigint() }}) as period_number,
    merged.status,
    merged.status_basis,
    merged.valid_from,
    merged.valid_to,
    suspension.suspension_measure_id as suspended_by_measure_id,
    suspension.suspension_part_id as suspended_by_part_id
from merged
left join suspensions as suspension
    on merged.status = 'suspended'
    and {{ join_on_keys('merged', 'suspension', measure_part_key()) }}
    and merged.valid_from >= suspension.suspended_from
    and (suspension.suspended_until is null or merged.valid_from < suspension.suspended_until)
