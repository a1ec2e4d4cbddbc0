-- Figure "US imports from China with export-control effective dates": the lines, China's measures on the report
-- minerals with an effective date (suspensions are not drawn: they lift a measure, they do not impose one). A
-- measure covering a mineral through several parts appears once per legal type.

select distinct
    coverage.mineral,
    measures.measure_id,
    measures.measure_type,
    measures.date_effective
from {{ ref('export_measures') }} as measures
inner join {{ ref('measure_coverage') }} as coverage on measures.measure_id = coverage.measure_id
where measures.jurisdiction_iso3 = 'CHN'
    and not measures.is_suspension
    and measures.date_effective is not null
    and coverage.mineral in ({{ vocabulary_list('report_minerals') }})
