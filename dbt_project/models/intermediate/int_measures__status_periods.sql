-- Status history of every register measure as contiguous, non-overlapping periods
-- [valid_from, valid_to) (NULL valid_from = since forever, NULL valid_to = open-ended).
-- THE single implementation of the status rules; marts ask "status on date d"
-- through the period_covers_date macro. Status at a date d, first rule that applies:
--   1. not_yet_announced  d < first known date (announced, else effective)
--   2. expired            d >= date_end
--   3. suspended          a suspension measure that `suspends` it is in force
--                         (suspension effective <= d < suspension date_end, open-ended if NULL)
--   4. in_force           d >= date_effective
--   5. announced          otherwise
-- A suspension measure follows the same rules (nothing suspends it): in_force from its
-- effective date, expired from its date_end.

with

measures as (

    select
        measure_id,
        date_announced,
        date_effective,
        date_end,
        coalesce(date_announced, date_effective) as first_known_date
    from {{ ref('stg_register__measures') }}

),

links as (

    select * from {{ ref('stg_register__measure_links') }}

),

suspensions as (

    select
        links.link_value as measure_id,
        links.measure_id as suspension_measure_id,
        suspension.date_effective as suspended_from,
        suspension.date_end as suspended_until
    from links
    inner join measures as suspension
        on links.measure_id = suspension.measure_id
    where links.link_type = 'suspends'
        and suspension.date_effective is not null

),

-- every date on which the status of a measure can change
boundaries as (

    select measure_id, first_known_date as boundary_date from measures
    union
    select measure_id, date_effective as boundary_date from measures
    union
    select measure_id, date_end as boundary_date from measures
    union
    select measure_id, suspended_from as boundary_date from suspensions
    union
    select measure_id, suspended_until as boundary_date from suspensions

),

suspended_at_boundary as (

    select
        boundaries.measure_id,
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
        on boundaries.measure_id = suspensions.measure_id
    where boundaries.boundary_date is not null
    group by boundaries.measure_id, boundaries.boundary_date

),

status_at_boundary as (

    select
        suspended_at_boundary.measure_id,
        suspended_at_boundary.boundary_date as valid_from,
        case
            when suspended_at_boundary.boundary_date < measures.first_known_date then 'not_yet_announced'
            when measures.date_end is not null
                and suspended_at_boundary.boundary_date >= measures.date_end then 'expired'
            when suspended_at_boundary.is_suspended = 1 then 'suspended'
            when measures.date_effective is not null
                and suspended_at_boundary.boundary_date >= measures.date_effective then 'in_force'
            else 'announced'
        end as status
    from suspended_at_boundary
    inner join measures
        on suspended_at_boundary.measure_id = measures.measure_id

),

-- before the first boundary nothing is known yet
leading_period as (

    select
        measures.measure_id,
        cast(null as date) as valid_from,
        'not_yet_announced' as status
    from measures

),

all_periods as (

    select measure_id, valid_from, status from leading_period
    union all
    select measure_id, valid_from, status from status_at_boundary

),

sequenced as (

    select
        measure_id,
        valid_from,
        status,
        lead(valid_from) over (
            partition by measure_id
            order by case when valid_from is null then 0 else 1 end, valid_from
        ) as valid_to,
        row_number() over (
            partition by measure_id
            order by case when valid_from is null then 0 else 1 end, valid_from
        ) as period_seq
    from all_periods

),

-- gaps and islands: consecutive periods with the same status form one island
islands as (

    select
        sequenced.*,
        period_seq - row_number() over (
            partition by measure_id, status
            order by period_seq
        ) as island_id
    from sequenced

),

merged as (

    select
        measure_id,
        status,
        case when count(valid_from) < count(*) then null else min(valid_from) end as valid_from,
        case when count(valid_to) < count(*) then null else max(valid_to) end as valid_to,
        min(period_seq) as first_seq
    from islands
    group by measure_id, status, island_id

)

select
    measure_id,
    row_number() over (partition by measure_id order by first_seq) as period_number,
    status,
    valid_from,
    valid_to
from merged
