-- One row per customs code of a register measure part: the code as printed, the corrected
-- code beside a printed typo, and the prefix trade codes are matched on (the HS6, or the
-- 4-digit heading of a project mapping).

with

source as (

    select * from {{ source('raw', 'export_measure_codes') }}

)

select
    measure_id,
    part_id,
    code_printed,
    code_corrected,
    coalesce(code_corrected, code_printed) as code_effective,
    code_digits,
    hs6,
    heading,
    coalesce(hs6, heading) as match_prefix,
    code_basis,
    coverage_level,
    elements,
    goods,
    note,
    commodity,
    ordinal,
    _source_file as source_file,
    _loaded_at as loaded_at
from source
