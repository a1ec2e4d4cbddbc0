-- One label row per export-control measure of the register: the few columns a chart needs to name a
-- measure_id. The dates and statuses stay in marts.export_measures, whose rules decide them.

with

measures as (

    select * from {{ ref('stg_register__measures') }}

)

select
    measure_id,
    title,
    issuer,
    jurisdiction_iso3,
    instrument_number,
    legal_type,
    date_announced
from measures
