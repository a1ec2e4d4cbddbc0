-- Difference-in-differences per event window and outcome (issue 27). For each month of the window where the
-- outcome is positive for both the treated and the comparison product, gap = ln(treated) - ln(comparison); the
-- estimate is mean(gap, post months) - mean(gap, pre months) (log points: exp(estimate) - 1 is the proportional
-- change of the treated product relative to the comparison). Standard error: the pooled-variance two-sample
-- formula over the pre and post gaps, df = n_pre + n_post - 2; the 95% interval uses t(0.975; df) from the seed
-- student_t_critical_975 (a quantile function is not portable SQL). Monthly gaps are autocorrelated, which this
-- formula ignores: the interval is too narrow rather than too wide.
-- Pre-trend check: OLS slope of the pre-period gap on relative_month; it fails when |slope / se(slope)| exceeds
-- t(0.975; n_pre - 2). Verdict: not_interpretable (no comparison product, fewer than
-- var event_window_min_side_months usable months on a side, or a failed pre-trend check), else effect when the
-- interval excludes 0, else no_visible_effect.

{% set min_months = var('event_window_min_side_months') %}
{#- one estimate: a window's treated product and outcome -#}
{% set estimate_key = ['measure_id', 'part_id', 'source', 'importer_iso3', 'hs6', 'outcome'] %}

with

windows as (

    select * from {{ ref('event_windows_monthly') }}

),

-- one row per window month and outcome
long as (

    select
        measure_id, part_id, source, importer_iso3, hs6, comparison_hs6, relative_month, window_side,
        'origin_qty_kg' as outcome, origin_qty_kg as treated_value, comparison_origin_qty_kg as comparison_value
    from windows
    union all
    select
        measure_id, part_id, source, importer_iso3, hs6, comparison_hs6, relative_month, window_side,
        'total_qty_kg' as outcome, total_qty_kg as treated_value, comparison_total_qty_kg as comparison_value
    from windows
    union all
    select
        measure_id, part_id, source, importer_iso3, hs6, comparison_hs6, relative_month, window_side,
        'origin_unit_value_usd_per_kg' as outcome, origin_unit_value_usd_per_kg as treated_value,
        comparison_origin_unit_value_usd_per_kg as comparison_value
    from windows

),

gaps as (

    select
        long.*,
        case when treated_value > 0 and comparison_value > 0 then ln(treated_value) - ln(comparison_value) end as gap
    from long

),

keys as (

    select
        {{ key_columns(estimate_key) }},
        max(comparison_hs6) as comparison_hs6,
        count(*) as window_months
    from gaps
    group by {{ key_columns(estimate_key) }}

),

sides as (

    select
        {{ key_columns(estimate_key) }},
        count(case when window_side = 'pre' then gap end) as n_pre,
        count(case when window_side = 'post' then gap end) as n_post,
        avg(case when window_side = 'pre' then gap end) as mean_gap_pre,
        avg(case when window_side = 'post' then gap end) as mean_gap_post,
        var_samp(case when window_side = 'pre' then gap end) as var_gap_pre,
        var_samp(case when window_side = 'post' then gap end) as var_gap_post,
        avg(case when window_side = 'pre' and gap is not null then cast(relative_month as double) end) as mean_month_pre
    from gaps
    group by {{ key_columns(estimate_key) }}

),

pre_trend as (

    select
        {{ key_columns(estimate_key, 'gaps') }},
        sum((gaps.relative_month - sides.mean_month_pre) * (gaps.gap - sides.mean_gap_pre)) as sxy,
        sum((gaps.relative_month - sides.mean_month_pre) * (gaps.relative_month - sides.mean_month_pre)) as sxx
    from gaps
    inner join sides
        on {{ join_on_keys('gaps', 'sides', estimate_key) }}
    where gaps.window_side = 'pre' and gaps.gap is not null
    group by {{ key_columns(estimate_key, 'gaps') }}

),

pre_trend_residuals as (

    select
        {{ key_columns(estimate_key, 'gaps') }},
        sum(
            (gaps.gap - sides.mean_gap_pre - (pre_trend.sxy / pre_trend.sxx) * (gaps.relative_month - sides.mean_month_pre))
            * (gaps.gap - sides.mean_gap_pre - (pre_trend.sxy / pre_trend.sxx) * (gaps.relative_month - sides.mean_month_pre))
        ) as ssr
    from gaps
    inner join sides
        on {{ join_on_keys('gaps', 'sides', estimate_key) }}
    inner join pre_trend
        on {{ join_on_keys('gaps', 'pre_trend', estimate_key) }}
    where gaps.window_side = 'pre' and gaps.gap is not null and pre_trend.sxx > 0
    group by {{ key_columns(estimate_key, 'gaps') }}

),

t_table as (

    select df, t_975 from {{ ref('student_t_critical_975') }}

),

t_last as (

    select t_975 from t_table
    where df = (select max(largest.df) from t_table as largest)

),

estimated as (

    select
        {{ key_columns(estimate_key, 'keys') }},
        keys.comparison_hs6,
        keys.window_months,
        sides.n_pre,
        sides.n_post,
        sides.mean_gap_pre,
        sides.mean_gap_post,
        case when sides.n_pre >= 1 and sides.n_post >= 1 then sides.mean_gap_post - sides.mean_gap_pre end as did_estimate,
        -- Rounded to 9 decimals: DuckDB and Spark sum the variances in a different order and disagree in the last
        -- binary digit; the interval is computed from this rounded value, so both engines publish the same figures.
        case
            when sides.n_pre >= 2 and sides.n_post >= 2
                then round(sqrt(
                    ((sides.n_pre - 1) * sides.var_gap_pre + (sides.n_post - 1) * sides.var_gap_post)
                    / (sides.n_pre + sides.n_post - 2)
                    * (1.0 / sides.n_pre + 1.0 / sides.n_post)
                ), 9)
        end as did_std_error,
        sides.n_pre + sides.n_post - 2 as did_df,
        case when pre_trend.sxx > 0 then pre_trend.sxy / pre_trend.sxx end as pre_trend_slope,
        case
            when sides.n_pre >= 3 and pre_trend.sxx > 0 then sqrt(residuals.ssr / (sides.n_pre - 2) / pre_trend.sxx)
        end as pre_trend_slope_std_error
    from keys
    inner join sides
        on {{ join_on_keys('keys', 'sides', estimate_key) }}
    left join pre_trend
        on {{ join_on_keys('keys', 'pre_trend', estimate_key) }}
    left join pre_trend_residuals as residuals
        on {{ join_on_keys('keys', 'residuals', estimate_key) }}

),

with_intervals as (

    select
        estimated.*,
        coalesce(t_did.t_975, (select t_975 from t_last)) as t_critical,
        coalesce(t_trend.t_975, (select t_975 from t_last)) as t_critical_pre_trend
    from estimated
    left join t_table as t_did
        on estimated.did_df = t_did.df
    left join t_table as t_trend
        on estimated.n_pre - 2 = t_trend.df

),

judged as (

    select
        with_intervals.*,
        did_estimate - t_critical * did_std_error as did_ci_low,
        did_estimate + t_critical * did_std_error as did_ci_high,
        case
            when pre_trend_slope_std_error is null then null
            when pre_trend_slope_std_error = 0 then pre_trend_slope = 0
            else abs(pre_trend_slope / pre_trend_slope_std_error) <= t_critical_pre_trend
        end as pre_trend_passed
    from with_intervals

)

select
    measure_id,
    part_id,
    source,
    importer_iso3,
    hs6,
    outcome,
    comparison_hs6,
    window_months,
    n_pre,
    n_post,
    mean_gap_pre,
    mean_gap_post,
    did_estimate,
    did_std_error,
    did_df,
    did_ci_low,
    did_ci_high,
    exp(did_estimate) - 1 as did_relative_change,
    pre_trend_slope,
    pre_trend_slope_std_error,
    pre_trend_passed,
    case
        when comparison_hs6 is null or n_pre < {{ min_months }} or n_post < {{ min_months }}
            or not pre_trend_passed or did_std_error is null then 'not_interpretable'
        when did_ci_low > 0 or did_ci_high < 0 then 'effect'
        else 'no_visible_effect'
    end as verdict,
    case
        when comparison_hs6 is null
            then 'no comparison product: no HS6 outside the controls of the jurisdiction has origin quantity in every pre month of this one'
        when n_pre < {{ min_months }}
            then 'too few pre months: ' || cast(n_pre as {{ dbt.type_string() }}) || ' with both outcomes positive (need {{ min_months }})'
        when n_post < {{ min_months }}
            then 'too few post months: ' || cast(n_post as {{ dbt.type_string() }}) || ' with both outcomes positive (need {{ min_months }})'
        when not pre_trend_passed
            then 'pre-trend: the treated-minus-comparison gap trends before the date (slope '
            || cast(round(pre_trend_slope, 3) as {{ dbt.type_string() }}) || ' log points a month, |t| above the 95% critical value)'
        when did_std_error is null then 'no standard error'
    end as verdict_reason
from judged
