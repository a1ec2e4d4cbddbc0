-- The parsed figures BI users chart: MCS 2026 rare earths compounds & metals
-- NIR 2024 = 53 % and 2025 = 67 % (plain numbers, comparator '=').

select *
from {{ ref('net_import_reliance') }}
where edition = 2026
    and commodity = 'rare_earths'
    and form = 'compounds_and_metals'
    and (
        (year = 2024 and not (value_published = '53' and nir_pct = 53 and nir_comparator = '=' and value_kind = 'number'))
        or (year = 2025 and not (value_published = '67' and nir_pct = 67 and nir_comparator = '=' and value_kind = 'number'))
    )
