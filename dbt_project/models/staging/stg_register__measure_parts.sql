-- One row per part (article or item) of a register measure, with typed dates.
-- Convention: in_force_from inclusive, in_force_until exclusive (until_reading says how
-- the end was read from the text). restricts_goods marks the legal types that can put
-- trade value under a measure (data_contracts/register.py GOODS_LEGAL_TYPES).

with

source as (

    select * from {{ source('raw', 'export_measure_parts') }}

)

select
    measure_id,
    part_id,
    part_label,
    legal_type,
    legal_type in ({{ vocabulary_list('goods_legal_types') }}) as restricts_goods,
    scope,
    cast(in_force_from as date) as in_force_from,
    cast(in_force_until as date) as in_force_until,
    until_reading,
    cast(until_as_printed as date) as until_as_printed,
    verification,
    notes,
    _source_file as source_file,
    _loaded_at as loaded_at
from source
