-- Governance score per country x year, EU CRM 2017 methodology (docs/methods.md section 5):
--   WGI_scaled = (2.5 - mean of the 6 WGI estimates) x 2   (0..10, 10 = worst governance)
-- Only countries with all six estimates in a year get a score (no partial means).

with

wgi as (

    select * from {{ ref('stg_worldbank__wgi') }}

)

select
    country_iso3,
    year,
    count(*) as indicator_count,
    avg(estimate) as wgi_mean,
    (2.5 - avg(estimate)) * 2 as wgi_scaled
from wgi
group by country_iso3, year
having count(distinct indicator_id) = 6
